import { invalid } from "../errors.js";
import type { MemberId } from "../ids.js";
import { type Ratio, ratio, ratioOfTotals } from "./ratio.js";
import { DAY_MS } from "./window.js";

/** Days back that count as "recently active" on the dashboard. */
export const ACTIVE_DAYS = 30;

/** One consent round or election round: how many members could respond and how many did. */
export interface RoundTurnout {
  eligible: number;
  responded: number;
}

/**
 * Response rate in consent rounds and elections: responses given out of responses asked for, over all the
 * rounds together (a round of 40 weighs more than a round of 4). Silence is no response, never consent.
 */
export const responseRate = (rounds: readonly RoundTurnout[]): Ratio =>
  ratioOfTotals(
    rounds,
    (round) => round.responded,
    (round) => round.eligible,
  );

/** One meeting: how many members were expected (the circle's members) and how many attended. */
export interface MeetingAttendance {
  expected: number;
  attended: number;
}

/** Meeting attendance: attendances out of expected attendances, over all the meetings together. */
export const attendanceRate = (meetings: readonly MeetingAttendance[]): Ratio =>
  ratioOfTotals(
    meetings,
    (meeting) => meeting.attended,
    (meeting) => meeting.expected,
  );

/** A member and the moment of their latest governance activity (null: none yet). */
export interface MemberActivity {
  memberId: MemberId;
  lastActiveAt: Date | null;
}

/**
 * How many of the members were active in the last `days` days up to `now` (both ends included). Activity
 * recorded after `now` does not count: the question is about the days before it.
 */
export function activeMembers(members: readonly MemberActivity[], now: Date, days = ACTIVE_DAYS): Ratio {
  if (!(days > 0)) throw invalid("Activity is looked at over a positive number of days", { days });
  const since = now.getTime() - days * DAY_MS;
  const active = members.filter(
    ({ lastActiveAt }) =>
      lastActiveAt !== null && since <= lastActiveAt.getTime() && lastActiveAt.getTime() <= now.getTime(),
  );
  return ratio(active.length, members.length);
}
