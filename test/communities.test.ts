import { describe, expect, it } from "vitest";
import {
  addMember,
  authorizationCast,
  createCircle,
  createOrg,
  type OrgFixture,
} from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { statusesOf } from "./support/matrix.js";
import { logLength } from "./support/proposals.js";

const env = withTestEnv();

const setProfile = (org: OrgFixture, memberId: string, skills: string[], interests: string[] = []) =>
  env.db.query("UPDATE members SET skills = $3::jsonb, interests = $4::jsonb WHERE org_id = $1 AND id = $2", [
    org.id,
    memberId,
    JSON.stringify(skills.map((skill) => ({ skill, level: 3 }))),
    JSON.stringify(interests),
  ]);

const community = (org: OrgFixture, name: string, aim: string, memberIds: string[] = []) =>
  createCircle(env, org, { name, kind: "community_of_practice", memberIds }).then(async (id) => {
    await env.db.query("UPDATE circles SET aim = $3 WHERE org_id = $1 AND id = $2", [org.id, id, aim]);
    return id;
  });

async function communityStage() {
  const org = await createOrg(env);
  const gina = await addMember(env, org, "member", "Gina Grower");
  const noor = await addMember(env, org, "member", "Noor Newcomer");
  await setProfile(org, gina.memberId, ["Gardening", "Composting"], ["Permaculture"]);
  const growers = await community(org, "Growers", "Share what we learn in the beds", [gina.memberId]);
  const bakers = await community(org, "Bakers", "Sourdough and other bread");
  const garden = await createCircle(env, org, { name: "Garden", memberIds: [gina.memberId] });
  return { org, gina, noor, growers, bakers, garden };
}

const communitiesUrl = (org: OrgFixture) => `/orgs/${org.id}/communities`;

