import { takesPartIn, type Viewer } from "../core/access.js";
import type { ProposalId } from "../core/consent/ids.js";
import {
  type Crisis,
  type CrisisGrant,
  type CrisisState,
  decisionsAwaitingRatification,
  endedAt,
  ratificationDeadline,
} from "../core/crisis/crisis.js";
import type { CrisisDecisionId, CrisisId } from "../core/crisis/ids.js";
import { crisisPermissions } from "../core/crisis/permissions.js";
import {
  type CrisisTransition,
  endCrisis,
  extend,
  grantCrisis,
  ratifyGrant,
  recordCrisisDecision,
  release,
  resolveCrisisDecision,
} from "../core/crisis/transition.js";
import { conflict, forbidden, invalid, notFound } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";
import { openCrisisReview } from "./cycles.js";
import { type Stored, storedDate } from "./json-document.js";
import type { Org } from "./orgs.js";

// Storage: the core's `Crisis` as a jsonb document, without the facilitators (they are whoever holds the
// circle's facilitator role when the crisis is read, so they are loaded, never stored).

type CrisisDocument = Stored<Omit<Crisis, "facilitatorIds">>;

function reviveCrisis(document: CrisisDocument, facilitatorIds: readonly MemberId[]): Crisis {
  return {
    ...document,
    grant: document.grant as CrisisGrant,
    facilitatorIds,
    grantedAt: storedDate(document.grantedAt),
    endsAt: storedDate(document.endsAt),
    ratification: document.ratification && {
      ...document.ratification,
      at: storedDate(document.ratification.at),
    },
    extensions: document.extensions.map((e) => ({
      ...e,
      previousEndsAt: storedDate(e.previousEndsAt),
      endsAt: storedDate(e.endsAt),
      at: storedDate(e.at),
    })),
    release: document.release && { ...document.release, at: storedDate(document.release.at) },
    endNotedAt: document.endNotedAt === null ? null : storedDate(document.endNotedAt),
    decisions: document.decisions.map((d) => ({
      ...d,
      at: storedDate(d.at),
      resolution: d.resolution && { ...d.resolution, at: storedDate(d.resolution.at) },
    })),
  };
}

const documentOf = ({ facilitatorIds: _loaded, ...crisis }: Crisis) => JSON.stringify(crisis);

/** The crisis row with the circle's facilitators at `$2` (the moment the crisis is read at). */
const SELECT_CRISES = `
SELECT c.document, ARRAY(
  SELECT a.member_id::text FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
  WHERE r.org_id = c.org_id AND r.circle_id = c.circle_id AND r.kind = 'facilitator' AND r.archived_at IS NULL
    AND NOT a.shadow AND a.starts_at <= $2 AND (a.ends_at IS NULL OR a.ends_at > $2)
  ORDER BY a.starts_at, a.id) AS facilitator_ids
FROM crises c`;

interface CrisisRow {
  document: CrisisDocument;
  facilitator_ids: MemberId[];
}

const toCrisis = (row: CrisisRow) => reviveCrisis(row.document, row.facilitator_ids);

async function loadCrisis(db: Queryable, orgId: string, crisisId: string, now: Date, lock = false) {
  const { rows } = await db.query<CrisisRow>(
    `${SELECT_CRISES} WHERE c.org_id = $1 AND c.id = $3 ${lock ? "FOR UPDATE OF c" : ""}`,
    [orgId, now, crisisId],
  );
  const row = rows[0];
  if (!row) throw notFound("Crisis", crisisId);
  return toCrisis(row);
}

async function insertCrisis(tx: Queryable, orgId: string, crisis: Crisis, now: Date) {
  await tx.query(
    `INSERT INTO crises (org_id, id, circle_id, holder_id, ends_at, ended_logged_at, document, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, NULL, $6::jsonb, $7, $7)`,
    [orgId, crisis.id, crisis.circleId, crisis.holderId, endedAt(crisis), documentOf(crisis), now],
  );
}

async function saveCrisis(tx: Queryable, orgId: string, crisis: Crisis, now: Date) {
  await tx.query(
    `UPDATE crises SET document = $3::jsonb, ends_at = $4, ended_logged_at = $5, updated_at = $6
     WHERE org_id = $1 AND id = $2`,
    [orgId, crisis.id, documentOf(crisis), endedAt(crisis), crisis.endNotedAt, now],
  );
}

