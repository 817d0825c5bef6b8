import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { handoverOf } from "../../app/assignments.js";
import type { AppContext } from "../../app/context.js";
import { getRole } from "../../app/roles.js";
import {
  askRotaSwap,
  changeRotaOrder,
  listRotas,
  readRota,
  type SwapAnswer,
  settleRotaSwap,
  skipRotaTurn,
  startRota,
  takeRotaTurn,
} from "../../app/rotas.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentHandover, presentRota } from "../presenters/rota.js";
import { Body, Id, OrgRef, Paging } from "../schemas.js";

const RotaParams = Type.Object({ org: OrgRef, rota: Id });
const SwapParams = Type.Object({ org: OrgRef, rota: Id, swap: Id });

const ListQuery = Type.Object(
  { circleId: Type.Optional(Id), roleId: Type.Optional(Id), ...Paging.properties },
  { additionalProperties: false },
);
const Order = Type.Array(Id, {
  maxItems: 500,
  description: "Members of the circle in the order their turns come, each once",
});
const CreateBody = Body({ roleId: Id, order: Order });
const ReorderBody = Body({ order: Order });
const SwapBody = Body({ with: Id });

const SWAP_SUMMARIES: Record<SwapAnswer, string> = {
  accept: "The member asked agrees: each now holds the other's next turn",
  decline: "The member asked says no; the turns stay as they were",
  cancel: "The member who asked takes the request back before it is answered",
};

export async function rotaRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["rotas"];
  r.get(
    "/orgs/:org/rotas",
    {
      schema: {
        tags,
        summary: "The organisation's rotas, in the order they were started",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { rotas, hasMore } = await listRotas(ctx.db, org, { ...filter, limit, offset });
      return { rotas: rotas.map((rota) => presentRota(rota, viewer, now)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/rotas",
    {
      schema: {
        tags,
        summary:
          "Start a rota for a role of a circle you take part in (a role with a term, not filled by election); one per role",
        params: Type.Object({ org: OrgRef }),
        body: CreateBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const rota = await startRota(ctx, org, viewer, request.body);
      return reply.status(201).send(presentRota(rota, viewer, ctx.now()));
    },
  );

  r.get(
    "/orgs/:org/rotas/:rota",
    {
      schema: {
        tags,
        summary: "A rota: the order, whose turn is next, every turn so far and the swaps asked for",
        params: RotaParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      return presentRota(await readRota(ctx.db, org, request.params.rota), viewer, now);
    },
  );

  r.patch(
    "/orgs/:org/rotas/:rota",
    {
      schema: {
        tags,
        summary: "Set a new order; turns so far stay, open swaps of anyone who left are cancelled",
        params: RotaParams,
        body: ReorderBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const rota = await changeRotaOrder(ctx, org, viewer, request.params.rota, request.body.order);
      return presentRota(rota, viewer, ctx.now());
    },
  );

  r.post(
    "/orgs/:org/rotas/:rota/turns",
    {
      schema: {
        tags,
        summary:
          "Record the next turn as held: the role is handed over to its holder until the next turn (at most its term)",
        params: RotaParams,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const rota = await takeRotaTurn(ctx, org, viewer, request.params.rota);
      return reply.status(201).send(presentRota(rota, viewer, ctx.now()));
    },
  );

  r.post(
    "/orgs/:org/rotas/:rota/skip",
    {
      schema: {
        tags,
        summary:
          "The member whose turn it is passes; the next in the order takes it, and they keep their place",
        params: RotaParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const rota = await skipRotaTurn(ctx, org, viewer, request.params.rota);
      return presentRota(rota, viewer, ctx.now());
    },
  );

  r.post(
    "/orgs/:org/rotas/:rota/swaps",
    {
      schema: {
        tags,
        summary:
          "Ask another member of the rota to exchange your next turns; it takes effect when they accept",
        params: RotaParams,
        body: SwapBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const rota = await askRotaSwap(ctx, org, viewer, request.params.rota, request.body.with);
      return reply.status(201).send(presentRota(rota, viewer, ctx.now()));
    },
  );

  for (const answer of ["accept", "decline", "cancel"] as const)
    r.post(
      `/orgs/:org/rotas/:rota/swaps/:swap/${answer}`,
      { schema: { tags, summary: SWAP_SUMMARIES[answer], params: SwapParams } },
      async (request) => {
        const { org, viewer } = await orgViewerOf(request);
        const { rota, swap } = request.params;
        return presentRota(await settleRotaSwap(ctx, org, viewer, rota, swap, answer), viewer, ctx.now());
      },
    );

  // Handing a role on is not only the rota's: any new holder reads what the last one left here.
  r.get(
    "/orgs/:org/roles/:role/handover",
    {
      schema: {
        tags: ["roles"],
        summary:
          "What the next holder reads: the last holder's handover notes, the current holders' and who is lined up",
        params: Type.Object({ org: OrgRef, role: Id }),
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const role = await getRole(ctx.db, org.id, request.params.role, now);
      return presentHandover(role, await handoverOf(ctx.db, org.id, role.id, now), viewer, now);
    },
  );
}
