import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ORG } from "../src/app/demo.js";
import { openDatabase } from "../src/db/database.js";

/**
 * The `polyphony` command as an operator runs it, in child processes against PGlite stores in temporary
 * folders (whatever DATABASE_URL says: the CLI's PostgreSQL path is the same use-cases tested elsewhere).
 * The steps build on each other (one store, seeded once) because each start of a store costs seconds.
 */
const SLOW = 240_000;
let workDir: string;
let storeA: string;
let storeB: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "polyphony-cli-"));
  storeA = join(workDir, "a");
  storeB = join(workDir, "b");
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

function cli(args: string[], dataDir = storeA): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, POLYPHONY_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.HOST;
  return spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { env });
}

async function run(args: string[], dataDir?: string) {
  const child = cli(args, dataDir);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += chunk));
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return { code, stdout, stderr };
}

describe("the polyphony command", () => {
  it(
    "explains itself, and a wrong command line exits with 2",
    async () => {
      const help = await run(["--help"]);
      expect(help.code).toBe(0);
      for (const command of ["serve", "migrate", "seed-demo", "export", "import", "verify", "token"])
        expect(help.stdout).toContain(command);
      expect(help.stdout).toContain("POLYPHONY_DATA_DIR");

      const missing = await run(["export"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("--org");
    },
    SLOW,
  );

  it(
    "migrates a new store, seeds the demo once, and verifies its log",
    async () => {
      const migrated = await run(["migrate"]);
      expect(migrated.stdout).toContain("Applied 0001_foundation.sql");
      expect(migrated.code).toBe(0);

      const seeded = await run(["seed-demo"]);
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toContain("demo@polyphony.example");
      const again = await run(["seed-demo"]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("exists already; nothing changed");

      const verified = await run(["verify"]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(new RegExp(`ok +${DEMO_ORG.slug}: \\d+ entries`));
    },
    SLOW,
  );

  it(
    "creates an API token that the served API accepts, and the server stops cleanly on SIGTERM",
    async () => {
      const created = await run([
        "token",
        "create",
        "--email",
        "demo@polyphony.example",
        "--name",
        "calendar sync",
      ]);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^pt_\S+\n$/);
      const unknown = await run(["token", "create", "--email", "nobody@example.org", "--name", "x"]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("No account has the email nobody@example.org");

      const server = cli(["serve", "--port", "0"]);
      const url = await new Promise<string>((found, fail) => {
        let output = "";
        server.stdout?.on("data", (chunk) => {
          output += chunk;
          const match = /running at (http:\/\/\S+)/.exec(output);
          if (match?.[1]) found(match[1]);
        });
        server.on("close", () => fail(new Error(`serve stopped:\n${output}`)));
      });
      const me = await fetch(`${url}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${created.stdout.trim()}` },
      });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ via: "token", user: { email: "demo@polyphony.example" } });

      const exited = new Promise<number | null>((done) => server.on("close", done));
      server.kill("SIGTERM");
      expect(await exited).toBe(0);
    },
    SLOW,
  );

  it(
    "exports an organisation and imports it into another store, where its log verifies",
    async () => {
      const file = join(workDir, "orpheus.json");
      const exported = await run(["export", "--org", DEMO_ORG.slug, "--out", file]);
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain(`Exported ${DEMO_ORG.name}`);

      const imported = await run(["import", file], storeB);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/Its log verifies: \d+ entries/);
    },
    SLOW,
  );

  it(
    "names the broken entry of a log that was tampered with, and exits with 1",
    async () => {
      const db = await openDatabase({ dataDir: join(storeB, "pglite") });
      await db.query(
        `UPDATE log_entries SET payload = jsonb_set(payload, '{name}', '"Someone else"') WHERE seq = 3`,
      );
      await db.close();

      const verified = await run(["verify", "--org", DEMO_ORG.slug], storeB);
      expect(verified.code).toBe(1);
      expect(verified.stderr).toContain(`BROKEN  ${DEMO_ORG.slug}: entry 3 (hash_mismatch)`);
    },
    SLOW,
  );
});
