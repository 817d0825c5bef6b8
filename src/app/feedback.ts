import type { Viewer } from "../core/access.js";
import type { ProposalId } from "../core/consent/ids.js";
import { conflict, forbidden, invalid, notFound } from "../core/errors.js";
import {
  assertMayRequestReview,
  assertReview,
  cleanReviewGroup,
  feedbackText,
  type PerformanceReview,
  type PlanOutcome,
  type ReviewId,
  readsFeedback,
} from "../core/feedback.js";
import type { AssignmentId, CircleId, MemberId, RoleId } from "../core/ids.js";
import { isUniqueViolation, type Queryable } from "../db/database.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";
import { createProposalWith } from "./proposals/commands.js";

/** A review with where its current plan stands (read from the proposals, never copied). */
export interface ReviewRecord {
  review: PerformanceReview;
  plan: PlanOutcome | null;
}

interface ReviewRow {
  id: ReviewId;
  holder_id: MemberId;
  assignment_id: AssignmentId;
  role_id: RoleId;
  circle_id: CircleId;
  reviewer_ids: MemberId[];
  note: string;
  requested_at: Date;
  answered_by: MemberId[];
  plans: { proposalId: ProposalId; at: string }[];
  plan_state: PlanOutcome["state"] | null;
  plan_participants: MemberId[] | null;
}

/** Reviews with who has answered, the plans drafted, and the current plan's state and latest round. */
const SELECT_REVIEWS = `
SELECT r.*,
  ARRAY(SELECT a.reviewer_id::text FROM feedback_answers a
        WHERE a.org_id = r.org_id AND a.review_id = r.id ORDER BY a.answered_at, a.reviewer_id) AS answered_by,
  coalesce((SELECT json_agg(json_build_object('proposalId', p.proposal_id, 'at', p.drafted_at) ORDER BY p.drafted_at, p.proposal_id)
            FROM review_plans p WHERE p.org_id = r.org_id AND p.review_id = r.id), '[]') AS plans,
  plan.state AS plan_state, plan.participants AS plan_participants
FROM performance_reviews r
LEFT JOIN LATERAL (
  SELECT pr.state, (SELECT rd.participants FROM proposal_rounds rd
                    WHERE rd.org_id = pr.org_id AND rd.proposal_id = pr.id ORDER BY rd.number DESC LIMIT 1) AS participants
  FROM review_plans rp JOIN proposals pr ON pr.org_id = rp.org_id AND pr.id = rp.proposal_id
  WHERE rp.org_id = r.org_id AND rp.review_id = r.id ORDER BY rp.drafted_at DESC, rp.proposal_id DESC LIMIT 1
) plan ON true`;

const toRecord = (row: ReviewRow): ReviewRecord => ({
  review: {
    id: row.id,
    holderId: row.holder_id,
    assignmentId: row.assignment_id,
    roleId: row.role_id,
    circleId: row.circle_id,
    reviewerIds: row.reviewer_ids,
    note: row.note,
    requestedAt: row.requested_at,
    answeredBy: row.answered_by,
    plans: row.plans.map((p) => ({ proposalId: p.proposalId, at: new Date(p.at) })),
  },
  plan: row.plan_state === null ? null : { state: row.plan_state, participants: row.plan_participants ?? [] },
});

async function loadReview(db: Queryable, orgId: string, reviewId: string, lock = false) {
  if (lock)
    await db.query("SELECT 1 FROM performance_reviews WHERE org_id = $1 AND id = $2 FOR UPDATE", [
      orgId,
      reviewId,
    ]);
  const { rows } = await db.query<ReviewRow>(`${SELECT_REVIEWS} WHERE r.org_id = $1 AND r.id = $2`, [
    orgId,
    reviewId,
  ]);
  const row = rows[0];
  if (!row) throw notFound("Performance review", reviewId);
  return toRecord(row);
}

/** Reviewers are active members of the organisation who can act (observers give no feedback). */
async function assertReviewers(db: Queryable, orgId: string, reviewerIds: readonly string[]) {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM members WHERE org_id = $1 AND id = ANY($2::uuid[]) AND archived_at IS NULL AND access <> 'observer'`,
    [orgId, reviewerIds],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = reviewerIds.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw invalid("Reviewers are active members of the organisation, not observers", {
      field: "reviewerIds",
      missing,
    });
}

export interface RequestReviewInput {
  assignmentId: string;
  reviewerIds: string[];
  note?: string | undefined;
}

/** A role holder asks named people for feedback on one of their terms. */
export async function requestReview(ctx: AppContext, org: Org, viewer: Viewer, input: RequestReviewInput) {
  const id = ctx.newId() as ReviewId;
  await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const { rows } = await tx.query<{
      member_id: MemberId;
      role_id: RoleId;
      circle_id: CircleId;
      starts_at: Date;
      shadow: boolean;
    }>(
      `SELECT a.member_id, a.role_id, r.circle_id, a.starts_at, a.shadow FROM assignments a
         JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       WHERE a.org_id = $1 AND a.id = $2`,
      [org.id, input.assignmentId],
    );
    const term = rows[0];
    if (!term) throw invalid("No such role term", { field: "assignmentId" });
    assertMayRequestReview(
      viewer,
      { memberId: term.member_id, startsAt: term.starts_at, shadow: term.shadow },
      now,
    );
    const reviewerIds = cleanReviewGroup(viewer.memberId, input.reviewerIds as MemberId[]);
    await assertReviewers(tx, org.id, reviewerIds);
    await tx.query(
      `INSERT INTO performance_reviews (org_id, id, assignment_id, holder_id, role_id, circle_id, reviewer_ids, note, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [
        org.id,
        id,
        input.assignmentId,
        viewer.memberId,
        term.role_id,
        term.circle_id,
        JSON.stringify(reviewerIds),
        input.note?.trim() ?? "",
        now,
      ],
    );
    // Who is asked is open, like any governance; what they answer never enters the log.
    log({
      type: "feedback.requested",
      actor: viewer.memberId,
      payload: {
        reviewId: id,
        assignmentId: input.assignmentId,
        roleId: term.role_id,
        circleId: term.circle_id,
        reviewerIds,
      },
    });
  });
  return loadReview(ctx.db, org.id, id);
}

