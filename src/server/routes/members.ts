import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import { addMember, listMembers, loadMember, updateMember } from "../../app/members.js";
import { termsOfMember } from "../../app/roles.js";
import { loadViewer } from "../../app/viewer.js";
import { orgPermissions } from "../../core/access.js";
import { HOURS_PER_WEEK_MAX } from "../../core/members.js";
import { SKILL_LEVEL_MAX, SKILL_LEVEL_MIN } from "../../core/roles.js";
import { orgViewerOf, requireAuth } from "../plugins/auth.js";
import { presentMember, presentMemberSummary } from "../presenters/member.js";
import { presentHeldTerm } from "../presenters/role.js";
import { Id, OrgRef, Paging, ShortText } from "../schemas.js";

export const Access = Type.Union([Type.Literal("admin"), Type.Literal("member"), Type.Literal("observer")]);
/** A name with something in it besides spaces. */
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: "\\S" });
const Topics = Type.Array(ShortText(80), { maxItems: 50 });

const Profile = {
  skills: Type.Optional(
    Type.Array(
      Type.Object(
        {
          skill: ShortText(80),
          level: Type.Integer({ minimum: SKILL_LEVEL_MIN, maximum: SKILL_LEVEL_MAX }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  ),
  interests: Type.Optional(Topics),
  hoursAvailable: Type.Optional(
    Type.Union([Type.Number({ minimum: 0, maximum: HOURS_PER_WEEK_MAX }), Type.Null()]),
  ),
  mentoringOffered: Type.Optional(Topics),
  mentoringWanted: Type.Optional(Topics),
};

const AddMemberBody = Type.Object(
  { name: Name, access: Type.Optional(Access), ...Profile },
  { additionalProperties: false },
);

const UpdateMemberBody = Type.Object(
  {
    name: Type.Optional(Name),
    ...Profile,
    access: Type.Optional(Access),
    archived: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false, minProperties: 1 },
);

const MemberQuery = Type.Object(
  {
    access: Type.Optional(Access),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    includeArchived: Type.Optional(Type.Boolean()),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const MemberParams = Type.Object({ org: OrgRef, member: Id });

export async function memberRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["members"];

  r.get(
    "/orgs/:org/members",
    {
      schema: {
        tags,
        summary: "Members, by name (filter by access or name)",
        params: Type.Object({ org: OrgRef }),
        querystring: MemberQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { members, total } = await listMembers(ctx.db, org.id, { ...filter, limit, offset });
      const can = orgPermissions(viewer);
      return {
        members: members.map((m) => presentMemberSummary(m, viewer)),
        total,
        can: { add: can.manageMembers, invite: can.invite },
      };
    },
  );

  r.post(
    "/orgs/:org/members",
    {
      schema: {
        tags,
        summary: "Record a member who has no account yet (admin); an invitation lets them claim it",
        params: Type.Object({ org: OrgRef }),
        body: AddMemberBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const member = await addMember(ctx, org, viewer, request.body);
      return reply.status(201).send(presentMember(member, viewer));
    },
  );

  r.get(
    "/orgs/:org/members/:member",
    { schema: { tags, summary: "A member's profile, circles and current roles", params: MemberParams } },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      return presentMember(await loadMember(ctx.db, org.id, request.params.member, now), viewer);
    },
  );

  r.get(
    "/orgs/:org/members/:member/assignments",
    {
      schema: {
        tags,
        summary: "A member's leadership history: every term they held, hold or will hold, newest first",
        description: "Each term as in GET /roles/{role}/assignments, with its role and circle.",
        params: MemberParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const terms = await termsOfMember(ctx.db, org.id, request.params.member, now);
      return {
        assignments: terms.map(({ assignment, role }) => presentHeldTerm(assignment, role, viewer, now)),
      };
    },
  );

  r.patch(
    "/orgs/:org/members/:member",
    {
      schema: {
        tags,
        summary: "Edit your own name and profile; an admin changes access or archives",
        params: MemberParams,
        body: UpdateMemberBody,
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const { org, viewer } = await orgViewerOf(request);
      const member = await updateMember(ctx, org, viewer, request.params.member, request.body);
      // The caller may just have changed their own access.
      const after = await loadViewer(ctx.db, org.id, auth.user.id, ctx.now());
      return presentMember(member, after.viewer);
    },
  );
}
