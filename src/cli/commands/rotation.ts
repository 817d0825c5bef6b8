import type { Command } from "commander";
import type { presentPlan } from "../../server/presenters/rotation.js";
import { ApiClient, type ApiOptions, addApiOptions } from "../api-client.js";
import { printJson } from "./proposals.js";

/** The plan as the API presents it. */
type PlanView = ReturnType<typeof presentPlan>;

const DUE_LABELS: Record<string, string> = {
  ending_soon: "term ending soon",
  past_term: "past its term",
  vacant: "no holder",
};

export function configureRotationCommand(program: Command) {
  const rotation = program
    .command("rotation")
    .description("Rotating roles, from a running server with an API token");

  addApiOptions(
    rotation
      .command("plan")
      .description("Who would take each rotating role that is due, planned together, and why"),
  ).action(async (options: ApiOptions) => {
    const plan = await new ApiClient(options).get<PlanView>(
      `/orgs/${encodeURIComponent(options.org)}/rotation/plan`,
    );
    if (options.json) printJson(plan);
    else console.log(planText(plan));
  });
}

const roleLabel = (role: { roleName: string | null; circleName: string | null; due: string | null }) =>
  `${role.roleName ?? "?"} (${role.circleName ?? "?"}, ${DUE_LABELS[role.due ?? ""] ?? "due"})`;

/** Each planned holder with every reason of their score, then the roles nobody could take. */
export function planText(plan: PlanView) {
  if (plan.dueRoles === 0) return "No rotating role is due.";
  const lines = [
    `${plan.dueRoles} rotating ${plan.dueRoles === 1 ? "role is" : "roles are"} due: ` +
      `${plan.assignments.length} planned, ${plan.unfilled.length} unfilled.`,
  ];
  for (const planned of plan.assignments) {
    lines.push("", `${roleLabel(planned)}: ${planned.name ?? planned.memberId}, score ${planned.score}`);
    for (const part of planned.parts)
      lines.push(`  ${part.points > 0 ? `+${part.points}` : `${part.points}`}`.padEnd(6) + part.reason);
  }
  if (plan.unfilled.length > 0) lines.push("", "Unfilled:");
  for (const role of plan.unfilled) lines.push(`  ${roleLabel(role)}: ${role.explanation}`);
  return lines.join("\n");
}
