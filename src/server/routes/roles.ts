import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { listAssignments, recordAssignment, updateAssignment } from "../../app/assignments.js";
import { refreshViewer } from "../../app/circles.js";
import type { AppContext } from "../../app/context.js";
import { createRole, getRole, loadRoles, updateRole } from "../../app/roles.js";
import { ASSIGNMENT_SOURCES } from "../../core/assignments.js";
import { CREATABLE_ROLE_KINDS, FILLING_POLICIES, ROTATION_MODES } from "../../core/roles.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentAssignment, presentRole } from "../presenters/role.js";
import { Body, Id, LongText, NullableTimestamp, OrgRef, ShortText, Timestamp } from "../schemas.js";

const RoleParams = Type.Object({ org: OrgRef, role: Id });
const AssignmentParams = Type.Object({ org: OrgRef, role: Id, assignment: Id });
const RoleQuery = Type.Object(
  { circleId: Type.Optional(Id), includeArchived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const SkillLevel = Type.Object(
  { skill: ShortText(100), level: Type.Integer() },
  { additionalProperties: false },
);
// Bounds that the core does not own (term length, list sizes) are kept here; the domain rules are the core's.
const roleFields = {
  purpose: Type.Optional(LongText(4000)),
  domain: Type.Optional(LongText(4000)),
  accountabilities: Type.Optional(Type.Array(ShortText(500), { maxItems: 100 })),
  termDays: Type.Optional(Type.Union([Type.Integer({ maximum: 3650 }), Type.Null()])),
  requiredSkills: Type.Optional(Type.Array(SkillLevel, { maxItems: 50 })),
  leadership: Type.Optional(Type.Boolean()),
  fillingPolicy: Type.Optional(Type.Enum(FILLING_POLICIES)),
  rotationMode: Type.Optional(
    Type.Enum(ROTATION_MODES, {
      description: "For rotating roles: propose the top candidate for consent, or assign automatically",
    }),
  ),
  maxConsecutiveTerms: Type.Optional(Type.Union([Type.Integer({ maximum: 100 }), Type.Null()])),
};

const CreateRoleBody = Body({
  circleId: Id,
  name: ShortText(120),
  kind: Type.Optional(Type.Enum(CREATABLE_ROLE_KINDS)),
  ...roleFields,
});
const UpdateRoleBody = Body({
  name: Type.Optional(ShortText(120)),
  ...roleFields,
  archived: Type.Optional(Type.Literal(true, { description: "Archive the role; current terms end with it" })),
});

const RecordAssignmentBody = Body({
  memberId: Id,
  source: Type.Optional(
    Type.Enum(ASSIGNMENT_SOURCES, {
      description: "appointment or founding; the others come from their process",
    }),
  ),
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(NullableTimestamp),
  shadow: Type.Optional(Type.Boolean()),
  handoverNotes: Type.Optional(LongText(10_000)),
});
const UpdateAssignmentBody = Body({
  endsAt: Type.Optional(NullableTimestamp),
  handoverNotes: Type.Optional(LongText(10_000)),
});

const toDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export async function roleRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["roles"];

  r.get(
    "/orgs/:org/roles",
    {
      schema: {
        tags,
        summary: "Roles with their current holders",
        params: Type.Object({ org: OrgRef }),
        querystring: RoleQuery,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const { circleId, includeArchived } = request.query;
      const roles = await loadRoles(
        ctx.db,
        org.id,
        { circleIds: circleId ? [circleId] : undefined, includeArchived },
        now,
      );
      return { roles: roles.map((role) => presentRole(role, viewer)) };
    },
  );

  r.post(
    "/orgs/:org/roles",
    {
      schema: {
        tags,
        summary: "Create a role in a circle",
        params: Type.Object({ org: OrgRef }),
        body: CreateRoleBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      return reply.status(201).send(presentRole(await createRole(ctx, org.id, viewer, request.body), viewer));
    },
  );

  r.get(
    "/orgs/:org/roles/:role",
    { schema: { tags, summary: "A role and who holds it now", params: RoleParams } },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      return presentRole(await getRole(ctx.db, org.id, request.params.role, now), viewer);
    },
  );

  r.patch(
    "/orgs/:org/roles/:role",
    {
      schema: {
        tags,
        summary: "Change a role, or archive it (not a structural role)",
        params: RoleParams,
        body: UpdateRoleBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const role = await updateRole(ctx, org.id, viewer, request.params.role, request.body);
      return presentRole(role, await refreshViewer(ctx, org.id, viewer));
    },
  );

  r.get(
    "/orgs/:org/roles/:role/assignments",
    { schema: { tags, summary: "Everyone who has held, holds or will hold the role", params: RoleParams } },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const role = await getRole(ctx.db, org.id, request.params.role, now);
      const assignments = await listAssignments(ctx.db, org.id, role.id);
      return { assignments: assignments.map((a) => presentAssignment(a, role, viewer, now)) };
    },
  );

  r.post(
    "/orgs/:org/roles/:role/assignments",
    {
      schema: {
        tags,
        summary: "Record an appointment or a founding holder (endsAt defaults to the role's term)",
        params: RoleParams,
        body: RecordAssignmentBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { body, params } = request;
      const assignment = await recordAssignment(ctx, org.id, viewer, params.role, {
        ...body,
        startsAt: toDate(body.startsAt) ?? undefined,
        endsAt: toDate(body.endsAt),
      });
      const now = ctx.now();
      const role = await getRole(ctx.db, org.id, params.role, now);
      return reply
        .status(201)
        .send(presentAssignment(assignment, role, await refreshViewer(ctx, org.id, viewer), now));
    },
  );

  r.patch(
    "/orgs/:org/roles/:role/assignments/:assignment",
    {
      schema: {
        tags,
        summary: "End a term early (never extend an elected one) or write handover notes",
        params: AssignmentParams,
        body: UpdateAssignmentBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { body, params } = request;
      const assignment = await updateAssignment(ctx, org.id, viewer, params.role, params.assignment, {
        ...body,
        endsAt: toDate(body.endsAt),
      });
      const now = ctx.now();
      const role = await getRole(ctx.db, org.id, params.role, now);
      return presentAssignment(assignment, role, await refreshViewer(ctx, org.id, viewer), now);
    },
  );
}
