import { forbidden, invalid } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import type { ProposalId } from "../ids.js";
import type { Ballot, VoteRound } from "../proposal.js";
import { assertQuorumRule, type QuorumRule, quorumMet, quorumNeeded } from "../quorum.js";
import { readyToClose } from "../round.js";

export const VOTE_CHOICES = ["yes", "no", "abstain"] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** A simple majority of yes over no, or at least a set percentage of yes among yes and no (abstentions aside). */
export type VoteThreshold = { kind: "majority" } | { kind: "at_least_percent"; percent: number };

/**
 * A circle's consent to decide one class of decisions by vote, and how: the decision that says so, the
 * threshold, whether ballots are secret, and the quorum. Without one, a circle does not vote.
 */
export interface VotingMandate {
  decisionClass: string;
  consentedIn: ProposalId;
  threshold: VoteThreshold;
  secret: boolean;
  quorum: QuorumRule;
}

export interface VoteTally {
  method: "vote";
  eligible: number;
  voted: number;
  notVoted: number;
  quorumNeeded: number;
  quorumMet: boolean;
  /** Null while a secret vote is open: the counts are shown once it has closed. */
  counts: Record<VoteChoice, number> | null;
}

export type VoteOutcome = "open" | "carried" | "defeated" | "lapsed";

export const NO_VOTES: Readonly<Record<VoteChoice, number>> = { yes: 0, no: 0, abstain: 0 };

/** A threshold above half (anything less could carry both a proposal and its opposite) and a sound quorum. */
export function assertVotingRules(rules: { threshold: VoteThreshold; quorum: QuorumRule }) {
  assertQuorumRule(rules.quorum);
  const { threshold } = rules;
  if (
    threshold.kind === "at_least_percent" &&
    !(Number.isInteger(threshold.percent) && threshold.percent > 50 && threshold.percent <= 100)
  )
    throw invalid("A threshold is a whole percentage above 50 and at most 100", {
      field: "threshold.percent",
    });
}

/** The circle's mandate to vote on a class of decisions; without one the circle may not vote on it. */
export function mandateFor(decisionClass: string, mandates: readonly VotingMandate[]): VotingMandate {
  const mandate = mandates.find((m) => m.decisionClass === decisionClass);
  if (!mandate) throw forbidden(`vote on "${decisionClass}": the circle has not consented to vote on it`);
  assertVotingRules(mandate);
  return mandate;
}

export const hasVoted = (round: VoteRound, memberId: MemberId) =>
  round.responses.some((response) => response.memberId === memberId);

/**
 * Adds a member's vote. The counts take every vote; the ballot keeps the choice only in an open vote,
 * so a secret vote has nothing to reveal about anyone.
 */
export function castVote(
  round: VoteRound,
  secret: boolean,
  memberId: MemberId,
  choice: VoteChoice,
  now: Date,
): VoteRound {
  if (!VOTE_CHOICES.includes(choice)) throw invalid("A vote is yes, no or abstain", { field: "choice" });
  const ballot: Ballot = secret ? { kind: "secret_ballot" } : { kind: "ballot", choice };
  return {
    ...round,
    responses: [...round.responses, { memberId, response: ballot, at: now }],
    counts: { ...round.counts, [choice]: round.counts[choice] + 1 },
  };
}

function passes(threshold: VoteThreshold, yes: number, no: number) {
  if (threshold.kind === "majority") return 2 * yes > yes + no;
  return yes > 0 && 100 * yes >= threshold.percent * (yes + no);
}

/**
 * The outcome once everyone has voted or the deadline has passed: lapsed below quorum (a vote not cast
 * is not a vote), otherwise carried when yes reaches the threshold among yes and no. The counts of a
 * secret vote stay hidden until it has closed, so no one votes knowing how the others did.
 */
export function countVotes(
  round: VoteRound,
  mandate: VotingMandate,
  now: Date,
): { outcome: VoteOutcome; tally: VoteTally } {
  const closed = round.closedAt !== null || readyToClose(round, now);
  const voted = round.responses.length;
  const eligible = round.eligible.length;
  const tally: VoteTally = {
    method: "vote",
    eligible,
    voted,
    notVoted: eligible - voted,
    quorumNeeded: quorumNeeded(eligible, mandate.quorum),
    quorumMet: quorumMet(voted, eligible, mandate.quorum),
    counts: mandate.secret && !closed ? null : { ...round.counts },
  };
  if (!closed) return { outcome: "open", tally };
  if (!tally.quorumMet) return { outcome: "lapsed", tally };
  return {
    outcome: passes(mandate.threshold, round.counts.yes, round.counts.no) ? "carried" : "defeated",
    tally,
  };
}
