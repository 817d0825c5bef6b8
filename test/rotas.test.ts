import { describe, expect, it } from "vitest";
import { addMember, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { ACTORS, statusesOf } from "./support/matrix.js";
import { circleStage, logLength, type Person } from "./support/proposals.js";

const env = withTestEnv();
const DAY_MS = 86_400_000;

/** The garden circle with a meeting-host role that rotates, held a fortnight at most per turn. */
async function rotaStage() {
  const stage = await circleStage(env, 3);
  const roleId = await createRole(env, stage.org, stage.circleId, {
    name: "Meeting host",
    leadership: true,
    fillingPolicy: "rotation",
    termDays: 14,
  });
  const [ben, cat, dan] = stage.members as [Person, Person, Person];
  const ann = stage.author;
  const url = `/orgs/${stage.org.id}/rotas`;
  return { ...stage, roleId, ann, ben, cat, dan, url };
}

type Stage = Awaited<ReturnType<typeof rotaStage>>;

/** Ann, Ben and Cat host in turn. */
async function startedRota(stage: Stage, order = [stage.ann, stage.ben, stage.cat]) {
  const res = await stage.ann.client.post(stage.url, {
    roleId: stage.roleId,
    order: order.map((p) => p.memberId),
  });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `${stage.url}/${res.body.id}`;
}

/** A day passes, then `who` records the next turn as held. */
async function nextDayTurn(rota: string, who: Person) {
  env.clock.advance(DAY_MS);
  const res = await who.client.post(`${rota}/turns`);
  if (res.status !== 201) throw new Error(`turn failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const rotaTypes = async (orgId: string) =>
  (
    await env.db.query<{ type: string }>(
      "SELECT type FROM log_entries WHERE org_id = $1 AND (type LIKE 'rota.%' OR type LIKE 'assignment.%') ORDER BY seq",
      [orgId],
    )
  ).rows.map((r) => r.type);

const holdersOf = async (stage: Stage) =>
  (await stage.ann.client.get(`/orgs/${stage.org.id}/roles/${stage.roleId}`)).body.holders.map(
    (h: { memberId: string }) => h.memberId,
  );

describe("a rota", () => {
  it("hands the role on at each turn taken, each turn a term that counts like any other", async () => {
    const stage = await rotaStage();
    const { ann, ben, cat } = stage;
    const rota = await startedRota(stage);
    const started = await cat.client.get(rota);
    expect(started.body).toMatchObject({
      roleId: stage.roleId,
      circleId: stage.circleId,
      order: [ann.memberId, ben.memberId, cat.memberId],
      next: { slotOf: ann.memberId, memberId: ann.memberId, swapId: null },
      turns: [],
      swaps: [],
      can: { takeTurn: true, skip: false, reorder: true, requestSwap: true },
    });

    const first = await nextDayTurn(rota, ann);
    expect(first.turns).toEqual([
      expect.objectContaining({ slotOf: ann.memberId, memberId: ann.memberId, skipped: false }),
    ]);
    expect(first.next.memberId).toBe(ben.memberId);
    expect(await holdersOf(stage)).toEqual([ann.memberId]);

    await nextDayTurn(rota, ben);
    const assignments = (await ann.client.get(`/orgs/${stage.org.id}/roles/${stage.roleId}/assignments`)).body
      .assignments;
    expect(assignments).toEqual([
      expect.objectContaining({
        memberId: ben.memberId,
        source: "rotation",
        startsAt: "2026-01-07T09:00:00.000Z",
        endsAt: "2026-01-21T09:00:00.000Z",
        active: true,
      }),
      expect.objectContaining({
        memberId: ann.memberId,
        source: "rotation",
        startsAt: "2026-01-06T09:00:00.000Z",
        endsAt: "2026-01-07T09:00:00.000Z",
        active: false,
      }),
    ]);
    expect(await rotaTypes(stage.org.id)).toEqual([
      "rota.created",
      "assignment.created",
      "rota.turn_taken",
      "assignment.ended",
      "assignment.created",
      "rota.turn_taken",
    ]);
    const { rows } = await env.db.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'rota.turn_taken' ORDER BY seq DESC LIMIT 1",
      [stage.org.id],
    );
    expect(rows[0]?.payload).toMatchObject({
      roleId: stage.roleId,
      circleId: stage.circleId,
      memberId: ben.memberId,
      assignmentId: assignments[0].id,
    });
  });

  it("comes round fairly: over seven turns nobody holds two more than anyone else, in order", async () => {
    const stage = await rotaStage();
    const rota = await startedRota(stage);
    // Anyone in the circle may note that the turn was held: here Dan, who is not in the rota, keeps the record.
    for (let i = 0; i < 7; i++) await nextDayTurn(rota, stage.dan);
    const { turns } = (await stage.dan.client.get(rota)).body;
    const holders = turns.map((t: { memberId: string }) => t.memberId);
    const [a, b, c] = [stage.ann.memberId, stage.ben.memberId, stage.cat.memberId];
    expect(holders).toEqual([a, b, c, a, b, c, a]);
    const counts = [a, b, c].map((m) => holders.filter((h: string) => h === m).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(turns.map((t: { at: string }) => t.at.slice(0, 10))).toEqual([
      "2026-01-06",
      "2026-01-07",
      "2026-01-08",
      "2026-01-09",
      "2026-01-10",
      "2026-01-11",
      "2026-01-12",
    ]);
    expect(await holdersOf(stage)).toEqual([a]);
  });

  it("skip: the member whose turn it is passes, keeps their place, and the holder keeps the role", async () => {
    const stage = await rotaStage();
    const { ann, ben, cat } = stage;
    const rota = await startedRota(stage);
    await nextDayTurn(rota, ann);
    expect((await cat.client.post(`${rota}/skip`)).status).toBe(403);
    const skipped = await ben.client.post(`${rota}/skip`);
    expect(skipped.status).toBe(200);
    expect(skipped.body.turns.at(-1)).toMatchObject({ slotOf: ben.memberId, skipped: true });
    expect(skipped.body.next.memberId).toBe(cat.memberId);
    expect(await holdersOf(stage)).toEqual([ann.memberId]);

    await nextDayTurn(rota, cat);
    const after = await nextDayTurn(rota, ann);
    expect(after.next.memberId).toBe(ben.memberId);
    expect(after.turns.map((t: { memberId: string; skipped: boolean }) => [t.memberId, t.skipped])).toEqual([
      [ann.memberId, false],
      [ben.memberId, true],
      [cat.memberId, false],
      [ann.memberId, false],
    ]);
    expect(await rotaTypes(stage.org.id)).toContain("rota.turn_skipped");
  });

  it("never takes a member past the role's limit of consecutive terms: that turn is skipped instead", async () => {
    const stage = await rotaStage();
    const { ann, ben } = stage;
    await env.db.query("UPDATE roles SET max_consecutive_terms = 1 WHERE org_id = $1 AND id = $2", [
      stage.org.id,
      stage.roleId,
    ]);
    const rota = await startedRota(stage, [ann, ben]);
    await nextDayTurn(rota, ann);
    expect((await ben.client.post(`${rota}/skip`)).status).toBe(200);

    // Ann's turn again, straight after her own term.
    const before = (await ann.client.get(rota)).body;
    const entries = await logLength(env, stage.org.id);
    const again = await ann.client.post(`${rota}/turns`);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      code: "validation_failed",
      details: { memberId: ann.memberId, consecutiveTerms: 1, maxConsecutiveTerms: 1 },
    });
    expect((await ann.client.get(rota)).body.turns).toEqual(before.turns);
    expect(await logLength(env, stage.org.id)).toBe(entries);
    expect(await holdersOf(stage)).toEqual([ann.memberId]);

    expect((await ann.client.post(`${rota}/skip`)).status).toBe(200);
    await nextDayTurn(rota, ben);
    expect(await holdersOf(stage)).toEqual([ben.memberId]);
  });

  it("swap: takes effect only when both agree, then each holds the other's turn", async () => {
    const stage = await rotaStage();
    const { ann, ben, cat } = stage;
    const rota = await startedRota(stage);
    const asked = await ann.client.post(`${rota}/swaps`, { with: ben.memberId });
    expect(asked.status).toBe(201);
    const swapId = asked.body.swaps[0].id;
    expect(asked.body.swaps[0]).toMatchObject({ from: ann.memberId, to: ben.memberId, state: "pending" });
    expect(asked.body.next).toEqual({ slotOf: ann.memberId, memberId: ann.memberId, swapId: null });
    expect(asked.body.can).toMatchObject({ cancelSwaps: [swapId], answerSwaps: [] });
    expect((await ben.client.get(rota)).body.can).toMatchObject({ answerSwaps: [swapId], cancelSwaps: [] });

    expect((await cat.client.post(`${rota}/swaps/${swapId}/accept`)).status).toBe(403);
    expect((await ann.client.post(`${rota}/swaps/${swapId}/accept`)).status).toBe(403);
    const accepted = await ben.client.post(`${rota}/swaps/${swapId}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.swaps[0].state).toBe("accepted");
    expect(accepted.body.next).toEqual({ slotOf: ann.memberId, memberId: ben.memberId, swapId });
    expect((await ben.client.post(`${rota}/swaps/${swapId}/accept`)).status).toBe(409);

    const first = await nextDayTurn(rota, ben);
    expect(first.next).toEqual({ slotOf: ben.memberId, memberId: ann.memberId, swapId });
    expect(await holdersOf(stage)).toEqual([ben.memberId]);
    await nextDayTurn(rota, ann);
    const third = await nextDayTurn(rota, cat);
    expect(third.turns.map((t: { slotOf: string; memberId: string }) => [t.slotOf, t.memberId])).toEqual([
      [ann.memberId, ben.memberId],
      [ben.memberId, ann.memberId],
      [cat.memberId, cat.memberId],
    ]);
    expect(third.next).toEqual({ slotOf: ann.memberId, memberId: ann.memberId, swapId: null });
  });

  it("swap: declined or cancelled, the turns stay as they were", async () => {
    const stage = await rotaStage();
    const { ann, ben, cat } = stage;
    const rota = await startedRota(stage);
    const asked = await ann.client.post(`${rota}/swaps`, { with: ben.memberId });
    const swapId = asked.body.swaps[0].id;
    expect((await cat.client.post(`${rota}/swaps`, { with: ben.memberId })).status).toBe(409);
    expect((await ben.client.post(`${rota}/swaps/${swapId}/cancel`)).status).toBe(403);
    const declined = await ben.client.post(`${rota}/swaps/${swapId}/decline`);
    expect(declined.status).toBe(200);
    expect(declined.body.swaps[0].state).toBe("declined");
    expect(declined.body.next).toEqual({ slotOf: ann.memberId, memberId: ann.memberId, swapId: null });

    const again = await ann.client.post(`${rota}/swaps`, { with: cat.memberId });
    const secondId = again.body.swaps[1].id;
    const cancelled = await ann.client.post(`${rota}/swaps/${secondId}/cancel`);
    expect(cancelled.body.swaps[1].state).toBe("cancelled");
    expect((await cat.client.post(`${rota}/swaps/${secondId}/accept`)).status).toBe(409);
    expect(await rotaTypes(stage.org.id)).toEqual([
      "rota.created",
      "rota.swap_requested",
      "rota.swap_declined",
      "rota.swap_requested",
      "rota.swap_cancelled",
    ]);
  });

  it("takes a new order of circle members; an open swap of someone who left is cancelled", async () => {
    const stage = await rotaStage();
    const { ann, ben, cat, dan } = stage;
    const rota = await startedRota(stage);
    await ben.client.post(`${rota}/swaps`, { with: cat.memberId });
    const outsider = await addMember(env, stage.org, "member", "Nina Nonmember");
    const refused = await dan.client.patch(rota, { order: [dan.memberId, outsider.memberId] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual({ field: "order", memberId: outsider.memberId });

    const reordered = await dan.client.patch(rota, { order: [dan.memberId, ann.memberId, ben.memberId] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.order).toEqual([dan.memberId, ann.memberId, ben.memberId]);
    expect(reordered.body.swaps[0].state).toBe("cancelled");
    expect(reordered.body.next.memberId).toBe(dan.memberId);
  });

  it("is kept only for a role with a term that is not elected, one rota per role", async () => {
    const stage = await rotaStage();
    const start = (roleId: string) =>
      stage.ann.client.post(stage.url, { roleId, order: [stage.ann.memberId] });
    const elected = await createRole(env, stage.org, stage.circleId, {
      name: "Delegate-ish",
      fillingPolicy: "election",
      termDays: 365,
    });
    const termless = await createRole(env, stage.org, stage.circleId, { name: "Gardener" });
    expect((await start(elected)).body.error).toMatchObject({ code: "conflict" });
    expect((await start(termless)).body.error).toMatchObject({
      code: "conflict",
      details: { field: "termDays" },
    });
    await startedRota(stage);
    expect((await start(stage.roleId)).status).toBe(409);
    await env.db.query("UPDATE roles SET archived_at = $3 WHERE org_id = $1 AND id = $2", [
      stage.org.id,
      stage.roleId,
      env.clock.now(),
    ]);
    const [rota] = (await stage.ann.client.get(stage.url)).body.rotas;
    env.clock.advance(DAY_MS);
    expect((await stage.ann.client.post(`${stage.url}/${rota.id}/turns`)).status).toBe(409);
  });

  it("lists rotas by circle and role", async () => {
    const stage = await rotaStage();
    await startedRota(stage);
    const list = (query: string) => stage.dan.client.get(`${stage.url}${query}`);
    expect((await list("")).body.rotas).toHaveLength(1);
    expect((await list(`?roleId=${stage.roleId}`)).body.rotas).toHaveLength(1);
    expect((await list(`?circleId=${env.ctx.newId()}`)).body).toEqual({ rotas: [], hasMore: false });
    expect((await list("?roleId=nope")).status).toBe(400);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await rotaStage();
    const { ann, ben, cat } = stage;
    const rota = await startedRota(stage);
    await nextDayTurn(rota, ann);
    const before = await logLength(env, stage.org.id);
    const snapshot = (await ann.client.get(rota)).body;
    const outsider = await addMember(env, stage.org, "member", "Nina Nonmember");
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const otherRole = await createRole(env, stage.org, stage.circleId, {
      name: "Secretary of tea",
      fillingPolicy: "rotation",
      termDays: 7,
    });
    const order = [ann.memberId];
    const creates: [object, number][] = [
      [{ roleId: otherRole, order, extra: true }, 400],
      [{ roleId: "not-a-uuid", order }, 400],
      [{ roleId: otherRole, order: "ann" }, 400],
      [{ roleId: otherRole, order: ["ann"] }, 400],
      [{ roleId: otherRole, order: [] }, 400],
      [{ roleId: otherRole, order: [ann.memberId, ann.memberId] }, 400],
      [{ roleId: otherRole, order: [ann.memberId, outsider.memberId] }, 400],
      [{ roleId: otherRole, order: [observer.memberId] }, 400],
      [{ roleId: otherRole }, 400],
      [{ roleId: env.ctx.newId(), order }, 404],
    ];
    for (const [body, status] of creates)
      expect((await ann.client.post(stage.url, body)).status, JSON.stringify(body)).toBe(status);

    const writes: [Person, "post" | "patch", string, object, number][] = [
      [ann, "patch", "", { order: [] }, 400],
      [ann, "patch", "", { order: [ann.memberId], extra: 1 }, 400],
      [ann, "patch", "", {}, 400],
      [ann, "post", "/swaps", { with: ann.memberId }, 409],
      [ann, "post", "/swaps", { with: outsider.memberId }, 409],
      [ann, "post", "/swaps", { with: "ben" }, 400],
      [ann, "post", "/swaps", {}, 400],
      [cat, "post", `/swaps/${env.ctx.newId()}/accept`, {}, 404],
      [cat, "post", "/swaps/nope/accept", {}, 400],
      [ann, "post", "/skip", {}, 403],
    ];
    for (const [who, method, path, body, status] of writes)
      expect(
        (await who.client[method](`${rota}${path}`, body)).status,
        `${path} ${JSON.stringify(body)}`,
      ).toBe(status);
    // The same moment as the turn before: a double submission is refused, not recorded twice.
    expect((await ben.client.post(`${rota}/turns`)).status).toBe(409);
    expect((await ann.client.get(`${stage.url}/${env.ctx.newId()}`)).status).toBe(404);
    expect((await ann.client.post(`${stage.url}/${env.ctx.newId()}/turns`)).status).toBe(404);
    expect(await logLength(env, stage.org.id)).toBe(before);
    expect((await ann.client.get(rota)).body).toEqual(snapshot);
    expect((await ann.client.get(stage.url)).body.rotas).toHaveLength(1);
  });
});

describe("rota authorization", () => {
  /** The cast's circle with a rotating role and Leo, a second circle member (not in the matrix). */
  async function rotaCast() {
    const cast = await authorizationCast(env);
    const leo = await addMember(env, cast.org, "member", "Leo Linked");
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [cast.org.id, cast.circleId, leo.memberId, env.clock.now()],
    );
    const url = `/orgs/${cast.org.id}/rotas`;
    const role = () =>
      createRole(env, cast.org, cast.circleId, { name: "Host", fillingPolicy: "rotation", termDays: 7 });
    /** A rota of the circle member and Leo, started by Leo. */
    const rota = async () => {
      const res = await leo.client.post(url, {
        roleId: await role(),
        order: [cast.circleMember.memberId, leo.memberId],
      });
      if (res.status !== 201) throw new Error(`start failed: ${JSON.stringify(res.body)}`);
      return `${url}/${res.body.id}`;
    };
    /** A rota with a swap asked for: `from` asks `to`. */
    const withSwap = async (from: Person, to: Person) => {
      const at = await rota();
      const res = await from.client.post(`${at}/swaps`, { with: to.memberId });
      return `${at}/swaps/${res.body.swaps[0].id}`;
    };
    return { cast, leo, url, role, rota, withSwap };
  }

  const denied = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403 };

  it("shows rotas to every member of the organisation", async () => {
    const { url, rota, cast } = await rotaCast();
    const one = await rota();
    const ok = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(ok);
    expect(await statusesOf(cast, (c) => c.get(one))).toEqual(ok);
  });

  it("lets those who take part in the circle start, reorder and record turns; an admin outside it may not", async () => {
    const { cast, leo, url, role, rota } = await rotaCast();
    const roles: Record<string, string> = {};
    for (const actor of ACTORS) roles[actor] = await role();
    const order = [cast.circleMember.memberId, leo.memberId];
    expect(await statusesOf(cast, (c, actor) => c.post(url, { roleId: roles[actor], order }))).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
    const one = await rota();
    expect(await statusesOf(cast, (c) => c.patch(one, { order: [...order].reverse() }))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
    const rotas: Record<string, string> = {};
    for (const actor of ACTORS) rotas[actor] = await rota();
    env.clock.advance(DAY_MS);
    expect(await statusesOf(cast, (c, actor) => c.post(`${rotas[actor]}/turns`))).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
  });

  it("lets only the holder skip, only a member of the rota ask a swap, and only the right party settle it", async () => {
    const { cast, leo, rota, withSwap } = await rotaCast();
    const rotas: Record<string, string> = {};
    for (const actor of ACTORS) rotas[actor] = await rota();
    expect(await statusesOf(cast, (c, actor) => c.post(`${rotas[actor]}/skip`))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
    for (const actor of ACTORS) rotas[actor] = await rota();
    expect(
      await statusesOf(cast, (c, actor) => c.post(`${rotas[actor]}/swaps`, { with: leo.memberId })),
    ).toEqual({ ...denied, circleMember: 201, admin: 403 });
    for (const answer of ["accept", "decline"]) {
      const swaps: Record<string, string> = {};
      for (const actor of ACTORS) swaps[actor] = await withSwap(leo, cast.circleMember);
      expect(await statusesOf(cast, (c, actor) => c.post(`${swaps[actor]}/${answer}`)), answer).toEqual({
        ...denied,
        circleMember: 200,
        admin: 403,
      });
    }
    const swaps: Record<string, string> = {};
    for (const actor of ACTORS) swaps[actor] = await withSwap(cast.circleMember, leo);
    expect(await statusesOf(cast, (c, actor) => c.post(`${swaps[actor]}/cancel`))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
  });
});