/** Current holders of the circle's leadership roles (facilitator, leader, delegate, secretary, or flagged). */
async function circleLeadership(db: Queryable, orgId: string, circleId: string, now: Date) {
  const { rows } = await db.query<{ member_id: MemberId; kind: string }>(
    `SELECT a.member_id, r.kind FROM assignments a
       JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
     WHERE r.org_id = $1 AND r.circle_id = $2 AND r.archived_at IS NULL AND m.archived_at IS NULL AND NOT a.shadow
       AND (r.leadership OR r.kind IN ('facilitator', 'leader', 'delegate', 'secretary'))
       AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)
     ORDER BY a.starts_at, a.id`,
    [orgId, circleId, now],
  );
  return {
    leaderIds: [...new Set(rows.map((r) => r.member_id))],
    facilitatorIds: rows.filter((r) => r.kind === "facilitator").map((r) => r.member_id),
  };
}

async function assertActiveCircle(db: Queryable, orgId: string, circleId: string) {
  const { rows } = await db.query(
    "SELECT 1 FROM circles WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
    [orgId, circleId],
  );
  if (rows.length === 0) throw notFound("Circle", circleId);
}

/** Crisis authority goes to someone who can act: an active member of the organisation, not an observer. */
async function assertCanHold(db: Queryable, orgId: string, memberId: string) {
  const { rows } = await db.query(
    "SELECT 1 FROM members WHERE org_id = $1 AND id = $2 AND archived_at IS NULL AND access <> 'observer'",
    [orgId, memberId],
  );
  if (rows.length === 0)
    throw invalid("Crisis authority goes to an active member who is not an observer", { field: "holderId" });
}

/**
 * "By consent" means a proposal of the same circle that the circle adopted by consent (or consensus,
 * where any block stops it): advice and votes are not the circle's consent. `since` keeps a consent
 * given before the crisis existed from being passed off as one about it.
 */
async function assertAdoptedConsent(
  db: Queryable,
  orgId: string,
  proposalId: string,
  circleId: string,
  since: Date | null,
) {
  const { rows } = await db.query<{
    state: string;
    circle_id: string;
    method: string;
    adopted_at: Date | null;
  }>(
    `SELECT p.state, p.circle_id, p.method ->> 'kind' AS method, d.adopted_at FROM proposals p
       LEFT JOIN decisions d ON d.org_id = p.org_id AND d.proposal_id = p.id
     WHERE p.org_id = $1 AND p.id = $2`,
    [orgId, proposalId],
  );
  const proposal = rows[0];
  if (!proposal || proposal.circle_id !== circleId)
    throw invalid("The consent is a proposal of the crisis's circle", { field: "proposalId", proposalId });
  if (proposal.method !== "consent" && proposal.method !== "consensus")
    throw invalid("Crisis authority is decided by consent, not by advice or a vote", {
      field: "proposalId",
      method: proposal.method,
    });
  if (proposal.state !== "adopted" || !proposal.adopted_at)
    throw conflict("The circle has not adopted this proposal", { proposalId, state: proposal.state });
  if (since && proposal.adopted_at.getTime() < since.getTime())
    throw conflict("This consent was given before the crisis authority was granted", {
      proposalId,
      adoptedAt: proposal.adopted_at.toISOString(),
    });
}

