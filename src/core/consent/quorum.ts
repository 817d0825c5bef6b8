import { invalid } from "../errors.js";

/**
 * How many of the eligible participants must respond for a round to count. The default is more than
 * half; a circle may set a share in percent instead ("at least two thirds" is 67).
 */
export type QuorumRule = { kind: "more_than_half" } | { kind: "at_least_percent"; percent: number };

export const DEFAULT_QUORUM: QuorumRule = { kind: "more_than_half" };

export function assertQuorumRule(rule: QuorumRule) {
  if (
    rule.kind === "at_least_percent" &&
    !(Number.isInteger(rule.percent) && rule.percent >= 1 && rule.percent <= 100)
  )
    throw invalid("A quorum is a whole percentage from 1 to 100", { field: "quorum.percent" });
}

/** The fewest responses that meet the quorum among `eligible` participants (integer arithmetic, no rounding drift). */
export function quorumNeeded(eligible: number, rule: QuorumRule): number {
  if (rule.kind === "more_than_half") return Math.floor(eligible / 2) + 1;
  return Math.max(1, Math.ceil((eligible * rule.percent) / 100));
}

/** Only responses given count towards the quorum: silence is never a response. */
export const quorumMet = (responded: number, eligible: number, rule: QuorumRule) =>
  responded >= quorumNeeded(eligible, rule);

/** Who took part in a round: the counts every tally shares, whatever the kinds of response. */
export function participation(eligible: number, responded: number, rule: QuorumRule) {
  return {
    eligible,
    responded,
    noResponse: eligible - responded,
    quorumNeeded: quorumNeeded(eligible, rule),
    quorumMet: quorumMet(responded, eligible, rule),
  };
}
