import { type Command, InvalidArgumentError } from "commander";
import type { RoundTally } from "../../core/consent/outcome.js";
import { PROPOSAL_STATES, type ProposalState } from "../../core/consent/states.js";
import type { presentProposal } from "../../server/presenters/proposal.js";
import { ApiClient, type ApiOptions, addApiOptions } from "../api-client.js";

/** A proposal as the API presents it (dates as ISO strings). */
type ProposalView = ReturnType<typeof presentProposal>;

interface ListOptions extends ApiOptions {
  circle?: string;
  state?: ProposalState[];
  mine?: boolean;
  limit?: number;
  offset?: number;
}

export const proposalsPath = (org: string, rest = "") => `/orgs/${encodeURIComponent(org)}/proposals${rest}`;

export function configureProposalsCommand(program: Command) {
  const proposals = program
    .command("proposals")
    .description("Read proposals from a running server, with an API token");

  addApiOptions(
    proposals
      .command("list")
      .description("Proposals you may read, most recently active first")
      .option("--circle <id>", "only this circle's")
      .option("--state <state,...>", `only in these states: ${PROPOSAL_STATES.join(", ")}`, parseStates)
      .option("--mine", "only those waiting for your response")
      .option("--limit <n>", "at most this many (1 to 500, default 100)", parseCount)
      .option("--offset <n>", "skip this many", parseCount),
  ).action(async (options: ListOptions) => {
    const answer = await new ApiClient(options).get<{ proposals: ProposalView[]; hasMore: boolean }>(
      proposalsPath(options.org),
      {
        circleId: options.circle,
        state: options.state?.join(","),
        needsMyResponse: options.mine,
        limit: options.limit,
        offset: options.offset,
      },
    );
    if (options.json) return printJson(answer);
    if (answer.proposals.length === 0) return console.log("No proposals.");
    console.log(table(["ID", "STATE", "TITLE", "DEADLINE", "RESPONDED"], answer.proposals.map(listRow)));
    if (answer.hasMore) console.log("There are more: page on with --offset.");
  });

  addApiOptions(proposals.command("show").description("One proposal: its text, round and objections"))
    .argument("<id>", "the proposal's id")
    .action(async (id: string, options: ApiOptions) => {
      const proposal = await new ApiClient(options).get<ProposalView>(
        proposalsPath(options.org, `/${encodeURIComponent(id)}`),
      );
      if (options.json) printJson(proposal);
      else console.log(summary(proposal));
    });
}

function parseStates(value: string) {
  const states = value.split(",").map((s) => s.trim());
  const unknown = states.filter((s) => !(PROPOSAL_STATES as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `Unknown state ${unknown.join(", ")}; one of ${PROPOSAL_STATES.join(", ")}`,
    );
  return states as ProposalState[];
}

function parseCount(value: string) {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("Give a whole number");
  return Number(value);
}

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** How many of the round's participants have answered, e.g. "3 of 5 responded". */
export function participationLine(tally: RoundTally) {
  return tally.method === "vote"
    ? `${tally.voted} of ${tally.eligible} voted`
    : `${tally.responded} of ${tally.eligible} responded`;
}

function countsLine(tally: RoundTally) {
  switch (tally.method) {
    case "consent":
      return `${tally.consent} consent, ${tally.consentWithConcern} with concern, ${tally.object} object`;
    case "consensus":
      return `${tally.agree} agree, ${tally.standAside} stand aside, ${tally.block} block`;
    case "vote":
      return tally.counts
        ? `${tally.counts.yes} yes, ${tally.counts.no} no, ${tally.counts.abstain} abstain`
        : "secret ballot: counted when it closes";
  }
}

/** The deadline that matters now: the running round's, else the phase's. */
const deadlineOf = (proposal: ProposalView) => proposal.round?.deadline ?? proposal.phase.deadline;

const readableTime = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");

const listRow = (proposal: ProposalView) => [
  proposal.id,
  proposal.state,
  clip(proposal.title, 48),
  readableTime(deadlineOf(proposal)),
  proposal.round ? `${responded(proposal.round.tally)}/${proposal.round.tally.eligible}` : "—",
];

const responded = (tally: RoundTally) => (tally.method === "vote" ? tally.voted : tally.responded);

const clip = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text;

function table(headings: string[], rows: string[][]) {
  const widths = headings.map((heading, i) =>
    Math.max(heading.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headings), ...rows.map(line)].join("\n");
}

function summary(proposal: ProposalView) {
  const { round, currentVersion: version } = proposal;
  const open = proposal.objections.filter((o) => o.status === "open");
  const lines = [
    proposal.title,
    `  id          ${proposal.id}`,
    `  state       ${proposal.state}`,
    `  method      ${proposal.method.kind}`,
    `  deadline    ${readableTime(deadlineOf(proposal))}`,
  ];
  if (round)
    lines.push(
      `  round       ${round.number}: ${participationLine(round.tally)} (${countsLine(round.tally)}); ` +
        `quorum ${round.tally.quorumNeeded} ${round.tally.quorumMet ? "met" : "not met"}`,
    );
  lines.push(`  objections  ${open.length} open`);
  for (const objection of open) lines.push(`    - ${objection.memberId}: ${objection.reason}`);
  lines.push("", `Version ${version.number}:`, indent(version.text));
  return lines.join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
