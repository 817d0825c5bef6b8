import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  extendCrisis,
  grantCrisisAuthority,
  listCrises,
  ratifyCrisis,
  readCrisis,
  recordDecision,
  releaseCrisis,
  resolveDecision,
} from "../../app/crises.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentCrisis } from "../presenters/crisis.js";
import { Body, Id, OrgRef, Paging, ShortText, Timestamp } from "../schemas.js";

const CrisisParams = Type.Object({ org: OrgRef, crisis: Id });
const DecisionParams = Type.Object({ org: OrgRef, crisis: Id, decision: Id });

const ListQuery = Type.Object(
  {
    circleId: Type.Optional(Id),
    state: Type.Optional(
      Type.Enum(["active", "under_review", "closed"] as const, {
        description: "`active` serves the banner; `under_review`: ended, with decisions awaiting the circle",
      }),
    ),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const Consent = Type.Object({ proposalId: Id }, { description: "A proposal of the circle it adopted" });
const GrantBody = Body({
  circleId: Id,
  holderId: Id,
  scope: ShortText(10_000),
  endsAt: Timestamp,
  grant: Type.Union([
    Body({ by: Type.Literal("consent"), proposalId: Id }),
    Body({
      by: Type.Literal("expedited"),
      grantedBy: Type.Tuple([Id, Id], {
        description: "Two current leadership-role holders of the circle, the caller among them",
      }),
    }),
  ]),
});
const DecisionBody = Body({ text: ShortText(10_000) });
const RatifyBody = Body({ ...Consent.properties });
const ExtendBody = Body({ ...Consent.properties, endsAt: Timestamp });
const ResolveBody = Body({ outcome: Type.Enum(["ratified", "revoked"] as const), ...Consent.properties });

export async function crisisRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["crises"];
  r.get(
    "/orgs/:org/crises",
    {
      schema: {
        tags,
        summary: "Crises of the organisation, active first (soonest to end first), then the ended ones",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { crises, hasMore } = await listCrises(ctx.db, org, { ...filter, limit, offset }, now);
      return { crises: crises.map((c) => presentCrisis(c, viewer, now)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/crises",
    {
      schema: {
        tags,
        summary:
          "Grant crisis authority to one member with a written scope and an end time: by an adopted consent, or expedited by two of the circle's leaders (ratified within 72 hours or it ends)",
        params: Type.Object({ org: OrgRef }),
        body: GrantBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { body } = request;
      const crisis = await grantCrisisAuthority(ctx, org, viewer, { ...body, endsAt: new Date(body.endsAt) });
      return reply.status(201).send(presentCrisis(crisis, viewer, ctx.now()));
    },
  );

  r.get(
    "/orgs/:org/crises/:crisis",
    {
      schema: {
        tags,
        summary: "A crisis: whether it is active now, when it ends, its decisions and their ratification",
        params: CrisisParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      return presentCrisis(await readCrisis(ctx.db, org, request.params.crisis, now), viewer, now);
    },
  );

  r.post(
    "/orgs/:org/crises/:crisis/decisions",
    {
      schema: {
        tags,
        summary: "The holder records a crisis decision within the scope, while the authority is active",
        params: CrisisParams,
        body: DecisionBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { crisis } = await recordDecision(ctx, org, viewer, request.params.crisis, request.body.text);
      return reply.status(201).send(presentCrisis(crisis, viewer, ctx.now()));
    },
  );

  r.post(
    "/orgs/:org/crises/:crisis/release",
    {
      schema: {
        tags,
        summary: "The holder or the circle's facilitator hands the authority back early",
        params: CrisisParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { crisis } = await releaseCrisis(ctx, org, viewer, request.params.crisis);
      return presentCrisis(crisis, viewer, ctx.now());
    },
  );

  r.post(
    "/orgs/:org/crises/:crisis/ratify",
    {
      schema: {
        tags,
        summary: "Record the circle's consent ratifying an expedited grant (within 72 hours of it)",
        params: CrisisParams,
        body: RatifyBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { crisis } = await ratifyCrisis(ctx, org, viewer, request.params.crisis, request.body.proposalId);
      return presentCrisis(crisis, viewer, ctx.now());
    },
  );

  r.post(
    "/orgs/:org/crises/:crisis/extend",
    {
      schema: {
        tags,
        summary: "Record a fresh consent of the circle moving the end later, within the organisation's limit",
        params: CrisisParams,
        body: ExtendBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { proposalId, endsAt } = request.body;
      const { crisis } = await extendCrisis(ctx, org, viewer, request.params.crisis, {
        proposalId,
        endsAt: new Date(endsAt),
      });
      return presentCrisis(crisis, viewer, ctx.now());
    },
  );

  r.post(
    "/orgs/:org/crises/:crisis/decisions/:decision/resolve",
    {
      schema: {
        tags,
        summary:
          "Once the authority has ended, record the circle's consent ratifying or revoking a crisis decision",
        params: DecisionParams,
        body: ResolveBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { crisis, decision } = request.params;
      const resolved = await resolveDecision(ctx, org, viewer, crisis, {
        decisionId: decision,
        ...request.body,
      });
      return presentCrisis(resolved.crisis, viewer, ctx.now());
    },
  );
}
