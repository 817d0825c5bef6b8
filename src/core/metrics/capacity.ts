import type { MemberId } from "../ids.js";
import { compareIds } from "../rotation/score.js";
import { isHeldLeadership, type LeadershipAssignment } from "./leadership.js";
import { assertWindow, type MetricWindow } from "./window.js";

/** When a member first held a leadership role (ever, not only in the window). */
export interface FirstLeadership {
  memberId: MemberId;
  firstLedAt: Date;
}

/** Each member's first held leadership (shadowing aside), earliest first. */
export function firstLeadershipStarts(assignments: readonly LeadershipAssignment[]): FirstLeadership[] {
  const first = new Map<MemberId, Date>();
  for (const assignment of assignments) {
    if (!isHeldLeadership(assignment)) continue;
    const known = first.get(assignment.memberId);
    if (!known || assignment.startsAt.getTime() < known.getTime())
      first.set(assignment.memberId, assignment.startsAt);
  }
  return [...first]
    .map(([memberId, firstLedAt]) => ({ memberId, firstLedAt }))
    .sort((a, b) => a.firstLedAt.getTime() - b.firstLedAt.getTime() || compareIds(a.memberId, b.memberId));
}

/** The calendar periods (UTC) of `months` months each that overlap the window, cut to the window. */
function calendarPeriods(window: MetricWindow, months: 1 | 3) {
  assertWindow(window);
  const periods: { start: Date; end: Date; year: number; index: number }[] = [];
  const year = window.from.getUTCFullYear();
  let month = window.from.getUTCMonth() - (window.from.getUTCMonth() % months);
  for (let start = new Date(Date.UTC(year, month, 1)); start.getTime() < window.to.getTime(); ) {
    const end = new Date(Date.UTC(year, month + months, 1));
    periods.push({
      start: start.getTime() < window.from.getTime() ? window.from : start,
      end: end.getTime() > window.to.getTime() ? window.to : end,
      year: start.getUTCFullYear(),
      index: start.getUTCMonth() / months,
    });
    month += months;
    start = end;
  }
  return periods;
}

export interface CapacityPoint {
  /** The calendar month, "2026-03". */
  month: string;
  /** The end of the month, or the end of the window for the month it cuts. */
  at: Date;
  /** Distinct members who had ever held leadership by then. */
  leaders: number;
}

/**
 * Leadership capacity as a monthly series: at the end of each calendar month (UTC) in the window, how many
 * distinct members had ever held a leadership role. It only grows; the slope is the capacity being built.
 */
export function capacitySeries(
  firstLeaders: readonly FirstLeadership[],
  window: MetricWindow,
): CapacityPoint[] {
  return calendarPeriods(window, 1).map(({ end, year, index }) => ({
    month: `${year}-${String(index + 1).padStart(2, "0")}`,
    at: end,
    leaders: firstLeaders.filter((first) => first.firstLedAt.getTime() < end.getTime()).length,
  }));
}

export interface QuarterCount {
  /** The calendar quarter, "2026-Q1". */
  quarter: string;
  firstTimeLeaders: number;
}

/**
 * New first-time leaders per calendar quarter (UTC): members whose first leadership began in it. A quarter
 * the window cuts counts only its part inside the window.
 */
export function firstTimeLeadersPerQuarter(
  firstLeaders: readonly FirstLeadership[],
  window: MetricWindow,
): QuarterCount[] {
  return calendarPeriods(window, 3).map(({ start, end, year, index }) => ({
    quarter: `${year}-Q${index + 1}`,
    firstTimeLeaders: firstLeaders.filter(
      (first) => start.getTime() <= first.firstLedAt.getTime() && first.firstLedAt.getTime() < end.getTime(),
    ).length,
  }));
}
