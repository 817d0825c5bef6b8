import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import { createOrg, listOrgsOf, updateOrg } from "../../app/orgs.js";
import { loadViewer } from "../../app/viewer.js";
import { orgViewerOf, requireAuth } from "../plugins/auth.js";
import { presentOrg } from "../presenters/org.js";
import { Body, LongText, OrgParams, ShortText } from "../schemas.js";

const Settings = Type.Object(
  {
    crisisMaxDays: Type.Optional(Type.Integer()),
    decisionReviewMonths: Type.Optional(Type.Integer()),
    invitationDays: Type.Optional(Type.Integer()),
    observersReadCircles: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const CreateOrgBody = Body({
  name: ShortText(120),
  slug: Type.Optional(Type.String({ minLength: 2, maxLength: 48, pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" })),
  purpose: Type.Optional(LongText(4000)),
  settings: Type.Optional(Settings),
  founderName: Type.Optional(ShortText(100)),
});

const UpdateOrgBody = Body({
  name: Type.Optional(ShortText(120)),
  purpose: Type.Optional(LongText(4000)),
  settings: Type.Optional(Settings),
});

export async function orgRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["organisations"];

  r.get("/orgs", { schema: { tags, summary: "Organisations I belong to" } }, async (request) => {
    const auth = requireAuth(request);
    return { orgs: await listOrgsOf(ctx, auth.user.id) };
  });

  r.post(
    "/orgs",
    { schema: { tags, summary: "Found an organisation; you become its first admin", body: CreateOrgBody } },
    async (request, reply) => {
      const auth = requireAuth(request);
      const { org } = await createOrg(ctx, auth.user.id, {
        ...request.body,
        founderName: request.body.founderName ?? auth.user.name,
      });
      const { viewer } = await loadViewer(ctx.db, org.id, auth.user.id, ctx.now());
      return reply.status(201).send(presentOrg(org, viewer));
    },
  );

  r.get(
    "/orgs/:org",
    { schema: { tags, summary: "An organisation", params: OrgParams } },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentOrg(org, viewer);
    },
  );

  r.patch(
    "/orgs/:org",
    {
      schema: {
        tags,
        summary: "Change name, purpose or defaults (admin)",
        params: OrgParams,
        body: UpdateOrgBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentOrg(await updateOrg(ctx, org, viewer, request.body), viewer);
    },
  );
}
