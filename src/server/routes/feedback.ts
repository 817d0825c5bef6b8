import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  answerReview,
  draftImprovementPlan,
  listReviews,
  readAnswers,
  readReview,
  requestReview,
} from "../../app/feedback.js";
import { REVIEW_GROUP_MAX, readsFeedback } from "../../core/feedback.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentAnswer, presentReview } from "../presenters/feedback.js";
import { Body, Id, LongText, OrgRef, Paging, ShortText } from "../schemas.js";

const ReviewParams = Type.Object({ org: OrgRef, review: Id });

const ListQuery = Type.Object(
  {
    holderId: Type.Optional(Id),
    reviewerId: Type.Optional(Id),
    roleId: Type.Optional(Id),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const RequestBody = Body({
  assignmentId: Id,
  reviewerIds: Type.Array(Id, { minItems: 1, maxItems: REVIEW_GROUP_MAX, description: "The review group" }),
  note: Type.Optional(LongText(2_000)),
});
const AnswerBody = Body({ text: ShortText(10_000) });
const PlanBody = Body({ title: Type.Optional(ShortText(200)), text: ShortText(50_000) });

export async function feedbackRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["feedback"];
  r.get(
    "/orgs/:org/feedback",
    {
      schema: {
        tags,
        summary: "Performance reviews, most recent first (answers are read per review, by those allowed)",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { reviews, hasMore } = await listReviews(ctx.db, org, { ...filter, limit, offset });
      return { reviews: reviews.map((record) => presentReview(record, viewer, null)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/feedback",
    {
      schema: {
        tags,
        summary: "A role holder asks named people (the review group) for feedback on one of their terms",
        params: Type.Object({ org: OrgRef }),
        body: RequestBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const record = await requestReview(ctx, org, viewer, request.body);
      return reply.status(201).send(presentReview(record, viewer, []));
    },
  );

  r.get(
    "/orgs/:org/feedback/:review",
    {
      schema: {
        tags,
        summary: "A performance review; the answers are included for the holder and the review group only",
        params: ReviewParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const record = await readReview(ctx.db, org, request.params.review);
      const answers = readsFeedback(viewer, record.review)
        ? await readAnswers(ctx.db, org, viewer, record.review.id)
        : null;
      return presentReview(record, viewer, answers);
    },
  );

  r.get(
    "/orgs/:org/feedback/:review/answers",
    {
      schema: {
        tags,
        summary: "The feedback given: read by the holder and the review group, no one else (admins included)",
        params: ReviewParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const answers = await readAnswers(ctx.db, org, viewer, request.params.review);
      return { answers: answers.map(presentAnswer) };
    },
  );

  r.post(
    "/orgs/:org/feedback/:review/answers",
    {
      schema: {
        tags,
        summary: "A member of the review group gives their feedback on the term, once",
        params: ReviewParams,
        body: AnswerBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const record = await answerReview(ctx, org, viewer, request.params.review, request.body.text);
      const answers = await readAnswers(ctx.db, org, viewer, request.params.review);
      return reply.status(201).send(presentReview(record, viewer, answers));
    },
  );

  r.post(
    "/orgs/:org/feedback/:review/plan",
    {
      schema: {
        tags,
        summary:
          "The holder drafts the improvement plan: a consent proposal in the role's circle, whose round the facilitator holds among the review group; adopted, the review is complete",
        params: ReviewParams,
        body: PlanBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { record, proposalId } = await draftImprovementPlan(
        ctx,
        org,
        viewer,
        request.params.review,
        request.body,
      );
      const answers = await readAnswers(ctx.db, org, viewer, request.params.review);
      return reply.status(201).send({ proposalId, review: presentReview(record, viewer, answers) });
    },
  );
}
