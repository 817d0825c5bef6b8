import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import { loadMetrics } from "../../app/metrics.js";
import { loadViewer } from "../../app/viewer.js";
import type { CircleId } from "../../core/ids.js";
import { DEFAULT_WINDOW_DAYS } from "../../core/metrics/window.js";
import { requireAuth } from "../plugins/auth.js";
import { METRICS_LIST_LIMIT, metricsCsv, presentMetrics } from "../presenters/metrics.js";
import { Id, OrgParams } from "../schemas.js";

/** Ten years: the log of an organisation older than that is still read whole, but one window stops here. */
const WINDOW_DAYS_MAX = 3_650;

const scopeQuery = {
  windowDays: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: WINDOW_DAYS_MAX,
      default: DEFAULT_WINDOW_DAYS,
      description: "Days back from now that the metrics look at",
    }),
  ),
  circleId: Type.Optional({ ...Id, description: "One circle's metrics instead of the organisation's" }),
};

const MetricsQuery = Type.Object(scopeQuery, { additionalProperties: false });
const MetricsCsvQuery = Type.Object(
  {
    ...scopeQuery,
    table: Type.Optional(
      Type.Union([Type.Literal("metrics"), Type.Literal("leadershipDays")], {
        description: "`metrics` (default): one row per metric; `leadershipDays`: one row per active member",
      }),
    ),
  },
  { additionalProperties: false },
);

const WHO_READS =
  "Every member reads the organisation's metrics, observers included (they come from the log, which is " +
  "open to all). A circle's metrics are read like its governance: observers read those of their own " +
  "circles, and of others where the organisation lets observers read circles. Active members are the " +
  "scope's current members who are not observers.";

export async function metricRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["metrics"];

  const metricsFor = async (
    userId: string,
    orgRef: string,
    query: { windowDays?: number | undefined; circleId?: string | undefined },
  ) => {
    const now = ctx.now();
    const { org, viewer } = await loadViewer(ctx.db, orgRef, userId, now);
    const request = {
      windowDays: query.windowDays ?? DEFAULT_WINDOW_DAYS,
      circleId: (query.circleId ?? null) as CircleId | null,
    };
    return { org, metrics: await loadMetrics(ctx.db, org, viewer, request, now) };
  };

  r.get(
    "/orgs/:org/metrics",
    {
      schema: {
        tags,
        summary: "The leadership metrics (DESIGN §4) over a window, for the organisation or one circle",
        description:
          `Reach, concentration (Gini, top-10 % share, Lorenz curve), capacity, engagement, collaboration, ` +
          `decision and rotation health, each with a plain-language reading. Long lists (ties, nodes, the ` +
          `leadership-days table) carry at most ${METRICS_LIST_LIMIT} entries, with their totals; ` +
          `metrics.csv?table=leadershipDays has the whole table. ${WHO_READS}`,
        params: OrgParams,
        querystring: MetricsQuery,
      },
    },
    async (request) => {
      const { metrics } = await metricsFor(requireAuth(request).user.id, request.params.org, request.query);
      return presentMetrics(metrics);
    },
  );

  r.get(
    "/orgs/:org/metrics.csv",
    {
      schema: {
        tags,
        summary: "The metrics as CSV: one row per metric, or the per-member leadership-days table",
        description: WHO_READS,
        params: OrgParams,
        querystring: MetricsCsvQuery,
      },
    },
    async (request, reply) => {
      const { table = "metrics", ...scope } = request.query;
      const { org, metrics } = await metricsFor(requireAuth(request).user.id, request.params.org, scope);
      const name = [
        org.slug,
        metrics.circle ? "circle" : null,
        table === "metrics" ? "metrics" : "leadership-days",
      ]
        .filter(Boolean)
        .join("-");
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}.csv"`)
        .send(metricsCsv(metrics, table));
    },
  );
}
