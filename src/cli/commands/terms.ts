import type { Command } from "commander";
import type { presentDueTerm } from "../../server/presenters/rotation.js";
import { ApiClient, type ApiOptions, addApiOptions } from "../api-client.js";
import { printJson } from "./proposals.js";

type DueTermView = ReturnType<typeof presentDueTerm>;

export function configureTermsCommand(program: Command) {
  const terms = program.command("terms").description("Role terms, from a running server with an API token");

  addApiOptions(
    terms
      .command("due")
      .description("Terms ending soon with no successor yet, and terms past their end (flagged)"),
  ).action(async (options: ApiOptions) => {
    const answer = await new ApiClient(options).get<{ terms: DueTermView[] }>(
      `/orgs/${encodeURIComponent(options.org)}/terms/due`,
    );
    if (options.json) printJson(answer);
    else console.log(termsText(answer.terms));
  });
}

/** One line per term, the flagged ones marked: "PAST TERM  Chair (Board): Ida, ended 2026-01-01". */
export function termsText(terms: readonly DueTermView[]) {
  if (terms.length === 0) return "No term needs attention.";
  return terms
    .map((term) => {
      const past = term.state === "past_term";
      const when = `${past ? "ended" : "ends"} ${term.endsAt.slice(0, 10)}`;
      return `${past ? "PAST TERM" : "ENDING   "}  ${term.roleName} (${term.circleName}, ${term.fillingPolicy}): ${term.name}, ${when}`;
    })
    .join("\n");
}
