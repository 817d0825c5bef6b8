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