/** A member of the review group gives their feedback, once. */
export async function answerReview(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  reviewId: string,
  text: string,
) {
  try {
    await runCommand(ctx, org.id, async ({ tx, now, log }) => {
      const { review, plan } = await loadReview(tx, org.id, reviewId, true);
      assertReview(review, plan, { type: "answer", actor: viewer });
      await tx.query(
        `INSERT INTO feedback_answers (org_id, review_id, reviewer_id, text, answered_at) VALUES ($1, $2, $3, $4, $5)`,
        [org.id, reviewId, viewer.memberId, feedbackText(text), now],
      );
      log({
        type: "feedback.answered",
        actor: viewer.memberId,
        payload: { reviewId, circleId: review.circleId, reviewerId: viewer.memberId },
      });
    });
  } catch (error) {
    // Two answers from one reviewer at once: the second finds the first under the primary key.
    if (isUniqueViolation(error)) throw conflict("You have already given your feedback", { reviewId });
    throw error;
  }
  return loadReview(ctx.db, org.id, reviewId);
}

export interface DraftPlanInput {
  title?: string | undefined;
  text: string;
}

/**
 * The holder drafts the improvement plan: a consent proposal in the role's circle, linked to the review.
 * The circle's facilitator holds its round among the review group (`advance` with their ids as
 * participants); once the group adopts it, the review is complete.
 */
export async function draftImprovementPlan(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  reviewId: string,
  input: DraftPlanInput,
) {
  const { review } = await readReview(ctx.db, org, reviewId);
  const proposal = await createProposalWith(
    ctx,
    org,
    viewer,
    {
      circleId: review.circleId,
      title: input.title ?? "Improvement plan",
      text: input.text,
      method: { kind: "consent" },
    },
    {
      guard: async ({ tx }) => {
        const current = await loadReview(tx, org.id, reviewId, true);
        assertReview(current.review, current.plan, { type: "draftPlan", actor: viewer });
      },
      after: async ({ tx, now, log }, drafted) => {
        await tx.query(
          "INSERT INTO review_plans (org_id, review_id, proposal_id, drafted_at) VALUES ($1, $2, $3, $4)",
          [org.id, reviewId, drafted.id, now],
        );
        log({
          type: "feedback.plan_drafted",
          actor: viewer.memberId,
          payload: { reviewId, circleId: review.circleId, proposalId: drafted.id },
        });
      },
    },
  );
  return { record: await loadReview(ctx.db, org.id, reviewId), proposalId: proposal.id };
}

// Reads. That a review happens, who is asked and who has answered are open to the organisation (the log
// carries them too); what anyone answered is read by the holder and the review group only.

export const readReview = (db: Queryable, org: Org, reviewId: string) => loadReview(db, org.id, reviewId);

export interface FeedbackAnswer {
  reviewerId: MemberId;
  text: string;
  answeredAt: Date;
}

export async function readAnswers(db: Queryable, org: Org, viewer: Viewer, reviewId: string) {
  const { review } = await loadReview(db, org.id, reviewId);
  if (!readsFeedback(viewer, review)) throw forbidden("read the feedback of this review");
  const { rows } = await db.query<{ reviewer_id: MemberId; text: string; answered_at: Date }>(
    `SELECT reviewer_id, text, answered_at FROM feedback_answers WHERE org_id = $1 AND review_id = $2
     ORDER BY answered_at, reviewer_id`,
    [org.id, reviewId],
  );
  return rows.map(
    (r): FeedbackAnswer => ({ reviewerId: r.reviewer_id, text: r.text, answeredAt: r.answered_at }),
  );
}

export interface ReviewFilter {
  holderId?: string | undefined;
  reviewerId?: string | undefined;
  roleId?: string | undefined;
  limit: number;
  offset: number;
}

/** Reviews, most recently requested first. */
export async function listReviews(db: Queryable, org: Org, filter: ReviewFilter) {
  const { rows } = await db.query<ReviewRow>(
    `${SELECT_REVIEWS} WHERE r.org_id = $1 AND ($2::uuid IS NULL OR r.holder_id = $2)
       AND ($3::text IS NULL OR r.reviewer_ids ? $3) AND ($4::uuid IS NULL OR r.role_id = $4)
     ORDER BY r.requested_at DESC, r.id LIMIT $5 OFFSET $6`,
    [
      org.id,
      filter.holderId ?? null,
      filter.reviewerId ?? null,
      filter.roleId ?? null,
      filter.limit + 1,
      filter.offset,
    ],
  );
  return { reviews: rows.slice(0, filter.limit).map(toRecord), hasMore: rows.length > filter.limit };
}
