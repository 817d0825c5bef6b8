import { takesPartIn, type Viewer } from "../core/access.js";
import { termEnd } from "../core/assignments.js";
import type { Proposal } from "../core/consent/proposal.js";
import { FINAL_STATES } from "../core/consent/states.js";
import { conflict, forbidden, invalid, notFound } from "../core/errors.js";
import type { CircleId, MemberId, RoleId } from "../core/ids.js";
import type { RotationMode } from "../core/roles.js";
import {
  countsAsLeadership,
  type FillingPolicy,
  type RoleKind,
  rolePermissions,
  type SkillLevel,
} from "../core/roles.js";
import { planRotation, type RotationPlan } from "../core/rotation/plan.js";
import { type CandidateRanking, rankCandidates } from "../core/rotation/rank.js";
import type {
  CandidateScore,
  MemberAssignment,
  RotationCandidate,
  RotationRole,
} from "../core/rotation/score.js";
import { assertTermLimit, ENDING_SOON_DAYS, type RoleTerms, type TermDue, termsDue } from "../core/terms.js";
import type { Queryable } from "../db/database.js";
import { type Assignment, listAssignments } from "./assignments.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";
import { type AssignRolePayload, day, handOverRole, lockRole, roleTerms } from "./proposal-effects.js";
import { circleParticipants, createProposalWith } from "./proposals/commands.js";

/** A role with every term it has had, as the rotation and term rules read it. */
export interface RoleWithTerms {
  id: RoleId;
  circleId: CircleId;
  circleName: string;
  name: string;
  kind: RoleKind;
  leadership: boolean;
  fillingPolicy: FillingPolicy;
  termDays: number | null;
  maxConsecutiveTerms: number | null;
  requiredSkills: SkillLevel[];
  rotationMode: RotationMode;
  archivedAt: Date | null;
  /** Every assignment of the role, shadows included, earliest first. */
  assignments: Assignment[];
}

interface RoleRow {
  id: RoleId;
  circle_id: CircleId;
  circle_name: string;
  name: string;
  kind: RoleKind;
  leadership: boolean;
  filling_policy: FillingPolicy;
  term_days: number | null;
  max_consecutive_terms: number | null;
  required_skills: SkillLevel[];
  rotation_mode: RotationMode;
  archived_at: Date | null;
}

interface RoleQuery {
  roleIds?: readonly string[];
  fillingPolicy?: FillingPolicy;
}

/** Roles of active circles (archived ones only when asked for by id) with all their assignments. */
async function loadRolesWithTerms(db: Queryable, orgId: string, query: RoleQuery): Promise<RoleWithTerms[]> {
  const { rows } = await db.query<RoleRow>(
    `SELECT r.id, r.circle_id, c.name AS circle_name, r.name, r.kind, r.leadership, r.filling_policy, r.term_days,
       r.max_consecutive_terms, r.required_skills, r.rotation_mode, r.archived_at
     FROM roles r JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
     WHERE r.org_id = $1 AND ($2::uuid[] IS NULL OR r.id = ANY($2::uuid[])) AND ($3::text IS NULL OR r.filling_policy = $3)
       AND ($2::uuid[] IS NOT NULL OR (r.archived_at IS NULL AND c.archived_at IS NULL))
     ORDER BY c.name, c.id, r.name, r.id`,
    [orgId, query.roleIds ?? null, query.fillingPolicy ?? null],
  );
  const { rows: assignments } = await db.query<{
    id: string;
    role_id: string;
    member_id: MemberId;
    name: string;
    starts_at: Date;
    ends_at: Date | null;
    source: Assignment["source"];
    shadow: boolean;
    handover_notes: string;
  }>(
    `SELECT a.id, a.role_id, a.member_id, m.name, a.starts_at, a.ends_at, a.source, a.shadow, a.handover_notes
     FROM assignments a JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
     WHERE a.org_id = $1 AND a.role_id = ANY($2::uuid[]) ORDER BY a.starts_at, a.id`,
    [orgId, rows.map((r) => r.id)],
  );
  const byRole = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const list = byRole.get(a.role_id) ?? [];
    list.push({
      id: a.id,
      roleId: a.role_id,
      memberId: a.member_id,
      name: a.name,
      startsAt: a.starts_at,
      endsAt: a.ends_at,
      source: a.source,
      shadow: a.shadow,
      handoverNotes: a.handover_notes,
    });
    byRole.set(a.role_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    circleId: row.circle_id,
    circleName: row.circle_name,
    name: row.name,
    kind: row.kind,
    leadership: row.leadership,
    fillingPolicy: row.filling_policy,
    termDays: row.term_days,
    maxConsecutiveTerms: row.max_consecutive_terms,
    requiredSkills: row.required_skills,
    rotationMode: row.rotation_mode,
    archivedAt: row.archived_at,
    assignments: byRole.get(row.id) ?? [],
  }));
}

