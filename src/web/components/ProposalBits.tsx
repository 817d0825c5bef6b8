import type { Proposal, ProposalState, Tally } from "../api.js";
import { proposalSteps, respondedCount, stateLabel, tallyParts } from "../proposals.js";

const STATE_TONE: Partial<Record<ProposalState, string>> = {
  consent_round: "state-round",
  objections_open: "state-attention",
  integrating: "state-attention",
  advice: "state-round",
  adopted: "state-adopted",
  withdrawn: "state-ended",
  lapsed: "state-ended",
  blocked: "state-ended",
  rejected: "state-ended",
};

export function StateBadge({ state }: { state: ProposalState }) {
  return <span className={`badge state ${STATE_TONE[state] ?? ""}`}>{stateLabel[state]}</span>;
}

const STEP_WORDS = {
  done: "done",
  current: "current step",
  upcoming: "still to come",
  skipped: "not reached",
};

/** Where the proposal is on its path, as an ordered list of steps. */
export function Steps({ proposal }: { proposal: Proposal }) {
  const steps = proposalSteps(proposal);
  return (
    <ol className="steps" aria-label="Steps of this proposal">
      {steps.map((step) => (
        <li
          key={step.key}
          className={`step step-${step.status}`}
          aria-current={step.status === "current" ? "step" : undefined}
        >
          <span className="step-dot" aria-hidden="true" />
          <span className="step-label">{step.label}</span>
          <span className="visually-hidden"> ({STEP_WORDS[step.status]})</span>
        </li>
      ))}
    </ol>
  );
}

/** A round's counts; a secret vote's counts stay hidden until it closes. */
export function TallyView({ tally }: { tally: Tally }) {
  return (
    <div className="tally" data-testid="tally">
      <p className="tally-summary">
        <strong>
          {respondedCount(tally)} of {tally.eligible}
        </strong>{" "}
        responded · quorum {tally.quorumNeeded} {tally.quorumMet ? "(met)" : "(not yet met)"}
      </p>
      <dl className="tally-counts">
        {tallyParts(tally).map((part) => (
          <div key={part.label} className="tally-count">
            <dt>{part.label}</dt>
            <dd>{part.count ?? "hidden until closed"}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
