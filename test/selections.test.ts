import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeElectionRoundsPastDeadline } from "../src/app/selections/commands.js";
import type { ApiClient } from "./support/client.js";
import { addMember, assignRole, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { statusesOf } from "./support/matrix.js";
import { circleStage, logLength, type Person } from "./support/proposals.js";
import { credentialsOf, EventStreamReader, listenOnRandomPort } from "./support/sse.js";

const env = withTestEnv();
let baseUrl: string;
beforeAll(async () => {
  baseUrl = await listenOnRandomPort(env.server);
});
const openStreams: EventStreamReader[] = [];
afterEach(async () => {
  await Promise.all(openStreams.splice(0).map((stream) => stream.close()));
});

const DAY_MS = 86_400_000;

/** A circle stage with a treasurer role filled by election, held now by the author. */
async function electionStage() {
  const stage = await circleStage(env, 3);
  const roleId = await createRole(env, stage.org, stage.circleId, {
    name: "Treasurer",
    fillingPolicy: "election",
    termDays: 365,
  });
  const previousTerm = await assignRole(env, stage.org, roleId, stage.author.memberId, {
    source: "election",
    startsAt: new Date("2025-01-05T09:00:00.000Z"),
    endsAt: new Date("2026-02-05T09:00:00.000Z"),
  });
  const [ben, cat, dan] = stage.members as [Person, Person, Person];
  const url = (path = "") => `/orgs/${stage.org.id}/elections${path}`;
  return { ...stage, roleId, previousTerm, ben, cat, dan, url };
}
type ElectionStage = Awaited<ReturnType<typeof electionStage>>;

async function expectStatus(request: Promise<{ status: number; body: any }>, status: number) {
  const res = await request;
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function startElection(stage: ElectionStage) {
  const body = await expectStatus(stage.author.client.post(stage.url(), { roleId: stage.roleId }), 201);
  return body.id as string;
}

const advance = (stage: ElectionStage, id: string, body: object) =>
  expectStatus(stage.facilitator.client.post(stage.url(`/${id}/advance`), body), 200);

/** Started, term and qualifications agreed: taking nominations. */
async function electionTakingNominations(stage: ElectionStage) {
  const id = await startElection(stage);
  await advance(stage, id, { to: "qualifying" });
  await advance(stage, id, { to: "nominating" });
  return id;
}

const selectionLog = async (orgId: string) =>
  (
    await env.db.query<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM log_entries WHERE org_id = $1 AND (type LIKE 'selection.%' OR type LIKE 'assignment.%')
       ORDER BY seq`,
      [orgId],
    )
  ).rows;

describe("a sociocratic selection over HTTP (Sociocracy For All)", () => {
  it("describes, qualifies, nominates in secret, reveals and changes, proposes, integrates an objection by a shorter term, and elects", async () => {
    const stage = await electionStage();
    const { org, author, facilitator, ben, cat, dan, url, roleId } = stage;

    const started = await author.client.post(url(), { roleId, description: "Keeps the co-op's books" });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      roleId,
      circleId: stage.circleId,
      startedBy: author.memberId,
      facilitatorIds: [facilitator.memberId],
      state: "describing",
      term: { days: 365, description: "Keeps the co-op's books" },
      nominations: [],
      can: { agreeTerm: false, cancel: false },
    });
    expect(started.body.participants).toHaveLength(5);
    const id: string = started.body.id;
    // One selection per role at a time.
    expect((await ben.client.post(url(), { roleId })).status).toBe(409);

    const described = await advance(stage, id, { to: "qualifying", termDays: 730 });
    expect(described).toMatchObject({ state: "qualifying", term: { days: 730 } });
    const qualified = await advance(stage, id, {
      to: "nominating",
      qualifications: ["Bookkeeping", "Patience"],
      deadline: "2026-01-12T09:00:00.000Z",
    });
    expect(qualified).toMatchObject({ state: "nominating", phase: { deadline: "2026-01-12T09:00:00.000Z" } });
    const role = await expectStatus(ben.client.get(`/orgs/${org.id}/roles/${roleId}`), 200);
    expect(role.qualifications).toEqual(["Bookkeeping", "Patience"]);

    const nominations: [Person, Person, string][] = [
      [ben, cat, "Cat ran the bake sale accounts without a slip"],
      [cat, cat, "I would like to learn the role"],
      [dan, ben, "Ben is patient with spreadsheets"],
      [author, cat, "Cat asks the right questions"],
      [facilitator, ben, "Ben has done it before elsewhere"],
    ];
    for (const [nominator, nominee, reason] of nominations) {
      const res = await nominator.client.post(url(`/${id}/nominations`), {
        nomineeId: nominee.memberId,
        reason,
      });
      expect(res.status).toBe(201);
      // Each nominator sees their own nomination only, and no counts.
      expect(res.body.nominations).toEqual([
        expect.objectContaining({ nominatorId: nominator.memberId, nomineeId: nominee.memberId, reason }),
      ]);
      expect(res.body.nominationCounts).toEqual([]);
    }

    const revealed = await advance(stage, id, { to: "changing" });
    expect(revealed.state).toBe("changing");
    expect(revealed.nominations).toHaveLength(5);
    expect(revealed.nominationCounts).toEqual([
      { nomineeId: cat.memberId, count: 3 },
      { nomineeId: ben.memberId, count: 2 },
    ]);
    const changed = await dan.client.post(url(`/${id}/nominations`), {
      nomineeId: cat.memberId,
      reason: "Having heard the reasons, Cat",
    });
    expect(changed.status).toBe(201);
    expect(changed.body.nominationCounts).toEqual([
      { nomineeId: cat.memberId, count: 4 },
      { nomineeId: ben.memberId, count: 1 },
    ]);
    expect(changed.body.nominations.at(-1)).toMatchObject({ nominatorId: dan.memberId, round: "changing" });

    await advance(stage, id, { to: "proposing" });
    const proposed = await facilitator.client.post(url(`/${id}/proposal`), {
      nomineeId: cat.memberId,
      reasons: "The strongest reasons speak of care with money",
      termDays: 730,
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      state: "proposing",
      proposal: { number: 1, nomineeId: cat.memberId, termDays: 730, proposedBy: facilitator.memberId },
    });

    const opened = await advance(stage, id, { to: "consent_round" });
    expect(opened.round).toMatchObject({ number: 1, nomineeId: cat.memberId, termDays: 730 });
    // The nominee answers last.
    const early = await cat.client.post(url(`/${id}/responses`), { kind: "consent" });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("invalid_transition");

    await expectStatus(author.client.post(url(`/${id}/responses`), { kind: "consent" }), 201);
    await expectStatus(facilitator.client.post(url(`/${id}/responses`), { kind: "consent" }), 201);
    const objected = await expectStatus(
      ben.client.post(url(`/${id}/responses`), {
        kind: "object",
        reason: "Two years is long for a first term",
      }),
      201,
    );
    expect(objected.openObjections).toBe(1);
    await expectStatus(
      dan.client.post(url(`/${id}/responses`), { kind: "consent_with_concern", concern: "Handover notes" }),
      201,
    );
    const nomineeAnswered = await expectStatus(
      cat.client.post(url(`/${id}/responses`), { kind: "consent" }),
      201,
    );
    // The objection is heard: the round closes into integration.
    expect(nomineeAnswered).toMatchObject({
      state: "integrating",
      round: {
        closedAt: expect.any(String),
        tally: { responded: 5, consent: 3, consentWithConcern: 1, object: 1 },
      },
    });

    const objectionId: string = nomineeAnswered.objections[0].id;
    const resolved = await expectStatus(
      facilitator.client.post(url(`/${id}/objections/${objectionId}/resolve`), {
        outcome: "integrated",
        by: "shorter_term",
        termDays: 365,
      }),
      200,
    );
    expect(resolved).toMatchObject({
      termInForce: 365,
      openObjections: 0,
      objections: [
        { resolution: { outcome: "integrated", termDays: 365, resolvedBy: facilitator.memberId } },
      ],
    });

    env.clock.advanceDays(1);
    const second = await advance(stage, id, { to: "consent_round" });
    expect(second.round).toMatchObject({ number: 2, termDays: 365 });
    for (const person of [author, facilitator, ben, dan, cat])
      await expectStatus(person.client.post(url(`/${id}/responses`), { kind: "consent" }), 201);

    const elected = await expectStatus(ben.client.get(url(`/${id}`)), 200);
    const startsAt = "2026-01-06T09:00:00.000Z";
    const endsAt = new Date(Date.parse(startsAt) + 365 * DAY_MS).toISOString();
    expect(elected).toMatchObject({
      state: "elected",
      outcome: { memberId: cat.memberId, termDays: 365, startsAt, endsAt },
    });
    expect(Object.values(elected.can).some(Boolean)).toBe(false);

    const assignments = await expectStatus(
      ben.client.get(`/orgs/${org.id}/roles/${roleId}/assignments`),
      200,
    );
    const terms = assignments.assignments as {
      id: string;
      memberId: string;
      source: string;
      startsAt: string;
      endsAt: string;
    }[];
    expect(terms.find((a) => a.memberId === cat.memberId)).toMatchObject({
      source: "election",
      startsAt,
      endsAt,
    });
    expect(terms.find((a) => a.id === stage.previousTerm)).toMatchObject({
      memberId: author.memberId,
      endsAt: startsAt,
    });

    expect((await selectionLog(org.id)).map((e) => e.type)).toEqual([
      "selection.started",
      "selection.term_agreed",
      "selection.qualifications_agreed",
      ...Array(5).fill("selection.nominated"),
      "selection.revealed",
      "selection.nomination_changed",
      "selection.changes_closed",
      "selection.proposed",
      "selection.round_opened",
      "selection.responded",
      "selection.responded",
      "selection.responded",
      "selection.objection_raised",
      "selection.responded",
      "selection.responded",
      "selection.round_closed",
      "selection.objection_resolved",
      "selection.round_opened",
      ...Array(5).fill("selection.responded"),
      "selection.round_closed",
      "selection.elected",
      "assignment.ended",
      "assignment.created",
    ]);
    const list = await expectStatus(dan.client.get(url(`?roleId=${roleId}&state=elected`)), 200);
    expect(list.elections.map((e: { id: string }) => e.id)).toEqual([id]);
    expect((await expectStatus(dan.client.get(url("?state=nominating,changing")), 200)).elections).toEqual(
      [],
    );
  });

  it("keeps nominations hidden from everyone but their nominator until the reveal: in the election, the list, the log and the stream", async () => {
    const stage = await electionStage();
    const { org, ben, cat, dan, url } = stage;
    const observer = await addMember(env, org, "observer", "Olive Observer");
    const id = await electionTakingNominations(stage);

    const streamOf = async (person: Person) => {
      const opened = await EventStreamReader.open(
        `${baseUrl}/orgs/${org.id}/events`,
        credentialsOf(person.client),
      );
      if (!opened.stream) throw new Error(`no stream: ${opened.status}`);
      openStreams.push(opened.stream);
      return opened.stream;
    };
    const dansStream = await streamOf(dan);
    const bensStream = await streamOf(ben);

    await expectStatus(
      ben.client.post(url(`/${id}/nominations`), { nomineeId: cat.memberId, reason: "Careful with money" }),
      201,
    );

    for (const reader of [dan, observer, { client: org.admin, memberId: org.adminMemberId }]) {
      const seen = await expectStatus(reader.client.get(url(`/${id}`)), 200);
      expect(seen.nominations).toEqual([]);
      expect(seen.nominationCounts).toEqual([]);
      const listed = await expectStatus(reader.client.get(url()), 200);
      expect(listed.elections[0].nominations).toEqual([]);
      const log = await expectStatus(reader.client.get(`/orgs/${org.id}/log`), 200);
      expect(log.entries.map((e: { type: string }) => e.type)).not.toContain("selection.nominated");
      expect(JSON.stringify(log.entries)).not.toContain("Careful with money");
    }
    const bensLog = await expectStatus(ben.client.get(`/orgs/${org.id}/log`), 200);
    expect(bensLog.entries.filter((e: { type: string }) => e.type === "selection.nominated")).toHaveLength(1);
    expect((await expectStatus(ben.client.get(url(`/${id}`)), 200)).nominations).toHaveLength(1);

    await advance(stage, id, { to: "changing" });
    // Dan's stream skips the nomination and goes straight to the reveal, which carries it.
    const dansNext = await dansStream.next();
    expect(dansNext.event).toBe("selection.revealed");
    expect(dansNext.data.payload.nominations).toEqual([
      expect.objectContaining({
        nominatorId: ben.memberId,
        nomineeId: cat.memberId,
        reason: "Careful with money",
      }),
    ]);
    expect((await bensStream.take(2)).map((e) => e.event)).toEqual([
      "selection.nominated",
      "selection.revealed",
    ]);
    expect((await expectStatus(dan.client.get(url(`/${id}`)), 200)).nominations).toHaveLength(1);
  });

  it("refuses bad input with a 400 and changes nothing", async () => {
    const stage = await electionStage();
    const { org, facilitator, ben, url } = stage;
    const outsider = await addMember(env, org, "member", "Nina Nonmember");
    const id = await electionTakingNominations(stage);
    const before = await expectStatus(facilitator.client.get(url(`/${id}`)), 200);
    const entries = await logLength(env, org.id);

    const bad: [ApiClient, string, object][] = [
      [ben.client, `/${id}/nominations`, { nomineeId: ben.memberId }],
      [ben.client, `/${id}/nominations`, { nomineeId: ben.memberId, reason: "" }],
      [ben.client, `/${id}/nominations`, { nomineeId: "not-a-uuid", reason: "x" }],
      [ben.client, `/${id}/nominations`, { nomineeId: ben.memberId, reason: "x", secret: true }],
      // Only a participant of the selection can be nominated.
      [ben.client, `/${id}/nominations`, { nomineeId: outsider.memberId, reason: "Fresh eyes" }],
      [ben.client, `/${id}/nominations`, { nomineeId: ben.memberId, reason: "   " }],
      [facilitator.client, `/${id}/advance`, { to: "elected" }],
      [facilitator.client, `/${id}/advance`, { to: "changing", qualifications: ["x"] }],
      [facilitator.client, `/${id}/advance`, { to: "changing", deadline: "tomorrow" }],
      [facilitator.client, `/${id}/responses`, { kind: "object" }],
      [facilitator.client, `/${id}/proposal`, { nomineeId: ben.memberId, reasons: "x", termDays: 0 }],
    ];
    for (const [client, path, body] of bad) {
      const res = await client.post(url(path), body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await ben.client.post(url(), { roleId: stage.roleId, termDays: 4000 })).status).toBe(400);
    expect(await expectStatus(facilitator.client.get(url(`/${id}`)), 200)).toEqual(before);
    expect(await logLength(env, org.id)).toBe(entries);
  });

  it("lets one of two facilitators advancing at once move the election, the other getting a conflict", async () => {
    const stage = await electionStage();
    const { org, ben, url } = stage;
    const facilitatorRole = (
      await env.db.query<{ id: string }>("SELECT id FROM roles WHERE org_id = $1 AND kind = 'facilitator'", [
        org.id,
      ])
    ).rows[0]!.id;
    await assignRole(env, org, facilitatorRole, ben.memberId);
    const id = await startElection(stage);

    const [one, two] = await Promise.all([
      stage.facilitator.client.post(url(`/${id}/advance`), { to: "qualifying" }),
      ben.client.post(url(`/${id}/advance`), { to: "qualifying" }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    expect((await selectionLog(org.id)).map((e) => e.type)).toEqual([
      "selection.started",
      "selection.term_agreed",
    ]);
  });

  it("will not propose a nominee who has served the role's consecutive terms", async () => {
    const stage = await electionStage();
    await env.db.query("UPDATE roles SET max_consecutive_terms = 1 WHERE id = $1", [stage.roleId]);
    const id = await electionTakingNominations(stage);
    await expectStatus(
      stage.ben.client.post(stage.url(`/${id}/nominations`), {
        nomineeId: stage.author.memberId,
        reason: "Knows the books",
      }),
      201,
    );
    await advance(stage, id, { to: "changing" });
    await advance(stage, id, { to: "proposing" });
    const refused = await stage.facilitator.client.post(stage.url(`/${id}/proposal`), {
      nomineeId: stage.author.memberId,
      reasons: "Most nominations",
    });
    expect(refused.status).toBe(400);
    expect((await stage.ben.client.get(stage.url(`/${id}`))).body.state).toBe("proposing");
  });

  it("closes a round at its deadline once, whichever server sweeps", async () => {
    const stage = await electionStage();
    const id = await electionTakingNominations(stage);
    await expectStatus(
      stage.cat.client.post(stage.url(`/${id}/nominations`), {
        nomineeId: stage.ben.memberId,
        reason: "Careful",
      }),
      201,
    );
    await advance(stage, id, { to: "changing" });
    await advance(stage, id, { to: "proposing" });
    await expectStatus(
      stage.facilitator.client.post(stage.url(`/${id}/proposal`), {
        nomineeId: stage.ben.memberId,
        reasons: "Careful with money",
      }),
      201,
    );
    await advance(stage, id, { to: "consent_round", deadline: "2026-01-08T09:00:00.000Z" });
    for (const person of [stage.facilitator, stage.cat])
      await expectStatus(person.client.post(stage.url(`/${id}/responses`), { kind: "consent" }), 201);
    expect(await closeElectionRoundsPastDeadline(env.ctx)).toBe(0);

    env.clock.set("2026-01-09T09:00:00.000Z");
    const [first, second] = await Promise.all([
      closeElectionRoundsPastDeadline(env.ctx),
      closeElectionRoundsPastDeadline(env.ctx),
    ]);
    expect(first + second).toBe(1);
    expect(await closeElectionRoundsPastDeadline(env.ctx)).toBe(0);
    // The nominee never consented: the round lapses and the facilitator proposes again.
    expect((await stage.dan.client.get(stage.url(`/${id}`))).body.state).toBe("proposing");
    const closings = (await selectionLog(stage.org.id)).filter((e) => e.type === "selection.round_closed");
    expect(closings).toHaveLength(1);
  });

  it("starts only for a role filled by election", async () => {
    const stage = await electionStage();
    const appointed = await createRole(env, stage.org, stage.circleId, { name: "Key holder" });
    const res = await stage.ben.client.post(stage.url(), { roleId: appointed });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toMatchObject({ fillingPolicy: "appointment" });
    expect((await stage.ben.client.post(stage.url(), { roleId: stage.org.id })).status).toBe(404);
  });
});

describe("election authorization", () => {
  /** The matrix's cast, with a facilitator in the circle and a role filled by election. */
  async function electionCast() {
    const cast = await authorizationCast(env);
    const facilitator = await addMember(env, cast.org, "member", "Fay Facilitator");
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [cast.org.id, cast.circleId, facilitator.memberId, env.clock.now()],
    );
    const facilitatorRole = await createRole(env, cast.org, cast.circleId, {
      kind: "facilitator",
      name: "Facilitator",
    });
    await assignRole(env, cast.org, facilitatorRole, facilitator.memberId);
    const roleId = await createRole(env, cast.org, cast.circleId, {
      fillingPolicy: "election",
      termDays: 180,
    });
    const url = (path = "") => `/orgs/${cast.org.id}/elections${path}`;
    return { cast, facilitator, roleId, url };
  }

  const writes = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403 };

  it("shows elections to every member of the organisation and lets those in the circle start one", async () => {
    const { cast, roleId, url } = await electionCast();
    expect(await statusesOf(cast, (c) => c.post(url(), { roleId }))).toEqual({
      ...writes,
      circleMember: 201,
      // An admin outside the circle has no say in how the circle fills its roles.
      admin: 403,
    });
    const id = (await cast.circleMember.client.get(url())).body.elections[0].id;
    const reads = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c) => c.get(url()))).toEqual(reads);
    expect(await statusesOf(cast, (c) => c.get(url(`/${id}`)))).toEqual(reads);
  });

  it("lets the facilitator alone move and cancel it, and the circle's participants alone nominate and respond", async () => {
    const { cast, facilitator, roleId, url } = await electionCast();
    const created = await cast.circleMember.client.post(url(), { roleId });
    const id: string = created.body.id;
    const asFacilitator = (path: string, body: object) => facilitator.client.post(url(`/${id}${path}`), body);
    const everyoneElse = (path: string, body: object) =>
      statusesOf(cast, (c) => c.post(url(`/${id}${path}`), body));

    expect(await everyoneElse("/advance", { to: "qualifying" })).toEqual({
      ...writes,
      circleMember: 403,
      admin: 403,
    });
    expect((await asFacilitator("/advance", { to: "qualifying" })).status).toBe(200);
    expect((await asFacilitator("/advance", { to: "nominating" })).status).toBe(200);

    const nomination = { nomineeId: facilitator.memberId, reason: "Knows the circle" };
    expect(await everyoneElse("/nominations", nomination)).toEqual({
      ...writes,
      circleMember: 201,
      admin: 403,
    });
    expect((await asFacilitator("/advance", { to: "changing" })).status).toBe(200);
    expect((await asFacilitator("/advance", { to: "proposing" })).status).toBe(200);
    const proposal = { nomineeId: facilitator.memberId, reasons: "The only nomination" };
    expect(await everyoneElse("/proposal", proposal)).toEqual({ ...writes, circleMember: 403, admin: 403 });
    expect((await asFacilitator("/proposal", proposal)).status).toBe(201);
    expect((await asFacilitator("/advance", { to: "consent_round" })).status).toBe(200);

    expect(await everyoneElse("/responses", { kind: "consent" })).toEqual({
      ...writes,
      circleMember: 201,
      admin: 403,
    });
    expect(await everyoneElse("/cancel", {})).toEqual({ ...writes, circleMember: 403, admin: 403 });
    const cancelled = await asFacilitator("/cancel", {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe("cancelled");
  });

  it("lets only an objection's author withdraw it, and the facilitator integrate it", async () => {
    const { cast, facilitator, roleId, url } = await electionCast();
    const id: string = (await cast.circleMember.client.post(url(), { roleId })).body.id;
    const step = (path: string, body: object, by: ApiClient = facilitator.client) =>
      expectStatus(by.post(url(`/${id}${path}`), body), path === "/advance" ? 200 : 201);
    await step("/advance", { to: "qualifying" });
    await step("/advance", { to: "nominating" });
    await step("/nominations", { nomineeId: facilitator.memberId, reason: "Knows the circle" });
    await step("/advance", { to: "changing" });
    await step("/advance", { to: "proposing" });
    await step("/proposal", { nomineeId: facilitator.memberId, reasons: "The only one", termDays: 180 });
    await step("/advance", { to: "consent_round" });
    await step("/responses", { kind: "object", reason: "Fay is away in spring" }, cast.circleMember.client);
    const integrating = await step("/responses", { kind: "consent" });
    expect(integrating.state).toBe("integrating");
    const objection = integrating.objections[0];
    expect(objection.can).toEqual({ withdraw: false, integrate: true });
    const resolve = url(`/${id}/objections/${objection.id}/resolve`);

    expect(
      await statusesOf(cast, (c) =>
        c.post(resolve, { outcome: "integrated", by: "shorter_term", termDays: 90 }),
      ),
    ).toEqual({
      ...writes,
      circleMember: 403,
      admin: 403,
    });
    expect((await facilitator.client.post(resolve, { outcome: "withdrawn" })).status).toBe(403);
    const withdrawn = await cast.circleMember.client.post(resolve, { outcome: "withdrawn" });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.openObjections).toBe(0);
    // Resolved once: the second attempt conflicts.
    expect(
      (await facilitator.client.post(resolve, { outcome: "integrated", by: "shorter_term", termDays: 90 }))
        .status,
    ).toBe(409);
  });
});
