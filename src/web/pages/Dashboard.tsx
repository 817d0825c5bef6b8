import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { type Metrics, type MetricsScope, metricsCsvUrl, metricsQuery } from "../api-metrics.js";
import { ChartFigure, ChartTable } from "../components/charts/ChartFigure.js";
import { formatGini, formatMonth, formatQuarter, formatShare } from "../components/charts/format.js";
import { LorenzChart } from "../components/charts/LorenzChart.js";
import { NetworkChart } from "../components/charts/NetworkChart.js";
import { ColumnChart, LineChart } from "../components/charts/SeriesChart.js";
import { type Share, ShareBars, shareRows } from "../components/charts/ShareBars.js";
import { useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, usePageTitle } from "../components/Status.js";
import { formatDate } from "../format.js";
import { circlesQuery } from "../queries.js";
import "../dashboard.css";

const WINDOWS = [
  { days: 90, label: "Last 90 days" },
  { days: 365, label: "Last year" },
  { days: 1095, label: "Last 3 years" },
] as const;
const DEFAULT_WINDOW = 365;

/** The window and circle live in the address, so a view of the dashboard can be shared as a link. */
function useDashboardScope() {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get("window"));
  const windowDays = WINDOWS.some((option) => option.days === asked) ? asked : DEFAULT_WINDOW;
  const scope: MetricsScope = { windowDays, circleId: params.get("circle") || null };
  const set = (name: "window" | "circle", value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  return { scope, set };
}

