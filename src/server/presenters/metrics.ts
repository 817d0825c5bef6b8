import { stringify } from "csv-stringify/sync";
import type { Metrics } from "../../app/metrics.js";
import type { MemberId } from "../../core/ids.js";
import type { LorenzPoint } from "../../core/metrics/concentration.js";
import {
  periodPhrase,
  readActiveMembers,
  readAttendance,
  readCapacity,
  readChangedHands,
  readConcentration,
  readConsecutiveTerms,
  readCrossCircleTies,
  readDensity,
  readFirstTimeLeaders,
  readIntegratedByAmendment,
  readMedianTimeToDecision,
  readObjectionRate,
  readOverdueReviews,
  readReach,
  readResponseRate,
  readRolesPastTerm,
} from "../../core/metrics/plain-reading.js";
import type { Ratio } from "../../core/metrics/ratio.js";
import { windowDays } from "../../core/metrics/window.js";

/**
 * How much of the long lists one answer carries: a large organisation has a hundred thousand members and
 * as many ties. The counts are always whole; the full leadership-days table is in the CSV export.
 */
export const METRICS_LIST_LIMIT = 500;
/** Points of the Lorenz curve for the chart: every member up to this many, else evenly spaced ones. */
const LORENZ_POINTS = 101;

/** The metrics as the API answers them, each with its plain-language reading. */
export function presentMetrics(metrics: Metrics) {
  const { window, concentration, capacity, engagement, collaboration, decisionHealth, rotationHealth } =
    metrics;
  const names = new Map(metrics.members.map((member) => [member.memberId, member.name]));
  // The core lists ties by member; a stable sort by weight keeps that order among equals.
  const ties = [...collaboration.ties].sort((x, y) => y.weight - x.weight).slice(0, METRICS_LIST_LIMIT);
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString(), days: windowDays(window) },
    scope: { circleId: metrics.circle?.id ?? null, circleName: metrics.circle?.name ?? null },
    reach: { ...metrics.reach, reading: readReach(metrics.reach, window) },
    concentration: {
      gini: concentration.gini,
      topTenPercentShare: concentration.topTenPercentShare,
      lorenz: evenlySpaced(concentration.lorenz),
      reading: readConcentration(concentration),
    },
    capacity: {
      series: capacity.series.map((point) => ({ ...point, at: point.at.toISOString() })),
      firstTimeLeaders: capacity.firstTimeLeaders,
      readings: {
        series: readCapacity(capacity.series),
        firstTimeLeaders: readFirstTimeLeaders(capacity.firstTimeLeaders),
      },
    },
    engagement: {
      ...engagement,
      readings: {
        responseRate: readResponseRate(engagement.responseRate),
        attendance: readAttendance(engagement.attendance),
        activeMembers: readActiveMembers(engagement.activeMembers),
      },
    },
    collaboration: {
      density: collaboration.density,
      crossCircleShare: collaboration.crossCircleShare,
      nodes: graphNodes(collaboration.degrees, ties, names),
      ties,
      totals: { nodes: collaboration.degrees.length, ties: collaboration.ties.length },
      readings: { density: readDensity(collaboration), crossCircleShare: readCrossCircleTies(collaboration) },
    },
    decisionHealth: {
      ...decisionHealth,
      rolesPastTerm: rotationHealth.rolesPastTerm,
      readings: {
        medianDaysToDecision: readMedianTimeToDecision(decisionHealth.medianDaysToDecision),
        objectionRate: readObjectionRate(decisionHealth.objectionRate),
        integratedByAmendment: readIntegratedByAmendment(decisionHealth.integratedByAmendment),
        overdueReviews: readOverdueReviews(decisionHealth.overdueReviews),
        rolesPastTerm: readRolesPastTerm(rotationHealth.rolesPastTerm),
      },
    },
    rotationHealth: {
      ...rotationHealth,
      readings: {
        changedHands: readChangedHands(rotationHealth, window),
        consecutiveTerms: readConsecutiveTerms(rotationHealth),
        rolesPastTerm: readRolesPastTerm(rotationHealth.rolesPastTerm),
      },
    },
    leadershipDays: metrics.leadershipDays.slice(0, METRICS_LIST_LIMIT),
    leadershipDaysTotal: metrics.leadershipDays.length,
  };
}

