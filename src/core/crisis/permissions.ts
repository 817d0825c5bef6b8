import { canWrite, takesPartIn, type Viewer } from "../access.js";
import { invalidTransition, notAllowed, type Refusal } from "../refusal.js";
import {
  activeAt,
  type Crisis,
  type CrisisDecision,
  decisionsAwaitingRatification,
  endedAt,
  endReason,
  lastRecordedAt,
} from "./crisis.js";

/**
 * What is being asked of a crisis. Ratifying, extending and judging decisions carry no actor: each is the
 * outcome of a consent proposal the circle adopted, and the consent process has already checked who took part.
 */
export type CrisisRequest =
  | { type: "recordDecision"; actor: Viewer }
  | { type: "release"; actor: Viewer }
  | { type: "ratifyGrant" }
  | { type: "extend" }
  | { type: "resolveDecision"; decision: CrisisDecision }
  | { type: "end" };

/**
 * Why a request may not be made now, or null when it may: time first (the authority's end is derived
 * from the record, never from a job), then who asks. The one place these rules live: the transitions
 * enforce them and `crisisPermissions` reports them.
 */
export function crisisRefusal(crisis: Crisis, request: CrisisRequest, now: Date): Refusal | null {
  const ended = now.getTime() >= endedAt(crisis).getTime();
  const details = {
    command: request.type,
    endedAt: endedAt(crisis).toISOString(),
    ...(ended ? { endReason: endReason(crisis) } : {}),
  };
  // Events are kept in the order they happened; a clock that runs behind must not rewrite that history.
  if (now.getTime() < lastRecordedAt(crisis).getTime())
    return invalidTransition("Something later has already been recorded on this crisis", details);
  switch (request.type) {
    case "recordDecision":
      if (!activeAt(crisis, now)) return invalidTransition("The crisis authority is not active", details);
      return isHolder(request.actor, crisis) ? null : notAllowed("record a crisis decision");
    case "release":
      if (!activeAt(crisis, now)) return invalidTransition("The crisis authority is not active", details);
      // Ending at the very moment of a crisis decision would leave that decision at, not before, the end.
      if (crisis.decisions.some((d) => d.at.getTime() === now.getTime()))
        return invalidTransition("A crisis decision was recorded at this moment; release after it", details);
      return isHolder(request.actor, crisis) || isFacilitator(request.actor, crisis)
        ? null
        : notAllowed("release the crisis authority");
    case "ratifyGrant":
      if (crisis.grant.by !== "expedited")
        return invalidTransition("Only an expedited grant needs ratifying", details);
      if (crisis.ratification !== null)
        return invalidTransition("This grant has already been ratified", details);
      if (!activeAt(crisis, now))
        return invalidTransition("The crisis authority has ended; it can no longer be ratified", details);
      return null;
    case "extend":
      if (!activeAt(crisis, now))
        return invalidTransition("The crisis authority has ended; a new grant is needed", details);
      if (crisis.grant.by === "expedited" && crisis.ratification === null)
        return invalidTransition("Ratify the expedited grant before extending it", details);
      return null;
    case "resolveDecision":
      if (!ended)
        return invalidTransition(
          "Crisis decisions are ratified or revoked once the authority has ended",
          details,
        );
      if (request.decision.resolution !== null)
        return invalidTransition("This crisis decision has already been judged", {
          ...details,
          decisionId: request.decision.id,
        });
      return null;
    case "end":
      if (!ended) return invalidTransition("The crisis authority has not ended yet", details);
      if (crisis.endNotedAt !== null) return invalidTransition("The end has already been noted", details);
      return null;
  }
}

const isHolder = (viewer: Viewer, crisis: Crisis) => canWrite(viewer) && viewer.memberId === crisis.holderId;
const isFacilitator = (viewer: Viewer, crisis: Crisis) =>
  canWrite(viewer) && crisis.facilitatorIds.includes(viewer.memberId);

const allowed = (crisis: Crisis, request: CrisisRequest, now: Date) =>
  crisisRefusal(crisis, request, now) === null;

/**
 * The `can` object of a crisis for one viewer. Ratifying, extending and judging the decisions take a
 * consent proposal, so those say whether the viewer may put one to the circle now.
 */
export function crisisPermissions(viewer: Viewer, crisis: Crisis, now: Date) {
  const proposes = takesPartIn(viewer, crisis.circleId);
  return {
    recordDecision: allowed(crisis, { type: "recordDecision", actor: viewer }, now),
    release: allowed(crisis, { type: "release", actor: viewer }, now),
    proposeRatification: proposes && allowed(crisis, { type: "ratifyGrant" }, now),
    proposeExtension: proposes && allowed(crisis, { type: "extend" }, now),
    proposeDecisionReview: proposes && decisionsAwaitingRatification(crisis, now).length > 0,
  };
}
