import { takesPartIn, type Viewer } from "../access.js";
import { conflict, DomainError, forbidden } from "../errors.js";
import type { OrgSettings } from "../orgs.js";
import { isDueForReview } from "./decision.js";
import type { Proposal } from "./proposal.js";

/**
 * Whether a viewer reads a circle's governance (its proposals, rounds and decisions): every member does;
 * an observer reads the circles they are in, and the others where the organisation allows it.
 */
export const readsCircleGovernance = (
  viewer: Viewer,
  circleId: Proposal["circleId"],
  settings: Pick<OrgSettings, "observersReadCircles">,
) => viewer.access !== "observer" || settings.observersReadCircles || viewer.circleIds.has(circleId);

/** The circles whose governance a viewer is limited to, or null when they read every circle's (for queries). */
export const governanceLimitedTo = (viewer: Viewer, settings: Pick<OrgSettings, "observersReadCircles">) =>
  viewer.access === "observer" && !settings.observersReadCircles ? viewer.circleIds : null;

/**
 * Who may read a proposal. A draft is its author's (and the facilitator's, who may present it); once
 * presented, governance is open to the organisation. Observers read the circles they are in, and
 * other circles' proposals where the organisation allows it.
 */
export function canReadProposal(
  viewer: Viewer,
  proposal: Pick<Proposal, "state" | "authorId" | "facilitatorIds" | "circleId">,
  settings: Pick<OrgSettings, "observersReadCircles">,
): boolean {
  if (proposal.state === "draft")
    return viewer.memberId === proposal.authorId || proposal.facilitatorIds.includes(viewer.memberId);
  return readsCircleGovernance(viewer, proposal.circleId, settings);
}

/** Why a decision cannot be reviewed now by this viewer, or null when it can. */
export function reviewRefusal(
  viewer: Viewer,
  decision: { circleId: Proposal["circleId"]; reviewAt: Date; status: "active" | "superseded" | "retired" },
  openReview: string | null,
  now: Date,
): DomainError | null {
  if (!takesPartIn(viewer, decision.circleId))
    return forbidden("review a decision of a circle you do not take part in");
  if (decision.status !== "active")
    return new DomainError("invalid_transition", `This decision has been ${decision.status}`, {
      status: decision.status,
    });
  if (!isDueForReview(decision, now))
    return new DomainError("invalid_transition", "This decision is not due for review yet", {
      reviewAt: decision.reviewAt.toISOString(),
    });
  if (openReview !== null)
    return conflict("A review of this decision is already open", { proposalId: openReview });
  return null;
}
