import { type Command, InvalidArgumentError } from "commander";
import type { presentMetrics } from "../../server/presenters/metrics.js";
import { ApiClient, type ApiOptions, addApiOptions } from "../api-client.js";

/** The metrics as the API presents them (dates as ISO strings). */
type MetricsView = ReturnType<typeof presentMetrics>;

interface MetricsOptions extends ApiOptions {
  windowDays?: number;
  circle?: string;
}

export function configureMetricsCommand(program: Command) {
  addApiOptions(
    program
      .command("metrics")
      .description("The leadership metrics from a running server, with an API token: each in plain words")
      .option("--window-days <n>", "days back from now to look at (1 to 3650, default 365)", parseDays)
      .option("--circle <id>", "one circle's metrics instead of the organisation's"),
  ).action(async (options: MetricsOptions) => {
    const metrics = await new ApiClient(options).get<MetricsView>(
      `/orgs/${encodeURIComponent(options.org)}/metrics`,
      { windowDays: options.windowDays, circleId: options.circle },
    );
    if (options.json) console.log(JSON.stringify(metrics, null, 2));
    else console.log(summary(metrics));
  });
}

function parseDays(value: string) {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3_650)
    throw new InvalidArgumentError("Give a whole number of days from 1 to 3650");
  return Number(value);
}

const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)} %`);

/** One line per metric: its name, its value and its reading. */
function summary(m: MetricsView) {
  const scope = m.scope.circleName ? `circle ${m.scope.circleName}` : "the organisation";
  const lines: [string, string, string][] = [
    ["Leadership reach", percent(m.reach.share), m.reach.reading],
    ["Concentration", `Gini ${m.concentration.gini.toFixed(2)}`, m.concentration.reading],
    ["Capacity", String(m.capacity.series.at(-1)?.leaders ?? 0), m.capacity.readings.series],
    ["First-time leaders", "", m.capacity.readings.firstTimeLeaders],
    ["Response rate", percent(m.engagement.responseRate.share), m.engagement.readings.responseRate],
    ["Attendance", percent(m.engagement.attendance.share), m.engagement.readings.attendance],
    ["Active members", percent(m.engagement.activeMembers.share), m.engagement.readings.activeMembers],
    ["Collaboration", percent(m.collaboration.density.share), m.collaboration.readings.density],
    [
      "Cross-circle ties",
      percent(m.collaboration.crossCircleShare.share),
      m.collaboration.readings.crossCircleShare,
    ],
    [
      "Time to decision",
      m.decisionHealth.medianDaysToDecision === null
        ? "—"
        : `${m.decisionHealth.medianDaysToDecision.toFixed(1)} d`,
      m.decisionHealth.readings.medianDaysToDecision,
    ],
    [
      "Objection rate",
      percent(m.decisionHealth.objectionRate.share),
      m.decisionHealth.readings.objectionRate,
    ],
    [
      "Integrated by amendment",
      percent(m.decisionHealth.integratedByAmendment.share),
      m.decisionHealth.readings.integratedByAmendment,
    ],
    ["Reviews overdue", String(m.decisionHealth.overdueReviews), m.decisionHealth.readings.overdueReviews],
    ["Roles past term", String(m.rotationHealth.rolesPastTerm), m.rotationHealth.readings.rolesPastTerm],
    ["Changed hands", percent(m.rotationHealth.changedHands.share), m.rotationHealth.readings.changedHands],
    [
      "Terms in a row",
      m.rotationHealth.meanConsecutiveTerms?.toFixed(1) ?? "—",
      m.rotationHealth.readings.consecutiveTerms,
    ],
  ];
  const nameWidth = Math.max(...lines.map(([name]) => name.length));
  const valueWidth = Math.max(...lines.map(([, value]) => value.length));
  return [
    `Metrics of ${scope}, ${m.window.from.slice(0, 10)} to ${m.window.to.slice(0, 10)}`,
    "",
    ...lines.map(([name, value, reading]) =>
      `${name.padEnd(nameWidth)}  ${value.padStart(valueWidth)}  ${reading}`.trimEnd(),
    ),
  ].join("\n");
}
