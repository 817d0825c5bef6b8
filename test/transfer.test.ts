import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { logIn } from "../src/app/accounts.js";
import type { AppContext } from "../src/app/context.js";
import { DEMO_ORG, DEMO_PASSWORD, seedDemo } from "../src/app/demo.js";
import { createOrg } from "../src/app/orgs.js";
import { exportOrg, importOrg, type OrgExport } from "../src/app/transfer.js";
import { verifyOrgLog } from "../src/db/log.js";
import { emptyAllTables, openTestDatabase, withTestEnv } from "./support/harness.js";

const env = withTestEnv();

/** A second, separate store to restore into. */
const target = {} as { ctx: AppContext; drop: () => Promise<void> };
beforeAll(async () => {
  const opened = await openTestDatabase();
  target.ctx = { db: opened.db, now: () => env.clock.now(), newId: randomUUID };
  target.drop = opened.drop;
}, 60_000);
beforeEach(() => emptyAllTables(target.ctx.db));
afterAll(() => target.drop());

/** What a file on disk holds: the export after a JSON round trip. */
const asFile = (data: OrgExport): OrgExport => JSON.parse(JSON.stringify(data));

async function demoExport() {
  await seedDemo(env.ctx);
  const demo = (await env.db.query<{ id: string }>("SELECT id FROM orgs WHERE slug = $1", [DEMO_ORG.slug]))
    .rows[0]!;
  const maya = (
    await env.db.query<{ id: string }>(
      "SELECT id FROM members WHERE org_id = $1 AND access = 'admin' ORDER BY name LIMIT 1",
      [demo.id],
    )
  ).rows[0]!;
  // The demo has no invitations; the backup must carry them too.
  await env.db.query(
    `INSERT INTO invitations (org_id, id, token_hash, access, note, created_by, created_at, expires_at)
     VALUES ($1, $2, 'hash-of-a-secret', 'member', 'for the new horn player', $3, $4, $5)`,
    [demo.id, randomUUID(), maya.id, env.clock.now(), new Date(env.clock.now().getTime() + 14 * 86_400_000)],
  );
  return asFile(await exportOrg(env.ctx, DEMO_ORG.slug));
}

describe("export and import of an organisation", () => {
  it("restores the same organisation into another store, row by row, with a log that verifies", async () => {
    const exported = await demoExport();
    expect(exported.users).toHaveLength(4);
    expect(exported.users[0]).toHaveProperty("password_hash");
    for (const [table, rows] of Object.entries(exported.tables))
      expect(rows.length, table).toBeGreaterThan(0);

    const summary = await importOrg(target.ctx, exported);
    expect(summary).toMatchObject({ org: exported.org, logEntries: exported.tables.log_entries!.length });
    expect((await verifyOrgLog(target.ctx.db, exported.org.id)).ok).toBe(true);

    const restored = asFile(await exportOrg(target.ctx, exported.org.id));
    expect(Object.keys(restored.tables)).toEqual(Object.keys(exported.tables));
    for (const table of Object.keys(exported.tables))
      expect(restored.tables[table], table).toEqual(exported.tables[table]);
    expect(restored.users).toEqual(exported.users);
  });

  it("restores the members' logins", async () => {
    await importOrg(target.ctx, await demoExport());
    const { user } = await logIn(target.ctx, { email: "demo@polyphony.example", password: DEMO_PASSWORD });
    expect(user.name).toBe("Maya Lindqvist");
  });

  it("reuses accounts that the store already has, so a second organisation of the same people restores", async () => {
    const first = await demoExport();
    const mayaUserId = first.tables.members!.find((m) => m.name === "Maya Lindqvist")!.user_id as string;
    await createOrg(env.ctx, mayaUserId, { name: "Orpheus Academy", founderName: "Maya Lindqvist" });
    const second = asFile(await exportOrg(env.ctx, "orpheus-academy"));
    expect(second.users.map((u) => u.id)).toEqual([mayaUserId]);

    await importOrg(target.ctx, first);
    const summary = await importOrg(target.ctx, second);
    expect(summary.rows.users).toBe(0);
    const orgs = await target.ctx.db.query<{ slug: string }>(
      "SELECT o.slug FROM orgs o JOIN members m ON m.org_id = o.id WHERE m.user_id = $1 ORDER BY o.slug",
      [mayaUserId],
    );
    expect(orgs.rows.map((r) => r.slug)).toEqual(["orpheus-academy", DEMO_ORG.slug]);
  });

  it("refuses a file whose log was tampered with, and restores nothing", async () => {
    const exported = await demoExport();
    const entry = exported.tables.log_entries!.find((e) => e.type === "assignment.ended")!;
    (entry.payload as Record<string, unknown>).handoverNotes = "Nothing to hand over.";

    await expect(importOrg(target.ctx, exported)).rejects.toMatchObject({
      code: "validation_failed",
      details: { brokenSeq: entry.seq, reason: "hash_mismatch" },
    });
    for (const table of ["users", "orgs", "members", "log_entries", "log_heads"])
      expect((await target.ctx.db.query(`SELECT 1 FROM ${table}`)).rows, table).toHaveLength(0);
  });

  it("refuses a file with an entry removed from the log", async () => {
    const exported = await demoExport();
    exported.tables.log_entries!.splice(5, 1);
    await expect(importOrg(target.ctx, exported)).rejects.toMatchObject({ details: { brokenSeq: 6 } });
    expect((await target.ctx.db.query("SELECT 1 FROM orgs")).rows).toHaveLength(0);
  });

  it("refuses to import an organisation the store already holds", async () => {
    const exported = await demoExport();
    await importOrg(target.ctx, exported);
    await expect(importOrg(target.ctx, exported)).rejects.toMatchObject({ code: "conflict" });
    expect((await target.ctx.db.query("SELECT 1 FROM log_entries")).rows).toHaveLength(
      exported.tables.log_entries!.length,
    );
  });

  it("refuses when a member's email belongs to another account in the store", async () => {
    const exported = await demoExport();
    await target.ctx.db.query(
      "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, 'DEMO@polyphony.example', 'Someone', 'x', now())",
      [randomUUID()],
    );
    await expect(importOrg(target.ctx, exported)).rejects.toMatchObject({
      code: "conflict",
      details: { email: "demo@polyphony.example" },
    });
  });

  it("refuses files that are not exports or name columns this version does not have", async () => {
    await expect(importOrg(target.ctx, { hello: "world" })).rejects.toMatchObject({
      code: "validation_failed",
    });
    const exported = await demoExport();
    exported.tables.members![0]!["colour; DROP TABLE users"] = "red";
    await expect(importOrg(target.ctx, exported)).rejects.toMatchObject({ code: "validation_failed" });
    expect((await target.ctx.db.query("SELECT 1 FROM orgs")).rows).toHaveLength(0);
  });

  it("says which organisation was not found", async () => {
    await expect(exportOrg(env.ctx, "no-such-orchestra")).rejects.toMatchObject({ code: "not_found" });
  });

  it("covers every table that holds organisation rows", async () => {
    const exported = await demoExport();
    const { rows } = await env.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = 'org_id' ORDER BY table_name`,
    );
    const orgTables = [...rows.map((r) => r.table_name), "orgs"];
    expect(Object.keys(exported.tables).sort()).toEqual(orgTables.sort());
  });
});
