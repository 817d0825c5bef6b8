import type { CapacityPoint, QuarterCount } from "./capacity.js";
import type { CollaborationGraph } from "./collaboration.js";
import type { LeadershipConcentration } from "./concentration.js";
import { ACTIVE_DAYS } from "./engagement.js";
import type { Ratio } from "./ratio.js";
import type { RotationHealth } from "./rotation-health.js";
import { type MetricWindow, windowDays } from "./window.js";

// One-line readings of the metrics in plain words, for the dashboard beside each number or chart.

const percent = (share: number) => `${Math.round(share * 100)} %`;
const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const ofCount = (r: Ratio, one: string, many: string) => `${r.count} of ${counted(r.of, one, many)}`;
/** The verb agrees with the count: "1 of 3 members was", "2 of 3 members were". */
const agree = (count: number, singular: string, plural: string) => (count === 1 ? singular : plural);

/** "in the last year", "in the last 90 days", or the dates of a window that is not whole days. */
export function periodPhrase(window: MetricWindow): string {
  const days = windowDays(window);
  if (days === 365 || days === 366) return "in the last year";
  if (Number.isInteger(days)) return `in the last ${counted(days, "day", "days")}`;
  return `from ${window.from.toISOString().slice(0, 10)} to ${window.to.toISOString().slice(0, 10)}`;
}

/** "12 of 20 members led something in the last year". */
export const readReach = (reach: Ratio, window: MetricWindow) =>
  reach.of === 0
    ? `There were no active members ${periodPhrase(window)}`
    : `${ofCount(reach, "member", "members")} led something ${periodPhrase(window)}`;

/** "The top 10 % held 48 % of leadership-days (Gini 0.63, where 0 is shared evenly)". */
export const readConcentration = (concentration: LeadershipConcentration) =>
  concentration.topTenPercentShare === 0
    ? "No one held a leadership role"
    : `The top 10 % held ${percent(concentration.topTenPercentShare)} of leadership-days ` +
      `(Gini ${concentration.gini.toFixed(2)}, where 0 is shared evenly)`;

/** "34 members have ever held leadership, 29 at the end of 2025-03". */
export function readCapacity(series: readonly CapacityPoint[]): string {
  const first = series[0];
  const last = series.at(-1);
  if (!first || !last) return "No months to show";
  const now = `${counted(last.leaders, "member has", "members have")} ever held leadership`;
  return first === last ? now : `${now}, ${first.leaders} at the end of ${first.month}`;
}

/** "3 members led for the first time in 2026-Q1, 9 since 2025-Q2". */
export function readFirstTimeLeaders(quarters: readonly QuarterCount[]): string {
  const first = quarters[0];
  const last = quarters.at(-1);
  if (!first || !last) return "No quarters to show";
  const latest = `${counted(last.firstTimeLeaders, "member", "members")} led for the first time in ${last.quarter}`;
  const total = quarters.reduce((sum, quarter) => sum + quarter.firstTimeLeaders, 0);
  return first === last ? latest : `${latest}, ${total} since ${first.quarter}`;
}

/** "Members gave 170 of 200 responses asked of them in consent rounds and elections (85 %)". */
export const readResponseRate = (rate: Ratio) =>
  rate.share === null
    ? "No consent rounds or elections asked for responses"
    : `Members gave ${ofCount(rate, "response", "responses")} asked of them in consent rounds and elections (${percent(rate.share)})`;

/** "Meetings were attended by 40 of 50 expected members (80 %)". */
export const readAttendance = (rate: Ratio) =>
  rate.share === null
    ? "No meetings to attend"
    : `Meetings were attended by ${ofCount(rate, "expected member", "expected members")} (${percent(rate.share)})`;

/** "18 of 25 members were active in the last 30 days". */
export const readActiveMembers = (active: Ratio, days = ACTIVE_DAYS) =>
  `${ofCount(active, "member", "members")} ${agree(active.count, "was", "were")} active in the last ${counted(days, "day", "days")}`;

/** "21 of 50 working ties cross circles (42 %)". */
export const readCrossCircleTies = (graph: Pick<CollaborationGraph, "crossCircleShare">) =>
  graph.crossCircleShare.share === null
    ? "No two members worked together"
    : `${ofCount(graph.crossCircleShare, "working tie", "working ties")} ${agree(graph.crossCircleShare.count, "crosses", "cross")} circles (${percent(graph.crossCircleShare.share)})`;

/** "Members worked together in 12 % of the possible pairs (55 of 450)". */
export const readDensity = (graph: Pick<CollaborationGraph, "density">) =>
  graph.density.share === null
    ? "Too few members to form pairs"
    : `Members worked together in ${percent(graph.density.share)} of the possible pairs (${graph.density.count} of ${graph.density.of})`;

/** "Half of the decisions were made within 9 days". */
export function readMedianTimeToDecision(medianDays: number | null): string {
  if (medianDays === null) return "No decisions were made";
  const within = medianDays < 1 ? "a day" : counted(Math.round(medianDays), "day", "days");
  return `Half of the decisions were made within ${within}`;
}

/** "4 of 50 responses were objections (8 %)". */
export const readObjectionRate = (rate: Ratio) =>
  rate.share === null
    ? "No responses in consent rounds"
    : `${ofCount(rate, "response", "responses")} ${agree(rate.count, "was an objection", "were objections")} (${percent(rate.share)})`;

/** "5 of 8 resolved objections were integrated by amending the proposal". */
export const readIntegratedByAmendment = (share: Ratio) =>
  share.share === null
    ? "No objections were resolved"
    : `${ofCount(share, "resolved objection", "resolved objections")} ${agree(share.count, "was", "were")} integrated by amending the proposal`;

/** "3 decisions are overdue for review". */
export const readOverdueReviews = (count: number) =>
  count === 0
    ? "No decision is overdue for review"
    : `${counted(count, "decision is", "decisions are")} overdue for review`;

/** "2 roles are past their term". */
export const readRolesPastTerm = (count: number) =>
  count === 0 ? "No role is past its term" : `${counted(count, "role is", "roles are")} past their term`;

/** "7 of 10 elected or rotating roles changed hands in the last year". */
export const readChangedHands = (health: Pick<RotationHealth, "changedHands">, window: MetricWindow) =>
  health.changedHands.of === 0
    ? `No elected or rotating roles were held ${periodPhrase(window)}`
    : `${ofCount(health.changedHands, "elected or rotating role", "elected or rotating roles")} changed hands ${periodPhrase(window)}`;

/** "Holders of elected and rotating roles have served 1.4 terms in a row on average". */
export const readConsecutiveTerms = (health: Pick<RotationHealth, "meanConsecutiveTerms">) =>
  health.meanConsecutiveTerms === null
    ? "No elected or rotating roles are held"
    : `Holders of elected and rotating roles have served ${health.meanConsecutiveTerms.toFixed(1)} terms in a row on average`;