/** A consent grants, ratifies or extends crisis authority once: another crisis may not reuse it. */
async function assertConsentUnused(db: Queryable, orgId: string, proposalId: string) {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM crises WHERE org_id = $1 AND (
       document #>> '{grant,proposalId}' = $2 OR document #>> '{ratification,proposalId}' = $2
       OR document -> 'extensions' @> jsonb_build_array(jsonb_build_object('proposalId', $2::text)))
     LIMIT 1`,
    [orgId, proposalId],
  );
  const used = rows[0];
  if (used)
    throw conflict("Crisis authority needs a fresh consent; this one has been used", {
      proposalId,
      crisisId: used.id,
    });
}

export interface GrantCrisisInput {
  circleId: string;
  holderId: string;
  scope: string;
  endsAt: Date;
  grant: { by: "consent"; proposalId: string } | { by: "expedited"; grantedBy: [string, string] };
}

/** A circle grants crisis authority, by a consent it adopted or by two of its leaders at once. */
export async function grantCrisisAuthority(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: GrantCrisisInput,
) {
  const id = ctx.newId() as CrisisId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    await assertActiveCircle(tx, org.id, input.circleId);
    const circleId = input.circleId as CircleId;
    const { leaderIds, facilitatorIds } = await circleLeadership(tx, org.id, circleId, now);
    const grant: CrisisGrant =
      input.grant.by === "consent"
        ? { by: "consent", proposalId: input.grant.proposalId as ProposalId }
        : { by: "expedited", grantedBy: input.grant.grantedBy as [MemberId, MemberId] };
    const { crisis, events } = grantCrisis(
      {
        id,
        circleId,
        actor: viewer,
        holderId: input.holderId as MemberId,
        scope: input.scope,
        endsAt: input.endsAt,
        grant,
        leaderIds,
        facilitatorIds,
        settings: org.settings,
      },
      now,
    );
    await assertCanHold(tx, org.id, crisis.holderId);
    if (grant.by === "consent") {
      await assertAdoptedConsent(tx, org.id, grant.proposalId, circleId, null);
      await assertConsentUnused(tx, org.id, grant.proposalId);
    }
    await insertCrisis(tx, org.id, crisis, now);
    logAll(log, viewer, { crisis, events });
    return crisis;
  });
  return result;
}

const logAll = (log: CommandScope["log"], actor: Viewer | null, { events }: CrisisTransition) => {
  for (const event of events)
    log({ type: event.type, actor: actor?.memberId ?? null, payload: event.payload });
};

/**
 * Runs one command on a crisis: lock its row, load it, let the core decide, save and log, in one
 * transaction. A refusal rolls everything back. A step that returns no events writes nothing.
 */
async function crisisCommand(
  ctx: AppContext,
  orgId: string,
  actor: Viewer | null,
  crisisId: string,
  step: (crisis: Crisis, scope: CommandScope) => Promise<CrisisTransition> | CrisisTransition,
) {
  const { result, entries } = await runCommand(ctx, orgId, async (scope) => {
    const crisis = await loadCrisis(scope.tx, orgId, crisisId, scope.now, true);
    const transition = await step(crisis, scope);
    if (transition.events.length === 0) return crisis;
    await saveCrisis(scope.tx, orgId, transition.crisis, scope.now);
    logAll(scope.log, actor, transition);
    // Authority returns to the circle as its end is noted: the reflection on the crisis opens with it.
    if (transition.events.some((event) => event.type === "crisis.ended"))
      await openCrisisReview(scope, orgId, transition.crisis, ctx.newId());
    return transition.crisis;
  });
  return { crisis: result, logged: entries.length > 0 };
}

/** Recording the outcome of the circle's consent is for those who take part in the circle. */
function assertTakesPart(viewer: Viewer, crisis: Crisis, action: string) {
  if (!takesPartIn(viewer, crisis.circleId)) throw forbidden(action);
}

export const recordDecision = (ctx: AppContext, org: Org, viewer: Viewer, crisisId: string, text: string) =>
  crisisCommand(ctx, org.id, viewer, crisisId, (crisis, { now }) =>
    recordCrisisDecision(crisis, { actor: viewer, decisionId: ctx.newId() as CrisisDecisionId, text }, now),
  );

export const releaseCrisis = (ctx: AppContext, org: Org, viewer: Viewer, crisisId: string) =>
  crisisCommand(ctx, org.id, viewer, crisisId, (crisis, { now }) => release(crisis, viewer, now));

/** The circle's consent ratifying an expedited grant, recorded by someone who takes part in the circle. */
export const ratifyCrisis = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  crisisId: string,
  proposalId: string,
) =>
  crisisCommand(ctx, org.id, viewer, crisisId, async (crisis, { tx, now }) => {
    assertTakesPart(viewer, crisis, "record the ratification of crisis authority");
    const ratified = ratifyGrant(crisis, proposalId as ProposalId, now);
    await assertAdoptedConsent(tx, org.id, proposalId, crisis.circleId, crisis.grantedAt);
    await assertConsentUnused(tx, org.id, proposalId);
    return ratified;
  });

/** A fresh consent of the circle moving the end later, within the organisation's limit. */
export const extendCrisis = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  crisisId: string,
  input: { proposalId: string; endsAt: Date },
) =>
  crisisCommand(ctx, org.id, viewer, crisisId, async (crisis, { tx, now }) => {
    assertTakesPart(viewer, crisis, "record the extension of crisis authority");
    const proposalId = input.proposalId as ProposalId;
    const extended = extend(crisis, { proposalId, endsAt: input.endsAt, settings: org.settings }, now);
    await assertAdoptedConsent(tx, org.id, proposalId, crisis.circleId, crisis.grantedAt);
    await assertConsentUnused(tx, org.id, proposalId);
    return extended;
  });

/**
 * After the authority has ended, the circle's consent ratifying or revoking one crisis decision. One
 * consent may judge several decisions of the same crisis (a circle often reviews them together).
 */
export const resolveDecision = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  crisisId: string,
  input: { decisionId: string; outcome: "ratified" | "revoked"; proposalId: string },
) =>
  crisisCommand(ctx, org.id, viewer, crisisId, async (crisis, { tx, now }) => {
    assertTakesPart(viewer, crisis, "record the circle's judgement of a crisis decision");
    const resolved = resolveCrisisDecision(
      crisis,
      {
        decisionId: input.decisionId as CrisisDecisionId,
        outcome: input.outcome,
        proposalId: input.proposalId as ProposalId,
      },
      now,
    );
    await assertAdoptedConsent(tx, org.id, input.proposalId, crisis.circleId, crisis.grantedAt);
    return resolved;
  });

/**
 * Logs `crisis.ended` for every crisis whose authority has ended and whose end is not logged yet, as the
 * system (no actor). The end is already true without this; it records the moment and asks for the
 * reflection. Each crisis is re-read under its row lock, so sweepers racing each other log it once.
 */
export async function endCrisesPastTheirTime(ctx: AppContext) {
  const { rows } = await ctx.db.query<{ org_id: string; id: string }>(
    "SELECT org_id, id FROM crises WHERE ended_logged_at IS NULL AND ends_at <= $1 ORDER BY ends_at LIMIT 500",
    [ctx.now()],
  );
  let ended = 0;
  for (const row of rows) {
    const { logged } = await crisisCommand(ctx, row.org_id, null, row.id, (crisis, { now }) =>
      crisis.endNotedAt === null && endedAt(crisis).getTime() <= now.getTime()
        ? endCrisis(crisis, now)
        : { crisis, events: [] },
    );
    if (logged) ended++;
  }
  return ended;
}

// Reads: crises are shown to every member of the organisation.

export async function readCrisis(db: Queryable, org: Org, crisisId: string, now: Date) {
  return loadCrisis(db, org.id, crisisId, now);
}

export interface CrisisFilter {
  circleId?: string | undefined;
  state?: CrisisState | undefined;
  limit: number;
  offset: number;
}

const AWAITING_RATIFICATION = `jsonb_path_exists(c.document, '$.decisions[*] ? (@.resolution == null)')`;
const STATE_CONDITION: Record<CrisisState, string> = {
  active: "c.ends_at > $2",
  under_review: `c.ends_at <= $2 AND ${AWAITING_RATIFICATION}`,
  closed: `c.ends_at <= $2 AND NOT ${AWAITING_RATIFICATION}`,
};

/** Active crises first, soonest to end first; then the ended ones, most recent end first. */
export async function listCrises(db: Queryable, org: Org, filter: CrisisFilter, now: Date) {
  const { rows } = await db.query<CrisisRow>(
    `${SELECT_CRISES} WHERE c.org_id = $1 AND ($3::uuid IS NULL OR c.circle_id = $3)
       ${filter.state ? `AND ${STATE_CONDITION[filter.state]}` : ""}
     ORDER BY c.ends_at <= $2, CASE WHEN c.ends_at > $2 THEN c.ends_at END, c.ends_at DESC, c.id
     LIMIT $4 OFFSET $5`,
    [org.id, now, filter.circleId ?? null, filter.limit + 1, filter.offset],
  );
  return { crises: rows.slice(0, filter.limit).map(toCrisis), hasMore: rows.length > filter.limit };
}

export interface CrisisAttentionItem {
  kind: "ratify_crisis_grant" | "ratify_crisis_decision";
  crisisId: string;
  circleId: string;
  title: string;
  /** What is asked, in a sentence. */
  reason: string;
  due: Date | null;
}

const titleOf = (crisis: Crisis) => {
  const firstLine = crisis.scope.split("\n")[0] ?? "";
  return `Crisis authority: ${firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine}`;
};

/**
 * What crisis authority asks of the viewer's circles: an expedited grant to ratify by consent before it
 * lapses, and, once the authority has ended, crisis decisions the circle has yet to ratify or revoke.
 */
export async function crisisAttention(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  now: Date,
): Promise<CrisisAttentionItem[]> {
  const { rows } = await db.query<CrisisRow>(
    `${SELECT_CRISES} WHERE c.org_id = $1 AND c.circle_id = ANY($3::uuid[])
       AND ((c.ends_at > $2 AND c.document #> '{grant,by}' = '"expedited"' AND c.document -> 'ratification' = 'null')
         OR (c.ends_at <= $2 AND ${AWAITING_RATIFICATION}))
     ORDER BY c.ends_at, c.id`,
    [org.id, now, [...viewer.circleIds]],
  );
  return rows.flatMap((row): CrisisAttentionItem[] => {
    const crisis = toCrisis(row);
    const can = crisisPermissions(viewer, crisis, now);
    const about = { crisisId: crisis.id, circleId: crisis.circleId, title: titleOf(crisis) };
    if (can.proposeRatification)
      return [
        {
          kind: "ratify_crisis_grant",
          ...about,
          reason: "An expedited grant: ratify it by consent within 72 hours or it ends",
          due: ratificationDeadline(crisis),
        },
      ];
    if (can.proposeDecisionReview) {
      const waiting = decisionsAwaitingRatification(crisis, now).length;
      const reason =
        waiting === 1
          ? "A crisis decision waits for the circle to ratify or revoke it by consent"
          : `${waiting} crisis decisions wait for the circle to ratify or revoke them by consent`;
      return [{ kind: "ratify_crisis_decision", ...about, reason, due: null }];
    }
    return [];
  });
}
