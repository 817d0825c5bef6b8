import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { refreshViewer } from "../../app/circles.js";
import {
  type Advice,
  adviceForCircle,
  type Community,
  joinCommunity,
  listCommunities,
  publishAdvice,
  publishesAdviceFor,
} from "../../app/communities.js";
import type { AppContext } from "../../app/context.js";
import type { Viewer } from "../../core/access.js";
import { circlePermissions } from "../../core/circles.js";
import { orgViewerOf } from "../plugins/auth.js";
import { Body, Id, OrgRef, Paging, ShortText } from "../schemas.js";

const CommunityParams = Type.Object({ org: OrgRef, circle: Id });

const ListQuery = Type.Object(
  {
    skill: Type.Optional(ShortText(100)),
    interest: Type.Optional(ShortText(100)),
  },
  { additionalProperties: false },
);

const AdviceBody = Body({ circleId: Id, text: ShortText(10_000) });

const presentCommunity = (community: Community, viewer: Viewer) => ({
  ...community,
  isMember: viewer.circleIds.has(community.id),
  can: {
    join: circlePermissions(viewer, {
      id: community.id,
      kind: "community_of_practice",
      parentId: null,
      archivedAt: null,
    }).join,
    publishAdvice: publishesAdviceFor(viewer, community.id),
  },
});

const presentAdvice = (advice: Advice) => ({ ...advice, publishedAt: advice.publishedAt.toISOString() });

export async function communityRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["communities"];
  r.get(
    "/orgs/:org/communities",
    {
      schema: {
        tags,
        summary:
          "Communities of practice, found by skill or interest: a member lists it in their profile, or the community's name or aim mentions it",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const communities = await listCommunities(ctx.db, org, request.query);
      return { communities: communities.map((c) => presentCommunity(c, viewer)) };
    },
  );

  r.post(
    "/orgs/:org/communities/:circle/join",
    {
      schema: {
        tags,
        summary: "Join a community of practice (open to every member who acts)",
        params: CommunityParams,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const membership = await joinCommunity(ctx, org, viewer, request.params.circle);
      const joined = await refreshViewer(ctx, org.id, viewer);
      const [community] = (await listCommunities(ctx.db, org, {})).filter(
        (c) => c.id === request.params.circle,
      );
      return reply.status(201).send({
        memberId: membership.memberId,
        joinedAt: membership.joinedAt.toISOString(),
        community: community && presentCommunity(community, joined),
      });
    },
  );

  r.post(
    "/orgs/:org/communities/:circle/advice",
    {
      schema: {
        tags,
        summary: "A community publishes advice to a circle: shown on that circle, it decides nothing",
        params: CommunityParams,
        body: AdviceBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const advice = await publishAdvice(ctx, org, viewer, request.params.circle, request.body);
      return reply.status(201).send(presentAdvice(advice));
    },
  );

  r.get(
    "/orgs/:org/circles/:circle/advice",
    {
      schema: {
        tags,
        summary: "Advice communities of practice have published to this circle, newest first",
        params: CommunityParams,
        querystring: Paging,
      },
    },
    async (request) => {
      const { org } = await orgViewerOf(request);
      const { limit = 100, offset = 0 } = request.query;
      const { advice, hasMore } = await adviceForCircle(ctx.db, org, request.params.circle, {
        limit,
        offset,
      });
      return { advice: advice.map(presentAdvice), hasMore };
    },
  );
}
