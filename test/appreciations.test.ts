import { describe, expect, it } from "vitest";
import { addMember, authorizationCast, createCircle, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { orgStatusesOf } from "./support/matrix.js";
import { circleStage, logLength, type Person, proposalInRound } from "./support/proposals.js";

const env = withTestEnv();

const url = (stage: { org: { id: string } }) => `/orgs/${stage.org.id}/appreciations`;

async function appreciationStage() {
  const stage = await circleStage(env, 2);
  const [ben, cat] = stage.members as [Person, Person];
  const roleId = await createRole(env, stage.org, stage.circleId, { name: "Seed keeper" });
  return { ...stage, ben, cat, roleId };
}

describe("appreciation", () => {
  it("recognises members, optionally for a role, proposal or cycle, in circle and member feeds", async () => {
    const stage = await appreciationStage();
    const { ben, cat } = stage;
    const proposalId = await proposalInRound(stage);
    const cycle = await stage.author.client.post(`/orgs/${stage.org.id}/cycles`, {
      circleId: stage.circleId,
      title: "Seed swap",
    });
    const give = (who: Person, body: object) => who.client.post(url(stage), body);

    const forRole = await give(stage.author, {
      memberIds: [ben.memberId],
      text: "Thank you for keeping the seeds dry",
      subject: { kind: "role", id: stage.roleId },
    });
    expect(forRole.status).toBe(201);
    expect(forRole.body).toMatchObject({
      fromId: stage.author.memberId,
      memberIds: [ben.memberId],
      subject: { kind: "role", id: stage.roleId },
      circleId: stage.circleId,
    });
    env.clock.advance(1000);
    await give(ben, {
      memberIds: [stage.author.memberId, cat.memberId],
      text: "A clear proposal",
      subject: { kind: "proposal", id: proposalId },
    });
    env.clock.advance(1000);
    await give(cat, {
      memberIds: [ben.memberId],
      text: "Great swap",
      subject: { kind: "cycle", id: cycle.body.id },
    });
    env.clock.advance(1000);
    await give(cat, { memberIds: [ben.memberId], text: "Just because" });

    const feed = async (query: string) =>
      (await stage.facilitator.client.get(`${url(stage)}${query}`)).body.appreciations.map(
        (a: { text: string }) => a.text,
      );
    expect(await feed("")).toEqual([
      "Just because",
      "Great swap",
      "A clear proposal",
      "Thank you for keeping the seeds dry",
    ]);
    expect(await feed(`?circleId=${stage.circleId}`)).toEqual([
      "Great swap",
      "A clear proposal",
      "Thank you for keeping the seeds dry",
    ]);
    expect(await feed(`?memberId=${ben.memberId}`)).toEqual([
      "Just because",
      "Great swap",
      "Thank you for keeping the seeds dry",
    ]);
    expect(await feed(`?memberId=${cat.memberId}&circleId=${stage.circleId}`)).toEqual(["A clear proposal"]);
    expect(await feed("?limit=1")).toEqual(["Just because"]);
    const other = await createCircle(env, stage.org, { name: "Kitchen" });
    expect(await feed(`?circleId=${other}`)).toEqual([]);
    const listed = await stage.facilitator.client.get(url(stage));
    expect(listed.body).toMatchObject({ hasMore: false, can: { appreciate: true } });
    const logged = await env.db.query<{ payload: { appreciationId: string } }>(
      "SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'appreciation.given' ORDER BY seq",
      [stage.org.id],
    );
    expect(logged.rows[0]?.payload).toMatchObject({
      appreciationId: forRole.body.id,
      memberIds: [ben.memberId],
    });
  });

  it("cannot be tied to a draft the giver may not read", async () => {
    const stage = await appreciationStage();
    const draft = await stage.author.client.post(`/orgs/${stage.org.id}/proposals`, {
      circleId: stage.circleId,
      title: "Secret plan",
      text: "Not yet",
    });
    const res = await stage.ben.client.post(url(stage), {
      memberIds: [stage.author.memberId],
      text: "Nice draft",
      subject: { kind: "proposal", id: draft.body.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ field: "subject" });
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await appreciationStage();
    const archived = await addMember(env, stage.org, "member", "Gone Member");
    await env.db.query("UPDATE members SET archived_at = $3 WHERE org_id = $1 AND id = $2", [
      stage.org.id,
      archived.memberId,
      env.clock.now(),
    ]);
    const before = await logLength(env, stage.org.id);
    const valid = { memberIds: [stage.ben.memberId], text: "Thanks" };
    const bodies = [
      {},
      { ...valid, extra: 1 },
      { ...valid, memberIds: [] },
      { ...valid, memberIds: ["nope"] },
      { ...valid, memberIds: [stage.ben.memberId, stage.ben.memberId] },
      { ...valid, memberIds: [stage.author.memberId] },
      { ...valid, memberIds: [env.ctx.newId()] },
      { ...valid, memberIds: [archived.memberId] },
      { ...valid, text: "" },
      { ...valid, text: "   " },
      { ...valid, subject: { kind: "meeting", id: stage.roleId } },
      { ...valid, subject: { kind: "role", id: env.ctx.newId() } },
      { ...valid, subject: { kind: "cycle", id: stage.roleId } },
      { ...valid, subject: { kind: "role" } },
    ];
    for (const body of bodies)
      expect((await stage.author.client.post(url(stage), body)).status, JSON.stringify(body)).toBe(400);
    expect((await stage.author.client.get(`${url(stage)}?memberId=nope`)).status).toBe(400);
    expect(await logLength(env, stage.org.id)).toBe(before);
    expect((await stage.author.client.get(url(stage))).body.appreciations).toEqual([]);
  });
});

describe("appreciation authorization", () => {
  it("lets every member read the feeds and every member who acts appreciate", async () => {
    const cast = await authorizationCast(env);
    const target = cast.circleMember.memberId;
    expect(await orgStatusesOf(cast, (c) => c.get(url(cast)))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 200,
      member: 200,
      admin: 200,
    });
    expect(
      await orgStatusesOf(cast, (c) => c.post(url(cast), { memberIds: [target], text: "Thanks" })),
    ).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 201,
      admin: 201,
    });
    expect((await cast.observer.client.get(url(cast))).body.can).toEqual({ appreciate: false });
  });
});
