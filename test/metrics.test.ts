import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../src/app/demo.js";
import { closeRoundsPastDeadline } from "../src/app/proposals/commands.js";
import { ApiClient } from "./support/client.js";
import { addMember, assignRole, authorizationCast, createCircle, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { orgStatusesOf, statusesOf } from "./support/matrix.js";
import { advance, type CircleStage, circleStage, type Person, proposalInRound } from "./support/proposals.js";

const env = withTestEnv();
let url: string;

beforeAll(async () => {
  await env.server.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(env.server.server.address() as AddressInfo).port}`;
});
const DAY = 86_400_000;
/** The stage is set at T0 (the harness's clock); the metrics are read ten days later. */
const T0 = new Date("2026-01-05T09:00:00.000Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/**
 * A small organisation whose every metric is worked out by hand below. Garden: Fay (facilitator since
 * T0), Ann, Ben, Cal, Dee. Kitchen: Kim, and the observer Olga. The admin Ada is in no circle.
 * Leadership in the window (T0 − 90 d … T0 + 10 d, windowDays = 100):
 *   Fay  Garden facilitator from T0                                  10 days
 *   Ann  Garden "Lead" T0 − 200 … T0 − 60 (30 in the window) and
 *        Kitchen "Chair" T0 − 70 … T0 − 50, overlapping: together      40 days (Garden alone: 30)
 *   Ben  Garden "Lead" from T0 − 40                                   50 days
 *   Cal  shadows Ben (learning is not leading)                          0
 *   Olga an observer, leads in Kitchen from T0 − 100: not an active member
 */
async function handWorkedOrganisation() {
  const stage = await circleStage(env, 3);
  const { org } = stage;
  const [ben, cal, dee] = stage.members as [Person, Person, Person];
  const garden = stage.circleId;
  const kim = await addMember(env, org, "member", "Kim Kitchen");
  const olga = await addMember(env, org, "observer", "Olga Observer");
  const kitchen = await createCircle(env, org, { name: "Kitchen", memberIds: [kim.memberId, olga.memberId] });
  const lead = await createRole(env, org, garden, { name: "Lead", leadership: true });
  const chair = await createRole(env, org, kitchen, { name: "Chair", leadership: true });
  await assignRole(env, org, lead, stage.author.memberId, { startsAt: at(-200), endsAt: at(-60) });
  await assignRole(env, org, chair, stage.author.memberId, { startsAt: at(-70), endsAt: at(-50) });
  await assignRole(env, org, lead, ben.memberId, { startsAt: at(-40) });
  await assignRole(env, org, lead, cal.memberId, { startsAt: at(-40), shadow: true });
  await assignRole(env, org, chair, olga.memberId, { startsAt: at(-100) });
  // A rotating role whose only term ended 30 days ago with no one to follow: past its term.
  const host = await createRole(env, org, garden, { name: "Host", fillingPolicy: "rotation", termDays: 30 });
  await assignRole(env, org, host, dee.memberId, { startsAt: at(-60), endsAt: at(-30), source: "rotation" });
  // Kim mentors Dee: a working tie across circles.
  await env.db.query(
    `INSERT INTO mentorships (org_id, id, mentor_id, mentee_id, started_at, document, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, '{}', $5, $5)`,
    [org.id, env.ctx.newId(), kim.memberId, dee.memberId, at(-20)],
  );
  // A closed Garden meeting: three of its five members came.
  await env.db.query(
    `INSERT INTO meetings (org_id, id, circle_id, convener_id, state, starts_at, ends_at, document, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'closed', $5, $6, $7, $5, $5)`,
    [
      org.id,
      env.ctx.newId(),
      garden,
      stage.facilitator.memberId,
      at(2),
      at(2.1),
      JSON.stringify({
        attendance: [stage.facilitator, stage.author, ben, cal].map((p, i) => ({
          memberId: p.memberId,
          present: i < 3,
          markedBy: p.memberId,
          at: at(2).toISOString(),
        })),
      }),
    ],
  );
  await decisions(stage);
  env.clock.set(at(10));
  return { stage, kim, olga, kitchen, ben, cal, dee };
}

const respond = (stage: CircleStage, who: Person, id: string, body: object) =>
  who.client.post(`/orgs/${stage.org.id}/proposals/${id}/responses`, body);

/**
 * Three proposals in Garden (five participants each):
 *   P1 presented at T0, all five consent on day 1: adopted after 1 day.
 *   P2 presented on day 1, round 1 to day 3: Ann and Dee consent, Ben objects (3 of 5); the objection is
 *      integrated by amendment and round 2 has all five consent on day 4: adopted after 3 days.
 *   P3 presented on day 4, round to day 6: four respond, Cal objects; the objection stays open.
 * Rounds: 5/5, 3/5, 5/5, 4/5 → response rate 17 of 20; objections 2 of 17 responses.
 */
async function decisions(stage: CircleStage) {
  const [ben, cal, dee] = stage.members as [Person, Person, Person];
  const { org, facilitator, author, everyone } = stage;
  const consentAll = async (id: string) => {
    for (const person of everyone)
      expect((await respond(stage, person, id, { kind: "consent" })).status).toBe(201);
  };
  const p1 = await proposalInRound(stage);
  env.clock.set(at(1));
  await consentAll(p1);

  const p2 = await proposalInRound(stage, { title: "Compost" }, { deadline: at(3).toISOString() });
  await respond(stage, author, p2, { kind: "consent" });
  await respond(stage, dee, p2, { kind: "consent" });
  await respond(stage, ben, p2, { kind: "object", reason: "The bins attract rats" });
  env.clock.set(at(3));
  expect(await closeRoundsPastDeadline(env.ctx)).toBe(1);
  await advance(stage, p2, "integrating");
  const amended = await facilitator.client.post(`/orgs/${org.id}/proposals/${p2}/amendments`, {
    text: "Compost in closed bins.",
  });
  const objection = amended.body.objections[0];
  const resolved = await facilitator.client.post(
    `/orgs/${org.id}/proposals/${p2}/objections/${objection.id}/resolve`,
    {
      outcome: "integrated",
      by: "amendment",
      version: amended.body.currentVersion.number,
    },
  );
  expect(resolved.status).toBe(200);
  await advance(stage, p2, "consent_round");
  env.clock.set(at(4));
  await consentAll(p2);

  const p3 = await proposalInRound(stage, { title: "Seeds" }, { deadline: at(6).toISOString() });
  for (const person of [facilitator, author, ben]) await respond(stage, person, p3, { kind: "consent" });
  await respond(stage, cal, p3, { kind: "object", reason: "We have no shelf for them" });
  env.clock.set(at(6));
  expect(await closeRoundsPastDeadline(env.ctx)).toBe(1);
}

const metricsOf = (client: ApiClient, org: string, query = "windowDays=100") =>
  client.get(`/orgs/${org}/metrics?${query}`);

describe("GET /orgs/{org}/metrics", () => {
  it("reproduces the hand-worked metrics of a small organisation", async () => {
    const { stage, kim } = await handWorkedOrganisation();
    const res = await metricsOf(stage.org.admin, stage.org.slug);
    expect(res.status).toBe(200);
    const m = res.body;
    expect(m.window).toEqual({ from: at(-90).toISOString(), to: at(10).toISOString(), days: 100 });
    expect(m.scope).toEqual({ circleId: null, circleName: null });

    // Active: Ada, Fay, Ann, Ben, Cal, Dee, Kim (7; Olga observes). Led: Fay, Ann, Ben.
    expect(m.reach).toMatchObject({ count: 3, of: 7, share: 3 / 7 });
    expect(m.reach.reading).toBe("3 of 7 members led something in the last 100 days");
    const days = Object.fromEntries(
      m.leadershipDays.map((row: { name: string; days: number }) => [row.name, row.days]),
    );
    expect(days).toEqual({
      "Ada Admin": 0,
      "Fay Facilitator": 10,
      "Ann Author": 40,
      "Member 1": 50,
      "Member 2": 0,
      "Member 3": 0,
      "Kim Kitchen": 0,
    });
    expect(m.leadershipDays[0]).toMatchObject({ name: "Member 1", days: 50 });
    expect(m.leadershipDaysTotal).toBe(7);
    // [0, 0, 0, 0, 10, 40, 50]: Σᵢ Σⱼ |xᵢ − xⱼ| = 2 × 480 = 960; 2 n² x̄ = 2 × 49 × 100/7 = 1400.
    expect(m.concentration.gini).toBeCloseTo(960 / 1400, 12);
    // The top 10 % of 7 members is one member: Ben's 50 of 100 days.
    expect(m.concentration.topTenPercentShare).toBeCloseTo(0.5, 12);
    expect(m.concentration.lorenz).toHaveLength(8);
    expect(m.concentration.lorenz.at(-1)).toEqual({ population: 1, share: 1 });
    expect(m.concentration.reading).toBe(
      "The top 10 % held 50 % of leadership-days (Gini 0.69, where 0 is shared evenly)",
    );

    // Ever led by each month's end: Ann (June), Olga (Sept.), Ben (26 Nov.), Fay (5 Jan.).
    expect(m.capacity.series.map((p: { month: string; leaders: number }) => [p.month, p.leaders])).toEqual([
      ["2025-10", 2],
      ["2025-11", 3],
      ["2025-12", 3],
      ["2026-01", 4],
    ]);
    expect(m.capacity.firstTimeLeaders).toEqual([
      { quarter: "2025-Q4", firstTimeLeaders: 1 },
      { quarter: "2026-Q1", firstTimeLeaders: 1 },
    ]);

    expect(m.engagement.responseRate).toEqual({ count: 17, of: 20, share: 0.85 });
    expect(m.engagement.attendance).toEqual({ count: 3, of: 5, share: 0.6 });
    // Everyone but Kim acted in the log in the last 30 days (Ada created the organisation).
    expect(m.engagement.activeMembers).toEqual({ count: 6, of: 7, share: 6 / 7 });
    expect(m.engagement.readings.activeMembers).toBe("6 of 7 members were active in the last 30 days");

    // The five Garden members all worked together (10 ties), and Kim with Dee by mentoring (across circles).
    expect(m.collaboration.density).toEqual({ count: 11, of: 21, share: 11 / 21 });
    expect(m.collaboration.crossCircleShare).toEqual({ count: 1, of: 11, share: 1 / 11 });
    expect(m.collaboration.ties).toHaveLength(11);
    expect(m.collaboration.ties.filter((t: { crossesCircles: boolean }) => t.crossesCircles)).toEqual([
      expect.objectContaining({ weight: 1, crossesCircles: true }),
    ]);
    const kimNode = m.collaboration.nodes.find((n: { memberId: string }) => n.memberId === kim.memberId);
    expect(kimNode).toEqual({ memberId: kim.memberId, name: "Kim Kitchen", degree: 1 });
    expect(m.collaboration.totals).toEqual({ nodes: 7, ties: 11 });

    expect(m.decisionHealth).toMatchObject({
      decisionsMade: 2,
      medianDaysToDecision: 2,
      objectionRate: { count: 2, of: 17, share: 2 / 17 },
      objectionsByFate: { amendment: 1, open: 1 },
      integratedByAmendment: { count: 1, of: 1, share: 1 },
      overdueReviews: 0,
      rolesPastTerm: 1,
    });
    expect(m.decisionHealth.readings.medianDaysToDecision).toBe(
      "Half of the decisions were made within 2 days",
    );
    expect(m.rotationHealth).toMatchObject({
      changedHands: { count: 0, of: 1, share: 0 },
      meanConsecutiveTerms: 1,
      rolesPastTerm: 1,
    });
    expect(m.rotationHealth.readings.rolesPastTerm).toBe("1 role is past their term");
  });

  it("measures one circle over its own members and roles", async () => {
    const { stage, kitchen, kim } = await handWorkedOrganisation();
    const garden = await metricsOf(
      stage.org.admin,
      stage.org.id,
      `windowDays=100&circleId=${stage.circleId}`,
    );
    expect(garden.status).toBe(200);
    expect(garden.body.scope).toEqual({ circleId: stage.circleId, circleName: "Garden" });
    // Garden's five, with Garden's roles only: Ann's Kitchen chair does not count here.
    expect(garden.body.reach).toMatchObject({ count: 3, of: 5 });
    // [0, 0, 10, 30, 50]: Σᵢ Σⱼ |xᵢ − xⱼ| = 2 × 260 = 520; 2 n² x̄ = 2 × 25 × 18 = 900.
    expect(garden.body.concentration.gini).toBeCloseTo(520 / 900, 12);
    expect(garden.body.concentration.topTenPercentShare).toBeCloseTo(50 / 90, 12);
    expect(garden.body.engagement.responseRate).toMatchObject({ count: 17, of: 20 });
    expect(garden.body.collaboration.density).toEqual({ count: 10, of: 10, share: 1 });
    expect(garden.body.collaboration.crossCircleShare).toMatchObject({ count: 0, of: 10 });

    const kitchenMetrics = await metricsOf(
      stage.org.admin,
      stage.org.id,
      `windowDays=100&circleId=${kitchen}`,
    );
    // Kim alone is Kitchen's active member (Olga observes); no rounds, no meetings, nothing decided.
    expect(kitchenMetrics.body.reach).toMatchObject({ count: 0, of: 1 });
    expect(kitchenMetrics.body.leadershipDays).toEqual([
      { memberId: kim.memberId, name: "Kim Kitchen", days: 0 },
    ]);
    expect(kitchenMetrics.body.engagement.responseRate).toEqual({ count: 0, of: 0, share: null });
    expect(kitchenMetrics.body.engagement.readings.responseRate).toBe(
      "No consent rounds or elections asked for responses",
    );
    expect(kitchenMetrics.body.decisionHealth.medianDaysToDecision).toBeNull();
  });

  it("exports the metrics and the leadership-days table as CSV", async () => {
    const { stage } = await handWorkedOrganisation();
    const res = await stage.org.admin.request("GET", `/orgs/${stage.org.slug}/metrics.csv?windowDays=100`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="river-co-op-metrics.csv"');
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    const row = (metric: string) => rows.find((r) => r.metric === metric);
    expect(row("leadershipReach")).toEqual({
      metric: "leadershipReach",
      scope: "organisation",
      period: "in the last 100 days",
      value: String(3 / 7),
      reading: "3 of 7 members led something in the last 100 days",
    });
    expect(Number(row("responseRate")?.value)).toBe(0.85);
    expect(row("meetingAttendance")?.value).toBe("0.6");
    expect(row("rolesPastTerm")?.value).toBe("1");
    expect(rows).toHaveLength(17);

    const table = await stage.org.admin.request(
      "GET",
      `/orgs/${stage.org.slug}/metrics.csv?windowDays=100&table=leadershipDays&circleId=${stage.circleId}`,
    );
    expect(table.status).toBe(200);
    const members = parse(table.body as string, { columns: true }) as Record<string, string>[];
    expect(members.map((m) => [m.name, Number(m.days)])).toEqual([
      ["Member 1", 50],
      ["Ann Author", 30],
      ["Fay Facilitator", 10],
      ["Member 2", 0],
      ["Member 3", 0],
    ]);
  });
});

describe("the demo organisation's metrics", () => {
  it("agree with its assignments: leadership-days, reach and capacity", async () => {
    const seeded = await seedDemo(env.ctx);
    if (!seeded.seeded) throw new Error("the demo was not seeded");
    const orgId = seeded.orgId;
    const now = env.clock.now();
    const from = new Date(now.getTime() - 365 * DAY);
    const client = new ApiClient(env.server);
    const member = DEMO_ACCOUNTS.find((account) => account.access === "member");
    expect((await client.post("/auth/login", { email: member?.email, password: DEMO_PASSWORD })).status).toBe(
      200,
    );
    const res = await client.get(`/orgs/${orgId}/metrics`);
    expect(res.status).toBe(200);

    const active = await env.db.query<{ id: string }>(
      "SELECT id FROM members WHERE org_id = $1 AND archived_at IS NULL AND access <> 'observer'",
      [orgId],
    );
    const assignments = await env.db.query<{ member_id: string; starts_at: Date; ends_at: Date | null }>(
      `SELECT a.member_id, a.starts_at, a.ends_at FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       WHERE a.org_id = $1 AND r.leadership AND NOT a.shadow`,
      [orgId],
    );
    // Each member's leadership-days worked out here, day by day in spans: the union of their spans in the window.
    const expected = new Map<string, number>();
    for (const { id } of active.rows) {
      const spans = assignments.rows
        .filter((a) => a.member_id === id)
        .map((a) => [
          Math.max(a.starts_at.getTime(), from.getTime()),
          Math.min(a.ends_at?.getTime() ?? Number.POSITIVE_INFINITY, now.getTime()),
        ])
        .filter(([start, end]) => (start as number) < (end as number))
        .sort((x, y) => (x[0] as number) - (y[0] as number));
      let total = 0;
      let until = Number.NEGATIVE_INFINITY;
      for (const [start, end] of spans as [number, number][]) {
        if (end <= until) continue;
        total += end - Math.max(start, until);
        until = end;
      }
      expected.set(id, total / DAY);
    }
    const reported = new Map<string, number>(
      res.body.leadershipDays.map((row: { memberId: string; days: number }) => [row.memberId, row.days]),
    );
    expect([...reported.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [memberId, days] of expected) expect(reported.get(memberId)).toBeCloseTo(days, 6);
    const leaders = [...expected].filter(([, days]) => days > 0).length;
    expect(leaders).toBeGreaterThan(3);
    expect(res.body.reach).toMatchObject({ count: leaders, of: active.rows.length });
    const everLed = new Set(
      assignments.rows.filter((a) => a.starts_at.getTime() < now.getTime()).map((a) => a.member_id),
    );
    expect(res.body.capacity.series.at(-1).leaders).toBe(everLed.size);
    expect(res.body.engagement.responseRate.of).toBeGreaterThan(0);
    expect(res.body.decisionHealth.decisionsMade).toBeGreaterThan(0);
  });
});

describe("who reads the metrics", () => {
  it("every member of the organisation, observers included; a circle's as its governance", async () => {
    const cast = await authorizationCast(env);
    const { org, circleId } = cast;
    expect(await orgStatusesOf(cast, (client) => metricsOf(client, org.id))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 200,
      member: 200,
      admin: 200,
    });
    const circleMetrics = (client: ApiClient) => metricsOf(client, org.id, `circleId=${circleId}`);
    const csv = (client: ApiClient) => client.get(`/orgs/${org.id}/metrics.csv?circleId=${circleId}`);
    const everyoneInTheOrg = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, circleMetrics)).toEqual(everyoneInTheOrg);
    expect(await statusesOf(cast, csv)).toEqual(everyoneInTheOrg);

    // Where observers read only their own circles, they read only those circles' metrics.
    expect(
      (await org.admin.patch(`/orgs/${org.id}`, { settings: { observersReadCircles: false } })).status,
    ).toBe(200);
    const limited = { ...everyoneInTheOrg, observer: 403 };
    expect(await statusesOf(cast, circleMetrics)).toEqual(limited);
    expect(await statusesOf(cast, csv)).toEqual(limited);
    expect((await metricsOf(cast.observer.client, org.id)).status).toBe(200);
  });

  it("answers a bad query with 400 and an unknown circle with 404", async () => {
    const cast = await authorizationCast(env);
    const client = cast.admin.client;
    const org = cast.org.id;
    for (const query of [
      "windowDays=0",
      "windowDays=3651",
      "windowDays=7.5",
      "windowDays=a",
      "circleId=garden",
      "colour=red",
    ]) {
      const res = await metricsOf(client, org, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const csv = await client.get(`/orgs/${org}/metrics.csv?table=everything`);
    expect(csv.status).toBe(400);
    const unknown = await metricsOf(client, org, `circleId=${env.ctx.newId()}`);
    expect(unknown.status).toBe(404);
    const other = await metricsOf(cast.otherOrgAdmin, org);
    expect(other.status).toBe(404);
  });
});

describe("polyphony metrics", () => {
  it("prints each metric with its reading, or the API's JSON, over HTTP with an API token", async () => {
    const { stage } = await handWorkedOrganisation();
    const token = await stage.author.client.post("/auth/tokens", { name: "cli" });
    expect(token.status).toBe(201);
    const run = async (args: string[]) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "metrics", ...args], {
        env: {
          ...process.env,
          POLYPHONY_URL: url,
          POLYPHONY_TOKEN: token.body.secret,
          POLYPHONY_ORG: stage.org.slug,
        },
      });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      const code = await new Promise<number | null>((done) => child.on("close", done));
      return { code, stdout };
    };
    const [text, json, garden] = await Promise.all([
      run(["--window-days", "100"]),
      run(["--window-days", "100", "--json"]),
      run(["--window-days", "100", "--circle", stage.circleId]),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Metrics of the organisation, 2025-10-07 to 2026-01-15");
    expect(text.stdout).toMatch(
      /Leadership reach +43 % {2}3 of 7 members led something in the last 100 days/,
    );
    expect(text.stdout).toMatch(/Response rate +85 % {2}Members gave 17 of 20 responses/);
    expect(JSON.parse(json.stdout).reach).toMatchObject({ count: 3, of: 7 });
    expect(garden.stdout).toContain("Metrics of circle Garden");
  }, 60_000);
});