/** The Lorenz curve thinned to evenly spaced members; it is drawn as straight segments, so the shape holds. */
function evenlySpaced(points: LorenzPoint[]) {
  if (points.length <= LORENZ_POINTS) return points;
  const last = points.length - 1;
  return Array.from(
    { length: LORENZ_POINTS },
    (_, k) => points[Math.round((k * last) / (LORENZ_POINTS - 1))] as LorenzPoint,
  );
}

/** The members of the ties shown, then the best-connected others, up to the list limit (or the ties' own). */
function graphNodes(
  degrees: readonly { memberId: MemberId; degree: number }[],
  ties: readonly { a: MemberId; b: MemberId }[],
  names: ReadonlyMap<MemberId, string>,
) {
  const shown = new Set(ties.flatMap((tie) => [tie.a, tie.b]));
  const byDegree = [...degrees].sort((x, y) => y.degree - x.degree);
  const nodes = byDegree.filter((node) => shown.has(node.memberId));
  for (const node of byDegree) {
    if (nodes.length >= METRICS_LIST_LIMIT) break;
    if (!shown.has(node.memberId)) nodes.push(node);
  }
  return nodes.map((node) => ({ ...node, name: names.get(node.memberId) ?? "" }));
}

const shareOf = (ratio: Ratio) => ratio.share;

/** One row per metric: its name, the scope, the value (a share from 0 to 1, a count, days) and its reading. */
function metricRows(metrics: Metrics) {
  const { window, concentration, capacity, engagement, collaboration, decisionHealth, rotationHealth } =
    metrics;
  const scope = metrics.circle?.name ?? "organisation";
  const rows: [string, number | null, string][] = [
    ["leadershipReach", shareOf(metrics.reach), readReach(metrics.reach, window)],
    ["leadershipGini", concentration.gini, readConcentration(concentration)],
    ["leadershipTopTenPercentShare", concentration.topTenPercentShare, readConcentration(concentration)],
    ["leadershipCapacity", capacity.series.at(-1)?.leaders ?? null, readCapacity(capacity.series)],
    [
      "firstTimeLeaders",
      capacity.firstTimeLeaders.reduce((sum, quarter) => sum + quarter.firstTimeLeaders, 0),
      readFirstTimeLeaders(capacity.firstTimeLeaders),
    ],
    ["responseRate", shareOf(engagement.responseRate), readResponseRate(engagement.responseRate)],
    ["meetingAttendance", shareOf(engagement.attendance), readAttendance(engagement.attendance)],
    ["activeMembers", shareOf(engagement.activeMembers), readActiveMembers(engagement.activeMembers)],
    ["collaborationDensity", shareOf(collaboration.density), readDensity(collaboration)],
    ["crossCircleTies", shareOf(collaboration.crossCircleShare), readCrossCircleTies(collaboration)],
    [
      "medianDaysToDecision",
      decisionHealth.medianDaysToDecision,
      readMedianTimeToDecision(decisionHealth.medianDaysToDecision),
    ],
    ["objectionRate", shareOf(decisionHealth.objectionRate), readObjectionRate(decisionHealth.objectionRate)],
    [
      "objectionsIntegratedByAmendment",
      shareOf(decisionHealth.integratedByAmendment),
      readIntegratedByAmendment(decisionHealth.integratedByAmendment),
    ],
    [
      "decisionsOverdueForReview",
      decisionHealth.overdueReviews,
      readOverdueReviews(decisionHealth.overdueReviews),
    ],
    ["rolesPastTerm", rotationHealth.rolesPastTerm, readRolesPastTerm(rotationHealth.rolesPastTerm)],
    ["rolesChangedHands", shareOf(rotationHealth.changedHands), readChangedHands(rotationHealth, window)],
    ["meanConsecutiveTerms", rotationHealth.meanConsecutiveTerms, readConsecutiveTerms(rotationHealth)],
  ];
  return rows.map(([metric, value, reading]) => ({
    metric,
    scope,
    period: periodPhrase(window),
    value,
    reading,
  }));
}

export type MetricsTable = "metrics" | "leadershipDays";

/** A spreadsheet runs a cell that starts like a formula; a member's name must stay a name. */
const asText = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** The CSV export: the metric values, or the whole per-member leadership-days table. */
export function metricsCsv(metrics: Metrics, table: MetricsTable) {
  const options = { header: true, cast: { string: asText } };
  if (table === "leadershipDays")
    return stringify(metrics.leadershipDays, { ...options, columns: ["memberId", "name", "days"] });
  return stringify(metricRows(metrics), {
    ...options,
    columns: ["metric", "scope", "period", "value", "reading"],
  });
}
