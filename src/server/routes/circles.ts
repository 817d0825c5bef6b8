import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import {
  addCircleMember,
  createCircle,
  getCircle,
  listCircleMembers,
  listCircles,
  refreshViewer,
  removeCircleMember,
  updateCircle,
} from "../../app/circles.js";
import type { AppContext } from "../../app/context.js";
import { CIRCLE_KINDS } from "../../core/circles.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentCircle, presentCircleDetail, presentCircleMember } from "../presenters/circle.js";
import { Body, Id, LongText, NullableTimestamp, OrgRef, ShortText } from "../schemas.js";

const CircleKind = Type.Enum(CIRCLE_KINDS);
const CircleParams = Type.Object({ org: OrgRef, circle: Id });
const CircleMemberParams = Type.Object({ org: OrgRef, circle: Id, member: Id });

const CircleQuery = Type.Object(
  {
    kind: Type.Optional(CircleKind),
    parentId: Type.Optional(Id),
    includeArchived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const MembersQuery = Type.Object(
  { includePast: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const CreateCircleBody = Body({
  name: ShortText(120),
  kind: Type.Optional(CircleKind),
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  aim: Type.Optional(LongText(4000)),
  domain: Type.Optional(LongText(4000)),
  mandate: Type.Optional(LongText(4000)),
  sunsetAt: Type.Optional(NullableTimestamp),
  memberIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
});

const UpdateCircleBody = Body({
  name: Type.Optional(ShortText(120)),
  aim: Type.Optional(LongText(4000)),
  domain: Type.Optional(LongText(4000)),
  mandate: Type.Optional(LongText(4000)),
  sunsetAt: Type.Optional(NullableTimestamp),
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  archived: Type.Optional(Type.Literal(true, { description: "Archive the circle (it cannot be deleted)" })),
});

const AddMemberBody = Body({ memberId: Id });

const toDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export async function circleRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["circles"];

  r.get(
    "/orgs/:org/circles",
    {
      schema: {
        tags,
        summary: "Circles as a flat list (nest them by parentId)",
        params: Type.Object({ org: OrgRef }),
        querystring: CircleQuery,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const circles = await listCircles(ctx.db, org.id, request.query, now);
      return { circles: circles.map((circle) => presentCircle(circle, viewer)) };
    },
  );

  r.post(
    "/orgs/:org/circles",
    {
      schema: {
        tags,
        summary: "Create a circle with its facilitator (and leader and delegate roles for a child circle)",
        params: Type.Object({ org: OrgRef }),
        body: CreateCircleBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { body } = request;
      const circle = await createCircle(ctx, org.id, viewer, {
        ...body,
        kind: body.kind ?? "circle",
        parentId: body.parentId ?? null,
        sunsetAt: toDate(body.sunsetAt),
      });
      return reply.status(201).send(presentCircleDetail(circle, await refreshViewer(ctx, org.id, viewer)));
    },
  );

  r.get(
    "/orgs/:org/circles/:circle",
    {
      schema: {
        tags,
        summary: "A circle: members, roles and holders, the double link, child circles",
        params: CircleParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      return presentCircleDetail(await getCircle(ctx.db, org.id, request.params.circle, now), viewer);
    },
  );

  r.patch(
    "/orgs/:org/circles/:circle",
    {
      schema: {
        tags,
        summary: "Change a circle, move it under another parent, or archive it",
        params: CircleParams,
        body: UpdateCircleBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const circle = await updateCircle(ctx, org.id, viewer, request.params.circle, {
        ...request.body,
        sunsetAt: toDate(request.body.sunsetAt),
      });
      return presentCircleDetail(circle, await refreshViewer(ctx, org.id, viewer));
    },
  );

  r.get(
    "/orgs/:org/circles/:circle/members",
    {
      schema: {
        tags,
        summary: "Members of a circle (includePast: everyone who has been)",
        params: CircleParams,
        querystring: MembersQuery,
      },
    },
    async (request) => {
      const { org } = await orgViewerOf(request);
      const members = await listCircleMembers(
        ctx.db,
        org.id,
        request.params.circle,
        request.query.includePast ?? false,
      );
      return { members: members.map(presentCircleMember) };
    },
  );

  r.post(
    "/orgs/:org/circles/:circle/members",
    {
      schema: {
        tags,
        summary: "Add a member to a circle, or join a community of practice yourself",
        params: CircleParams,
        body: AddMemberBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const member = await addCircleMember(ctx, org.id, viewer, request.params.circle, request.body.memberId);
      return reply.status(201).send(presentCircleMember(member));
    },
  );

  r.delete(
    "/orgs/:org/circles/:circle/members/:member",
    {
      schema: { tags, summary: "End a circle membership (its history is kept)", params: CircleMemberParams },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      await removeCircleMember(ctx, org.id, viewer, request.params.circle, request.params.member);
      return reply.status(204).send();
    },
  );
}
