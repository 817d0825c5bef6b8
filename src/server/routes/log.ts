import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import { circleReadingFor } from "../../app/log-reading.js";
import { orgPermissions } from "../../core/access.js";
import { forbidden } from "../../core/errors.js";
import { entriesForViewer } from "../../core/visibility.js";
import { readLogForReaders, readRecentLogForReaders, verifyOrgLog } from "../../db/log.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentLogEntry, presentLogVerdict } from "../presenters/log.js";
import { OrgParams } from "../schemas.js";

const LogQuery = Type.Object(
  {
    afterSeq: Type.Optional(
      Type.Integer({ minimum: 0, default: 0, description: "Entries after this sequence number" }),
    ),
    newestFirst: Type.Optional(
      Type.Boolean({ description: "Read backwards from the head (pages go on with `beforeSeq`)" }),
    ),
    beforeSeq: Type.Optional(
      Type.Integer({ minimum: 1, description: "With newestFirst: entries before this sequence number" }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export async function logRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["governance log"];

  r.get(
    "/orgs/:org/log",
    {
      schema: {
        tags,
        summary: "The governance log, a page at a time (oldest first, or newest first for recent activity)",
        description:
          "Pass `nextAfterSeq` back as `afterSeq` for the next page; it is null once the head is reached. " +
          "With `newestFirst=true`, pass `nextBeforeSeq` back as `beforeSeq`; it is null at the first entry.",
        params: OrgParams,
        querystring: LogQuery,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const can = orgPermissions(viewer);
      if (!can.readLog) throw forbidden("read the governance log");
      const { afterSeq = 0, limit = 100, newestFirst, beforeSeq } = request.query;
      if (newestFirst) {
        const read = await readRecentLogForReaders(ctx.db, org.id, { beforeSeq, limit: limit + 1 });
        const page = read.slice(0, limit);
        const circles = await circleReadingFor(ctx.db, org, viewer, page);
        return {
          entries: entriesForViewer(page, viewer, circles).map(presentLogEntry),
          nextBeforeSeq: read.length > limit ? (page[page.length - 1]?.seq ?? null) : null,
          can: { verify: can.verifyLog },
        };
      }
      // One entry more than the page tells whether another page follows.
      const read = await readLogForReaders(ctx.db, org.id, { afterSeq, limit: limit + 1 });
      const page = read.slice(0, limit);
      const circles = await circleReadingFor(ctx.db, org, viewer, page);
      return {
        entries: entriesForViewer(page, viewer, circles).map(presentLogEntry),
        nextAfterSeq: read.length > limit ? (page[page.length - 1]?.seq ?? null) : null,
        can: { verify: can.verifyLog },
      };
    },
  );

  r.get(
    "/orgs/:org/log/verify",
    {
      schema: {
        tags,
        summary: "Recompute the hash chain; names the first broken entry",
        params: OrgParams,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      if (!orgPermissions(viewer).verifyLog) throw forbidden("verify the governance log");
      return presentLogVerdict(await verifyOrgLog(ctx.db, org.id));
    },
  );
}
