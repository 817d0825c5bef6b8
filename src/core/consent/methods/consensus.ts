import { canWrite, type Viewer } from "../../access.js";
import { DomainError, forbidden } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import { requireText } from "../proposal.js";
import { participation, type QuorumRule } from "../quorum.js";
import { assertDeadline, assertParticipants, latestResponses, type Round, readyToClose } from "../round.js";

/** Consensus responses: agree, stand aside (let it pass without joining in), or block. A block gives its reason. */
export type ConsensusResponse =
  | { kind: "agree" }
  | { kind: "stand_aside"; reason: string | null }
  | { kind: "block"; reason: string };

export type ConsensusRound = Round<ConsensusResponse>;

export interface ConsensusTally {
  eligible: number;
  responded: number;
  noResponse: number;
  agree: number;
  standAside: number;
  block: number;
  quorumNeeded: number;
  quorumMet: boolean;
}

export type ConsensusOutcome = "open" | "reached" | "blocked" | "lapsed";

export function openConsensusRound(
  participants: readonly MemberId[],
  deadline: Date | null,
  now: Date,
): ConsensusRound {
  assertParticipants(participants);
  return {
    eligible: [...participants],
    openedAt: now,
    deadline: assertDeadline(deadline, now),
    responses: [],
  };
}

export function tallyConsensus(round: ConsensusRound, quorum: QuorumRule): ConsensusTally {
  const counts = { agree: 0, stand_aside: 0, block: 0 };
  for (const { response } of latestResponses(round).values()) counts[response.kind]++;
  const responded = counts.agree + counts.stand_aside + counts.block;
  return {
    ...participation(round.eligible.length, responded, quorum),
    agree: counts.agree,
    standAside: counts.stand_aside,
    block: counts.block,
  };
}

/**
 * Any block stops a consensus round at once. Otherwise it ends when everyone has responded or the
 * deadline passes, and consensus is reached only when the quorum responded and someone agreed:
 * standing aside lets a decision pass but does not carry it, and silence carries nothing.
 */
export function consensusOutcome(
  round: ConsensusRound,
  quorum: QuorumRule,
  now: Date,
): { outcome: ConsensusOutcome; tally: ConsensusTally } {
  const tally = tallyConsensus(round, quorum);
  if (tally.block > 0) return { outcome: "blocked", tally };
  if (!readyToClose(round, now)) return { outcome: "open", tally };
  return { outcome: tally.quorumMet && tally.agree > 0 ? "reached" : "lapsed", tally };
}

/** Records a participant's response while the round is open; their latest response is the one that counts. */
export function respondInConsensus(
  round: ConsensusRound,
  quorum: QuorumRule,
  actor: Viewer,
  response: ConsensusResponse,
  now: Date,
): ConsensusRound {
  if (consensusOutcome(round, quorum, now).outcome !== "open")
    throw new DomainError("invalid_transition", "The consensus round has ended", {});
  if (!canWrite(actor) || !round.eligible.includes(actor.memberId)) throw forbidden("respond in this round");
  const kept: ConsensusResponse =
    response.kind === "block"
      ? { kind: "block", reason: requireText(response.reason, "reason", "A block's reason") }
      : response.kind === "stand_aside"
        ? { kind: "stand_aside", reason: response.reason?.trim() || null }
        : { kind: "agree" };
  return { ...round, responses: [...round.responses, { memberId: actor.memberId, response: kept, at: now }] };
}
