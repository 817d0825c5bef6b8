import { canWrite, type Viewer } from "./access.js";
import type { ProposalId } from "./consent/ids.js";
import { requireText } from "./consent/proposal.js";
import { isFinal, type ProposalState } from "./consent/states.js";
import { conflict, DomainError, forbidden, invalid } from "./errors.js";
import type { AssignmentId, Brand, CircleId, MemberId, RoleId } from "./ids.js";
import type { Refusal } from "./refusal.js";

export type ReviewId = Brand<string, "ReviewId">;

/** The most people one review asks: a review group, not a survey. */
export const REVIEW_GROUP_MAX = 12;

/**
 * A sociocratic performance review of one role term: the holder names a review group, each member of it
 * gives feedback on the term, and the holder drafts an improvement plan that the group adopts by consent
 * (a consent proposal of the role's circle whose round the group holds).
 */
export interface PerformanceReview {
  id: ReviewId;
  holderId: MemberId;
  assignmentId: AssignmentId;
  roleId: RoleId;
  circleId: CircleId;
  reviewerIds: readonly MemberId[];
  /** What the holder would like feedback on. */
  note: string;
  requestedAt: Date;
  /** Who has answered; the answers themselves are read through `readsFeedback`. */
  answeredBy: readonly MemberId[];
  /** Improvement plans drafted, in order; the last one is the current one. */
  plans: readonly { proposalId: ProposalId; at: Date }[];
}

/** Where the current plan proposal stands, as the proposals read it. */
export interface PlanOutcome {
  state: ProposalState;
  /** The participants of its latest round, if one was held. */
  participants: readonly MemberId[];
}

/** Gathering feedback (no live plan), planning (the plan is before the group), or complete. */
export type ReviewState = "gathering" | "planning" | "complete";

/** A plan counts once adopted in a round the whole review group took part in. */
export const adoptedByGroup = (review: Pick<PerformanceReview, "reviewerIds">, plan: PlanOutcome) =>
  plan.state === "adopted" && review.reviewerIds.every((id) => plan.participants.includes(id));

/**
 * Where a review stands. A plan that ended any other way (withdrawn, lapsed, or adopted without the
 * group) leaves the review gathering again, for the holder to draft another.
 */
export function reviewState(review: PerformanceReview, plan: PlanOutcome | null): ReviewState {
  if (review.plans.length === 0 || plan === null) return "gathering";
  if (adoptedByGroup(review, plan)) return "complete";
  return isFinal(plan.state) ? "gathering" : "planning";
}

/** Who reads the feedback given: the holder and the review group, no one else (admins included). */
export const readsFeedback = (viewer: Viewer, review: Pick<PerformanceReview, "holderId" | "reviewerIds">) =>
  viewer.memberId === review.holderId || review.reviewerIds.includes(viewer.memberId);

/** The people a holder asks: at least one, each once, never themselves. */
export function cleanReviewGroup(holderId: MemberId, reviewerIds: readonly MemberId[]): MemberId[] {
  if (reviewerIds.length === 0 || reviewerIds.length > REVIEW_GROUP_MAX)
    throw invalid(`A review group has 1 to ${REVIEW_GROUP_MAX} people`, { field: "reviewerIds" });
  if (new Set(reviewerIds).size !== reviewerIds.length)
    throw invalid("Each reviewer is named once", { field: "reviewerIds" });
  if (reviewerIds.includes(holderId))
    throw invalid("The holder asks others for feedback, not themselves", { field: "reviewerIds" });
  return [...reviewerIds];
}

/** A term is reviewed by the one who holds (or held) it, once it has started; a shadow term is not reviewed. */
export function assertMayRequestReview(
  viewer: Viewer,
  term: { memberId: MemberId; startsAt: Date; shadow: boolean },
  now: Date,
) {
  if (!canWrite(viewer) || viewer.memberId !== term.memberId)
    throw forbidden("ask for feedback on someone else's term");
  if (term.shadow) throw invalid("A shadow term is not reviewed", { field: "assignmentId" });
  if (term.startsAt.getTime() > now.getTime())
    throw new DomainError("invalid_transition", "This term has not started yet", {
      startsAt: term.startsAt.toISOString(),
    });
}

export type ReviewRequest = { type: "answer"; actor: Viewer } | { type: "draftPlan"; actor: Viewer };

/**
 * Why a request may not be made now, or null when it may: feedback is given by the review group, once
 * each, while no plan is before the group; the plan is drafted by the holder once someone has answered.
 */
export function reviewRefusal(
  review: PerformanceReview,
  plan: PlanOutcome | null,
  request: ReviewRequest,
): Refusal | null {
  const state = reviewState(review, plan);
  const details = { command: request.type, state };
  const { actor } = request;
  if (request.type === "answer") {
    if (!canWrite(actor) || !review.reviewerIds.includes(actor.memberId))
      return () => forbidden("give feedback in this review");
    if (review.answeredBy.includes(actor.memberId))
      return () => conflict("You have already given your feedback", { reviewId: review.id });
    if (state !== "gathering")
      return () =>
        new DomainError("invalid_transition", "Feedback closed with the improvement plan", details);
    return null;
  }
  if (!canWrite(actor) || actor.memberId !== review.holderId)
    return () => forbidden("draft the improvement plan of someone else's review");
  if (state !== "gathering")
    return () => new DomainError("invalid_transition", `This review is ${state}`, details);
  if (review.answeredBy.length === 0)
    return () => new DomainError("invalid_transition", "Wait for feedback before drafting a plan", details);
  return null;
}

export function assertReview(review: PerformanceReview, plan: PlanOutcome | null, request: ReviewRequest) {
  const refused = reviewRefusal(review, plan, request);
  if (refused) throw refused();
}

/** Feedback is free text, never blank. */
export const feedbackText = (text: string) => requireText(text, "text", "Feedback");

/** The `can` object of a review. */
export function reviewPermissions(viewer: Viewer, review: PerformanceReview, plan: PlanOutcome | null) {
  return {
    answer: reviewRefusal(review, plan, { type: "answer", actor: viewer }) === null,
    readAnswers: readsFeedback(viewer, review),
    draftPlan: reviewRefusal(review, plan, { type: "draftPlan", actor: viewer }) === null,
  };
}
