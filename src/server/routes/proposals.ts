import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  advanceProposal,
  amend,
  answerQuestion,
  askQuestion,
  createProposal,
  decideAfterAdvice,
  giveAdvice,
  react,
  readProposal,
  resolveObjection,
  respond,
} from "../../app/proposals/commands.js";
import { listProposals } from "../../app/proposals/queries.js";
import type { StepResult } from "../../app/proposals/writer.js";
import type { Viewer } from "../../core/access.js";
import { diffLines } from "../../core/consent/diff.js";
import { PROPOSAL_STATES, type ProposalState } from "../../core/consent/states.js";
import { invalid, notFound } from "../../core/errors.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentProposal, presentResponseReceipt } from "../presenters/proposal.js";
import { Body, Id, LongText, NullableTimestamp, OrgRef, Paging, ShortText } from "../schemas.js";

const ProposalParams = Type.Object({ org: OrgRef, proposal: Id });
const QuestionParams = Type.Object({ org: OrgRef, proposal: Id, question: Id });
const ObjectionParams = Type.Object({ org: OrgRef, proposal: Id, objection: Id });

const STATE_LIST = `^(${PROPOSAL_STATES.join("|")})(,(${PROPOSAL_STATES.join("|")}))*$`;
const ListQuery = Type.Object(
  {
    circleId: Type.Optional(Id),
    state: Type.Optional(
      Type.String({ pattern: STATE_LIST, description: "One state or several, comma-separated" }),
    ),
    needsMyResponse: Type.Optional(Type.Boolean()),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const Percent = Type.Integer({ minimum: 1, maximum: 100 });
const Quorum = Type.Union([
  Body({ kind: Type.Literal("more_than_half") }),
  Body({ kind: Type.Literal("at_least_percent"), percent: Percent }),
]);
const Threshold = Type.Union([
  Body({ kind: Type.Literal("majority") }),
  Body({ kind: Type.Literal("at_least_percent"), percent: Percent }),
]);
const DecisionClass = ShortText(120);
const Method = Type.Union([
  Body({ kind: Type.Literal("consent") }),
  Body({ kind: Type.Literal("consensus") }),
  Body({ kind: Type.Literal("advice"), advisers: Type.Array(Id, { minItems: 1, maxItems: 50 }) }),
  Body({ kind: Type.Literal("vote"), decisionClass: DecisionClass }),
]);

const CreateBody = Body({
  circleId: Id,
  title: ShortText(200),
  text: ShortText(50_000),
  method: Type.Optional(Method),
  quorum: Type.Optional(Quorum),
  reviewMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  grantsMandate: Type.Optional(
    Body({ decisionClass: DecisionClass, threshold: Threshold, secret: Type.Boolean(), quorum: Quorum }),
  ),
});

const ADVANCE_TARGETS = [
  "presented",
  "advice",
  "clarifying",
  "reactions",
  "consent_round",
  "integrating",
  "withdrawn",
  "decided",
] as const;
const AdvanceBody = Body({
  to: Type.Enum(ADVANCE_TARGETS, {
    description:
      "The state to move to; `decided` closes the running round (once everyone has responded or its deadline passed) and lets the rules decide",
  }),
  deadline: Type.Optional(NullableTimestamp),
  participants: Type.Optional(
    Type.Array(Id, {
      minItems: 1,
      maxItems: 5000,
      description: "Defaults to the circle's members and links",
    }),
  ),
});

const TextBody = (max: number) => Body({ text: ShortText(max) });

const ResponseBody = Type.Union([
  Body({ kind: Type.Literal("consent") }),
  Body({ kind: Type.Literal("consent_with_concern"), concern: ShortText(2000) }),
  Body({
    kind: Type.Literal("object"),
    reason: ShortText(4000),
    suggestedAmendment: Type.Optional(Type.Union([LongText(50_000), Type.Null()])),
  }),
  Body({ kind: Type.Literal("agree") }),
  Body({
    kind: Type.Literal("stand_aside"),
    reason: Type.Optional(Type.Union([LongText(2000), Type.Null()])),
  }),
  Body({ kind: Type.Literal("block"), reason: ShortText(4000) }),
  Body({ kind: Type.Literal("vote"), choice: Type.Enum(["yes", "no", "abstain"] as const) }),
]);

const ResolveBody = Type.Union([
  Body({
    outcome: Type.Literal("integrated"),
    by: Type.Literal("amendment"),
    version: Type.Integer({ minimum: 1 }),
  }),
  Body({
    outcome: Type.Literal("integrated"),
    by: Type.Literal("shorter_term"),
    reviewMonths: Type.Integer({ minimum: 1, maximum: 60 }),
  }),
  Body({ outcome: Type.Literal("integrated"), by: Type.Literal("measure"), measure: ShortText(2000) }),
  Body({ outcome: Type.Literal("withdrawn") }),
  Body({
    outcome: Type.Literal("overruled"),
    circleConsent: Body({
      consentedBy: Type.Array(Id, { minItems: 1, maxItems: 5000 }),
      record: ShortText(2000),
    }),
  }),
]);

const AdviceBody = Body({
  text: ShortText(10_000),
  adviserId: Type.Optional(Id),
});
const AdviceDecisionBody = Body({
  outcome: Type.Enum(["proceed", "abandon"] as const),
  rationale: ShortText(10_000),
});

const DiffQuery = Type.Object(
  { from: Type.Integer({ minimum: 1 }), to: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

export async function proposalRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["proposals"];
  const present = (result: StepResult, viewer: Viewer) => presentProposal(result.proposal, viewer, ctx.now());

  r.get(
    "/orgs/:org/proposals",
    {
      schema: {
        tags,
        summary: "Proposals the caller may read, most recently active first",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { circleId, state, needsMyResponse, limit = 100, offset = 0 } = request.query;
      const now = ctx.now();
      const { proposals, hasMore } = await listProposals(
        ctx.db,
        org,
        viewer,
        {
          circleId,
          states: state?.split(",") as ProposalState[] | undefined,
          needsMyResponse,
          limit,
          offset,
        },
        now,
      );
      return { proposals: proposals.map((p) => presentProposal(p, viewer, now)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/proposals",
    {
      schema: {
        tags,
        summary: "Draft a proposal in a circle (consent by default; consensus, advice or a mandated vote)",
        params: Type.Object({ org: OrgRef }),
        body: CreateBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const proposal = await createProposal(ctx, org, viewer, request.body);
      return reply.status(201).send(presentProposal(proposal, viewer, ctx.now()));
    },
  );

  r.get(
    "/orgs/:org/proposals/:proposal",
    {
      schema: {
        tags,
        summary: "A proposal with every version, question, round, response and objection",
        params: ProposalParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { proposal, now } = await readProposal(ctx, org, viewer, request.params.proposal);
      return presentProposal(proposal, viewer, now);
    },
  );

  r.get(
    "/orgs/:org/proposals/:proposal/diff",
    {
      schema: {
        tags,
        summary: "What changed between two versions, line by line (to defaults to the current version)",
        params: ProposalParams,
        querystring: DiffQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { proposal } = await readProposal(ctx, org, viewer, request.params.proposal);
      const versionOf = (n: number) => {
        const version = proposal.versions.find((v) => v.number === n);
        if (!version) throw notFound("Version", String(n));
        return version;
      };
      const to = request.query.to ?? proposal.versions.length;
      if (request.query.from > to)
        throw invalid("Compare an earlier version with a later one", { field: "from" });
      const before = versionOf(request.query.from);
      const after = versionOf(to);
      return {
        from: { number: before.number, kind: before.kind },
        to: { number: after.number, kind: after.kind },
        parts: diffLines(before.text, after.text),
      };
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/advance",
    {
      schema: {
        tags,
        summary:
          "Move the proposal to a phase: present, clarify, react, open a round, integrate, close, withdraw",
        params: ProposalParams,
        body: AdvanceBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { to, deadline, participants } = request.body;
      const result = await advanceProposal(ctx, org, viewer, request.params.proposal, {
        to,
        deadline: toDate(deadline),
        participants,
      });
      return present(result, viewer);
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/questions",
    {
      schema: { tags, summary: "Ask a clarifying question", params: ProposalParams, body: TextBody(4000) },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const result = await askQuestion(ctx, org, viewer, request.params.proposal, request.body.text);
      return reply.status(201).send(present(result, viewer));
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/questions/:question/answer",
    {
      schema: {
        tags,
        summary: "The author answers a clarifying question",
        params: QuestionParams,
        body: TextBody(10_000),
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { proposal, question } = request.params;
      return present(await answerQuestion(ctx, org, viewer, proposal, question, request.body.text), viewer);
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/reactions",
    {
      schema: {
        tags,
        summary: "React to the proposal (a later reaction replaces your earlier one)",
        params: ProposalParams,
        body: TextBody(4000),
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const result = await react(ctx, org, viewer, request.params.proposal, request.body.text);
      return reply.status(201).send(present(result, viewer));
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/amendments",
    {
      schema: {
        tags,
        summary:
          "A new version: the author's revision of a draft, a friendly amendment, or one integrating objections",
        params: ProposalParams,
        body: TextBody(50_000),
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const result = await amend(ctx, org, viewer, request.params.proposal, request.body.text);
      return reply.status(201).send(present(result, viewer));
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/responses",
    {
      schema: {
        tags,
        summary: "Respond in the running round; your latest response is the one that counts",
        description:
          "consent | consent_with_concern (with the concern) | object (with the reason it harms the circle's aim); " +
          "agree | stand_aside | block in a consensus round; vote with a choice in a vote. Answers with a receipt " +
          "(your response, the tally, the proposal's state and `can`), not the whole proposal.",
        params: ProposalParams,
        body: ResponseBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const result = await respond(ctx, org, viewer, request.params.proposal, request.body);
      return reply.status(201).send(presentResponseReceipt(result.proposal, viewer, ctx.now()));
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/objections/:objection/resolve",
    {
      schema: {
        tags,
        summary:
          "Resolve an objection: integrate it (amendment, shorter term, measure), withdraw your own, or overrule it with the circle's consent",
        params: ObjectionParams,
        body: ResolveBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { proposal, objection } = request.params;
      return present(
        await resolveObjection(ctx, org, viewer, proposal, objection, request.body as never),
        viewer,
      );
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/advice",
    {
      schema: {
        tags,
        summary: "Give advice as a named adviser, or record an adviser's advice as the proposer",
        params: ProposalParams,
        body: AdviceBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const result = await giveAdvice(ctx, org, viewer, request.params.proposal, request.body);
      return reply.status(201).send(present(result, viewer));
    },
  );

  r.post(
    "/orgs/:org/proposals/:proposal/decision",
    {
      schema: {
        tags,
        summary: "The proposer decides after hearing the advisers (advice process)",
        params: ProposalParams,
        body: AdviceDecisionBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return present(
        await decideAfterAdvice(ctx, org, viewer, request.params.proposal, request.body),
        viewer,
      );
    },
  );
}
