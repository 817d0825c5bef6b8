import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import { getRole } from "../../app/roles.js";
import { candidatesFor, planFor, rotateRole, termsDueFor } from "../../app/rotation.js";
import { ROTATION_MODES } from "../../core/roles.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentAssignment } from "../presenters/role.js";
import { presentCandidates, presentDueTerm, presentPlan, presentRotation } from "../presenters/rotation.js";
import { Body, Id, LongText, OrgParams, OrgRef, Timestamp } from "../schemas.js";

const RoleParams = Type.Object({ org: OrgRef, role: Id });

const RotateBody = Body({
  mode: Type.Optional(
    Type.Enum(ROTATION_MODES, {
      description: "consent (default) proposes the top candidate; automatic only where the circle chose it",
    }),
  ),
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
  termDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  note: Type.Optional(LongText(4000)),
});

const toDate = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export async function rotationRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["rotation"];

  r.get(
    "/orgs/:org/roles/:role/candidates",
    {
      schema: {
        tags,
        summary: "The role's circle ranked for it: each score's parts, and why some may not take it",
        params: RoleParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org } = await orgViewerOf(request);
      return presentCandidates(await candidatesFor(ctx.db, org.id, request.params.role, now));
    },
  );

  r.post(
    "/orgs/:org/roles/:role/rotate",
    {
      schema: {
        tags,
        summary: "Hand a rotating role on to its top candidate: by a consent proposal, or directly",
        params: RoleParams,
        body: RotateBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { body, params } = request;
      const outcome = await rotateRole(ctx, org, viewer, params.role, {
        ...body,
        startsAt: toDate(body.startsAt),
        endsAt: toDate(body.endsAt),
      });
      const now = ctx.now();
      const assignment =
        outcome.mode === "automatic"
          ? presentAssignment(
              outcome.assignment,
              await getRole(ctx.db, org.id, params.role, now),
              viewer,
              now,
            )
          : null;
      return reply.status(201).send(presentRotation(outcome, assignment));
    },
  );

  r.get(
    "/orgs/:org/rotation/plan",
    {
      schema: {
        tags,
        summary: "Who would take each rotating role that is due, planned together (read-only)",
        params: OrgParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org } = await orgViewerOf(request);
      return presentPlan(await planFor(ctx.db, org, now));
    },
  );

  r.get(
    "/orgs/:org/terms/due",
    {
      schema: {
        tags,
        summary: "Terms ending soon with no successor, and terms past their end (flagged)",
        params: OrgParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org } = await orgViewerOf(request);
      return { terms: (await termsDueFor(ctx.db, org, now)).map(presentDueTerm) };
    },
  );
}
