import type { CrisisDecisionStatus, DueReason, Election, ElectionState } from "./api-lifecycle.js";

export const electionStateLabel: Record<ElectionState, string> = {
  describing: "Describing the role",
  qualifying: "Naming qualifications",
  nominating: "Nominating",
  changing: "Change round",
  proposing: "Proposing",
  consent_round: "Consent round",
  integrating: "Integrating objections",
  elected: "Elected",
  cancelled: "Cancelled",
};

export type StepStatus = "done" | "current" | "upcoming" | "skipped";

const STEPS: { key: ElectionState; label: string }[] = [
  { key: "describing", label: "Describing" },
  { key: "qualifying", label: "Qualifying" },
  { key: "nominating", label: "Nominating" },
  { key: "changing", label: "Changing" },
  { key: "proposing", label: "Proposing" },
  { key: "consent_round", label: "Consent round" },
  { key: "elected", label: "Elected" },
];

/** The furthest step a cancelled election is known to have reached, from what it recorded. */
function reachedBeforeCancel(election: Election): number {
  if (election.rounds.length > 0) return 5;
  if (election.proposals.length > 0) return 4;
  if (election.revealedAt) return 3;
  if (election.nominations.length > 0 || election.qualifications.length > 0) return 2;
  return 0;
}

/**
 * Where the election is on its path. Integrating objections happens inside the consent-round step; a
 * cancelled election shows the steps it never reached as skipped.
 */
export function electionSteps(election: Election): { key: string; label: string; status: StepStatus }[] {
  if (election.state === "cancelled") {
    const reached = reachedBeforeCancel(election);
    return STEPS.map((step, i) => ({
      ...step,
      status: i < reached ? "done" : i === reached ? "current" : "skipped",
    }));
  }
  const at = STEPS.findIndex(
    (step) => step.key === (election.state === "integrating" ? "consent_round" : election.state),
  );
  return STEPS.map((step, i) => ({
    key: step.key,
    label: i === at && election.state === "integrating" ? "Integrating objections" : step.label,
    status: i < at ? "done" : i === at ? "current" : "upcoming",
  }));
}

/** A term in days, as people say it: "1 year", "6 months", "90 days". */
export function termWords(days: number): string {
  if (days % 365 === 0) return days === 365 ? "1 year" : `${days / 365} years`;
  if (days % 30 === 0 && days >= 60) return `${days / 30} months`;
  return days === 1 ? "1 day" : `${days} days`;
}

export const dueReasonLabel: Record<DueReason, string> = {
  ending_soon: "Term ends soon",
  past_term: "Past its term",
  vacant: "Vacant",
};

export const crisisDecisionLabel: Record<CrisisDecisionStatus, string> = {
  in_force: "In force",
  awaiting_ratification: "Awaiting ratification",
  ratified: "Ratified",
  revoked: "Revoked",
};

const pad = (n: number) => String(n).padStart(2, "0");

/** Time left as a clock: "2 days 03:04:05", "03:04:05"; never negative. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const clock = `${pad(Math.floor((seconds % 86_400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  if (days === 0) return clock;
  return `${days} ${days === 1 ? "day" : "days"} ${clock}`;
}

/**
 * Time left in words coarse enough to announce: it changes once a day, an hour, five minutes or (in the
 * last ten) a minute, so a screen reader hears it now and then rather than every second.
 */
export function countdownWords(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / 60_000);
  if (minutes <= 0) return "ending now";
  if (minutes <= 10) return minutes === 1 ? "1 minute left" : `${minutes} minutes left`;
  if (minutes < 60) return `about ${Math.round(minutes / 5) * 5} minutes left`;
  const hours = Math.round(minutes / 60);
  if (minutes < 48 * 60) return hours === 1 ? "about 1 hour left" : `about ${hours} hours left`;
  return `about ${Math.round(minutes / 1440)} days left`;
}