async function loadRoleWithTerms(db: Queryable, orgId: string, roleId: string) {
  const [role] = await loadRolesWithTerms(db, orgId, { roleIds: [roleId] });
  if (!role) throw notFound("Role", roleId);
  return role;
}

const toRotationRole = (role: RoleWithTerms): RotationRole => ({
  id: role.id,
  circleId: role.circleId,
  name: role.name,
  requiredSkills: role.requiredSkills,
  maxConsecutiveTerms: role.maxConsecutiveTerms,
  assignments: role.assignments,
});

const toRoleTerms = (role: RoleWithTerms): RoleTerms => roleTerms(role, role.assignments);

/** Members who might take roles, with their names (the core's candidates carry none). */
export interface CandidatePool {
  candidates: RotationCandidate[];
  names: ReadonlyMap<string, string>;
}

/**
 * The candidates for roles in the given circles: each circle's participants now (members and the
 * double-linked leaders and delegates of its child circles; never observers), with their profile and
 * every role they have held, hold or will hold.
 */
export async function candidatePool(
  db: Queryable,
  orgId: string,
  circleIds: readonly CircleId[],
  now: Date,
): Promise<CandidatePool> {
  const circlesOf = new Map<MemberId, CircleId[]>();
  for (const circleId of new Set(circleIds))
    for (const memberId of await circleParticipants(db, orgId, circleId, now))
      circlesOf.set(memberId, [...(circlesOf.get(memberId) ?? []), circleId]);
  const memberIds = [...circlesOf.keys()];
  const { rows: members } = await db.query<{
    id: MemberId;
    name: string;
    access: RotationCandidate["access"];
    skills: SkillLevel[];
    interests: string[];
    hours_available: number | null;
  }>(
    `SELECT id, name, access, skills, interests, hours_available FROM members
     WHERE org_id = $1 AND id = ANY($2::uuid[]) ORDER BY id`,
    [orgId, memberIds],
  );
  const { rows: held } = await db.query<{
    member_id: MemberId;
    role_id: RoleId;
    kind: RoleKind;
    leadership: boolean;
    starts_at: Date;
    ends_at: Date | null;
    shadow: boolean;
  }>(
    `SELECT a.member_id, a.role_id, r.kind, r.leadership, a.starts_at, a.ends_at, a.shadow
     FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
     WHERE a.org_id = $1 AND a.member_id = ANY($2::uuid[])`,
    [orgId, memberIds],
  );
  const assignmentsOf = new Map<MemberId, MemberAssignment[]>();
  for (const a of held)
    assignmentsOf.set(a.member_id, [
      ...(assignmentsOf.get(a.member_id) ?? []),
      {
        roleId: a.role_id,
        leadership: countsAsLeadership(a),
        startsAt: a.starts_at,
        endsAt: a.ends_at,
        shadow: a.shadow,
      },
    ]);
  return {
    candidates: members.map((m) => ({
      memberId: m.id,
      access: m.access,
      circleIds: circlesOf.get(m.id) ?? [],
      skills: m.skills,
      interests: m.interests,
      hoursAvailable: m.hours_available,
      assignments: assignmentsOf.get(m.id) ?? [],
    })),
    names: new Map(members.map((m) => [m.id as string, m.name])),
  };
}

