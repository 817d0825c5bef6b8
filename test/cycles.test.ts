import { describe, expect, it } from "vitest";
import { endCrisesPastTheirTime } from "../src/app/crises.js";
import { addMember, assignRole, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { ACTORS, statusesOf } from "./support/matrix.js";
import {
  adoptedProposal,
  type CircleStage,
  circleStage,
  logLength,
  type Person,
} from "./support/proposals.js";

const env = withTestEnv();
const DAY = 86_400_000;

const cyclesUrl = (stage: { org: { id: string } }) => `/orgs/${stage.org.id}/cycles`;

async function openedCycle(stage: CircleStage, who: Person = stage.author, title = "Seed swap") {
  const res = await who.client.post(cyclesUrl(stage), { circleId: stage.circleId, title });
  if (res.status !== 201) throw new Error(`open failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `${cyclesUrl(stage)}/${res.body.id}`;
}

/** A cycle taken through plan, act and observe with an entry each, now reflecting with one lesson. */
async function reflectingCycle(stage: CircleStage, who: Person) {
  const url = await openedCycle(stage, who);
  for (const to of ["act", "observe", "reflect"]) {
    await who.client.post(`${url}/entries`, { text: `Before ${to}` });
    await who.client.post(`${url}/advance`, { to });
  }
  const res = await who.client.post(`${url}/lessons`, { text: "Ask the neighbours earlier" });
  if (res.status !== 201) throw new Error(`lesson failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { url, lessonId: res.body.lessons[0].id as string };
}

const cycleTypes = async (orgId: string) =>
  (
    await env.db.query<{ type: string }>(
      "SELECT type FROM log_entries WHERE org_id = $1 AND type LIKE 'cycle.%' ORDER BY seq",
      [orgId],
    )
  ).rows.map((r) => r.type);

describe("a cycle of plan, act, observe and reflect", () => {
  it("runs through every phase with entries, ends in lessons, and a lesson starts a proposal", async () => {
    const stage = await circleStage(env, 1);
    const [ben] = stage.members as [Person];
    const url = await openedCycle(stage);
    const plan = await stage.author.client.post(`${url}/entries`, { text: "Swap seeds at the spring fair" });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({
      state: "plan",
      entries: [{ phase: "plan", by: stage.author.memberId, text: "Swap seeds at the spring fair" }],
      can: { addEntry: true, advance: true, addLesson: false, close: false },
    });
    expect((await ben.client.post(`${url}/advance`, { to: "observe" })).status).toBe(409);
    expect((await ben.client.post(`${url}/advance`, { to: "act" })).body.state).toBe("act");
    expect((await ben.client.post(`${url}/advance`, { to: "act" })).status).toBe(409);
    expect((await ben.client.post(`${url}/advance`, { to: "observe" })).status).toBe(409);
    await ben.client.post(`${url}/entries`, { text: "Forty people came" });
    await ben.client.post(`${url}/advance`, { to: "observe" });
    await stage.author.client.post(`${url}/entries`, { text: "Tomato seeds ran out first" });
    await stage.author.client.post(`${url}/advance`, { to: "reflect" });
    expect((await stage.author.client.post(`${url}/close`)).status).toBe(409);
    const learnt = await ben.client.post(`${url}/lessons`, { text: "Collect tomato seeds in autumn" });
    expect(learnt.status).toBe(201);
    const lessonId = learnt.body.lessons[0].id;

    const closed = await stage.author.client.post(`${url}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      state: "closed",
      phases: [{ phase: "plan" }, { phase: "act" }, { phase: "observe" }, { phase: "reflect" }],
      closed: { by: stage.author.memberId },
      can: { addEntry: false, close: false, proposeFromLessons: true },
    });
    expect(closed.body.entries.map((e: { phase: string }) => e.phase)).toEqual(["plan", "act", "observe"]);

    const started = await ben.client.post(`${url}/lessons/${lessonId}/proposal`, {
      title: "Autumn seed harvest",
    });
    expect(started.status).toBe(201);
    const { proposalId } = started.body;
    expect(started.body.cycle.lessons[0]).toMatchObject({ id: lessonId, proposalId });
    const proposal = await ben.client.get(`/orgs/${stage.org.id}/proposals/${proposalId}`);
    expect(proposal.body).toMatchObject({
      circleId: stage.circleId,
      title: "Autumn seed harvest",
      state: "draft",
      authorId: ben.memberId,
    });
    expect(JSON.stringify(proposal.body)).toContain("Collect tomato seeds in autumn");
    expect((await ben.client.post(`${url}/lessons/${lessonId}/proposal`)).status).toBe(409);
    expect(await cycleTypes(stage.org.id)).toEqual([
      "cycle.opened",
      "cycle.entry_added",
      "cycle.advanced",
      "cycle.entry_added",
      "cycle.advanced",
      "cycle.entry_added",
      "cycle.advanced",
      "cycle.lesson_added",
      "cycle.closed",
      "cycle.lesson_proposed",
    ]);
  });

  it("lists open cycles first and filters by circle and state", async () => {
    const stage = await circleStage(env, 1);
    const { url: closed } = await reflectingCycle(stage, stage.author);
    await stage.author.client.post(`${closed}/close`);
    env.clock.advance(1000);
    const open = await openedCycle(stage, stage.author, "Tool library");
    const ids = async (query = "") => {
      const res = await stage.facilitator.client.get(`${cyclesUrl(stage)}${query}`);
      expect(res.status).toBe(200);
      return res.body.cycles.map((c: { id: string }) => `${cyclesUrl(stage)}/${c.id}`);
    };
    expect(await ids()).toEqual([open, closed]);
    expect(await ids("?state=open")).toEqual([open]);
    expect(await ids("?state=closed")).toEqual([closed]);
    expect(await ids(`?circleId=${env.ctx.newId()}`)).toEqual([]);
    expect(await ids("?limit=1")).toEqual([open]);
  });
});

describe("the reflection on a crisis", () => {
  async function crisisStage() {
    const stage = await circleStage(env, 2);
    const [ben] = stage.members as [Person];
    const proposalId = await adoptedProposal(stage, { title: "Crisis authority for Ben" });
    const res = await stage.author.client.post(`/orgs/${stage.org.id}/crises`, {
      circleId: stage.circleId,
      holderId: ben.memberId,
      scope: "Keep the greenhouse alive through the frost",
      endsAt: new Date(env.clock.now().getTime() + DAY).toISOString(),
      grant: { by: "consent", proposalId },
    });
    if (res.status !== 201) throw new Error(`grant failed: ${JSON.stringify(res.body)}`);
    const crisis = `/orgs/${stage.org.id}/crises/${res.body.id}`;
    await ben.client.post(`${crisis}/decisions`, { text: "Buy two heaters" });
    return { stage, ben, crisisId: res.body.id as string, crisis };
  }

  const reflectionsOn = async (stage: CircleStage, crisisId: string) =>
    (await stage.author.client.get(`${cyclesUrl(stage)}?crisisId=${crisisId}`)).body.cycles;

  it("opens when the holder releases the authority, in the same step, starting from the record", async () => {
    const { stage, ben, crisisId, crisis } = await crisisStage();
    expect(await reflectionsOn(stage, crisisId)).toEqual([]);
    env.clock.advance(3_600_000);
    expect((await ben.client.post(`${crisis}/release`)).status).toBe(200);
    const [cycle] = await reflectionsOn(stage, crisisId);
    expect(cycle).toMatchObject({
      circleId: stage.circleId,
      title: "Reflection on the crisis: Keep the greenhouse alive through the frost",
      subject: { kind: "crisis", crisisId },
      openedBy: null,
      state: "observe",
      entries: [
        { phase: "plan", by: null, text: "Keep the greenhouse alive through the frost" },
        { phase: "act", by: null, text: "Buy two heaters" },
      ],
      can: { addEntry: true, advance: false },
    });
    const types = (
      await env.db.query<{ type: string }>(
        "SELECT type FROM log_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 3",
        [stage.org.id],
      )
    ).rows.map((r) => r.type);
    expect(types).toEqual(["cycle.opened", "crisis.ended", "crisis.released"]);
    // The circle carries it on like any cycle.
    const url = `${cyclesUrl(stage)}/${cycle.id}`;
    await stage.author.client.post(`${url}/entries`, { text: "The heaters saved the seedlings" });
    expect((await stage.author.client.post(`${url}/advance`, { to: "reflect" })).body.state).toBe("reflect");
  });

  it("opens once when the sweeper notes the end, however many sweeps run", async () => {
    const { stage, crisisId } = await crisisStage();
    env.clock.advance(DAY);
    expect(await reflectionsOn(stage, crisisId)).toEqual([]);
    await Promise.all([endCrisesPastTheirTime(env.ctx), endCrisesPastTheirTime(env.ctx)]);
    await endCrisesPastTheirTime(env.ctx);
    expect(await reflectionsOn(stage, crisisId)).toHaveLength(1);
    expect(await cycleTypes(stage.org.id)).toEqual(["cycle.opened"]);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await circleStage(env, 1);
    const { url, lessonId } = await reflectingCycle(stage, stage.author);
    const fresh = await openedCycle(stage);
    const before = await logLength(env, stage.org.id);
    const snapshot = (await stage.author.client.get(url)).body;
    const opens = [
      {},
      { circleId: stage.circleId },
      { circleId: stage.circleId, title: "" },
      { circleId: stage.circleId, title: "   " },
      { circleId: "nope", title: "X" },
      { circleId: stage.circleId, title: "X", extra: 1 },
      { circleId: stage.circleId, title: 42 },
    ];
    for (const body of opens)
      expect((await stage.author.client.post(cyclesUrl(stage), body)).status, JSON.stringify(body)).toBe(400);
    expect(
      (await stage.author.client.post(cyclesUrl(stage), { circleId: env.ctx.newId(), title: "X" })).status,
    ).toBe(404);
    const writes: [string, string, object, number][] = [
      [url, "entries", { text: "" }, 400],
      [url, "entries", { text: "  " }, 400],
      [url, "entries", { text: "ok", extra: true }, 400],
      [url, "advance", { to: "done" }, 400],
      [url, "advance", { to: "plan" }, 409],
      [url, "lessons", { text: " " }, 400],
      [fresh, "lessons", { text: "Too early" }, 409],
      [fresh, "advance", { to: "act" }, 409],
      [fresh, "close", {}, 409],
      [url, `lessons/${env.ctx.newId()}/proposal`, {}, 404],
      [url, `lessons/${lessonId}/proposal`, { title: "" }, 400],
      [url, `lessons/${lessonId}/proposal`, { text: "Not mine to set" }, 400],
      [`${cyclesUrl(stage)}/${env.ctx.newId()}`, "entries", { text: "Lost" }, 404],
      [`${cyclesUrl(stage)}/not-a-uuid`, "close", {}, 400],
    ];
    for (const [base, path, body, status] of writes)
      expect(
        (await stage.author.client.post(`${base}/${path}`, body)).status,
        `${path} ${JSON.stringify(body)}`,
      ).toBe(status);
    expect(await logLength(env, stage.org.id)).toBe(before);
    expect((await stage.author.client.get(url)).body).toEqual(snapshot);
    expect((await stage.author.client.get(`${cyclesUrl(stage)}?state=finished`)).status).toBe(400);
  });
});

describe("cycle authorization", () => {
  const denied = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403, admin: 403 };

  it("shows cycles to every member; only those who take part in the circle work on them", async () => {
    const cast = await authorizationCast(env);
    const facilitator = await createRole(env, cast.org, cast.circleId, { kind: "facilitator" });
    await assignRole(env, cast.org, facilitator, cast.circleMember.memberId);
    const stage = { org: cast.org, circleId: cast.circleId };
    const url = cyclesUrl(stage);
    const member = cast.circleMember;
    const read = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(read);
    expect(
      await statusesOf(cast, (c) => c.post(url, { circleId: cast.circleId, title: "Seed swap" })),
    ).toEqual({ ...denied, circleMember: 201 });
    const cycle = `${url}/${(await member.client.post(url, { circleId: cast.circleId, title: "X" })).body.id}`;
    expect(await statusesOf(cast, (c) => c.get(cycle))).toEqual(read);
    expect(await statusesOf(cast, (c, actor) => c.post(`${cycle}/entries`, { text: `By ${actor}` }))).toEqual(
      {
        ...denied,
        circleMember: 201,
      },
    );
    expect(await statusesOf(cast, (c) => c.post(`${cycle}/advance`, { to: "act" }))).toEqual({
      ...denied,
      circleMember: 200,
    });
    const circle: CircleStage = {
      org: cast.org,
      circleId: cast.circleId,
      facilitator: member,
      author: member,
      members: [],
      everyone: [member],
    };
    const cycles: Record<string, { url: string; lessonId: string }> = {};
    for (const actor of ACTORS) cycles[actor] = await reflectingCycle(circle, member);
    expect(
      await statusesOf(cast, (c, actor) => c.post(`${cycles[actor]?.url}/lessons`, { text: `By ${actor}` })),
    ).toEqual({ ...denied, circleMember: 201 });
    expect(
      await statusesOf(cast, (c, actor) =>
        c.post(`${cycles[actor]?.url}/lessons/${cycles[actor]?.lessonId}/proposal`),
      ),
    ).toEqual({ ...denied, circleMember: 201 });
    expect(await statusesOf(cast, (c, actor) => c.post(`${cycles[actor]?.url}/close`))).toEqual({
      ...denied,
      circleMember: 200,
    });
  });

  it("hides a circle's cycles from observers the organisation limits to their own circles", async () => {
    const cast = await authorizationCast(env);
    await cast.admin.client.patch(`/orgs/${cast.org.id}`, { settings: { observersReadCircles: false } });
    const url = cyclesUrl({ org: cast.org });
    const opened = await cast.circleMember.client.post(url, { circleId: cast.circleId, title: "X" });
    expect((await cast.observer.client.get(`${url}/${opened.body.id}`)).status).toBe(404);
    expect((await cast.observer.client.get(url)).body.cycles).toEqual([]);
    const inCircle = await addMember(env, cast.org, "observer", "Ivy Inside");
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [cast.org.id, cast.circleId, inCircle.memberId, env.clock.now()],
    );
    expect((await inCircle.client.get(`${url}/${opened.body.id}`)).status).toBe(200);
  });
});
