import { isDueForReview } from "../consent/decision.js";
import type { Resolution } from "../consent/objections.js";
import { invalid } from "../errors.js";
import { type Ratio, ratio, ratioOfTotals } from "./ratio.js";

/**
 * The median: half the values lie at or below it. With an even count, the mean of the middle two.
 * Null for no values. Used for time to decision, in whatever unit the durations come in (days on the
 * dashboard: from presenting a proposal to its adoption).
 */
export function medianTimeToDecision(durations: readonly number[]): number | null {
  for (const duration of durations)
    if (!Number.isFinite(duration) || duration < 0)
      throw invalid("A time to decision is 0 or more", { duration });
  const sorted = [...durations].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return null;
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One consent round: how many responses it had and how many of them were objections. */
export interface RoundObjections {
  responses: number;
  objections: number;
}

/** Objection rate: objections out of all responses in the consent rounds, over the rounds together. */
export const objectionRate = (rounds: readonly RoundObjections[]): Ratio =>
  ratioOfTotals(
    rounds,
    (round) => round.objections,
    (round) => round.responses,
  );

/**
 * Where an objection ended: still open, integrated by one of the three ways (amendment, shorter term,
 * measure), withdrawn, or overruled — the consent machinery's resolutions, flattened.
 */
export type ObjectionFate =
  | "open"
  | Extract<Resolution, { outcome: "integrated" }>["by"]
  | Exclude<Resolution["outcome"], "integrated">;

/**
 * Share of objections integrated by amendment — the proposal changed to meet the objection — out of the
 * objections resolved in any way. Open objections are left out: their fate is not known yet, and counting
 * them would make a round still integrating look like one that failed to.
 */
export function integratedByAmendmentShare(objectionsByFate: Partial<Record<ObjectionFate, number>>): Ratio {
  let resolved = 0;
  for (const [fate, count] of Object.entries(objectionsByFate)) {
    if (!Number.isInteger(count) || (count as number) < 0)
      throw invalid("Objections are counted in whole numbers", { fate, count });
    if (fate !== "open") resolved += count as number;
  }
  return ratio(objectionsByFate.amendment ?? 0, resolved);
}

/** How many of the active decisions are due (or overdue) for review at `now`. */
export const overdueReviews = (decisions: readonly { reviewAt: Date }[], now: Date) =>
  decisions.filter((decision) => isDueForReview(decision, now)).length;
