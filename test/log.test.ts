import { describe, expect, it } from "vitest";
import { verifyOrgLog } from "../src/db/log.js";
import { ApiClient } from "./support/client.js";
import { addMember, createOrg } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";

const env = withTestEnv();

const seqs = (entries: { seq: number }[]) => entries.map((e) => e.seq);

describe("reading the governance log", () => {
  it("lets every member, observers included, read their organisation's log oldest first", async () => {
    const org = await createOrg(env);
    await createOrg(env, "Other Org");
    const observer = await addMember(env, org, "observer", "Olive Observer");
    await org.admin.patch(`/orgs/${org.id}`, { purpose: "Clean water for all" });

    const res = await observer.client.get(`/orgs/${org.slug}/log`);
    expect(res.status).toBe(200);
    expect(res.body.nextAfterSeq).toBeNull();
    expect(res.body.can).toEqual({ verify: true });
    const entries = res.body.entries;
    expect(entries.map((e: { type: string }) => e.type)).toEqual([
      "org.created",
      "member.joined",
      "org.updated",
    ]);
    expect(seqs(entries)).toEqual([1, 2, 3]);
    expect(entries[2]).toMatchObject({
      actor: org.adminMemberId,
      actorName: "Ada Admin",
      payload: { purpose: "Clean water for all" },
      at: "2026-01-05T09:00:00.000Z",
    });
    expect(entries[0].prevHash).toBe("0".repeat(64));
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].prevHash).toBe(entries[1].hash);
  });

  it("pages with afterSeq and limit until nextAfterSeq is null", async () => {
    const org = await createOrg(env);
    for (const purpose of ["one", "two", "three"]) await org.admin.patch(`/orgs/${org.id}`, { purpose });

    const first = await org.admin.get(`/orgs/${org.id}/log?limit=2`);
    expect(seqs(first.body.entries)).toEqual([1, 2]);
    expect(first.body.nextAfterSeq).toBe(2);
    const second = await org.admin.get(`/orgs/${org.id}/log?afterSeq=2&limit=2`);
    expect(seqs(second.body.entries)).toEqual([3, 4]);
    expect(second.body.nextAfterSeq).toBe(4);
    const last = await org.admin.get(`/orgs/${org.id}/log?afterSeq=4&limit=2`);
    expect(seqs(last.body.entries)).toEqual([5]);
    expect(last.body.nextAfterSeq).toBeNull();
  });

  it("reads backwards from the head for recent activity, paging with beforeSeq", async () => {
    const org = await createOrg(env);
    for (const purpose of ["one", "two", "three"]) await org.admin.patch(`/orgs/${org.id}`, { purpose });

    const first = await org.admin.get(`/orgs/${org.id}/log?newestFirst=true&limit=2`);
    expect(seqs(first.body.entries)).toEqual([5, 4]);
    expect(first.body.nextBeforeSeq).toBe(4);
    const second = await org.admin.get(`/orgs/${org.id}/log?newestFirst=true&beforeSeq=4&limit=3`);
    expect(seqs(second.body.entries)).toEqual([3, 2, 1]);
    expect(second.body.nextBeforeSeq).toBeNull();
  });

  it("answers anonymous callers with 401 and members of other organisations with 404", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    const anonymous = new ApiClient(env.server);
    for (const path of [`/orgs/${org.id}/log`, `/orgs/${org.id}/log/verify`]) {
      expect((await anonymous.get(path)).status).toBe(401);
      const foreign = await other.admin.get(path);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe("not_found");
    }
  });

  it("rejects malformed paging with 400", async () => {
    const org = await createOrg(env);
    for (const query of ["limit=0", "limit=501", "afterSeq=-1", "afterSeq=abc", "limit=1.5", "page=2"]) {
      const res = await org.admin.get(`/orgs/${org.id}/log?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });
});

describe("verifying the governance log", () => {
  it("keeps an unbroken chain through 50 concurrent writes", async () => {
    const org = await createOrg(env);
    const purposes = Array.from({ length: 50 }, (_, i) => `purpose ${i}`);
    const results = await Promise.all(
      purposes.map((purpose) => org.admin.patch(`/orgs/${org.id}`, { purpose })),
    );
    expect(results.map((r) => r.status)).toEqual(purposes.map(() => 200));

    const log = await org.admin.get(`/orgs/${org.id}/log?limit=500`);
    expect(seqs(log.body.entries)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    const written = log.body.entries.filter((e: { type: string }) => e.type === "org.updated");
    expect(written.map((e: { payload: { purpose: string } }) => e.payload.purpose).sort()).toEqual(
      [...purposes].sort(),
    );

    const verdict = await org.admin.get(`/orgs/${org.id}/log/verify`);
    expect(verdict.status).toBe(200);
    expect(verdict.body).toEqual({ ok: true, entries: 52, headHash: log.body.entries[51].hash });
  });

  it("lets an observer verify the chain", async () => {
    const org = await createOrg(env);
    const observer = await addMember(env, org, "observer");
    const verdict = await observer.client.get(`/orgs/${org.id}/log/verify`);
    expect(verdict.body).toMatchObject({ ok: true, entries: 2 });
  });

  it("names the entry whose payload was altered, and leaves other organisations' logs intact", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    for (const purpose of ["one", "two", "three"]) await org.admin.patch(`/orgs/${org.id}`, { purpose });
    await env.db.query(
      `UPDATE log_entries SET payload = '{"purpose":"rewritten history"}' WHERE org_id = $1 AND seq = 4`,
      [org.id],
    );

    const verdict = await org.admin.get(`/orgs/${org.id}/log/verify`);
    expect(verdict.body).toMatchObject({ ok: false, brokenSeq: 4, reason: "hash_mismatch" });
    expect(await verifyOrgLog(env.db, org.id)).toMatchObject({
      ok: false,
      brokenSeq: 4,
      reason: "hash_mismatch",
    });
    expect((await other.admin.get(`/orgs/${other.id}/log/verify`)).body).toMatchObject({ ok: true });
  });

  it("names the entry whose hash was replaced", async () => {
    const org = await createOrg(env);
    for (const purpose of ["one", "two"]) await org.admin.patch(`/orgs/${org.id}`, { purpose });
    await env.db.query(`UPDATE log_entries SET hash = repeat('a', 64) WHERE org_id = $1 AND seq = 2`, [
      org.id,
    ]);

    expect((await org.admin.get(`/orgs/${org.id}/log/verify`)).body).toMatchObject({
      ok: false,
      brokenSeq: 2,
    });
    expect(await verifyOrgLog(env.db, org.id)).toMatchObject({ ok: false, brokenSeq: 2 });
  });

  it("notices an entry removed from the middle or the end of the chain", async () => {
    const org = await createOrg(env);
    for (const purpose of ["one", "two", "three"]) await org.admin.patch(`/orgs/${org.id}`, { purpose });
    await env.db.query("DELETE FROM log_entries WHERE org_id = $1 AND seq = 5", [org.id]);
    expect(await verifyOrgLog(env.db, org.id)).toMatchObject({ ok: false, brokenSeq: 5, reason: "gap" });
    await env.db.query("DELETE FROM log_entries WHERE org_id = $1 AND seq = 3", [org.id]);
    expect((await org.admin.get(`/orgs/${org.id}/log/verify`)).body).toMatchObject({
      ok: false,
      brokenSeq: 3,
      reason: "gap",
    });
  });

  it("notices an entry slipped in past the head", async () => {
    const org = await createOrg(env);
    await env.db.query(
      `INSERT INTO log_entries (org_id, seq, type, actor, payload, at, prev_hash, hash)
       SELECT org_id, 3, 'org.updated', actor, '{"purpose":"forged"}', at, hash, repeat('b', 64)
       FROM log_entries WHERE org_id = $1 AND seq = 2`,
      [org.id],
    );
    expect(await verifyOrgLog(env.db, org.id)).toMatchObject({ ok: false, brokenSeq: 3 });
  });
});
