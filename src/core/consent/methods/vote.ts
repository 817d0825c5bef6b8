import { canWrite, type Viewer } from "../../access.js";
import { conflict, DomainError, forbidden, invalid } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import type { ProposalId } from "../ids.js";
import { assertQuorumRule, type QuorumRule, quorumMet, quorumNeeded } from "../quorum.js";
import { assertDeadline, assertParticipants, pastDeadline } from "../round.js";

export type VoteChoice = "yes" | "no" | "abstain";

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

/**
 * A vote among fixed participants, one vote each. Counts are kept for every vote; who voted what is
 * kept only in an open vote, so a secret vote has nothing to reveal.
 */
export interface Vote {
  mandate: VotingMandate;
  eligible: readonly MemberId[];
  openedAt: Date;
  deadline: Date | null;
  voters: readonly { memberId: MemberId; at: Date }[];
  counts: Readonly<Record<VoteChoice, number>>;
  ballots: readonly { memberId: MemberId; choice: VoteChoice }[];
}

export interface VoteTally {
  eligible: number;
  voted: number;
  notVoted: number;
  quorumNeeded: number;
  quorumMet: boolean;
  /** Null while a secret vote is open: the counts are shown once it has closed. */
  counts: Record<VoteChoice, number> | null;
}

export type VoteOutcome = "open" | "carried" | "defeated" | "lapsed";

/** Opens a vote, which the circle may hold only for a class of decisions it has consented to decide by vote. */
export function openVote(
  input: {
    decisionClass: string;
    mandates: readonly VotingMandate[];
    participants: readonly MemberId[];
    deadline: Date | null;
  },
  now: Date,
): Vote {
  const mandate = input.mandates.find((m) => m.decisionClass === input.decisionClass);
  if (!mandate)
    throw forbidden(`vote on "${input.decisionClass}": the circle has not consented to vote on it`);
  assertQuorumRule(mandate.quorum);
  const { threshold } = mandate;
  if (
    threshold.kind === "at_least_percent" &&
    !(Number.isInteger(threshold.percent) && threshold.percent > 50 && threshold.percent <= 100)
  )
    throw invalid("A threshold is a whole percentage above 50 and at most 100", {
      field: "threshold.percent",
    });
  assertParticipants(input.participants);
  return {
    mandate,
    eligible: [...input.participants],
    openedAt: now,
    deadline: assertDeadline(input.deadline, now),
    voters: [],
    counts: { yes: 0, no: 0, abstain: 0 },
    ballots: [],
  };
}

const closed = (vote: Vote, now: Date) =>
  vote.voters.length === vote.eligible.length || pastDeadline(vote.deadline, now);

/** One vote per participant, while the vote is open; observers never vote. */
export function castVote(vote: Vote, actor: Viewer, choice: VoteChoice, now: Date): Vote {
  if (closed(vote, now)) throw new DomainError("invalid_transition", "The vote has closed", {});
  if (!canWrite(actor) || !vote.eligible.includes(actor.memberId)) throw forbidden("vote here");
  if (vote.voters.some((v) => v.memberId === actor.memberId)) throw conflict("You have already voted");
  return {
    ...vote,
    voters: [...vote.voters, { memberId: actor.memberId, at: now }],
    counts: { ...vote.counts, [choice]: vote.counts[choice] + 1 },
    ballots: vote.mandate.secret ? [] : [...vote.ballots, { memberId: actor.memberId, choice }],
  };
}

function passes(threshold: VoteThreshold, yes: number, no: number) {
  if (threshold.kind === "majority") return 2 * yes > yes + no;
  return yes > 0 && 100 * yes >= threshold.percent * (yes + no);
}

/**
 * The outcome once everyone has voted or the deadline has passed: lapsed below quorum (a vote not cast
 * is not a vote), otherwise carried when yes reaches the threshold among yes and no.
 */
export function countVotes(vote: Vote, now: Date): { outcome: VoteOutcome; tally: VoteTally } {
  const isClosed = closed(vote, now);
  const tally: VoteTally = {
    eligible: vote.eligible.length,
    voted: vote.voters.length,
    notVoted: vote.eligible.length - vote.voters.length,
    quorumNeeded: quorumNeeded(vote.eligible.length, vote.mandate.quorum),
    quorumMet: quorumMet(vote.voters.length, vote.eligible.length, vote.mandate.quorum),
    counts: vote.mandate.secret && !isClosed ? null : { ...vote.counts },
  };
  if (!isClosed) return { outcome: "open", tally };
  if (!tally.quorumMet) return { outcome: "lapsed", tally };
  return {
    outcome: passes(vote.mandate.threshold, vote.counts.yes, vote.counts.no) ? "carried" : "defeated",
    tally,
  };
}
