import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  type AdvanceInput,
  advanceSelection,
  cancelSelection,
  nominate,
  proposeNominee,
  resolveSelectionObjection,
  respondToNominee,
  startSelection,
} from "../../app/selections/commands.js";
import { listSelections, readSelection } from "../../app/selections/queries.js";
import type { Viewer } from "../../core/access.js";
import type { Selection } from "../../core/selection/selection.js";
import { TERM_DAYS_MAX } from "../../core/selection/selection.js";
import { SELECTION_STATES, type SelectionState } from "../../core/selection/states.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentSelection } from "../presenters/selection.js";
import { Body, Id, NullableTimestamp, OrgParams, OrgRef, Paging, ShortText } from "../schemas.js";

const ElectionParams = Type.Object({ org: OrgRef, election: Id });
const ObjectionParams = Type.Object({ org: OrgRef, election: Id, objection: Id });

const STATE_LIST = `^(${SELECTION_STATES.join("|")})(,(${SELECTION_STATES.join("|")}))*$`;
const ListQuery = Type.Object(
  {
    circleId: Type.Optional(Id),
    roleId: Type.Optional(Id),
    state: Type.Optional(
      Type.String({ pattern: STATE_LIST, description: "One state or several, comma-separated" }),
    ),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const TermDays = Type.Integer({ minimum: 1, maximum: TERM_DAYS_MAX, description: "A term in whole days" });
const Percent = Type.Integer({ minimum: 1, maximum: 100 });
const Quorum = Type.Union([
  Body({ kind: Type.Literal("more_than_half") }),
  Body({ kind: Type.Literal("at_least_percent"), percent: Percent }),
]);
const Description = Type.Union([ShortText(10_000), Type.Null()]);

const CreateBody = Body({
  roleId: Id,
  termDays: Type.Optional({ ...TermDays, description: "Defaults to the role's term, else 365 days" }),
  description: Type.Optional(Description),
  quorum: Type.Optional(Quorum),
});

const Deadline = Type.Optional(NullableTimestamp);
const AdvanceBody = Type.Union(
  [
    Body({
      to: Type.Literal("qualifying"),
      termDays: Type.Optional(TermDays),
      description: Type.Optional(Description),
      deadline: Deadline,
    }),
    Body({
      to: Type.Literal("nominating"),
      qualifications: Type.Optional(Type.Array(ShortText(200), { maxItems: 50 })),
      deadline: Deadline,
    }),
    Body({ to: Type.Literal("changing"), deadline: Deadline }),
    Body({ to: Type.Literal("proposing") }),
    Body({ to: Type.Literal("consent_round"), deadline: Deadline }),
    Body({ to: Type.Literal("decided") }),
  ],
  {
    description:
      "The state to move to, with what that step records: `qualifying` (the term consented to), `nominating` " +
      "(the qualifications consented to), `changing` (reveal the nominations), `proposing` (close the change " +
      "round), `consent_round`, or `decided` (close the running round once everyone has responded or its deadline passed)",
  },
);

const NominationBody = Body({ nomineeId: Id, reason: ShortText(4000) });
const ProposalBody = Body({
  nomineeId: Id,
  reasons: ShortText(4000),
  termDays: Type.Optional({ ...TermDays, description: "Defaults to the term consented to" }),
});
const ResponseBody = Type.Union([
  Body({ kind: Type.Literal("consent") }),
  Body({ kind: Type.Literal("consent_with_concern"), concern: ShortText(2000) }),
  Body({ kind: Type.Literal("object"), reason: ShortText(4000) }),
]);
const ResolveBody = Type.Union([
  Body({ outcome: Type.Literal("integrated"), by: Type.Literal("shorter_term"), termDays: TermDays }),
  Body({ outcome: Type.Literal("withdrawn") }),
]);

const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

/** Deadlines arrive as ISO strings; the use-case takes Dates. */
function advanceInput(body: Static<typeof AdvanceBody>): AdvanceInput {
  switch (body.to) {
    case "proposing":
    case "decided":
      return body;
    default:
      return { ...body, deadline: toDate(body.deadline) };
  }
}

/** Sociocratic selections, under the API's name for them: elections. */
export async function selectionRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["elections"];
  const present = (selection: Selection, viewer: Viewer) => presentSelection(selection, viewer, ctx.now());

  r.get(
    "/orgs/:org/elections",
    {
      schema: {
        tags,
        summary: "Elections the caller may read, newest first",
        params: OrgParams,
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { circleId, roleId, state, limit = 100, offset = 0 } = request.query;
      const now = ctx.now();
      const { selections, hasMore } = await listSelections(
        ctx.db,
        org,
        viewer,
        { circleId, roleId, states: state?.split(",") as SelectionState[] | undefined, limit, offset },
        now,
      );
      return { elections: selections.map((s) => presentSelection(s, viewer, now)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/elections",
    {
      schema: {
        tags,
        summary: "Start a sociocratic selection for a role filled by election",
        description:
          "Starts by reviewing the role's description and term. The participants are the circle's members and its child circles' links, fixed now.",
        params: OrgParams,
        body: CreateBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const selection = await startSelection(ctx, org, viewer, request.body);
      return reply.status(201).send(present(selection, viewer));
    },
  );

  r.get(
    "/orgs/:org/elections/:election",
    {
      schema: {
        tags,
        summary:
          "An election: nominations the caller may see, counts after the reveal, proposals, rounds, objections",
        params: ElectionParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { selection, now } = await readSelection(ctx, org, viewer, request.params.election);
      return presentSelection(selection, viewer, now);
    },
  );

  r.post(
    "/orgs/:org/elections/:election/advance",
    {
      schema: {
        tags,
        summary: "The facilitator moves the election to its next step",
        params: ElectionParams,
        body: AdvanceBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const input = advanceInput(request.body);
      return present(await advanceSelection(ctx, org, viewer, request.params.election, input), viewer);
    },
  );

  r.post(
    "/orgs/:org/elections/:election/nominations",
    {
      schema: {
        tags,
        summary:
          "Nominate one participant (yourself allowed) with a reason; after the reveal, change your nomination",
        description:
          "Nominations stay hidden from everyone but their nominator until the facilitator reveals them.",
        params: ElectionParams,
        body: NominationBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const selection = await nominate(ctx, org, viewer, request.params.election, request.body);
      return reply.status(201).send(present(selection, viewer));
    },
  );

  r.post(
    "/orgs/:org/elections/:election/proposal",
    {
      schema: {
        tags,
        summary: "The facilitator proposes a nominee with reasons and a term",
        description:
          "Proposing another nominee while a consent round runs or objections wait closes that round and sets its objections aside.",
        params: ElectionParams,
        body: ProposalBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const selection = await proposeNominee(ctx, org, viewer, request.params.election, request.body);
      return reply.status(201).send(present(selection, viewer));
    },
  );

  r.post(
    "/orgs/:org/elections/:election/responses",
    {
      schema: {
        tags,
        summary: "Respond to the nominee in the consent round; the nominee answers last",
        params: ElectionParams,
        body: ResponseBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const selection = await respondToNominee(ctx, org, viewer, request.params.election, request.body);
      return reply.status(201).send(present(selection, viewer));
    },
  );

  r.post(
    "/orgs/:org/elections/:election/objections/:objection/resolve",
    {
      schema: {
        tags,
        summary: "Resolve an objection to the nominee: integrate it by a shorter term, or withdraw your own",
        params: ObjectionParams,
        body: ResolveBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { election, objection } = request.params;
      return present(
        await resolveSelectionObjection(ctx, org, viewer, election, objection, request.body),
        viewer,
      );
    },
  );

  r.post(
    "/orgs/:org/elections/:election/cancel",
    {
      schema: { tags, summary: "The facilitator cancels the election", params: ElectionParams },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return present(await cancelSelection(ctx, org, viewer, request.params.election), viewer);
    },
  );
}
