import { useQuery } from "@tanstack/react-query";
import type { Election } from "../../api-lifecycle.js";
import { electionStateLabel, electionSteps } from "../../lifecycle.js";
import { circlesQuery } from "../../queries.js";

const STEP_WORDS = {
  done: "done",
  current: "current step",
  upcoming: "still to come",
  skipped: "not reached",
};

export function ElectionSteps({ election }: { election: Election }) {
  return (
    <ol className="steps" aria-label="Steps of this election">
      {electionSteps(election).map((step) => (
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

export function ElectionStateBadge({ state }: { state: Election["state"] }) {
  const tone =
    state === "elected"
      ? "state-adopted"
      : state === "cancelled"
        ? "state-ended"
        : state === "integrating"
          ? "state-attention"
          : "state-round";
  return <span className={`badge state ${tone}`}>{electionStateLabel[state]}</span>;
}

/** The role being filled and its circle, found among the organisation's circles. */
export function useRoleNames(slug: string) {
  const circles = useQuery(circlesQuery(slug));
  return (roleId: string) => {
    for (const circle of circles.data ?? []) {
      const role = circle.roles.find((r) => r.id === roleId);
      if (role) return { role, circle };
    }
    return null;
  };
}
