import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { attentionFor } from "../../app/attention.js";
import type { AppContext } from "../../app/context.js";
import { reviewDecision } from "../../app/proposals/commands.js";
import { getDecision, listDecisions } from "../../app/proposals/queries.js";
import { governanceLimitedTo, readsCircleGovernance } from "../../core/consent/reading.js";
import { notFound } from "../../core/errors.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentDecisionRecord, presentProposal } from "../presenters/proposal.js";
import { Body, Id, OrgRef, Paging, ShortText } from "../schemas.js";

const DecisionParams = Type.Object({ org: OrgRef, decision: Id });
const DecisionQuery = Type.Object(
  {
    circleId: Type.Optional(Id),
    status: Type.Optional(Type.Enum(["active", "superseded", "retired"] as const)),
    dueForReview: Type.Optional(Type.Boolean()),
    ...Paging.properties,
  },
  { additionalProperties: false },
);
const ReviewBody = Body({
  intent: Type.Enum(["keep", "amend", "retire"] as const, {
    description: "Keep it for another term, amend it, or retire it",
  }),
  title: Type.Optional(ShortText(200)),
  text: Type.Optional(ShortText(50_000)),
  reviewMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
});

export async function decisionRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["decisions"];

  r.get(
    "/orgs/:org/decisions",
    {
      schema: {
        tags,
        summary: "Decisions (policies) with their review dates, concerns and measures",
        params: Type.Object({ org: OrgRef }),
        querystring: DecisionQuery,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const limitedTo = governanceLimitedTo(viewer, org.settings);
      const circleIds = limitedTo ? [...limitedTo] : undefined;
      const { decisions, hasMore } = await listDecisions(
        ctx.db,
        org.id,
        { ...filter, circleIds, limit, offset },
        now,
      );
      return { decisions: decisions.map((d) => presentDecisionRecord(d, viewer, now)), hasMore };
    },
  );

  r.get(
    "/orgs/:org/decisions/:decision",
    { schema: { tags, summary: "One decision", params: DecisionParams } },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const found = await getDecision(ctx.db, org.id, request.params.decision, now);
      if (!found || !readsCircleGovernance(viewer, found.decision.circleId, org.settings))
        throw notFound("Decision", request.params.decision);
      return presentDecisionRecord(found.decision, viewer, now);
    },
  );

  r.post(
    "/orgs/:org/decisions/:decision/review",
    {
      schema: {
        tags,
        summary: "Review a decision that is due: opens a new proposal linked to it (keep, amend or retire)",
        params: DecisionParams,
        body: ReviewBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const proposal = await reviewDecision(ctx, org, viewer, request.params.decision, request.body);
      return reply.status(201).send(presentProposal(proposal, viewer, ctx.now()));
    },
  );

  r.get(
    "/orgs/:org/attention",
    {
      schema: {
        tags: ["attention"],
        summary:
          "What needs the caller now: responses owed, rounds to move, questions to answer, reviews due",
        params: Type.Object({ org: OrgRef }),
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const items = await attentionFor(ctx.db, org, viewer, now);
      return { items: items.map((item) => ({ ...item, due: item.due?.toISOString() ?? null })) };
    },
  );
}
