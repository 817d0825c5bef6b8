import {
  type CandidateScore,
  candidateFacts,
  compareIds,
  explainScore,
  type RotationCandidate,
  type RotationRole,
  roleFacts,
} from "./score.js";

export interface CandidateRanking {
  /** Eligible members, best first. */
  ranked: CandidateScore[];
  /** Members who may not take the role, each with why, by member id. */
  ineligible: CandidateScore[];
}

/** Higher scores first; equal scores by member id, so the order never depends on how the input was sorted. */
const bestFirst = (a: CandidateScore, b: CandidateScore) =>
  b.total - a.total || compareIds(a.memberId, b.memberId);

/** Ranks members for a rotating role: the top candidate is the one proposed to the circle. */
export function rankCandidates(
  role: RotationRole,
  candidates: readonly RotationCandidate[],
  now: Date,
): CandidateRanking {
  const facts = roleFacts(role, now);
  const scores = candidates.map((candidate) => explainScore(facts, candidateFacts(candidate, now)));
  return {
    ranked: scores.filter((s) => s.eligible).sort(bestFirst),
    ineligible: scores.filter((s) => !s.eligible).sort((a, b) => compareIds(a.memberId, b.memberId)),
  };
}
