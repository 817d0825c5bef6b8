/**
 * The states of a proposal decided by consent, following Sociocracy For All's consent process:
 * present, clarify, react, consent round; objections are integrated and the round is held again.
 */
export const PROPOSAL_STATES = [
  "draft",
  "presented",
  "clarifying",
  "reactions",
  "consent_round",
  "objections_open",
  "integrating",
  "adopted",
  "withdrawn",
  "lapsed",
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const FINAL_STATES: readonly ProposalState[] = ["adopted", "withdrawn", "lapsed"];

/** Adopted, withdrawn and lapsed proposals are closed records: nothing moves them again. */
export const isFinal = (state: ProposalState) => FINAL_STATES.includes(state);

/**
 * Every move a proposal can make. The author may withdraw it until it is final; a consent round ends
 * adopted, lapsed (below quorum) or with objections to integrate before a fresh round.
 */
export const MOVES: Readonly<Record<ProposalState, readonly ProposalState[]>> = {
  draft: ["presented", "withdrawn"],
  presented: ["clarifying", "withdrawn"],
  clarifying: ["reactions", "withdrawn"],
  reactions: ["consent_round", "withdrawn"],
  consent_round: ["adopted", "objections_open", "lapsed", "withdrawn"],
  objections_open: ["integrating", "withdrawn"],
  integrating: ["consent_round", "withdrawn"],
  adopted: [],
  withdrawn: [],
  lapsed: [],
};

export const canMove = (from: ProposalState, to: ProposalState) => MOVES[from].includes(to);
