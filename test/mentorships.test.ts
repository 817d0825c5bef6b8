import { describe, expect, it } from "vitest";
import { addMember, authorizationCast, createOrg, type OrgFixture } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { ACTORS, statusesOf } from "./support/matrix.js";
import { logLength, type Person } from "./support/proposals.js";

const env = withTestEnv();
const DAY_MS = 86_400_000;

async function setProfile(
  org: OrgFixture,
  person: Person,
  profile: { skills?: { skill: string; level: number }[]; offered?: string[]; wanted?: string[] },
) {
  await env.db.query(
    `UPDATE members SET skills = $3, mentoring_offered = $4, mentoring_wanted = $5 WHERE org_id = $1 AND id = $2`,
    [
      org.id,
      person.memberId,
      JSON.stringify(profile.skills ?? []),
      JSON.stringify(profile.offered ?? []),
      JSON.stringify(profile.wanted ?? []),
    ],
  );
}

/** Mia wants to learn facilitation and budgeting; Bo offers facilitation, Cy keeps the books at level 5. */
async function mentorshipStage() {
  const org = await createOrg(env);
  const mia = await addMember(env, org, "member", "Mia Mentee");
  const bo = await addMember(env, org, "member", "Bo Mentor");
  const cy = await addMember(env, org, "member", "Cy Bookkeeper");
  const di = await addMember(env, org, "member", "Di Bystander");
  const admin = { client: org.admin, memberId: org.adminMemberId };
  await setProfile(org, mia, { wanted: ["Facilitation", "Budgeting"] });
  await setProfile(org, bo, { offered: ["facilitation"], skills: [{ skill: "Facilitation", level: 3 }] });
  await setProfile(org, cy, {
    skills: [
      { skill: "Budgeting", level: 5 },
      { skill: "Facilitation", level: 2 },
    ],
  });
  const url = `/orgs/${org.id}/mentorships`;
  return { org, mia, bo, cy, di, admin, url };
}

type Stage = Awaited<ReturnType<typeof mentorshipStage>>;

async function boMentorsMia(stage: Stage) {
  const res = await stage.mia.client.post(stage.url, {
    mentorId: stage.bo.memberId,
    menteeId: stage.mia.memberId,
    skills: ["Facilitation"],
    goals: ["Facilitate a consent round on my own"],
  });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `${stage.url}/${res.body.id}`;
}

const mentorshipLog = async (orgId: string) =>
  (
    await env.db.query<{ type: string; payload: Record<string, unknown> }>(
      "SELECT type, payload FROM log_entries WHERE org_id = $1 AND type LIKE 'mentorship.%' ORDER BY seq",
      [orgId],
    )
  ).rows;

