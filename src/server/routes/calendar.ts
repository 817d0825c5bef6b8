import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import { Type } from "typebox";
import { circleCalendar, createCalendarFeed, memberCalendar } from "../../app/calendar.js";
import type { AppContext } from "../../app/context.js";
import { orgViewerOf } from "../plugins/auth.js";
import { Id, OrgRef } from "../schemas.js";

/** The feed secret as it appears in the URL (`pcal_` and 43 base64url characters); the route looks it up. */
const FeedToken = Type.String({ minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9_-]+$" });

const sendCalendar = (reply: FastifyReply, text: string) =>
  reply
    .type("text/calendar; charset=utf-8")
    // A feed is personal: shared caches must not keep it.
    .header("cache-control", "private, no-store")
    .send(text);

export async function calendarRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["calendar"];

  r.post(
    "/orgs/:org/calendar/token",
    {
      schema: {
        tags,
        summary:
          "Create or rotate your calendar feed: returns its subscription URL once (the old URL stops working)",
        params: Type.Object({ org: OrgRef }),
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { token, createdAt } = await createCalendarFeed(ctx, org, viewer);
      const base = `${request.protocol}://${request.host}/api/v1/calendar/${token}`;
      return reply.status(201).send({
        url: `${base}.ics`,
        circleUrlTemplate: `${base}/circles/{circleId}.ics`,
        createdAt: createdAt.toISOString(),
      });
    },
  );

  r.get(
    "/calendar/:token.ics",
    {
      schema: {
        tags,
        summary:
          "A member's calendar feed (the URL is the credential): their circles' meetings, their term ends, their circles' decision reviews",
        params: Type.Object({ token: FeedToken }),
        security: [],
      },
    },
    async (request, reply) =>
      sendCalendar(reply, await memberCalendar(ctx.db, request.params.token, ctx.now())),
  );

  r.get(
    "/calendar/:token/circles/:circle.ics",
    {
      schema: {
        tags,
        summary:
          "One circle's calendar feed, with the same credential: its meetings, its roles' term ends and its decision reviews",
        params: Type.Object({ token: FeedToken, circle: Id }),
        security: [],
      },
    },
    async (request, reply) =>
      sendCalendar(
        reply,
        await circleCalendar(ctx.db, request.params.token, request.params.circle, ctx.now()),
      ),
  );
}
