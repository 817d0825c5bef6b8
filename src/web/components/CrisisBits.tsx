import type { Crisis } from "../api-lifecycle.js";

const crisisStateLabel: Record<Crisis["state"], string> = {
  active: "Active",
  under_review: "Awaiting ratification",
  closed: "Closed",
};

export function CrisisStateBadge({ state }: { state: Crisis["state"] }) {
  const tone =
    state === "active" ? "state-crisis" : state === "under_review" ? "state-attention" : "state-ended";
  return <span className={`badge state ${tone}`}>{crisisStateLabel[state]}</span>;
}
