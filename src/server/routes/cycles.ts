import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  addCycleEntry,
  addCycleLesson,
  advanceCyclePhase,
  closeReflectionCycle,
  listCycles,
  proposeLesson,
  readCycle,
  startCycle,
} from "../../app/cycles.js";
import { CYCLE_PHASES } from "../../core/cycles.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentCycle } from "../presenters/cycle.js";
import { Body, Id, OrgRef, Paging, ShortText } from "../schemas.js";

const CycleParams = Type.Object({ org: OrgRef, cycle: Id });
const LessonParams = Type.Object({ org: OrgRef, cycle: Id, lesson: Id });

const ListQuery = Type.Object(
  {
    circleId: Type.Optional(Id),
    crisisId: Type.Optional(Type.String({ format: "uuid", description: "The reflection on one crisis" })),
    state: Type.Optional(
      Type.Enum(["open", ...CYCLE_PHASES, "closed"] as const, {
        description: "`open`: every cycle not closed yet",
      }),
    ),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const OpenBody = Body({ circleId: Id, title: ShortText(200) });
const TextBody = Body({ text: ShortText(10_000) });
const AdvanceBody = Body({ to: Type.Enum(CYCLE_PHASES) });
const ProposalBody = Body({ title: Type.Optional(ShortText(200)) });

export async function cycleRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["cycles"];
  r.get(
    "/orgs/:org/cycles",
    {
      schema: {
        tags,
        summary: "Cycles of plan, act, observe and reflect: open ones first, most recently opened first",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { cycles, hasMore } = await listCycles(ctx.db, org, viewer, { ...filter, limit, offset });
      return { cycles: cycles.map((c) => presentCycle(c, viewer)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/cycles",
    {
      schema: {
        tags,
        summary: "Open a cycle on an initiative in a circle the caller takes part in; it starts by planning",
        params: Type.Object({ org: OrgRef }),
        body: OpenBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const cycle = await startCycle(ctx, org, viewer, request.body);
      return reply.status(201).send(presentCycle(cycle, viewer));
    },
  );

  r.get(
    "/orgs/:org/cycles/:cycle",
    { schema: { tags, summary: "A cycle with its phases, entries and lessons", params: CycleParams } },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentCycle(await readCycle(ctx.db, org, viewer, request.params.cycle), viewer);
    },
  );

  r.post(
    "/orgs/:org/cycles/:cycle/entries",
    {
      schema: {
        tags,
        summary: "Record what was planned, done, observed or thought, in the cycle's current phase",
        params: CycleParams,
        body: TextBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const cycle = await addCycleEntry(ctx, org, viewer, request.params.cycle, request.body.text);
      return reply.status(201).send(presentCycle(cycle, viewer));
    },
  );

  r.post(
    "/orgs/:org/cycles/:cycle/advance",
    {
      schema: {
        tags,
        summary: "Move the cycle to its next phase, named (a phase is left once something is recorded in it)",
        params: CycleParams,
        body: AdvanceBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentCycle(
        await advanceCyclePhase(ctx, org, viewer, request.params.cycle, request.body.to),
        viewer,
      );
    },
  );

  r.post(
    "/orgs/:org/cycles/:cycle/lessons",
    {
      schema: {
        tags,
        summary: "Record a lesson learnt, while reflecting",
        params: CycleParams,
        body: TextBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const cycle = await addCycleLesson(ctx, org, viewer, request.params.cycle, request.body.text);
      return reply.status(201).send(presentCycle(cycle, viewer));
    },
  );

  r.post(
    "/orgs/:org/cycles/:cycle/close",
    {
      schema: {
        tags,
        summary: "Close the cycle once reflecting has drawn at least one lesson",
        params: CycleParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentCycle(await closeReflectionCycle(ctx, org, viewer, request.params.cycle), viewer);
    },
  );

  r.post(
    "/orgs/:org/cycles/:cycle/lessons/:lesson/proposal",
    {
      schema: {
        tags,
        summary:
          "Start a proposal from a lesson: a draft in the cycle's circle with the lesson as its text, linked back",
        params: LessonParams,
        body: ProposalBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { cycle, lesson } = request.params;
      const result = await proposeLesson(ctx, org, viewer, cycle, lesson, request.body);
      return reply
        .status(201)
        .send({ proposalId: result.proposalId, cycle: presentCycle(result.cycle, viewer) });
    },
  );
}
