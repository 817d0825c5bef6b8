/**
 * The states of a sociocratic selection (election), following Sociocracy For All's selection process:
 * describe the role and consent to its term, name the qualifications, nominate in secret, reveal and
 * change, propose a nominee, hold a consent round; objections are integrated and the round held again.
 */
export const SELECTION_STATES = [
  "describing",
  "qualifying",
  "nominating",
  "changing",
  "proposing",
  "consent_round",
  "integrating",
  "elected",
  "cancelled",
] as const;
export type SelectionState = (typeof SELECTION_STATES)[number];

export const FINAL_STATES: readonly SelectionState[] = ["elected", "cancelled"];

/** Elected and cancelled selections are closed records: nothing moves them again. */
export const isFinal = (state: SelectionState) => FINAL_STATES.includes(state);

/**
 * Every move a selection can make. The facilitator may cancel it until it is final. A consent round
 * ends elected, in integration (open objections), or back in proposing: when it lapses, or when the
 * facilitator proposes another nominee instead.
 */
export const MOVES: Readonly<Record<SelectionState, readonly SelectionState[]>> = {
  describing: ["qualifying", "cancelled"],
  qualifying: ["nominating", "cancelled"],
  nominating: ["changing", "cancelled"],
  changing: ["proposing", "cancelled"],
  proposing: ["consent_round", "cancelled"],
  consent_round: ["elected", "integrating", "proposing", "cancelled"],
  integrating: ["consent_round", "proposing", "cancelled"],
  elected: [],
  cancelled: [],
};

export const canMove = (from: SelectionState, to: SelectionState) => MOVES[from].includes(to);
