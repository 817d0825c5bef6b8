import type { AssignmentShape } from "../assignments.js";
import type { MemberId } from "../ids.js";
import { type Ratio, ratio } from "./ratio.js";
import { assertWindow, DAY_MS, type MetricWindow } from "./window.js";

/**
 * One assignment as the leadership metrics see it. Every metric here takes the facts of one scope: pass
 * the whole organisation's assignments for the organisation, one circle's for that circle.
 */
export interface LeadershipAssignment extends AssignmentShape {
  leadership: boolean;
}

/** Held leadership: a leadership role held for real. Shadowing is learning beside the holder, not leading. */
export const isHeldLeadership = (assignment: Pick<LeadershipAssignment, "leadership" | "shadow">) =>
  assignment.leadership && !assignment.shadow;

/**
 * Leadership-days per member within the window: the time during which the member held at least one
 * leadership role, in days (fractional for part days). Overlapping leadership roles of one member count
 * once — two roles held through the same week are seven leadership-days, not fourteen — so the measure
 * says how long someone led, not how many hats they wore. Members who did not lead are left out.
 */
export function leadershipDays(
  assignments: readonly LeadershipAssignment[],
  window: MetricWindow,
): ReadonlyMap<MemberId, number> {
  assertWindow(window);
  const spans = new Map<MemberId, [number, number][]>();
  for (const assignment of assignments) {
    if (!isHeldLeadership(assignment)) continue;
    const start = Math.max(assignment.startsAt.getTime(), window.from.getTime());
    const end = Math.min(assignment.endsAt?.getTime() ?? Number.POSITIVE_INFINITY, window.to.getTime());
    if (start >= end) continue;
    const memberSpans = spans.get(assignment.memberId) ?? [];
    memberSpans.push([start, end]);
    spans.set(assignment.memberId, memberSpans);
  }
  const days = new Map<MemberId, number>();
  for (const [memberId, memberSpans] of spans) days.set(memberId, unionLength(memberSpans) / DAY_MS);
  return days;
}

/** Total length covered by the spans, counting overlaps once. */
function unionLength(spans: [number, number][]) {
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const [start, end] of spans) {
    if (end <= coveredUntil) continue;
    total += end - Math.max(start, coveredUntil);
    coveredUntil = end;
  }
  return total;
}

/**
 * Leadership reach: how many of the active members held any leadership role in the window. Leaders who
 * are no longer active members are not counted, so the share stays between 0 and 1.
 */
export function reach(activeMembers: readonly MemberId[], leadersInWindow: Iterable<MemberId>): Ratio {
  const active = new Set(activeMembers);
  const leaders = new Set(leadersInWindow);
  let led = 0;
  for (const memberId of active) if (leaders.has(memberId)) led++;
  return ratio(led, active.size);
}