function ScopeFilters({ scope, set }: ReturnType<typeof useDashboardScope>) {
  const { slug } = useOrg();
  const circles = useQuery(circlesQuery(slug));
  const ids = { window: useId(), circle: useId() };
  return (
    <form
      className="filters"
      aria-label="What the dashboard shows"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="filter">
        <label htmlFor={ids.window}>Period</label>
        <select
          id={ids.window}
          value={scope.windowDays}
          onChange={(event) => set("window", event.target.value)}
        >
          {WINDOWS.map((option) => (
            <option key={option.days} value={option.days}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={ids.circle}>Circle</label>
        <select
          id={ids.circle}
          value={scope.circleId ?? ""}
          onChange={(event) => set("circle", event.target.value || null)}
        >
          <option value="">The whole organisation</option>
          {circles.data?.map((circle) => (
            <option key={circle.id} value={circle.id}>
              {circle.name}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

/** One number with what it means in words. */
function Stat({
  label,
  value,
  reading,
  testId,
}: {
  label: string;
  value: string;
  reading: string;
  testId?: string;
}) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className="stat-value" data-testid={testId}>
        {value}
      </dd>
      <dd className="stat-reading">{reading}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="dashboard-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Several readings under one chart, one a line. */
const Readings = ({ readings }: { readings: readonly string[] }) => (
  <ul className="chart-readings">
    {readings.map((reading) => (
      <li key={reading}>{reading}</li>
    ))}
  </ul>
);

const shareTable = (caption: string, shares: readonly Share[]) => (
  <ChartTable caption={caption} columns={["Measure", "Count", "Out of", "Share"]} rows={shareRows(shares)} />
);

/** Each active member's leadership-days, most first, as a table with a bar in each row. */
function LeadershipDays({ metrics, csv }: { metrics: Metrics; csv: string }) {
  const { slug } = useOrg();
  const { leadershipDays, leadershipDaysTotal } = metrics;
  const most = Math.max(1, ...leadershipDays.map((row) => row.days));
  const titleId = useId();
  return (
    <section className="chart leadership-days" aria-labelledby={titleId}>
      <h3 id={titleId} className="chart-title">
        Leadership-days by member
      </h3>
      <p className="chart-reading">
        Days each active member held a leadership role in the period, most first.{" "}
        <a href={csv} download>
          Download the whole table (CSV)
        </a>
      </p>
      {leadershipDaysTotal > leadershipDays.length && (
        <p className="muted">
          The {leadershipDays.length} members with the most days, of {leadershipDaysTotal}; the CSV has
          everyone.
        </p>
      )}
      <ChartTable
        caption="Leadership-days by member"
        columns={["Member", "Leadership-days"]}
        rows={leadershipDays.map((row) => [
          <Link key={row.memberId} to={`/orgs/${slug}/members/${row.memberId}`}>
            {row.name}
          </Link>,
          <span key={row.memberId} className="days-cell">
            <span className="days-track" aria-hidden="true">
              <span className="days-bar" style={{ width: `${(row.days / most) * 100}%` }} />
            </span>
            <span className="days-value">{row.days.toLocaleString()}</span>
          </span>,
        ])}
      />
    </section>
  );
}

function WhoLeads({ metrics, csv }: { metrics: Metrics; csv: string }) {
  const { reach, concentration } = metrics;
  return (
    <Section title="Who leads">
      <dl className="stats">
        <Stat
          label="Leadership reach"
          value={formatShare(reach.share)}
          reading={reach.reading}
          testId="reach"
        />
        <Stat
          label="Concentration (Gini)"
          value={formatGini(concentration.gini)}
          reading="0 is leadership shared evenly, 1 is one person doing all of it"
          testId="gini"
        />
        <Stat
          label="Held by the top 10 %"
          value={formatShare(concentration.topTenPercentShare)}
          reading="of all leadership-days"
        />
      </dl>
      <div className="chart-grid-2">
        <ChartFigure
          title="How evenly leadership-days are shared"
          reading={concentration.reading}
          table={
            <ChartTable
              caption="The Lorenz curve: members with the fewest leadership-days first"
              columns={["Share of members", "Share of leadership-days they held"]}
              rows={concentration.lorenz.map((point) => [
                formatShare(point.population),
                formatShare(point.share),
              ])}
            />
          }
        >
          <LorenzChart
            points={concentration.lorenz}
            label={`Lorenz curve of leadership-days. ${concentration.reading}.`}
          />
        </ChartFigure>
        <LeadershipDays metrics={metrics} csv={csv} />
      </div>
    </Section>
  );
}

function Capacity({ metrics }: { metrics: Metrics }) {
  const { series, firstTimeLeaders, readings } = metrics.capacity;
  const months = series.map((point) => ({ label: formatMonth(point.month), value: point.leaders }));
  const quarters = firstTimeLeaders.map((point) => ({
    label: formatQuarter(point.quarter),
    value: point.firstTimeLeaders,
  }));
  return (
    <Section title="Leadership capacity">
      <div className="chart-grid-2">
        <ChartFigure
          title="Members who have ever led"
          reading={readings.series}
          table={
            <ChartTable
              caption="Members who had ever held leadership, at the end of each month"
              columns={["Month", "Members"]}
              rows={months.map((point) => [point.label, point.value])}
            />
          }
        >
          <LineChart
            points={months}
            label={`Line chart of members who have ever led, by month. ${readings.series}.`}
            xTitle="Month"
            yTitle="Members"
          />
        </ChartFigure>
        <ChartFigure
          title="First-time leaders"
          reading={readings.firstTimeLeaders}
          table={
            <ChartTable
              caption="Members who led for the first time, by quarter"
              columns={["Quarter", "First-time leaders"]}
              rows={quarters.map((point) => [point.label, point.value])}
            />
          }
        >
          <ColumnChart
            points={quarters}
            label={`Column chart of first-time leaders by quarter. ${readings.firstTimeLeaders}.`}
            xTitle="Quarter"
            yTitle="Members"
          />
        </ChartFigure>
      </div>
    </Section>
  );
}

function Engagement({ metrics }: { metrics: Metrics }) {
  const { responseRate, attendance, activeMembers, readings } = metrics.engagement;
  const shares: Share[] = [
    { name: "Responses given", ratio: responseRate },
    { name: "Meeting attendance", ratio: attendance },
    { name: "Active in the last 30 days", ratio: activeMembers },
  ];
  return (
    <ChartFigure
      title="Engagement"
      reading={<Readings readings={[readings.responseRate, readings.attendance, readings.activeMembers]} />}
      table={shareTable("Engagement in the period", shares)}
    >
      <ShareBars shares={shares} label="Engagement, in percent" />
    </ChartFigure>
  );
}

function DecisionHealth({ metrics }: { metrics: Metrics }) {
  const { decisionHealth: decisions, rotationHealth: rotation } = metrics;
  const shares: Share[] = [
    { name: "Responses that objected", ratio: decisions.objectionRate },
    { name: "Objections integrated by amendment", ratio: decisions.integratedByAmendment },
    { name: "Elected or rotating roles that changed hands", ratio: rotation.changedHands },
  ];
  return (
    <ChartFigure
      title="Decision and rotation health"
      reading={
        <Readings
          readings={[
            decisions.readings.objectionRate,
            decisions.readings.integratedByAmendment,
            rotation.readings.changedHands,
          ]}
        />
      }
      table={shareTable("Decision and rotation health in the period", shares)}
    >
      <ShareBars shares={shares} label="Decision and rotation health, in percent" />
    </ChartFigure>
  );
}

/** The counts of decision and rotation health, each with its reading. */
function DecisionNumbers({ metrics }: { metrics: Metrics }) {
  const { decisionHealth: decisions, rotationHealth: rotation } = metrics;
  return (
    <dl className="stats stats-small decision-numbers">
      <Stat label="Decisions made" value={decisions.decisionsMade.toLocaleString()} reading="in the period" />
      <Stat
        label="Median days to decide"
        value={decisions.medianDaysToDecision === null ? "–" : decisions.medianDaysToDecision.toFixed(1)}
        reading={decisions.readings.medianDaysToDecision}
      />
      <Stat
        label="Overdue for review"
        value={decisions.overdueReviews.toLocaleString()}
        reading={decisions.readings.overdueReviews}
      />
      <Stat
        label="Roles past their term"
        value={rotation.rolesPastTerm.toLocaleString()}
        reading={rotation.readings.rolesPastTerm}
      />
      <Stat
        label="Terms in a row"
        value={rotation.meanConsecutiveTerms === null ? "–" : rotation.meanConsecutiveTerms.toFixed(1)}
        reading={rotation.readings.consecutiveTerms}
      />
    </dl>
  );
}

function Collaboration({ metrics }: { metrics: Metrics }) {
  const { nodes, ties, totals, readings } = metrics.collaboration;
  const names = new Map(nodes.map((node) => [node.memberId, node.name]));
  const shown =
    totals.ties > ties.length || totals.nodes > nodes.length
      ? ` The ${ties.length} strongest ties of ${totals.ties} are listed.`
      : "";
  return (
    <Section title="Collaboration">
      <ChartFigure
        title="Who worked with whom"
        reading={<Readings readings={[readings.density, readings.crossCircleShare]} />}
        table={
          <>
            <ChartTable
              caption="Members by how many others they worked with"
              columns={["Member", "Worked with"]}
              rows={nodes.map((node) => [node.name, node.degree])}
            />
            <ChartTable
              caption={`Ties: two members who worked on the same proposals, cycles or mentorships.${shown}`}
              columns={["Members", "Pieces of shared work", "Across circles"]}
              rows={ties.map((tie) => [
                `${names.get(tie.a) ?? "A member"} and ${names.get(tie.b) ?? "a member"}`,
                tie.weight,
                tie.crossesCircles ? "Yes" : "No",
              ])}
            />
          </>
        }
      >
        {ties.length === 0 ? (
          <p className="empty">
            Nobody worked with anyone else on a proposal, cycle or mentorship in this period.
          </p>
        ) : (
          <NetworkChart
            nodes={nodes}
            ties={ties}
            label={`Network of ${totals.nodes} members and ${totals.ties} working ties. ${readings.density}.`}
          />
        )}
      </ChartFigure>
    </Section>
  );
}

function MetricsView({ metrics, leadershipDaysCsv }: { metrics: Metrics; leadershipDaysCsv: string }) {
  return (
    <>
      <WhoLeads metrics={metrics} csv={leadershipDaysCsv} />
      <Capacity metrics={metrics} />
      <Section title="Taking part">
        <div className="chart-grid-2">
          <Engagement metrics={metrics} />
          <DecisionHealth metrics={metrics} />
        </div>
        <DecisionNumbers metrics={metrics} />
      </Section>
      <Collaboration metrics={metrics} />
    </>
  );
}

/**
 * The leadership dashboard (DESIGN §4): how widely and evenly leadership is shared, whether the number of
 * people able to lead grows, how members take part and work together — each chart with its reading in
 * words and its numbers as a table.
 */
export function DashboardPage() {
  const org = useOrg();
  usePageTitle(`Dashboard · ${org.name}`);
  const { scope, set } = useDashboardScope();
  // The last view stays up while another window or circle loads, so the page does not jump.
  const metrics = useQuery({ ...metricsQuery(org.slug, scope), placeholderData: keepPreviousData });
  const csv = {
    metrics: metricsCsvUrl(org.slug, scope, "metrics"),
    leadershipDays: metricsCsvUrl(org.slug, scope, "leadershipDays"),
  };
  const shown = metrics.isPlaceholderData ? undefined : metrics.data;
  return (
    <div className="page dashboard">
      <h1>Leadership dashboard</h1>
      <p className="lead">
        A mirror, not a score: how widely leadership is shared, whether more people become able to lead, and
        how members take part and work together.
      </p>
      <div className="dashboard-controls">
        <ScopeFilters scope={scope} set={set} />
        <p className="dashboard-downloads">
          Download as CSV:{" "}
          <a href={csv.metrics} download>
            the metrics
          </a>
          {" · "}
          <a href={csv.leadershipDays} download>
            leadership-days by member
          </a>
        </p>
      </div>
      <div className="dashboard-scope" role="status">
        {shown
          ? `${shown.scope.circleName ?? org.name}, ${formatDate(shown.window.from)} to ${formatDate(shown.window.to)}`
          : metrics.isFetching && (
              // The region itself announces the change; Loading would be a second live region inside it.
              <span className="loading">
                <span className="spinner" aria-hidden="true" />
                Loading the metrics…
              </span>
            )}
      </div>
      {metrics.isError && (
        <ErrorMessage
          error={metrics.error}
          title="The metrics could not be loaded"
          onRetry={() => metrics.refetch()}
        />
      )}
      {metrics.data && (
        <div className="dashboard-body" aria-busy={metrics.isPlaceholderData}>
          <MetricsView metrics={metrics.data} leadershipDaysCsv={csv.leadershipDays} />
        </div>
      )}
    </div>
  );
}
