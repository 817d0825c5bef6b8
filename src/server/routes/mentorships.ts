import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import {
  addCheckIn,
  beginMentorship,
  finishMentorship,
  listMentorships,
  mentorSuggestions,
  readMentorship,
} from "../../app/mentorships.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentMentorship, presentSuggestions } from "../presenters/mentorship.js";
import { Body, Id, OrgRef, Paging, ShortText } from "../schemas.js";

const MentorshipParams = Type.Object({ org: OrgRef, mentorship: Id });

const ListQuery = Type.Object(
  {
    memberId: Type.Optional(Id),
    state: Type.Optional(Type.Enum(["active", "ended"] as const)),
    ...Paging.properties,
  },
  { additionalProperties: false },
);
const SuggestionsQuery = Type.Object(
  { menteeId: Type.Optional(Id) },
  { additionalProperties: false, description: "menteeId defaults to the caller" },
);
const StartBody = Body({
  mentorId: Id,
  menteeId: Id,
  skills: Type.Array(ShortText(100), { maxItems: 20, description: "Skills to grow; at least one" }),
  goals: Type.Optional(Type.Array(ShortText(500), { maxItems: 20 })),
});
const CheckInBody = Body({ text: ShortText(10_000) });

export async function mentorshipRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["mentorships"];
  r.get(
    "/orgs/:org/mentorships",
    {
      schema: {
        tags,
        summary: "Mentorships, running first; check-ins only for the mentor and the mentee",
        params: Type.Object({ org: OrgRef }),
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, ...filter } = request.query;
      const { mentorships, hasMore } = await listMentorships(ctx.db, org, { ...filter, limit, offset });
      return { mentorships: mentorships.map((m) => presentMentorship(m, viewer)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/mentorships",
    {
      schema: {
        tags,
        summary: "The mentor or the mentee starts a mentorship around skills to grow, with goals",
        params: Type.Object({ org: OrgRef }),
        body: StartBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const mentorship = await beginMentorship(ctx, org, viewer, request.body);
      return reply.status(201).send(presentMentorship(mentorship, viewer));
    },
  );

  r.get(
    "/orgs/:org/mentorships/suggestions",
    {
      schema: {
        tags,
        summary:
          "Who could mentor a member in the skills they want mentoring in: offered, or held at level 4 or more",
        params: Type.Object({ org: OrgRef }),
        querystring: SuggestionsQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const menteeId = request.query.menteeId ?? viewer.memberId;
      return presentSuggestions(await mentorSuggestions(ctx.db, org, menteeId));
    },
  );

  r.get(
    "/orgs/:org/mentorships/:mentorship",
    { schema: { tags, summary: "A mentorship", params: MentorshipParams } },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentMentorship(await readMentorship(ctx.db, org, request.params.mentorship), viewer);
    },
  );

  r.post(
    "/orgs/:org/mentorships/:mentorship/check-ins",
    {
      schema: {
        tags,
        summary: "The mentor or the mentee notes how it is going (the log records only that they met)",
        params: MentorshipParams,
        body: CheckInBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const mentorship = await addCheckIn(ctx, org, viewer, request.params.mentorship, request.body.text);
      return reply.status(201).send(presentMentorship(mentorship, viewer));
    },
  );

  r.post(
    "/orgs/:org/mentorships/:mentorship/end",
    { schema: { tags, summary: "Either of the pair ends the mentorship", params: MentorshipParams } },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      return presentMentorship(await finishMentorship(ctx, org, viewer, request.params.mentorship), viewer);
    },
  );
}
