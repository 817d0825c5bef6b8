import type { MethodKind, Proposal, ProposalState, RecordedResponse, Tally } from "./api.js";

export const stateLabel: Record<ProposalState, string> = {
  draft: "Draft",
  presented: "Presented",
  clarifying: "Clarifying questions",
  reactions: "Reactions",
  consent_round: "Round open",
  objections_open: "Objections to integrate",
  integrating: "Integrating objections",
  advice: "Asking for advice",
  adopted: "Adopted",
  withdrawn: "Withdrawn",
  lapsed: "Lapsed",
  blocked: "Blocked",
  rejected: "Rejected",
};

export const methodLabel: Record<MethodKind, string> = {
  consent: "Consent",
  consensus: "Consensus",
  advice: "Advice process",
  vote: "Vote",
};

/** The name of a method's round, as the step indicator and the round panel say it. */
export const roundLabel: Record<MethodKind, string> = {
  consent: "Consent round",
  consensus: "Consensus round",
  advice: "Advice",
  vote: "Vote",
};

export const OPEN_STATES: readonly ProposalState[] = [
  "draft",
  "presented",
  "clarifying",
  "reactions",
  "consent_round",
  "objections_open",
  "integrating",
  "advice",
];
export const CLOSED_STATES: readonly ProposalState[] = [
  "adopted",
  "withdrawn",
  "lapsed",
  "blocked",
  "rejected",
];

export const isClosed = (state: ProposalState) => CLOSED_STATES.includes(state);

/** A response as a sentence fragment, e.g. "Consent with concern". */
export function responseLabel(response: RecordedResponse): string {
  switch (response.kind) {
    case "consent":
      return "Consent";
    case "consent_with_concern":
      return "Consent with concern";
    case "object":
      return "Objection";
    case "agree":
      return "Agree";
    case "stand_aside":
      return "Stand aside";
    case "block":
      return "Block";
    case "ballot":
      return `Voted ${response.choice}`;
    case "secret_ballot":
      return "Voted";
  }
}

/** The counts of a round in words; silence is named as such, never counted as agreement. */
export function tallyParts(tally: Tally): { label: string; count: number | null }[] {
  switch (tally.method) {
    case "consent":
      return [
        { label: "Consent", count: tally.consent },
        { label: "With concern", count: tally.consentWithConcern },
        { label: "Objections", count: tally.object },
        { label: "No response yet", count: tally.noResponse },
      ];
    case "consensus":
      return [
        { label: "Agree", count: tally.agree },
        { label: "Stand aside", count: tally.standAside },
        { label: "Block", count: tally.block },
        { label: "No response yet", count: tally.noResponse },
      ];
    case "vote":
      return [
        { label: "Yes", count: tally.counts?.yes ?? null },
        { label: "No", count: tally.counts?.no ?? null },
        { label: "Abstain", count: tally.counts?.abstain ?? null },
        { label: "Not voted yet", count: tally.notVoted },
      ];
  }
}

export const respondedCount = (tally: Tally) => (tally.method === "vote" ? tally.voted : tally.responded);

export interface Step {
  key: string;
  label: string;
  status: "done" | "current" | "upcoming" | "skipped";
}

type Phase = "draft" | "presented" | "clarifying" | "reactions" | "round" | "integrating" | "advice" | "end";

const phaseOf: Record<ProposalState, Phase> = {
  draft: "draft",
  presented: "presented",
  clarifying: "clarifying",
  reactions: "reactions",
  consent_round: "round",
  objections_open: "integrating",
  integrating: "integrating",
  advice: "advice",
  adopted: "end",
  withdrawn: "end",
  lapsed: "end",
  blocked: "end",
  rejected: "end",
};

/** The furthest phase a closed proposal is known to have reached, from what it holds. */
function reachedBeforeEnd(
  proposal: Pick<Proposal, "method" | "rounds" | "reactions" | "questions" | "advice">,
) {
  if (proposal.method.kind === "advice") return proposal.advice.length > 0 ? "advice" : "draft";
  if (proposal.rounds.length > 0) return "round";
  if (proposal.reactions.length > 0) return "reactions";
  if (proposal.questions.length > 0) return "clarifying";
  return "draft";
}

/**
 * The path of a proposal as a row of steps: its method's phases in order, the one it is in marked.
 * Integration appears once a round has raised objections. A proposal that ended early (withdrawn,
 * lapsed) shows the phases it never reached as skipped, and its end as it came.
 */
export function proposalSteps(
  proposal: Pick<
    Proposal,
    "state" | "method" | "rounds" | "reactions" | "questions" | "advice" | "objections"
  >,
): Step[] {
  const { state } = proposal;
  const advice = proposal.method.kind === "advice";
  const phases: { phase: Phase; label: string }[] = advice
    ? [
        { phase: "draft", label: "Draft" },
        { phase: "advice", label: "Advice" },
      ]
    : [
        { phase: "draft", label: "Draft" },
        { phase: "presented", label: "Presented" },
        { phase: "clarifying", label: "Clarifying" },
        { phase: "reactions", label: "Reactions" },
        { phase: "round", label: roundLabel[proposal.method.kind] },
      ];
  if (!advice && (proposal.objections.length > 0 || phaseOf[state] === "integrating"))
    phases.push({ phase: "integrating", label: "Integrating" });
  const ended = isClosed(state);
  phases.push({ phase: "end", label: ended ? stateLabel[state] : advice ? "Decided" : "Adopted" });

  const order = phases.map((p) => p.phase);
  const current = order.indexOf(phaseOf[state]);
  const reached = ended && state !== "adopted" ? order.indexOf(reachedBeforeEnd(proposal)) : current;
  return phases.map(({ phase, label }, index) => ({
    key: phase,
    label,
    status:
      index === current ? "current" : index <= reached ? "done" : index < current ? "skipped" : "upcoming",
  }));
}

/** The facilitator's next move from where the proposal is, by the one button the page shows for it. */
export const nextPhase: Partial<
  Record<ProposalState, { to: "clarifying" | "reactions" | "integrating"; label: string }>
> = {
  presented: { to: "clarifying", label: "Open clarifying questions" },
  clarifying: { to: "reactions", label: "Move on to reactions" },
  objections_open: { to: "integrating", label: "Start integrating objections" },
};
