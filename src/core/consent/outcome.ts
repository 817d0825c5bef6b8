import { DomainError } from "../errors.js";
import { openObjections } from "./objections.js";
import type { ConsentRound, Proposal } from "./proposal.js";
import { currentRound } from "./proposal.js";
import { participation, type QuorumRule } from "./quorum.js";
import { latestResponses, readyToClose } from "./round.js";

/** The visible counts of a consent round. Members who have not responded are counted as such, never as consent. */
export interface ConsentTally {
  eligible: number;
  responded: number;
  noResponse: number;
  consent: number;
  consentWithConcern: number;
  object: number;
  quorumNeeded: number;
  quorumMet: boolean;
}

/** Counts each participant's latest response once. */
export function tallyRound(round: ConsentRound, quorum: QuorumRule): ConsentTally {
  const tally = { consent: 0, consent_with_concern: 0, object: 0 };
  for (const { response } of latestResponses(round).values()) tally[response.kind]++;
  const responded = tally.consent + tally.consent_with_concern + tally.object;
  return {
    ...participation(round.eligible.length, responded, quorum),
    consent: tally.consent,
    consentWithConcern: tally.consent_with_concern,
    object: tally.object,
  };
}

export type RoundOutcome = "adopted" | "objections_open" | "lapsed";

export interface RoundVerdict {
  outcome: "open" | RoundOutcome;
  tally: ConsentTally;
}

/**
 * What the current consent round comes to at `now`. It stays open until every participant has
 * responded or its deadline has passed. Then an open objection sends the proposal to integration (an
 * objection is a reason to improve it, so it is heard even in a thin round); otherwise it is adopted
 * when the quorum is met and lapses when it is not.
 */
export function decideRound(proposal: Proposal, now: Date): RoundVerdict {
  const round = currentRound(proposal);
  if (!round || proposal.state !== "consent_round")
    throw new DomainError("invalid_transition", "No consent round is running", { state: proposal.state });
  const tally = tallyRound(round, proposal.quorum);
  if (!readyToClose(round, now)) return { outcome: "open", tally };
  if (openObjections(proposal).length > 0) return { outcome: "objections_open", tally };
  return { outcome: tally.quorumMet ? "adopted" : "lapsed", tally };
}
