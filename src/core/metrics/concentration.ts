import { invalid } from "../errors.js";
import type { MemberId } from "../ids.js";

function ascending(values: readonly number[]) {
  for (const value of values)
    if (!Number.isFinite(value) || value < 0)
      throw invalid("Concentration is measured over amounts of 0 or more", { value });
  return [...values].sort((a, b) => a - b);
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * The Gini coefficient in its population form, Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄): 0 when everyone holds the same,
 * up to 1 − 1/n when one holds everything. Computed from the sorted values, Σᵢ (2i − n − 1) x₍ᵢ₎ / (n Σx)
 * with i counted from 1, which is the same sum in O(n log n). 0 for no values or when all are 0.
 */
export function gini(values: readonly number[]): number {
  const sorted = ascending(values);
  const n = sorted.length;
  const total = sum(sorted);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  sorted.forEach((value, i) => {
    weighted += (2 * (i + 1) - n - 1) * value;
  });
  // Rounding can leave a hair below 0 for equal values; the coefficient itself never is.
  return Math.max(0, weighted / (n * total));
}

/**
 * The share of the total held by the top `percent` % — the ⌈n · percent / 100⌉ largest values, at least
 * one. 0 for no values or when all are 0.
 */
export function topShare(values: readonly number[], percent = 10): number {
  if (!(percent > 0 && percent <= 100)) throw invalid("The top share is of 0 to 100 percent", { percent });
  const sorted = ascending(values);
  const total = sum(sorted);
  if (sorted.length === 0 || total === 0) return 0;
  // n · percent is a whole number for whole percents, so the ceiling is exact (no 30 × 0.1 = 3.0000000000000004).
  const top = Math.max(1, Math.ceil((sorted.length * percent) / 100));
  return sum(sorted.slice(-top)) / total;
}

/** A point of the Lorenz curve: the poorest `population` share of members holds `share` of the total. */
export interface LorenzPoint {
  population: number;
  share: number;
}

/**
 * The Lorenz curve for the chart: from (0, 0) to (1, 1), one point per member, smallest first. With all
 * values 0 nothing is concentrated and the curve is the line of equality (Gini 0).
 */
export function lorenzCurve(values: readonly number[]): LorenzPoint[] {
  const sorted = ascending(values);
  const n = sorted.length;
  const total = sum(sorted);
  const points: LorenzPoint[] = [{ population: 0, share: 0 }];
  let running = 0;
  sorted.forEach((value, i) => {
    running += value;
    points.push({ population: (i + 1) / n, share: total === 0 ? (i + 1) / n : running / total });
  });
  return points;
}

export interface LeadershipConcentration {
  gini: number;
  /** Share of leadership-days held by the top 10 % of active members. */
  topTenPercentShare: number;
  lorenz: LorenzPoint[];
}

/**
 * Leadership concentration across the active members, those who did not lead counted with 0 days: a
 * group where two of four members did all the leading is concentrated, however evenly those two shared it.
 */
export function leadershipConcentration(
  activeMembers: readonly MemberId[],
  daysByMember: ReadonlyMap<MemberId, number>,
): LeadershipConcentration {
  const days = [...new Set(activeMembers)].map((memberId) => daysByMember.get(memberId) ?? 0);
  return { gini: gini(days), topTenPercentShare: topShare(days, 10), lorenz: lorenzCurve(days) };
}
