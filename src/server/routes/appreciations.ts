import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { giveAppreciation, listAppreciations } from "../../app/appreciations.js";
import type { AppContext } from "../../app/context.js";
import { APPRECIATED_MAX, APPRECIATION_SUBJECTS, canAppreciate } from "../../core/appreciation.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentAppreciation } from "../presenters/appreciation.js";
import { Body, Id, OrgRef, Paging, ShortText } from "../schemas.js";

const ListQuery = Type.Object(
  {
    circleId: Type.Optional(
      Type.String({
        format: "uuid",
        description: "The circle's feed: tied to its roles, proposals and cycles",
      }),
    ),
    memberId: Type.Optional(
      Type.String({ format: "uuid", description: "The member's feed: appreciations they received" }),
    ),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const AppreciateBody = Body({
  memberIds: Type.Array(Id, { minItems: 1, maxItems: APPRECIATED_MAX }),
  text: ShortText(2_000),
  subject: Type.Optional(Body({ kind: Type.Enum(APPRECIATION_SUBJECTS), id: Id })),
});

export async function appreciationRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["appreciations"];
  r.get(
    "/orgs/:org/appreciations",
    {
      schema: {
        tags,
        summary: "Appreciations, newest first: the organisation's, a circle's feed or a member's",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { appreciations, hasMore } = await listAppreciations(ctx.db, org, { ...filter, limit, offset });
      return {
        appreciations: appreciations.map(presentAppreciation),
        hasMore,
        can: { appreciate: canAppreciate(viewer) },
      };
    },
  );

  r.post(
    "/orgs/:org/appreciations",
    {
      schema: {
        tags,
        summary: "Recognise one or more members, optionally for a role, proposal or cycle",
        params: Type.Object({ org: OrgRef }),
        body: AppreciateBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      return reply
        .status(201)
        .send(presentAppreciation(await giveAppreciation(ctx, org, viewer, request.body)));
    },
  );
}
