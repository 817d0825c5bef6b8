import type { CircleId, MemberId } from "../ids.js";
import type { ObjectionId, ProposalId } from "./ids.js";
import { effectiveReviewMonths } from "./objections.js";
import { type ConsentTally, tallyRound } from "./outcome.js";
import type { ConsentRound, Proposal } from "./proposal.js";
import { currentVersion } from "./proposal.js";
import { latestResponses } from "./round.js";

/**
 * What the circle adopted: the text of the version consented to, the term until review, and what to
 * check at the review — the concerns given with consent and the measures agreed to integrate objections.
 */
export interface Decision {
  proposalId: ProposalId;
  circleId: CircleId;
  version: number;
  text: string;
  adoptedAt: Date;
  reviewMonths: number;
  reviewAt: Date;
  /** Objections integrated by shortening the term; empty when the usual term applies. */
  termShortenedBy: ObjectionId[];
  concerns: { memberId: MemberId; concern: string }[];
  measures: { objectionId: ObjectionId; memberId: MemberId; measure: string }[];
  tally: ConsentTally;
}

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

/** The decision made by adopting `proposal` in `round` at `adoptedAt`. */
export function describeDecision(proposal: Proposal, round: ConsentRound, adoptedAt: Date): Decision {
  const version = currentVersion(proposal);
  const reviewMonths = effectiveReviewMonths(proposal);
  const concerns = [...latestResponses(round).values()].flatMap(({ memberId, response }) =>
    response.kind === "consent_with_concern" ? [{ memberId, concern: response.concern }] : [],
  );
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
    version: version.number,
    text: version.text,
    adoptedAt,
    reviewMonths,
    reviewAt: addMonths(adoptedAt, reviewMonths),
    termShortenedBy,
    concerns,
    measures,
    tally: tallyRound(round, proposal.quorum),
  };
}

/** A decision comes due for review on its review date; it then shows to the circle until reviewed. */
export const isDueForReview = (decision: Pick<Decision, "reviewAt">, now: Date) =>
  now.getTime() >= decision.reviewAt.getTime();