/** Why a rotating role is due: its term ends within the window, has ended with no one to follow, or no one holds it. */
export type DueReason = "ending_soon" | "past_term" | "vacant";

export interface DueRole {
  role: RoleWithTerms;
  reason: DueReason;
  /** When the current term ends (or ended); null for a vacant role. */
  endsAt: Date | null;
}

/**
 * Rotating roles due for rotation at `now`: the current term ends within ENDING_SOON_DAYS or has ended
 * with no one to follow, or nobody holds the role nor is lined up to. A role whose next holder is
 * already lined up is not due.
 */
export async function rolesDue(db: Queryable, orgId: string, now: Date): Promise<DueRole[]> {
  const roles = await loadRolesWithTerms(db, orgId, { fillingPolicy: "rotation" });
  return roles.flatMap((role): DueRole[] => {
    const [term] = termsDue([toRoleTerms(role)], now, ENDING_SOON_DAYS);
    if (term) return [{ role, reason: term.state, endsAt: term.endsAt }];
    const heldOrLinedUp = role.assignments.some(
      (a) => !a.shadow && (a.endsAt === null || a.endsAt.getTime() > now.getTime()),
    );
    return heldOrLinedUp ? [] : [{ role, reason: "vacant", endsAt: null }];
  });
}

export interface Candidates {
  role: RoleWithTerms;
  ranking: CandidateRanking;
  names: ReadonlyMap<string, string>;
}

/** The role's circle participants ranked for it, best first, each score with its reasons. */
export async function candidatesFor(db: Queryable, orgId: string, roleId: string, now: Date) {
  return rankFor(db, orgId, await loadRoleWithTerms(db, orgId, roleId), now);
}

async function rankFor(db: Queryable, orgId: string, role: RoleWithTerms, now: Date): Promise<Candidates> {
  const pool = await candidatePool(db, orgId, [role.circleId], now);
  return { role, ranking: rankCandidates(toRotationRole(role), pool.candidates, now), names: pool.names };
}

export interface PlanForOrg {
  plan: RotationPlan;
  due: DueRole[];
  names: ReadonlyMap<string, string>;
}

/**
 * The organisation-wide rotation plan at `now`: every role due is filled at once, optimally, no member
 * taking two while someone else could take one (the core's `planRotation`). It proposes; nothing is
 * written — each role is then rotated on its own.
 */
export async function planFor(db: Queryable, org: Org, now: Date): Promise<PlanForOrg> {
  const due = await rolesDue(db, org.id, now);
  const pool = await candidatePool(
    db,
    org.id,
    due.map((d) => d.role.circleId),
    now,
  );
  const plan = planRotation(
    due.map((d) => toRotationRole(d.role)),
    pool.candidates,
    now,
  );
  return { plan, due, names: pool.names };
}

/** A term that needs its circle's attention, with what a reader needs to act on it. */
export interface DueTerm extends TermDue {
  role: RoleWithTerms;
  holderName: string;
}

/** Terms ending within ENDING_SOON_DAYS with no successor yet, and terms past their end (flagged), in every active role. */
export async function termsDueFor(db: Queryable, org: Pick<Org, "id">, now: Date): Promise<DueTerm[]> {
  const roles = await loadRolesWithTerms(db, org.id, {});
  const byId = new Map(roles.map((role) => [role.id as string, role]));
  return termsDue(roles.map(toRoleTerms), now).flatMap((term) => {
    const role = byId.get(term.roleId);
    const holder = role?.assignments.find((a) => a.id === term.assignmentId);
    return role && holder ? [{ ...term, role, holderName: holder.name }] : [];
  });
}

export interface TermAttentionItem {
  kind: "term_ending" | "term_past";
  roleId: string;
  circleId: string;
  title: string;
  reason: string;
  due: Date;
}

const NEXT_STEP: Record<FillingPolicy, string> = {
  rotation: "rotate the role",
  election: "hold a re-selection",
  appointment: "re-appoint or hand over",
};

