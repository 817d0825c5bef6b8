import { termEnd } from "../core/assignments.js";
import type { Decision } from "../core/consent/decision.js";
import { conflict, DomainError } from "../core/errors.js";
import type { AssignmentId, CircleId, MemberId, RoleId } from "../core/ids.js";
import type { FillingPolicy } from "../core/roles.js";
import { assertTermLimit, type RoleTerms } from "../core/terms.js";
import type { Queryable } from "../db/database.js";
import type { NewLogEntry } from "../db/log.js";
import { type Assignment, assertActiveMembers, listAssignments } from "./assignments.js";

/**
 * What adopting a rotation proposal does: hand the role to the member proposed. Times are ISO strings;
 * a missing start means "from adoption", a missing end means `termDays` from the start.
 */
export interface AssignRolePayload {
  roleId: string;
  memberId: string;
  /** The id the new term will have (ids come with the command that proposed it). */
  assignmentId: string;
  startsAt: string | null;
  endsAt: string | null;
  termDays: number | null;
  source: "rotation";
  /** The score that made this member the top candidate, kept for the log. */
  score: number;
  parts: unknown[];
}

export interface HandOver {
  roleId: string;
  circleId: CircleId;
  memberId: string;
  assignmentId: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Hands a rotating role on: every term of the role still running at the new start ends there (ending
 * early is always allowed; nothing is ever extended) and the new holder's `rotation` term is recorded.
 * The caller has locked the role's row. Every check comes before the first write, so a refusal leaves
 * the transaction as it was. Returns the members whose terms were cut to the handover.
 */
export async function handOverRole(
  tx: Queryable,
  orgId: string,
  handOver: HandOver,
  scope: { now: Date; actor: string | null; log: (entry: NewLogEntry) => void },
) {
  const { roleId, circleId, memberId, assignmentId, startsAt, endsAt } = handOver;
  await assertActiveMembers(tx, orgId, [memberId]);
  const lined = (await listAssignments(tx, orgId, roleId)).find(
    (a) => !a.shadow && a.startsAt.getTime() >= startsAt.getTime(),
  );
  if (lined)
    throw conflict(`${lined.name} is already lined up to hold this role from ${day(lined.startsAt)}`, {
      assignmentId: lined.id,
      memberId: lined.memberId,
    });
  const { rows: ended } = await tx.query<{ id: string; member_id: string; ends_at: Date }>(
    `UPDATE assignments SET ends_at = $3
     WHERE org_id = $1 AND role_id = $2 AND NOT shadow AND starts_at < $3 AND (ends_at IS NULL OR ends_at > $3)
     RETURNING id, member_id, ends_at`,
    [orgId, roleId, startsAt],
  );
  for (const row of ended)
    scope.log({
      type: startsAt.getTime() <= scope.now.getTime() ? "assignment.ended" : "assignment.updated",
      actor: scope.actor,
      payload: {
        assignmentId: row.id,
        roleId,
        memberId: row.member_id,
        endsAt: row.ends_at.toISOString(),
        reason: "rotated",
      },
    });
  await tx.query(
    `INSERT INTO assignments (org_id, id, role_id, member_id, starts_at, ends_at, source, shadow, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'rotation', false, $7)`,
    [orgId, assignmentId, roleId, memberId, startsAt, endsAt, scope.now],
  );
  scope.log({
    type: "assignment.created",
    actor: scope.actor,
    payload: {
      assignmentId,
      roleId,
      circleId,
      memberId,
      source: "rotation",
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      shadow: false,
    },
  });
  return ended.map((row) => row.member_id);
}

/**
 * Carries out what an adopted proposal asks for beyond its decision, inside the transaction that
 * records the decision, and returns the log entries to append with it. An effect that can no longer be
 * carried out (the role archived, the member gone, someone else lined up, the term limit reached) is
 * left unapplied and explained in a `role.rotation_not_applied` entry: the decision itself stands.
 */
export async function applyProposalEffects(
  tx: Queryable,
  orgId: string,
  decision: Decision,
): Promise<NewLogEntry[]> {
  const { rows } = await tx.query<{ kind: "assign_role"; payload: AssignRolePayload }>(
    `SELECT kind, payload FROM proposal_effects WHERE org_id = $1 AND proposal_id = $2 AND applied_at IS NULL
     FOR UPDATE`,
    [orgId, decision.proposalId],
  );
  const effect = rows[0];
  if (!effect) return [];
  const entries: NewLogEntry[] = [];
  const log = (entry: NewLogEntry) => entries.push(entry);
  const payload = effect.payload;
  const at = decision.adoptedAt;
  try {
    const role = await lockRole(tx, orgId, payload.roleId);
    if (!role || role.archivedAt) throw conflict("The role has been archived", { roleId: payload.roleId });
    const requested = payload.startsAt === null ? at : new Date(payload.startsAt);
    const startsAt = requested.getTime() < at.getTime() ? at : requested;
    const endsAt = payload.endsAt === null ? termEnd(startsAt, payload.termDays) : new Date(payload.endsAt);
    if (endsAt === null || endsAt.getTime() <= startsAt.getTime())
      throw conflict("The term proposed was over before the proposal was adopted");
    const assignments = await listAssignments(tx, orgId, payload.roleId);
    assertTermLimit(roleTerms(role, assignments), payload.memberId as MemberId);
    const { assignmentId } = payload;
    const previousHolders = await handOverRole(
      tx,
      orgId,
      {
        roleId: role.id,
        circleId: role.circleId,
        memberId: payload.memberId,
        assignmentId,
        startsAt,
        endsAt,
      },
      { now: at, actor: null, log },
    );
    log({
      type: "role.rotated",
      actor: null,
      payload: {
        roleId: role.id,
        circleId: role.circleId,
        mode: "consent",
        proposalId: decision.proposalId,
        memberId: payload.memberId,
        assignmentId,
        previousHolders,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        score: payload.score,
        parts: payload.parts,
      },
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [
      {
        type: "role.rotation_not_applied",
        actor: null,
        payload: {
          roleId: payload.roleId,
          proposalId: decision.proposalId,
          memberId: payload.memberId,
          reason: error.message,
        },
      },
    ];
  }
  await tx.query("UPDATE proposal_effects SET applied_at = $3 WHERE org_id = $1 AND proposal_id = $2", [
    orgId,
    decision.proposalId,
    at,
  ]);
  return entries;
}

/** A date as a person reads it in a message: 2026-03-01. */
export const day = (date: Date) => date.toISOString().slice(0, 10);

/** A role's row, locked so that its terms change one handover at a time; null when there is none. */
export async function lockRole(tx: Queryable, orgId: string, roleId: string) {
  const { rows } = await tx.query<{
    circle_id: CircleId;
    filling_policy: FillingPolicy;
    term_days: number | null;
    max_consecutive_terms: number | null;
    archived_at: Date | null;
  }>(
    `SELECT circle_id, filling_policy, term_days, max_consecutive_terms, archived_at FROM roles
     WHERE org_id = $1 AND id = $2 FOR UPDATE`,
    [orgId, roleId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: roleId as RoleId,
    circleId: row.circle_id,
    fillingPolicy: row.filling_policy,
    termDays: row.term_days,
    maxConsecutiveTerms: row.max_consecutive_terms,
    archivedAt: row.archived_at,
  };
}

/** A role's terms as the core's term rules read them. */
export const roleTerms = (role: RoleTerms["role"], assignments: readonly Assignment[]): RoleTerms => ({
  role,
  assignments: assignments.map((a) => ({
    id: a.id as AssignmentId,
    memberId: a.memberId,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    shadow: a.shadow,
    source: a.source,
  })),
});
