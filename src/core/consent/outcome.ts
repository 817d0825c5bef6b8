import { DomainError } from "../errors.js";
import { type ConsensusTally, consensusOutcome, tallyConsensus } from "./methods/consensus.js";
import { countVotes, type VoteTally } from "./methods/vote.js";
import { openObjections } from "./objections.js";
import type { ConsentRound, DecisionRound, Proposal, VoteRound } from "./proposal.js";
import { currentRound, votingMandate } from "./proposal.js";
import { participation, type QuorumRule } from "./quorum.js";
import { latestResponses, readyToClose } from "./round.js";

/** The visible counts of a consent round. Members who have not responded are counted as such, never as consent. */
export interface ConsentTally {
  method: "consent";
  eligible: number;
  responded: number;
  noResponse: number;
  consent: number;
  consentWithConcern: number;
  object: number;
  quorumNeeded: number;
  quorumMet: boolean;
}

/** The tally of a round of any method; `method` tells which. */
export type RoundTally = ConsentTally | ConsensusTally | VoteTally;

/** Counts each participant's latest response once. */
export function tallyConsent(round: ConsentRound, quorum: QuorumRule): ConsentTally {
  const tally = { consent: 0, consent_with_concern: 0, object: 0 };
  for (const { response } of latestResponses(round).values()) tally[response.kind]++;
  const responded = tally.consent + tally.consent_with_concern + tally.object;
  return {
    method: "consent",
    ...participation(round.eligible.length, responded, quorum),
    consent: tally.consent,
    consentWithConcern: tally.consent_with_concern,
    object: tally.object,
  };
}

/** What a round leads the proposal to, in the proposal's own states. */
export type RoundOutcome = "adopted" | "objections_open" | "lapsed" | "blocked" | "rejected";

export interface RoundVerdict {
  outcome: "open" | RoundOutcome;
  tally: RoundTally;
}

const countVotesIn = (proposal: Proposal, round: VoteRound, now: Date) =>
  countVotes(round, votingMandate(proposal), now);

/**
 * A round's tally as anyone may see it at `now`: consent and consensus tallies always, a secret vote's
 * counts only once it has closed (while open they are null, so no one votes knowing the others' votes).
 */
export function visibleTally(proposal: Proposal, round: DecisionRound, now: Date): RoundTally {
  switch (round.method) {
    case "consent":
      return tallyConsent(round, proposal.quorum);
    case "consensus":
      return tallyConsensus(round, proposal.quorum);
    case "vote":
      return countVotesIn(proposal, round, now).tally;
  }
}

/**
 * What the running round comes to at `now`; a read that calls it is right even if no job has closed the
 * round at its deadline yet. Asking of a proposal with no round running is an invalid transition.
 * - Consent: open until every participant has responded or the deadline has passed. Then an open
 *   objection sends the proposal to integration (an objection is a reason to improve it, so it is heard
 *   even in a thin round); otherwise it is adopted when the quorum is met and lapses when it is not.
 * - Consensus: a block ends it at once; otherwise reached (adopted) or lapsed, see `consensusOutcome`.
 * - Vote: carried (adopted), defeated (rejected) or lapsed below the mandate's quorum, see `countVotes`.
 */
export function roundVerdict(proposal: Proposal, now: Date): RoundVerdict {
  const round = currentRound(proposal);
  if (!round || round.closedAt !== null || proposal.state !== "consent_round")
    throw new DomainError("invalid_transition", "No round is running", { state: proposal.state });
  switch (round.method) {
    case "consent": {
      const tally = tallyConsent(round, proposal.quorum);
      if (!readyToClose(round, now)) return { outcome: "open", tally };
      if (openObjections(proposal).length > 0) return { outcome: "objections_open", tally };
      return { outcome: tally.quorumMet ? "adopted" : "lapsed", tally };
    }
    case "consensus": {
      const { outcome, tally } = consensusOutcome(round, proposal.quorum, now);
      return { outcome: outcome === "reached" ? "adopted" : outcome, tally };
    }
    case "vote": {
      const { outcome, tally } = countVotesIn(proposal, round, now);
      const states = { open: "open", carried: "adopted", defeated: "rejected", lapsed: "lapsed" } as const;
      return { outcome: states[outcome], tally };
    }
  }
}