/** Terms in the circles the viewer takes part in that end soon or are past their end. */
export async function termAttention(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  now: Date,
): Promise<TermAttentionItem[]> {
  return (await termsDueFor(db, org, now))
    .filter((term) => takesPartIn(viewer, term.role.circleId))
    .map((term) => ({
      kind: term.state === "past_term" ? "term_past" : "term_ending",
      roleId: term.roleId,
      circleId: term.role.circleId,
      title: term.role.name,
      reason:
        term.state === "past_term"
          ? `${term.holderName}'s term ended on ${day(term.endsAt)} and no one has followed: the role is past its term`
          : `${term.holderName}'s term ends on ${day(term.endsAt)}: ${NEXT_STEP[term.role.fillingPolicy]}`,
      due: term.endsAt,
    }));
}

/**
 * Who may rotate a role: the people who take part in its circle (its members, the facilitator among
 * them, and double-linked leaders and delegates). An admin outside the circle may not: the circle
 * fills its own roles.
 */
export interface RotateInput {
  mode?: RotationMode | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  termDays?: number | undefined;
  note?: string | undefined;
}

/** The term asked for: it starts now or later and never runs longer than the role's term. */
function requestedTerm(role: RoleWithTerms, input: RotateInput, now: Date) {
  const startsAt = input.startsAt ?? now;
  if (startsAt.getTime() < now.getTime())
    throw invalid("A rotation starts now or later; past terms are not rewritten", { field: "startsAt" });
  if (input.endsAt !== undefined && input.termDays !== undefined)
    throw invalid("Give an end or a term length, not both", { fields: ["endsAt", "termDays"] });
  if (role.termDays === null)
    throw invalid("A rotating role needs a term length; set the role's term first", { field: "termDays" });
  if (input.termDays !== undefined && (input.termDays < 1 || input.termDays > role.termDays))
    throw invalid(`A rotation term lasts 1 to ${role.termDays} days (the role's term)`, {
      field: "termDays",
    });
  const termDays = input.termDays ?? role.termDays;
  const longest = termEnd(startsAt, role.termDays) as Date;
  const endsAt = input.endsAt ?? (termEnd(startsAt, termDays) as Date);
  if (endsAt.getTime() <= startsAt.getTime())
    throw invalid("A term ends after it starts", { fields: ["startsAt", "endsAt"] });
  if (endsAt.getTime() > longest.getTime())
    throw invalid(`A rotation term is at most the role's term of ${role.termDays} days`, {
      field: "endsAt",
      latest: longest.toISOString(),
    });
  return { startsAt, endsAt, termDays, explicitStart: input.startsAt !== undefined };
}

/** Checks that the role can be rotated by this viewer in this mode; returns the mode. */
function assertRotatable(role: RoleWithTerms, viewer: Viewer, requested: RotationMode | undefined) {
  if (role.archivedAt) throw conflict("This role is archived", { roleId: role.id });
  if (!takesPartIn(viewer, role.circleId)) throw forbidden("rotate this role");
  if (!rolePermissions(viewer, role).rotate)
    throw conflict(`This role is filled by ${role.fillingPolicy}, not rotation`, {
      fillingPolicy: role.fillingPolicy,
    });
  const mode = requested ?? role.rotationMode;
  // Consent can always be asked for; assigning directly is the circle's choice for the role, not the caller's.
  if (mode === "automatic" && role.rotationMode !== "automatic")
    throw conflict("This circle hands the role on by consent; it has not chosen automatic rotation", {
      rotationMode: role.rotationMode,
    });
  return mode;
}

/** The top eligible candidate, or a conflict saying why nobody can take the role. */
function topCandidate(candidates: Candidates) {
  const top = candidates.ranking.ranked[0];
  if (!top)
    throw conflict("Nobody in the circle can take this role now", {
      ineligible: candidates.ranking.ineligible.map((s) => ({
        memberId: s.memberId,
        reasons: s.ineligibility.map((i) => i.reason),
      })),
    });
  assertTermLimit(toRoleTerms(candidates.role), top.memberId);
  return top;
}