describe("a mentorship", () => {
  it("runs from start through check-ins to its end, the check-ins for the pair alone", async () => {
    const stage = await mentorshipStage();
    const { mia, bo, di, admin } = stage;
    const mentorship = await boMentorsMia(stage);
    const started = await bo.client.get(mentorship);
    expect(started.body).toMatchObject({
      mentorId: bo.memberId,
      menteeId: mia.memberId,
      skills: ["Facilitation"],
      goals: ["Facilitate a consent round on my own"],
      state: "active",
      startedAt: "2026-01-05T09:00:00.000Z",
      ended: null,
      checkInCount: 0,
      checkIns: [],
      can: { readCheckIns: true, checkIn: true, end: true },
    });

    env.clock.advance(7 * DAY_MS);
    const first = await bo.client.post(`${mentorship}/check-ins`, {
      text: "Mia ran the check-in round well.",
    });
    expect(first.status).toBe(201);
    env.clock.advance(DAY_MS);
    await mia.client.post(`${mentorship}/check-ins`, { text: "I froze when Di objected; we practised it." });
    const seenByMia = (await mia.client.get(mentorship)).body;
    expect(seenByMia.checkIns).toEqual([
      expect.objectContaining({ by: bo.memberId, text: "Mia ran the check-in round well." }),
      expect.objectContaining({ by: mia.memberId, text: "I froze when Di objected; we practised it." }),
    ]);

    for (const outsider of [di, admin]) {
      const seen = (await outsider.client.get(mentorship)).body;
      expect(seen).toMatchObject({ checkInCount: 2, checkIns: null, skills: ["Facilitation"] });
      expect(seen.can).toEqual({ readCheckIns: false, checkIn: false, end: false });
      const listed = (await outsider.client.get(stage.url)).body.mentorships;
      expect(listed).toEqual([expect.objectContaining({ checkInCount: 2, checkIns: null })]);
      const log = await outsider.client.get(`/orgs/${stage.org.id}/log`);
      expect(
        log.body.entries.filter((e: { type: string }) => e.type === "mentorship.checked_in"),
      ).toHaveLength(2);
      expect(JSON.stringify(log.body)).not.toContain("froze");
    }
    expect((await di.client.post(`${mentorship}/check-ins`, { text: "Nosy" })).status).toBe(403);

    const ended = await mia.client.post(`${mentorship}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      state: "ended",
      ended: { by: mia.memberId, at: "2026-01-13T09:00:00.000Z" },
      can: { readCheckIns: true, checkIn: false, end: false },
    });
    expect((await bo.client.post(`${mentorship}/check-ins`, { text: "One more" })).status).toBe(409);
    expect((await bo.client.post(`${mentorship}/end`)).status).toBe(409);

    const log = await mentorshipLog(stage.org.id);
    expect(log.map((e) => e.type)).toEqual([
      "mentorship.started",
      "mentorship.checked_in",
      "mentorship.checked_in",
      "mentorship.ended",
    ]);
    expect(JSON.stringify(log)).not.toContain("check-in round well");
  });

  it("is listed running first, by member and state", async () => {
    const stage = await mentorshipStage();
    const { mia, cy, di, url } = stage;
    const first = await boMentorsMia(stage);
    env.clock.advance(DAY_MS);
    const second = await cy.client.post(url, {
      mentorId: cy.memberId,
      menteeId: mia.memberId,
      skills: ["Budgeting"],
    });
    expect(second.body.goals).toEqual([]);
    await mia.client.post(`${first}/end`);
    const ids = async (query: string) =>
      (await di.client.get(`${url}${query}`)).body.mentorships.map((m: { id: string }) => m.id);
    const firstId = first.split("/").at(-1);
    expect(await ids("")).toEqual([second.body.id, firstId]);
    expect(await ids("?state=ended")).toEqual([firstId]);
    expect(await ids("?state=active")).toEqual([second.body.id]);
    expect(await ids(`?memberId=${cy.memberId}`)).toEqual([second.body.id]);
    expect(await ids(`?memberId=${di.memberId}`)).toEqual([]);
    expect((await di.client.get(`${url}?limit=1`)).body.hasMore).toBe(true);
  });
});

describe("mentor suggestions", () => {
  it("match skills wanted with skills offered or held at level 4 or more, best first", async () => {
    const stage = await mentorshipStage();
    const { org, mia, bo, cy, di, url } = stage;
    const observer = await addMember(env, org, "observer", "Olive Observer");
    await setProfile(org, observer, { offered: ["Facilitation", "Budgeting"] });
    const res = await di.client.get(`${url}/suggestions?menteeId=${mia.memberId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      menteeId: mia.memberId,
      wanted: ["Facilitation", "Budgeting"],
      suggestions: [
        {
          memberId: bo.memberId,
          name: "Bo Mentor",
          matches: [{ skill: "Facilitation", offered: true, level: 3 }],
        },
        {
          memberId: cy.memberId,
          name: "Cy Bookkeeper",
          matches: [{ skill: "Budgeting", offered: false, level: 5 }],
        },
      ],
    });
    const mine = await mia.client.get(`${url}/suggestions`);
    expect(mine.body.suggestions).toEqual(res.body.suggestions);
    expect((await di.client.get(`${url}/suggestions`)).body).toEqual({
      menteeId: di.memberId,
      wanted: [],
      suggestions: [],
    });
    expect((await di.client.get(`${url}/suggestions?menteeId=${env.ctx.newId()}`)).status).toBe(404);
    expect((await di.client.get(`${url}/suggestions?menteeId=mia`)).status).toBe(400);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await mentorshipStage();
    const { org, mia, bo, url } = stage;
    const mentorship = await boMentorsMia(stage);
    const observer = await addMember(env, org, "observer", "Olive Observer");
    const before = await logLength(env, org.id);
    const snapshot = (await mia.client.get(mentorship)).body;
    const valid = { mentorId: bo.memberId, menteeId: mia.memberId, skills: ["Budgeting"] };
    const starts: object[] = [
      { ...valid, extra: true },
      { ...valid, skills: [] },
      { ...valid, skills: [""] },
      { ...valid, skills: ["   "] },
      { ...valid, skills: ["Budgeting", "budgeting "] },
      { ...valid, skills: "Budgeting" },
      { ...valid, goals: ["  "] },
      { ...valid, mentorId: mia.memberId },
      { ...valid, mentorId: "bo" },
      { ...valid, mentorId: env.ctx.newId() },
      { ...valid, mentorId: observer.memberId },
      { mentorId: bo.memberId, menteeId: mia.memberId },
    ];
    for (const body of starts) {
      const res = await mia.client.post(url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    for (const body of [{ text: "" }, { text: "  " }, { text: 7 }, { text: "Fine", extra: 1 }, {}])
      expect((await mia.client.post(`${mentorship}/check-ins`, body)).status, JSON.stringify(body)).toBe(400);
    expect((await mia.client.get(`${url}/${env.ctx.newId()}`)).status).toBe(404);
    expect((await mia.client.post(`${url}/${env.ctx.newId()}/end`)).status).toBe(404);
    expect((await mia.client.post(`${url}/nope/end`)).status).toBe(400);
    expect((await mia.client.get(`${url}?state=paused`)).status).toBe(400);
    expect(await logLength(env, org.id)).toBe(before);
    expect((await mia.client.get(mentorship)).body).toEqual(snapshot);
    expect((await mia.client.get(url)).body.mentorships).toHaveLength(1);
  });
});

describe("mentorship authorization", () => {
  /** The circle member mentors the outsider (a member outside the circle): the pair is theirs alone. */
  async function mentorshipCast() {
    const cast = await authorizationCast(env);
    const url = `/orgs/${cast.org.id}/mentorships`;
    const pair = {
      mentorId: cast.circleMember.memberId,
      menteeId: cast.outsider.memberId,
      skills: ["Sewing"],
    };
    const started = async () => {
      const res = await cast.circleMember.client.post(url, pair);
      if (res.status !== 201) throw new Error(`start failed: ${JSON.stringify(res.body)}`);
      return `${url}/${res.body.id}`;
    };
    return { cast, url, pair, started };
  }

  const ok = {
    anonymous: 401,
    otherOrgAdmin: 404,
    observer: 200,
    outsider: 200,
    circleMember: 200,
    admin: 200,
  };
  const pairOnly = { anonymous: 401, otherOrgAdmin: 404, observer: 403, admin: 403 };

  it("shows mentorships and suggestions to every member of the organisation", async () => {
    const { cast, url, started } = await mentorshipCast();
    const one = await started();
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(ok);
    expect(await statusesOf(cast, (c) => c.get(one))).toEqual(ok);
    expect(
      await statusesOf(cast, (c) => c.get(`${url}/suggestions?menteeId=${cast.outsider.memberId}`)),
    ).toEqual(ok);
  });

  it("lets only the mentor or the mentee start, check in and end", async () => {
    const { cast, url, pair, started } = await mentorshipCast();
    expect(await statusesOf(cast, (c) => c.post(url, pair))).toEqual({
      ...pairOnly,
      outsider: 201,
      circleMember: 201,
    });
    const one = await started();
    expect(await statusesOf(cast, (c) => c.post(`${one}/check-ins`, { text: "Met" }))).toEqual({
      ...pairOnly,
      outsider: 201,
      circleMember: 201,
    });
    const mentorships: Record<string, string> = {};
    for (const actor of ACTORS) mentorships[actor] = await started();
    expect(await statusesOf(cast, (c, actor) => c.post(`${mentorships[actor]}/end`))).toEqual({
      ...pairOnly,
      outsider: 200,
      circleMember: 200,
    });
  });
});
