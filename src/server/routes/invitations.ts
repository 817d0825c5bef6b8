import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  previewInvitation,
  revokeInvitation,
} from "../../app/invitations.js";
import { loadMember } from "../../app/members.js";
import { loadViewer } from "../../app/viewer.js";
import { orgViewerOf, requireAuth } from "../plugins/auth.js";
import { presentInvitation, presentInvitationPreview, presentMember } from "../presenters/member.js";
import { Body, Id, LongText, OrgRef, Paging } from "../schemas.js";
import { Access } from "./members.js";

const CreateInvitationBody = Body({
  access: Type.Optional(Access),
  note: Type.Optional(LongText(1000)),
  memberId: Type.Optional(Id),
});

const TokenParams = Type.Object({
  token: Type.String({ minLength: 8, maxLength: 128, pattern: "^[A-Za-z0-9_-]+$" }),
});

export async function invitationRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["invitations"];

  r.post(
    "/orgs/:org/invitations",
    {
      schema: {
        tags,
        summary: "Invite someone (admin); the token is shown only in this response",
        params: Type.Object({ org: OrgRef }),
        body: CreateInvitationBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { invitation, token } = await createInvitation(ctx, org, viewer, request.body);
      return reply
        .status(201)
        .send({ invitation: presentInvitation(invitation, viewer, ctx.now()), token, url: `/join/${token}` });
    },
  );

  r.get(
    "/orgs/:org/invitations",
    {
      schema: {
        tags,
        summary: "Invitations, newest first (admin)",
        params: Type.Object({ org: OrgRef }),
        querystring: Paging,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0 } = request.query;
      const invitations = await listInvitations(ctx.db, org, viewer, { limit, offset });
      return { invitations: invitations.map((i) => presentInvitation(i, viewer, now)) };
    },
  );

  r.post(
    "/orgs/:org/invitations/:invitation/revoke",
    {
      schema: {
        tags,
        summary: "Withdraw an open invitation (admin)",
        params: Type.Object({ org: OrgRef, invitation: Id }),
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const invitation = await revokeInvitation(ctx, org, viewer, request.params.invitation);
      return presentInvitation(invitation, viewer, ctx.now());
    },
  );

  r.get(
    "/invitations/:token",
    {
      schema: {
        tags,
        summary: "What an invitation offers (no login needed)",
        params: TokenParams,
        security: [],
      },
    },
    async (request) => presentInvitationPreview(await previewInvitation(ctx, request.params.token)),
  );

  r.post(
    "/invitations/:token/accept",
    { schema: { tags, summary: "Join the organisation with this invitation", params: TokenParams } },
    async (request) => {
      const auth = requireAuth(request);
      const { orgId, memberId } = await acceptInvitation(ctx, auth.user, request.params.token);
      const now = ctx.now();
      const { org, viewer } = await loadViewer(ctx.db, orgId, auth.user.id, now);
      return {
        org: { id: org.id, slug: org.slug, name: org.name },
        member: presentMember(await loadMember(ctx.db, org.id, memberId, now), viewer),
      };
    },
  );
}
