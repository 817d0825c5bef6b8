import type { FeedbackAnswer, ReviewRecord } from "../../app/feedback.js";
import type { Viewer } from "../../core/access.js";
import { readsFeedback, reviewPermissions, reviewState } from "../../core/feedback.js";

/**
 * A performance review. Who is asked and who has answered are open; the answers travel only to the
 * holder and the review group, and only when given (`answers` is null for everyone else).
 */
export function presentReview(
  { review, plan }: ReviewRecord,
  viewer: Viewer,
  answers: FeedbackAnswer[] | null,
) {
  const current = review.plans.at(-1) ?? null;
  return {
    id: review.id,
    holderId: review.holderId,
    assignmentId: review.assignmentId,
    roleId: review.roleId,
    circleId: review.circleId,
    reviewerIds: review.reviewerIds,
    note: review.note,
    requestedAt: review.requestedAt.toISOString(),
    answeredBy: review.answeredBy,
    waitingFor: review.reviewerIds.filter((id) => !review.answeredBy.includes(id)),
    state: reviewState(review, plan),
    plan: current && {
      proposalId: current.proposalId,
      draftedAt: current.at.toISOString(),
      proposalState: plan?.state ?? null,
      // The round the facilitator opens for the plan: the review group with the holder.
      roundParticipants: [review.holderId, ...review.reviewerIds],
    },
    earlierPlans: review.plans
      .slice(0, -1)
      .map((p) => ({ proposalId: p.proposalId, draftedAt: p.at.toISOString() })),
    answers: answers && readsFeedback(viewer, review) ? answers.map(presentAnswer) : null,
    can: reviewPermissions(viewer, review, plan),
  };
}

export const presentAnswer = (answer: FeedbackAnswer) => ({
  reviewerId: answer.reviewerId,
  text: answer.text,
  answeredAt: answer.answeredAt.toISOString(),
});
