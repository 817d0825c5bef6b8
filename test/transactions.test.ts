import { describe, expect, it } from "vitest";
import { withTestEnv } from "./support/harness.js";

const env = withTestEnv();

describe("a transaction", () => {
  it("is not reported as committed when a statement failed inside it, even if the work carried on", async () => {
    await env.db.exec("CREATE TABLE IF NOT EXISTS transaction_probe (n int PRIMARY KEY)");
    const work = env.db.transaction(async (tx) => {
      await tx.query("INSERT INTO transaction_probe (n) VALUES (1)");
      await tx.query("SELECT 1 / 0").catch(() => {});
      return "done";
    });
    await expect(work).rejects.toThrow();
    const { rows } = await env.db.query("SELECT n FROM transaction_probe");
    expect(rows).toEqual([]);
  });
});

describe("a statement run again after a migration changed its table", () => {
  it("reads the table as it is now (a statement prepared before the change is prepared again)", async () => {
    await env.db.exec("CREATE TABLE IF NOT EXISTS migration_probe (n int PRIMARY KEY)");
    await env.db.query("INSERT INTO migration_probe (n) VALUES (1)");
    const read = () => env.db.query<Record<string, unknown>>("SELECT * FROM migration_probe");
    // Enough times for every pooled connection that may serve it to have prepared it.
    for (let i = 0; i < 3; i++) expect((await read()).rows).toEqual([{ n: 1 }]);
    await env.db.exec("ALTER TABLE migration_probe ADD COLUMN label text NOT NULL DEFAULT 'first'");
    expect((await read()).rows).toEqual([{ n: 1, label: "first" }]);
    expect((await read()).rows).toEqual([{ n: 1, label: "first" }]);
  });
});
