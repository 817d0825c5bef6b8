import type { ServerResponse } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { authenticateSession, authenticateToken } from "../../app/accounts.js";
import type { AppContext } from "../../app/context.js";
import { circleReadingFor } from "../../app/log-reading.js";
import { loadViewer } from "../../app/viewer.js";
import { orgPermissions } from "../../core/access.js";
import { DomainError, forbidden } from "../../core/errors.js";
import { entriesForViewer } from "../../core/visibility.js";
import { logHeadSeq, type ReadableLogEntry } from "../../db/log.js";
import { orgViewerOf, SESSION_COOKIE } from "../plugins/auth.js";
import { presentLogEntry } from "../presenters/log.js";
import { OrgParams } from "../schemas.js";
import { TallyCache, TallyStream } from "../tallies.js";

const HEARTBEAT_MS = 20_000;
const RECONNECT_MS = 3_000;

const EventsQuery = Type.Object(
  {
    lastEventId: Type.Optional(
      Type.Integer({ minimum: 0, description: "For EventSource clients that cannot send Last-Event-ID" }),
    ),
  },
  { additionalProperties: false },
);

const EventsHeaders = Type.Object({
  "last-event-id": Type.Optional(
    Type.String({ pattern: "^[0-9]{0,15}$", description: "Resume after this log sequence number" }),
  ),
});

const formatEvent = (entry: ReadableLogEntry) =>
  `id: ${entry.seq}\nevent: ${entry.type}\ndata: ${JSON.stringify(presentLogEntry(entry))}\n\n`;

/** Resolves once the client has taken what was written, or has gone. */
const drained = (stream: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });

export async function eventRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tallies = new TallyCache(ctx);

  /** Checks the request's credentials again: a stream outlives logging out or revoking a token. */
  const authenticateAgain = (request: FastifyRequest) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    if (bearer) return authenticateToken(ctx, bearer);
    const session = request.cookies[SESSION_COOKIE];
    return session ? authenticateSession(ctx, session) : Promise.resolve(null);
  };

  r.get(
    "/orgs/:org/events",
    {
      schema: {
        tags: ["governance log"],
        summary: "Server-Sent Events: the governance log as it grows",
        description:
          "Each event is one log entry: `id` is its sequence number, `event` its type, `data` the entry as " +
          "in GET /orgs/{org}/log. Resume with Last-Event-ID (or `lastEventId` in the query; the header " +
          "wins) to receive every entry after it first; without it the stream starts at the current head. " +
          "While members respond, `proposal.tally` events (without an id) carry the round's visible tally, " +
          "at most one per proposal every 250 ms.",
        params: OrgParams,
        querystring: EventsQuery,
        headers: EventsHeaders,
      },
    },
    async (request, reply) => {
      const loaded = await orgViewerOf(request);
      let { org, viewer } = loaded;
      if (!orgPermissions(viewer).readLog) throw forbidden("read the governance log");
      const header = request.headers["last-event-id"];
      const resumeAfter = header ? Number(header) : request.query.lastEventId;
      const headSeq = await logHeadSeq(ctx.db, org.id);
      // An id beyond the head comes from another database (a restore); the stream goes on from the head.
      const afterSeq = resumeAfter === undefined ? headSeq : Math.min(resumeAfter, headSeq);

      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      // Writing to a stream that has ended would raise an error event; the client has gone anyway.
      const send = (text: string) => stream.writableEnded || stream.destroyed || stream.write(text);
      send(`retry: ${RECONNECT_MS}\n\n`);
      const tallyStream = new TallyStream(tallies, org.id, send);

      const follower = api.logHub.follow(org.id, afterSeq, {
        deliver: async (entries) => {
          const visible = entriesForViewer(
            entries,
            viewer,
            await circleReadingFor(ctx.db, org, viewer, entries),
          );
          const events = visible.map(formatEvent).join("");
          if (events && !send(events)) await drained(stream);
          for (const entry of visible)
            if (entry.type === "proposal.responded") tallyStream.mark(String(entry.payload.proposalId));
        },
        end: (error) => {
          if (error) request.log.warn({ err: error }, "event stream ended");
          stream.end();
        },
      });

      // The heartbeat keeps proxies from closing an idle stream, makes sure the reader is still allowed
      // to read, and catches up should a notification have been lost.
      const heartbeat = setInterval(async () => {
        send(": heartbeat\n\n");
        try {
          const stillAuth = await authenticateAgain(request);
          if (!stillAuth) return follower.end();
          ({ org, viewer } = await loadViewer(ctx.db, org.id, stillAuth.user.id, ctx.now()));
          follower.wake();
        } catch (error) {
          follower.end(error instanceof DomainError ? undefined : error);
        }
      }, HEARTBEAT_MS);

      const stop = () => {
        clearInterval(heartbeat);
        tallyStream.stop();
        follower.stop();
      };
      stream.on("close", stop);
      stream.on("error", stop);
    },
  );
}
