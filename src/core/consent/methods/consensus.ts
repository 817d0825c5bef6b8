import { requireText } from "../proposal.js";
import { participation, type QuorumRule } from "../quorum.js";
import { latestResponses, type Round, readyToClose } from "../round.js";

/** Consensus responses: agree, stand aside (let it pass without joining in), or block. A block gives its reason. */
export type ConsensusResponse =
  | { kind: "agree" }
  | { kind: "stand_aside"; reason: string | null }
  | { kind: "block"; reason: string };

export interface ConsensusTally {
  method: "consensus";
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

/** A response as the round keeps it: a block must say why; a blank reason for standing aside is none. */
export function consensusResponse(
  input:
    | { kind: "agree" }
    | { kind: "stand_aside"; reason?: string | null }
    | { kind: "block"; reason: string },
): ConsensusResponse {
  switch (input.kind) {
    case "agree":
      return { kind: "agree" };
    case "stand_aside":
      return { kind: "stand_aside", reason: input.reason?.trim() || null };
    case "block":
      return { kind: "block", reason: requireText(input.reason, "reason", "A block's reason") };
  }
}

/** Counts each participant's latest response once. */
export function tallyConsensus(round: Round<ConsensusResponse>, quorum: QuorumRule): ConsensusTally {
  const counts = { agree: 0, stand_aside: 0, block: 0 };
  for (const { response } of latestResponses(round).values()) counts[response.kind]++;
  const responded = counts.agree + counts.stand_aside + counts.block;
  return {
    method: "consensus",
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
  round: Round<ConsensusResponse>,
  quorum: QuorumRule,
  now: Date,
): { outcome: ConsensusOutcome; tally: ConsensusTally } {
  const tally = tallyConsensus(round, quorum);
  if (tally.block > 0) return { outcome: "blocked", tally };
  if (!readyToClose(round, now)) return { outcome: "open", tally };
  return { outcome: tally.quorumMet && tally.agree > 0 ? "reached" : "lapsed", tally };
}
