import { participation, type QuorumRule } from "../consent/quorum.js";
import { latestResponses } from "../consent/round.js";
import { openObjections, type Selection, type SelectionRound } from "./selection.js";

/** The visible counts of a consent round on a nominee (the same counts as a proposal's consent round). */
export interface SelectionTally {
  eligible: number;
  responded: number;
  noResponse: number;
  consent: number;
  consentWithConcern: number;
  object: number;
  quorumNeeded: number;
  quorumMet: boolean;
}

/** Counts each participant's latest response once; silence is counted as no response, never as consent. */
export function tallySelectionRound(round: SelectionRound, quorum: QuorumRule): SelectionTally {
  const counts = { consent: 0, consent_with_concern: 0, object: 0 };
  for (const { response } of latestResponses(round).values()) counts[response.kind]++;
  const responded = counts.consent + counts.consent_with_concern + counts.object;
  return {
    ...participation(round.eligible.length, responded, quorum),
    consent: counts.consent,
    consentWithConcern: counts.consent_with_concern,
    object: counts.object,
  };
}

/** Whether the nominee accepted: their own response in the round consents (with or without a concern). */
export function nomineeConsented(round: SelectionRound): boolean {
  const kind = latestResponses(round).get(round.nomineeId)?.response.kind;
  return kind === "consent" || kind === "consent_with_concern";
}

export type SelectionRoundOutcome = "elected" | "integrating" | "lapsed";

/**
 * What a consent round on a nominee comes to when it closes. An open objection sends it to integration
 * (heard even in a thin round). Otherwise the nominee is elected when the quorum responded and the nominee
 * consented; else the round lapses and the selection returns to proposing, where the facilitator proposes
 * again (the same nominee in a fresh round, or another). Only the facilitator cancels a selection.
 */
export function roundOutcome(
  selection: Selection,
  round: SelectionRound,
): { outcome: SelectionRoundOutcome; tally: SelectionTally } {
  const tally = tallySelectionRound(round, selection.quorum);
  if (openObjections(selection).length > 0) return { outcome: "integrating", tally };
  return { outcome: tally.quorumMet && nomineeConsented(round) ? "elected" : "lapsed", tally };
}