export type RotationOutcome =
  | { mode: "automatic"; candidates: Candidates; candidate: CandidateScore; assignment: Assignment }
  | { mode: "consent"; candidates: Candidates; candidate: CandidateScore; proposal: Proposal };

/**
 * Hands a rotating role on to its top candidate. Automatic (where the circle chose it): the current
 * term ends at the handover and the candidate's rotation term is recorded, in one transaction.
 * Consent: a proposal to the circle, which hands the role over when it is adopted.
 */
export async function rotateRole(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  roleId: string,
  input: RotateInput,
): Promise<RotationOutcome> {
  const role = await loadRoleWithTerms(ctx.db, org.id, roleId);
  const mode = assertRotatable(role, viewer, input.mode);
  return mode === "automatic"
    ? rotateAutomatically(ctx, org, viewer, roleId, input)
    : proposeRotation(ctx, org, viewer, role, input);
}

async function rotateAutomatically(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  roleId: string,
  input: RotateInput,
): Promise<RotationOutcome> {
  const assignmentId = ctx.newId();
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    await lockRole(tx, org.id, roleId);
    const role = await loadRoleWithTerms(tx, org.id, roleId);
    assertRotatable(role, viewer, "automatic");
    const { startsAt, endsAt } = requestedTerm(role, input, now);
    const candidates = await rankFor(tx, org.id, role, now);
    const candidate = topCandidate(candidates);
    const previousHolders = await handOverRole(
      tx,
      org.id,
      { roleId, circleId: role.circleId, memberId: candidate.memberId, assignmentId, startsAt, endsAt },
      { now, actor: viewer.memberId, log },
    );
    log({
      type: "role.rotated",
      actor: viewer.memberId,
      payload: {
        roleId,
        circleId: role.circleId,
        mode: "automatic",
        memberId: candidate.memberId,
        assignmentId,
        previousHolders,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        score: candidate.total,
        parts: candidate.parts,
        note: input.note ?? null,
      },
    });
    return { candidates, candidate };
  });
  const assignment = (await listAssignments(ctx.db, org.id, roleId)).find((a) => a.id === assignmentId);
  if (!assignment) throw notFound("Assignment", assignmentId);
  return { mode: "automatic", ...result, assignment };
}

/** The open rotation proposal of a role, if one is before its circle. */
async function pendingRotation(db: Queryable, orgId: string, roleId: string) {
  const { rows } = await db.query<{ proposal_id: string }>(
    `SELECT e.proposal_id FROM proposal_effects e
       JOIN proposals p ON p.org_id = e.org_id AND p.id = e.proposal_id
     WHERE e.org_id = $1 AND e.payload ->> 'roleId' = $2 AND e.applied_at IS NULL AND p.state <> ALL($3::text[])`,
    [orgId, roleId, FINAL_STATES],
  );
  return rows[0]?.proposal_id ?? null;
}

/** The proposal's text: who, for which term, and why, in the score's own words. */
function rotationText(
  candidates: Candidates,
  candidate: CandidateScore,
  term: ReturnType<typeof requestedTerm>,
  note: string | undefined,
) {
  const { role, ranking, names } = candidates;
  const name = names.get(candidate.memberId) ?? "The top candidate";
  const from = term.explicitStart ? `from ${day(term.startsAt)}` : "from adoption";
  const until =
    term.explicitStart || term.termDays === null
      ? `until ${day(term.endsAt)}`
      : `for ${term.termDays} days (until ${day(term.endsAt)} if adopted today)`;
  const others = ranking.ranked.slice(1, 4).map((s) => `${names.get(s.memberId) ?? s.memberId} (${s.total})`);
  return [
    `${name} takes the role ${role.name} ${from} ${until}, by rotation.`,
    "",
    `${name} ranks first of ${ranking.ranked.length} eligible ${ranking.ranked.length === 1 ? "member" : "members"} with a score of ${candidate.total}:`,
    ...candidate.parts.map((part) => `- ${part.reason} (${part.points > 0 ? "+" : ""}${part.points})`),
    ...(others.length > 0 ? ["", `Next in the ranking: ${others.join(", ")}.`] : []),
    ...(note ? ["", note] : []),
  ].join("\n");
}

