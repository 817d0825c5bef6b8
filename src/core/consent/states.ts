/**
 * The states of a proposal, following Sociocracy For All's consent process: present, clarify, react,
 * hold a round; objections are integrated and the round is held again. Consensus and vote proposals
 * take the same path to their own round; an advice proposal goes from presentation to its advisers.
 */
export const PROPOSAL_STATES = [
  "draft",
  "presented",
  "clarifying",
  "reactions",
  "consent_round",
  "objections_open",
  "integrating",
  "advice",
  "adopted",
  "withdrawn",
  "lapsed",
  "blocked",
  "rejected",
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const FINAL_STATES: readonly ProposalState[] = [
  "adopted",
  "withdrawn",
  "lapsed",
  "blocked",
  "rejected",
];

/** Adopted, withdrawn, lapsed, blocked and rejected proposals are closed records: nothing moves them again. */
export const isFinal = (state: ProposalState) => FINAL_STATES.includes(state);

/**
 * Every move a proposal can make. The author may withdraw it until it is final. A round ends adopted,
 * lapsed (below quorum), with objections to integrate before a fresh round (consent), blocked
 * (consensus) or rejected (a defeated vote). An advice proposal ends when its proposer decides.
 */
export const MOVES: Readonly<Record<ProposalState, readonly ProposalState[]>> = {
  draft: ["presented", "advice", "withdrawn"],
  presented: ["clarifying", "withdrawn"],
  clarifying: ["reactions", "withdrawn"],
  reactions: ["consent_round", "withdrawn"],
  consent_round: ["adopted", "objections_open", "lapsed", "blocked", "rejected", "withdrawn"],
  objections_open: ["integrating", "withdrawn"],
  integrating: ["consent_round", "withdrawn"],
  advice: ["adopted", "withdrawn"],
  adopted: [],
  withdrawn: [],
  lapsed: [],
  blocked: [],
  rejected: [],
};

export const canMove = (from: ProposalState, to: ProposalState) => MOVES[from].includes(to);
