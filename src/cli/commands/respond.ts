import { Argument, type Command } from "commander";
import type { presentResponseReceipt } from "../../server/presenters/proposal.js";
import { ApiClient, type ApiOptions, addApiOptions } from "../api-client.js";
import { participationLine, printJson, proposalsPath } from "./proposals.js";

type Receipt = ReturnType<typeof presentResponseReceipt>;

interface ResponseTexts {
  reason?: string;
  concern?: string;
  amendment?: string;
}
type TextOption = keyof ResponseTexts;

interface ResponseShape {
  /** How the receipt names it. */
  said: string;
  /** Options the response cannot go without, and the ones it may carry. */
  needs: TextOption[];
  allows: TextOption[];
  body: (texts: ResponseTexts) => Record<string, unknown>;
}

/** Each response word of the command line and the body the API takes for it. */
const RESPONSES = {
  consent: { said: "consent", needs: [], allows: [], body: () => ({ kind: "consent" }) },
  concern: {
    said: "consent with concern",
    needs: ["concern"],
    allows: [],
    body: (t) => ({ kind: "consent_with_concern", concern: t.concern }),
  },
  object: {
    said: "objection",
    needs: ["reason"],
    allows: ["amendment"],
    body: (t) => ({ kind: "object", reason: t.reason, suggestedAmendment: t.amendment }),
  },
  agree: { said: "agree", needs: [], allows: [], body: () => ({ kind: "agree" }) },
  "stand-aside": {
    said: "stand aside",
    needs: [],
    allows: ["reason"],
    body: (t) => ({ kind: "stand_aside", reason: t.reason }),
  },
  block: { said: "block", needs: ["reason"], allows: [], body: (t) => ({ kind: "block", reason: t.reason }) },
  yes: { said: "vote yes", needs: [], allows: [], body: () => ({ kind: "vote", choice: "yes" }) },
  no: { said: "vote no", needs: [], allows: [], body: () => ({ kind: "vote", choice: "no" }) },
  abstain: { said: "vote abstain", needs: [], allows: [], body: () => ({ kind: "vote", choice: "abstain" }) },
} satisfies Record<string, ResponseShape>;
type ResponseWord = keyof typeof RESPONSES;

const TEXT_OPTIONS: readonly TextOption[] = ["reason", "concern", "amendment"];

export function configureRespondCommand(program: Command) {
  addApiOptions(
    program
      .command("respond")
      .description("Respond in a proposal's running round (your latest response is the one that counts)")
      .argument("<proposalId>", "the proposal's id")
      .addArgument(new Argument("<response>", "what you say").choices(Object.keys(RESPONSES)))
      .addHelpText(
        "after",
        "\nA consent round takes consent, concern or object; consensus takes agree, stand-aside or block;\n" +
          "a vote takes yes, no or abstain.",
      )
      .option("--concern <text>", "with concern: the concern")
      .option("--reason <text>", "with object or block: why; with stand-aside: optionally why")
      .option("--amendment <text>", "with object: the change that would resolve it"),
  ).action(
    async (proposalId: string, word: ResponseWord, options: ApiOptions & ResponseTexts, command: Command) => {
      const shape: ResponseShape = RESPONSES[word];
      for (const option of shape.needs)
        if (!options[option]?.trim()) command.error(`error: ${word} needs --${option} <text>`);
      for (const option of TEXT_OPTIONS)
        if (options[option] !== undefined && ![...shape.needs, ...shape.allows].includes(option))
          command.error(`error: --${option} does not go with ${word}`);

      const receipt = await new ApiClient(options).post<Receipt>(
        proposalsPath(options.org, `/${encodeURIComponent(proposalId)}/responses`),
        shape.body(options),
      );
      if (options.json) printJson(receipt);
      else console.log(receiptLine(shape, receipt));
    },
  );
}

/** E.g. "Recorded: consent. Round 1: 3 of 5 responded." and what changed because of it. */
function receiptLine(shape: ResponseShape, receipt: Receipt) {
  const parts = [`Recorded: ${shape.said}.`];
  if (receipt.round) parts.push(`Round ${receipt.round.number}: ${participationLine(receipt.round.tally)}.`);
  if (receipt.state !== "consent_round")
    parts.push(`The proposal is now ${receipt.state.replaceAll("_", " ")}.`);
  if (receipt.openObjections > 0)
    parts.push(`${receipt.openObjections} objection${receipt.openObjections === 1 ? " is" : "s are"} open.`);
  return parts.join(" ");
}