describe("communities of practice", () => {
  it("are found by a member's skill or interest, or by what their name and aim say", async () => {
    const { org, noor, growers, bakers } = await communityStage();
    const found = async (query = "") => {
      const res = await noor.client.get(`${communitiesUrl(org)}${query}`);
      expect(res.status).toBe(200);
      return res.body.communities.map((c: { id: string }) => c.id);
    };
    expect(await found()).toEqual([bakers, growers]);
    expect(await found("?skill=gardening")).toEqual([growers]);
    expect(await found("?skill=GARDEN")).toEqual([]);
    expect(await found("?skill=sourdough")).toEqual([bakers]);
    expect(await found("?interest=permaculture")).toEqual([growers]);
    expect(await found("?skill=composting&interest=permaculture")).toEqual([growers]);
    expect(await found("?skill=composting&interest=bread")).toEqual([]);
    expect(await found("?skill=welding")).toEqual([]);
    const listed = await noor.client.get(`${communitiesUrl(org)}?skill=Gardening`);
    expect(listed.body.communities[0]).toMatchObject({
      name: "Growers",
      aim: "Share what we learn in the beds",
      memberCount: 1,
      matchingMembers: 1,
      isMember: false,
      can: { join: true, publishAdvice: false },
    });
    expect((await noor.client.get(communitiesUrl(org))).body.communities[1].matchingMembers).toBeNull();
  });

  it("are open to join through the circles' own self-join", async () => {
    const { org, noor, growers, garden } = await communityStage();
    const joined = await noor.client.post(`${communitiesUrl(org)}/${growers}/join`);
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({
      memberId: noor.memberId,
      community: { id: growers, memberCount: 2, isMember: true, can: { join: false, publishAdvice: true } },
    });
    expect((await noor.client.post(`${communitiesUrl(org)}/${growers}/join`)).status).toBe(409);
    expect((await noor.client.post(`${communitiesUrl(org)}/${garden}/join`)).status).toBe(404);
    const members = await noor.client.get(`/orgs/${org.id}/circles/${growers}/members`);
    expect(members.body.members ?? members.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ memberId: noor.memberId })]),
    );
    const logged = await env.db.query<{ payload: object }>(
      "SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'circle.member_added'",
      [org.id],
    );
    expect(logged.rows.map((r) => r.payload)).toEqual([
      { circleId: growers, memberId: noor.memberId, via: "joined" },
    ]);
  });

  it("publish advice to a circle, shown on that circle, deciding nothing", async () => {
    const { org, gina, noor, growers, bakers, garden } = await communityStage();
    const advise = (who: { client: typeof gina.client }, communityId: string, body: object) =>
      who.client.post(`${communitiesUrl(org)}/${communityId}/advice`, body);
    const published = await advise(gina, growers, {
      circleId: garden,
      text: "Mulch the beds before the frost",
    });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({
      communityId: growers,
      communityName: "Growers",
      circleId: garden,
      authorId: gina.memberId,
      text: "Mulch the beds before the frost",
    });
    expect((await advise(noor, growers, { circleId: garden, text: "Me too" })).status).toBe(403);
    expect((await advise(gina, bakers, { circleId: garden, text: "Not my community" })).status).toBe(403);
    const shown = await noor.client.get(`/orgs/${org.id}/circles/${garden}/advice`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      advice: [{ id: published.body.id, text: "Mulch the beds before the frost" }],
    });
    expect((await noor.client.get(`/orgs/${org.id}/circles/${bakers}/advice`)).body.advice).toEqual([]);
    const types = await env.db.query<{ type: string }>(
      "SELECT type FROM log_entries WHERE org_id = $1 AND type LIKE 'community.%'",
      [org.id],
    );
    expect(types.rows.map((r) => r.type)).toEqual(["community.advice_published"]);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const { org, gina, growers, garden } = await communityStage();
    const archived = await createCircle(env, org, { name: "Old" });
    await env.db.query("UPDATE circles SET archived_at = $3 WHERE org_id = $1 AND id = $2", [
      org.id,
      archived,
      env.clock.now(),
    ]);
    const before = await logLength(env, org.id);
    const advice = `${communitiesUrl(org)}/${growers}/advice`;
    const bodies: [object, number][] = [
      [{}, 400],
      [{ circleId: garden }, 400],
      [{ circleId: garden, text: "" }, 400],
      [{ circleId: garden, text: "  " }, 400],
      [{ circleId: garden, text: "Hi", extra: 1 }, 400],
      [{ circleId: "nope", text: "Hi" }, 400],
      [{ circleId: env.ctx.newId(), text: "Hi" }, 400],
      [{ circleId: archived, text: "Hi" }, 400],
      [{ circleId: growers, text: "To ourselves" }, 400],
    ];
    for (const [body, status] of bodies)
      expect((await gina.client.post(advice, body)).status, JSON.stringify(body)).toBe(status);
    expect(
      (await gina.client.post(`${communitiesUrl(org)}/${garden}/advice`, { circleId: growers, text: "Hi" }))
        .status,
    ).toBe(404);
    expect((await gina.client.post(`${communitiesUrl(org)}/${env.ctx.newId()}/join`)).status).toBe(404);
    expect((await gina.client.post(`${communitiesUrl(org)}/nope/join`)).status).toBe(400);
    expect((await gina.client.get(`${communitiesUrl(org)}?skill=`)).status).toBe(400);
    expect((await gina.client.get(`${communitiesUrl(org)}?level=3`)).status).toBe(400);
    expect((await gina.client.get(`/orgs/${org.id}/circles/${env.ctx.newId()}/advice`)).status).toBe(404);
    expect(await logLength(env, org.id)).toBe(before);
  });
});

describe("community authorization", () => {
  it("covers listing, joining, publishing advice and reading it", async () => {
    const cast = await authorizationCast(env);
    const url = communitiesUrl(cast.org);
    const read = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    const open = await community(cast.org, "Facilitators", "Practise facilitation");
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(read);
    expect(await statusesOf(cast, (c) => c.post(`${url}/${open}/join`))).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 201,
      circleMember: 201,
      admin: 201,
    });
    const practice = await community(cast.org, "Writers", "Minutes that people read", [
      cast.circleMember.memberId,
    ]);
    expect(
      await statusesOf(cast, (c, actor) =>
        c.post(`${url}/${practice}/advice`, { circleId: cast.circleId, text: `Advice by ${actor}` }),
      ),
    ).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 201,
      admin: 403,
    });
    expect(
      await statusesOf(cast, (c) => c.get(`/orgs/${cast.org.id}/circles/${cast.circleId}/advice`)),
    ).toEqual(read);
  });
});
