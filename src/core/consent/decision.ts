import type { CircleId, MemberId } from "../ids.js";
import type { ObjectionId, ProposalId } from "./ids.js";
import { type Advice, notAdvised } from "./methods/advice.js";
import type { VotingMandate } from "./methods/vote.js";
import { effectiveReviewMonths } from "./objections.js";
import { type RoundTally, visibleTally } from "./outcome.js";
import type { DecisionMethodKind, DecisionRound, Proposal } from "./proposal.js";
import { advisersOf, currentVersion } from "./proposal.js";
import { latestResponses } from "./round.js";

/**
 * What the circle adopted: the text of the version adopted, how it was decided, the term until review,
 * and what to check at the review — the concerns given with consent (or reasons for standing aside)
 * and the measures agreed to integrate objections.
 */
export interface Decision {
  proposalId: ProposalId;
  circleId: CircleId;
  method: DecisionMethodKind;
  version: number;
  text: string;
  adoptedAt: Date;
  reviewMonths: number;
  reviewAt: Date;
  /** Objections integrated by shortening the term; empty when the usual term applies. */
  termShortenedBy: ObjectionId[];
  concerns: { memberId: MemberId; concern: string }[];
  measures: { objectionId: ObjectionId; memberId: MemberId; measure: string }[];
  /** The final tally of the round that adopted it; null for the advice process, which has no round. */
  tally: RoundTally | null;
  /** The advice the proposer decided with, who gave none, and why they proceeded (advice method only). */
  advice: { given: Advice[]; notAdvised: MemberId[]; rationale: string } | null;
  /** The voting mandate this decision grants the circle. */
  grantsMandate: VotingMandate | null;
  review: Proposal["review"];
}

/** What a proposal was adopted by: the round that closed, or the proposer's reasoning after advice. */
export type AdoptedBy = { round: DecisionRound } | { rationale: string };

/** `months` calendar months after `date` (UTC), on the last day of the month when that day does not exist. */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  const day = date.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** What to watch at the review: the concerns given with consent, and the reasons given for standing aside. */
function concernsIn(round: DecisionRound): Decision["concerns"] {
  switch (round.method) {
    case "consent":
      return [...latestResponses(round).values()].flatMap(({ memberId, response }) =>
        response.kind === "consent_with_concern" ? [{ memberId, concern: response.concern }] : [],
      );
    case "consensus":
      return [...latestResponses(round).values()].flatMap(({ memberId, response }) =>
        response.kind === "stand_aside" && response.reason ? [{ memberId, concern: response.reason }] : [],
      );
    case "vote":
      return [];
  }
}

/** The decision made by adopting `proposal` at `adoptedAt`, in a closed round or by its proposer after advice. */
export function describeDecision(proposal: Proposal, adoptedAt: Date, adoptedBy: AdoptedBy): Decision {
  const version = currentVersion(proposal);
  const reviewMonths = effectiveReviewMonths(proposal);
  const round = "round" in adoptedBy ? adoptedBy.round : null;
  const termShortenedBy: ObjectionId[] = [];
  const measures: Decision["measures"] = [];
  for (const objection of proposal.objections) {
    const resolution = objection.resolution;
    if (resolution?.outcome !== "integrated") continue;
    if (resolution.by === "shorter_term" && resolution.reviewMonths === reviewMonths)
      termShortenedBy.push(objection.id);
    if (resolution.by === "measure")
      measures.push({ objectionId: objection.id, memberId: objection.memberId, measure: resolution.measure });
  }
  return {
    proposalId: proposal.id,
    circleId: proposal.circleId,
    method: proposal.method.kind,
    version: version.number,
    text: version.text,
    adoptedAt,
    reviewMonths,
    reviewAt: addMonths(adoptedAt, reviewMonths),
    termShortenedBy,
    concerns: round ? concernsIn(round) : [],
    measures,
    tally: round ? visibleTally(proposal, round, adoptedAt) : null,
    advice:
      "rationale" in adoptedBy
        ? {
            given: [...proposal.advice],
            notAdvised: notAdvised(advisersOf(proposal), proposal.advice),
            rationale: adoptedBy.rationale,
          }
        : null,
    grantsMandate: proposal.grantsMandate ? { ...proposal.grantsMandate, consentedIn: proposal.id } : null,
    review: proposal.review,
  };
}

/** A decision comes due for review on its review date; it then shows to the circle until reviewed. */
export const isDueForReview = (decision: Pick<Decision, "reviewAt">, now: Date) =>
  now.getTime() >= decision.reviewAt.getTime();
