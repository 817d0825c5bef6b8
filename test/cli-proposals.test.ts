import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestEnv } from "./support/harness.js";
import { circleStage, proposalInRound } from "./support/proposals.js";

/**
 * `polyphony proposals` and `polyphony respond` as a script runs them: child processes talking HTTP, with
 * an API token, to a server listening on a real port. Each start of the CLI costs about a second, so the
 * runs are few and run side by side where they do not depend on each other.
 */
const SLOW = 60_000;
const env = withTestEnv();
let url: string;

beforeAll(async () => {
  await env.server.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(env.server.server.address() as AddressInfo).port}`;
});

async function run(args: string[], settings: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, POLYPHONY_URL: url, ...settings };
  if (!settings.POLYPHONY_TOKEN) delete childEnv.POLYPHONY_TOKEN;
  if (!settings.POLYPHONY_ORG) delete childEnv.POLYPHONY_ORG;
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { env: childEnv });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return { code, stdout, stderr };
}

describe("polyphony proposals and respond", () => {
  it(
    "lists the proposals waiting for the token holder, shows one, and records a response",
    async () => {
      const stage = await circleStage(env);
      const proposalId = await proposalInRound(stage);
      const [member] = stage.members;
      const created = await member!.client.post("/auth/tokens", { name: "cli" });
      expect(created.status).toBe(201);
      const asMember = { POLYPHONY_TOKEN: created.body.secret, POLYPHONY_ORG: stage.org.slug };

      const [listed, shown] = await Promise.all([
        run(["proposals", "list", "--mine", "--json"], asMember),
        run(["proposals", "show", proposalId], asMember),
      ]);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout).proposals.map((p: { id: string }) => p.id)).toEqual([proposalId]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain("Tool library");
      expect(shown.stdout).toContain("0 of 5 responded");
      expect(shown.stdout).toContain("Lend tools from the shed.");

      const responded = await run(["respond", proposalId, "consent"], asMember);
      expect(responded.stderr).toBe("");
      expect(responded.code).toBe(0);
      expect(responded.stdout).toBe("Recorded: consent. Round 1: 1 of 5 responded.\n");
      const proposal = await stage.author.client.get(`/orgs/${stage.org.id}/proposals/${proposalId}`);
      expect(proposal.body.round.tally).toMatchObject({ responded: 1, consent: 1 });
      expect(proposal.body.round.responses).toMatchObject([{ memberId: member!.memberId, kind: "consent" }]);
    },
    SLOW,
  );

  it(
    "exits with 2 for a wrong command line and with 1 and the API's message when the API refuses",
    async () => {
      const someone = { POLYPHONY_ORG: "river-co-op" };
      const [noReason, noToken, badToken] = await Promise.all([
        run(["respond", "some-id", "object"], { ...someone, POLYPHONY_TOKEN: "pt_whatever" }),
        run(["proposals", "list"], someone),
        run(["proposals", "list"], { ...someone, POLYPHONY_TOKEN: "pt_not_a_real_token" }),
      ]);
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toContain("object needs --reason <text>");
      expect(noToken.code).toBe(2);
      expect(noToken.stderr).toContain("--token");
      expect(badToken.code).toBe(1);
      expect(badToken.stderr).toBe("polyphony: The API token is not valid\n");
    },
    SLOW,
  );
});
