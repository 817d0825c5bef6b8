import { takesPartIn, type Viewer } from "../access.js";
import type { ProposalId } from "../consent/ids.js";
import { requireText } from "../consent/proposal.js";
import { conflict, forbidden, invalid, notFound } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { OrgSettings } from "../orgs.js";
import {
  assertCrisisEnd,
  type Crisis,
  type CrisisDecision,
  type CrisisGrant,
  endedAt,
  endReason,
  ratificationDeadline,
} from "./crisis.js";
import type { CrisisEvent, CrisisEventType } from "./events.js";
import type { CrisisDecisionId, CrisisId } from "./ids.js";
import { type CrisisRequest, crisisRefusal } from "./permissions.js";

/** A crisis after a command, and what happened, for the governance log. */
export interface CrisisTransition {
  crisis: Crisis;
  events: CrisisEvent[];
}

export interface NewCrisis {
  id: CrisisId;
  circleId: CircleId;
  /** Who records the grant: someone who takes part in the circle; for an expedited grant, one of the two granting. */
  actor: Viewer;
  holderId: MemberId;
  scope: string;
  endsAt: Date;
  grant: CrisisGrant;
  /** Members holding a leadership role in the circle now; an expedited grant needs two of them. */
  leaderIds?: readonly MemberId[];
  facilitatorIds: readonly MemberId[];
  settings: Pick<OrgSettings, "crisisMaxDays">;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

const event = (type: CrisisEventType, crisis: Crisis, payload: Record<string, unknown>): CrisisEvent => ({
  type,
  payload: { crisisId: crisis.id, circleId: crisis.circleId, ...payload },
});

function check(crisis: Crisis, request: CrisisRequest, now: Date) {
  const refused = crisisRefusal(crisis, request, now);
  if (refused) throw refused();
}

/**
 * Grants crisis authority to one member with a written scope and an end within the organisation's limit.
 * By consent, the app passes the adopted proposal; by the expedited rule, two distinct current leadership
 * role holders of the circle grant it, and the circle must ratify it within 72 hours.
 */
export function grantCrisis(input: NewCrisis, now: Date): CrisisTransition {
  if (!takesPartIn(input.actor, input.circleId)) throw forbidden("grant crisis authority in this circle");
  if (input.grant.by === "expedited") {
    const [first, second] = input.grant.grantedBy;
    if (first === second)
      throw invalid("An expedited grant needs two different leaders", { field: "grant.grantedBy" });
    const leaders = input.leaderIds ?? [];
    if (!leaders.includes(first) || !leaders.includes(second))
      throw forbidden("grant expedited crisis authority without two of the circle's leaders");
    if (!input.grant.grantedBy.includes(input.actor.memberId))
      throw forbidden("record an expedited grant you are not part of");
  }
  const scope = requireText(input.scope, "scope", "The scope");
  assertCrisisEnd(input.endsAt, now, input.settings);
  const crisis: Crisis = {
    id: input.id,
    circleId: input.circleId,
    holderId: input.holderId,
    scope,
    facilitatorIds: input.facilitatorIds,
    grant: input.grant,
    grantedAt: now,
    endsAt: input.endsAt,
    ratification: null,
    extensions: [],
    release: null,
    endNotedAt: null,
    decisions: [],
  };
  return {
    crisis,
    events: [
      event("crisis.granted", crisis, {
        holderId: crisis.holderId,
        scope,
        endsAt: iso(crisis.endsAt),
        ...crisis.grant,
        ratifyBy: iso(ratificationDeadline(crisis)),
      }),
    ],
  };
}

/** The circle ratified an expedited grant by consent, within 72 hours and while it lasts. */
export function ratifyGrant(crisis: Crisis, proposalId: ProposalId, now: Date): CrisisTransition {
  check(crisis, { type: "ratifyGrant" }, now);
  const ratified = { ...crisis, ratification: { proposalId, at: now } };
  return { crisis: ratified, events: [event("crisis.ratified", ratified, { proposalId })] };
}

/**
 * The circle consented afresh to a later end. The new end is counted against the organisation's limit
 * from now, and each consent extends once.
 */
export function extend(
  crisis: Crisis,
  input: { proposalId: ProposalId; endsAt: Date; settings: Pick<OrgSettings, "crisisMaxDays"> },
  now: Date,
): CrisisTransition {
  check(crisis, { type: "extend" }, now);
  if (consentsUsed(crisis).includes(input.proposalId))
    throw conflict("Extending needs a fresh consent; this one has been used", {
      proposalId: input.proposalId,
    });
  if (input.endsAt.getTime() <= crisis.endsAt.getTime())
    throw invalid("An extension ends later than the current end", {
      field: "endsAt",
      endsAt: crisis.endsAt.toISOString(),
    });
  assertCrisisEnd(input.endsAt, now, input.settings);
  const extension = {
    proposalId: input.proposalId,
    previousEndsAt: crisis.endsAt,
    endsAt: input.endsAt,
    at: now,
  };
  const extended = { ...crisis, endsAt: input.endsAt, extensions: [...crisis.extensions, extension] };
  return {
    crisis: extended,
    events: [
      event("crisis.extended", extended, {
        proposalId: input.proposalId,
        previousEndsAt: iso(extension.previousEndsAt),
        endsAt: iso(extension.endsAt),
      }),
    ],
  };
}

function consentsUsed(crisis: Crisis): ProposalId[] {
  return [
    ...(crisis.grant.by === "consent" ? [crisis.grant.proposalId] : []),
    ...(crisis.ratification ? [crisis.ratification.proposalId] : []),
    ...crisis.extensions.map((e) => e.proposalId),
  ];
}

/** The holder records a decision within the scope, without a consent round, while the authority is active. */
export function recordCrisisDecision(
  crisis: Crisis,
  input: { actor: Viewer; decisionId: CrisisDecisionId; text: string },
  now: Date,
): CrisisTransition {
  check(crisis, { type: "recordDecision", actor: input.actor }, now);
  if (crisis.decisions.some((d) => d.id === input.decisionId))
    throw conflict("This crisis decision has already been recorded", { decisionId: input.decisionId });
  const decision: CrisisDecision = {
    id: input.decisionId,
    text: requireText(input.text, "text", "A crisis decision"),
    by: input.actor.memberId,
    at: now,
    resolution: null,
  };
  const recorded = { ...crisis, decisions: [...crisis.decisions, decision] };
  return {
    crisis: recorded,
    events: [
      event("crisis.decision_recorded", recorded, {
        decisionId: decision.id,
        by: decision.by,
        text: decision.text,
      }),
    ],
  };
}

/**
 * The holder or the circle's facilitator hands the authority back early. The end is known at once, so it
 * is noted in the same step (see `endCrisis`).
 */
export function release(crisis: Crisis, actor: Viewer, now: Date): CrisisTransition {
  check(crisis, { type: "release", actor }, now);
  const released = { ...crisis, release: { by: actor.memberId, at: now } };
  const ended = endCrisis(released, now);
  return {
    crisis: ended.crisis,
    events: [event("crisis.released", released, { by: actor.memberId }), ...ended.events],
  };
}

/**
 * Notes that the authority has ended and asks for a reflection cycle on the crisis, so authority returns
 * to the circle. The end itself is already true at `endedAt`; this only records it once, when the app
 * first sees it.
 */
export function endCrisis(crisis: Crisis, now: Date): CrisisTransition {
  check(crisis, { type: "end" }, now);
  const noted = { ...crisis, endNotedAt: now };
  return {
    crisis: noted,
    events: [
      event("crisis.ended", noted, {
        endedAt: iso(endedAt(noted)),
        reason: endReason(noted),
        openReflection: true,
        decisionsToRatify: noted.decisions.filter((d) => d.resolution === null).map((d) => d.id),
      }),
    ],
  };
}

/** After the authority has ended, the circle ratifies or revokes one crisis decision by consent. */
export function resolveCrisisDecision(
  crisis: Crisis,
  input: { decisionId: CrisisDecisionId; outcome: "ratified" | "revoked"; proposalId: ProposalId },
  now: Date,
): CrisisTransition {
  const decision = crisis.decisions.find((d) => d.id === input.decisionId);
  if (!decision) throw notFound("Crisis decision", input.decisionId);
  check(crisis, { type: "resolveDecision", decision }, now);
  const resolution = { outcome: input.outcome, proposalId: input.proposalId, at: now };
  const resolved = {
    ...crisis,
    decisions: crisis.decisions.map((d) => (d.id === decision.id ? { ...d, resolution } : d)),
  };
  return {
    crisis: resolved,
    events: [
      event("crisis.decision_resolved", resolved, {
        decisionId: decision.id,
        outcome: input.outcome,
        proposalId: input.proposalId,
      }),
    ],
  };
}