async function proposeRotation(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  role: RoleWithTerms,
  input: RotateInput,
): Promise<RotationOutcome> {
  const now = ctx.now();
  const term = requestedTerm(role, input, now);
  const candidates = await rankFor(ctx.db, org.id, role, now);
  const candidate = topCandidate(candidates);
  const name = candidates.names.get(candidate.memberId) ?? candidate.memberId;
  const payload: AssignRolePayload = {
    roleId: role.id,
    memberId: candidate.memberId,
    assignmentId: ctx.newId(),
    startsAt: term.explicitStart ? term.startsAt.toISOString() : null,
    endsAt: input.endsAt ? term.endsAt.toISOString() : null,
    termDays: input.endsAt ? null : term.termDays,
    source: "rotation",
    score: candidate.total,
    parts: candidate.parts,
  };
  // The proposal and its effect are written together, and the role's row lock makes two rotations at
  // once open one proposal.
  const proposal = await createProposalWith(
    ctx,
    org,
    viewer,
    {
      circleId: role.circleId,
      title: `Rotate ${role.name} to ${name}`,
      text: rotationText(candidates, candidate, term, input.note),
    },
    {
      guard: async ({ tx }) => {
        await lockRole(tx, org.id, role.id);
        const pending = await pendingRotation(tx, org.id, role.id);
        if (pending)
          throw conflict("A rotation of this role is already before the circle", { proposalId: pending });
      },
      after: async ({ tx, log }, drafted) => {
        await tx.query(
          "INSERT INTO proposal_effects (org_id, proposal_id, kind, payload) VALUES ($1, $2, 'assign_role', $3)",
          [org.id, drafted.id, JSON.stringify(payload)],
        );
        log({
          type: "role.rotation_proposed",
          actor: viewer.memberId,
          payload: {
            roleId: role.id,
            circleId: role.circleId,
            proposalId: drafted.id,
            memberId: candidate.memberId,
            score: candidate.total,
            parts: candidate.parts,
          },
        });
      },
    },
  );
  return { mode: "consent", candidates, candidate, proposal };
}

/**
 * Announces, once each, the terms of one organisation that have come due: a `term.ending_soon` entry
 * when a term is within its last days with no successor, a `term.past` entry when it has ended with
 * none. The notice rows make it once, even when several server processes sweep at the same time.
 */
export async function announceTermsDue(ctx: AppContext, orgId: string) {
  const { result } = await runCommand(ctx, orgId, async ({ tx, now, log }) => {
    let announced = 0;
    for (const term of await termsDueFor(tx, { id: orgId }, now)) {
      const { rows } = await tx.query(
        `INSERT INTO term_notices (org_id, assignment_id, state, noticed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [orgId, term.assignmentId, term.state, now],
      );
      if (rows.length === 0) continue;
      announced++;
      log({
        type: term.state === "past_term" ? "term.past" : "term.ending_soon",
        actor: null,
        payload: {
          assignmentId: term.assignmentId,
          roleId: term.roleId,
          circleId: term.role.circleId,
          memberId: term.memberId,
          endsAt: term.endsAt.toISOString(),
          nextStep: term.role.fillingPolicy,
        },
      });
    }
    return announced;
  });
  return result;
}

/** Announces the terms due in every organisation that has a term ending in the window or past its end. */
export async function announceAllTermsDue(ctx: AppContext) {
  const now = ctx.now();
  const { rows } = await ctx.db.query<{ org_id: string }>(
    `SELECT DISTINCT a.org_id FROM assignments a JOIN orgs o ON o.id = a.org_id AND o.archived_at IS NULL
     WHERE NOT a.shadow AND a.ends_at IS NOT NULL AND a.ends_at <= $1::timestamptz + make_interval(days => $2::int)`,
    [now, ENDING_SOON_DAYS],
  );
  let announced = 0;
  for (const { org_id } of rows) announced += await announceTermsDue(ctx, org_id);
  return announced;
}
