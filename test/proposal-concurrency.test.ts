import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyOrgLog } from "../src/db/log.js";
import { buildServer } from "../src/server/app.js";
import { ApiClient } from "./support/client.js";
import { addMember, assignRole } from "./support/factories.js";
import { testServerConfig, withTestEnv } from "./support/harness.js";
import {
  advance,
  circleStage,
  logTypes,
  type Person,
  proposalInRound,
  quickMembers,
} from "./support/proposals.js";

const env = withTestEnv();

/**
 * A second server on the same database with a context of its own, and so a proposal writer of its own,
 * as a second process has: only the database's row lock orders its writes against the first server's.
 */
let second: Awaited<ReturnType<typeof buildServer>>;
beforeAll(async () => {
  second = await buildServer({ ...env.ctx }, testServerConfig);
  await second.ready();
});
afterAll(async () => {
  await second?.close();
});

/** The same person's session, sent to the second server. */
function throughSecond(person: Person): Person {
  const client = new ApiClient(second);
  client.cookie = person.client.cookie;
  client.csrfToken = person.client.csrfToken;
  return { client, memberId: person.memberId };
}

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

async function responseRows(orgId: string, proposalId: string) {
  const rows = async (table: string) =>
    (
      await env.db.query<{ member_id: string }>(
        `SELECT member_id FROM ${table} WHERE org_id = $1 AND proposal_id = $2 AND round = 1`,
        [orgId, proposalId],
      )
    ).rows.map((r) => r.member_id);
  return { history: await rows("proposal_responses"), current: await rows("proposal_current_responses") };
}

describe("responding at once", () => {
  it("counts two hundred members responding at the same moment, each once", async () => {
    const stage = await circleStage(env, 0);
    const others = await quickMembers(env, stage.org, 199, stage.circleId);
    const id = await proposalInRound(stage);
    // The facilitator holds back, so the round (201 participants) stays open after the 200 responses.
    const responders: Person[] = [stage.author, ...others];
    // Half of them reach the other server, as behind a load balancer.
    const responses = await Promise.all(
      responders.map((person, i) =>
        (i % 2 === 0 ? person : throughSecond(person)).client.post(
          `/orgs/${stage.org.id}/proposals/${id}/responses`,
          i % 10 === 0 ? { kind: "consent_with_concern", concern: `Concern ${i}` } : { kind: "consent" },
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(201));

    const proposal = await stage.facilitator.client.get(`/orgs/${stage.org.id}/proposals/${id}`);
    expect(proposal.body).toMatchObject({
      state: "consent_round",
      round: {
        tally: { eligible: 201, responded: 200, noResponse: 1, consent: 180, consentWithConcern: 20 },
        closedAt: null,
      },
    });
    const rows = await responseRows(stage.org.id, id);
    expect(rows.current).toHaveLength(200);
    expect(new Set(rows.current)).toEqual(new Set(responders.map((p) => p.memberId)));
    expect(rows.history).toHaveLength(200);
    expect(count(await logTypes(env, stage.org.id), "proposal.responded")).toBe(200);

    // The last participant closes it.
    const last = await stage.facilitator.client.post(`/orgs/${stage.org.id}/proposals/${id}/responses`, {
      kind: "consent",
    });
    expect(last.body).toMatchObject({ state: "adopted", round: { tally: { responded: 201 } } });
  }, 60_000);

  it.each([
    ["one server", false],
    ["two servers", true],
  ])("keeps both of a member's simultaneous answers and counts the member once (%s)", async (_, split) => {
    const stage = await circleStage(env, 3);
    const [ben] = stage.members as [Person];
    const id = await proposalInRound(stage);
    const url = `/orgs/${stage.org.id}/proposals/${id}/responses`;
    const both = await Promise.all([
      ben.client.post(url, { kind: "consent" }),
      (split ? throughSecond(ben) : ben).client.post(url, {
        kind: "consent_with_concern",
        concern: "The shed leaks",
      }),
    ]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);

    const rows = await responseRows(stage.org.id, id);
    expect(rows.current).toEqual([ben.memberId]);
    expect(rows.history).toEqual([ben.memberId, ben.memberId]);
    const proposal = await ben.client.get(`/orgs/${stage.org.id}/proposals/${id}`);
    expect(proposal.body.round.tally).toMatchObject({ responded: 1, noResponse: 4 });
    expect(proposal.body.round.tally.consent + proposal.body.round.tally.consentWithConcern).toBe(1);
    // The response listed as current is the one counted, and it is the later of the two in the history.
    const listed = proposal.body.round.responses;
    expect(listed.map((r: { current: boolean }) => r.current)).toEqual([false, true]);
    expect(proposal.body.round.myResponse.kind).toBe(listed[1].kind);
    expect(count(await logTypes(env, stage.org.id), "proposal.responded")).toBe(2);
  });
});

describe("facilitating at once", () => {
  it.each([
    ["one server", false],
    ["two servers", true],
  ])("moves a proposal once when two facilitators ask for the same phase together (%s)", async (_, split) => {
    const stage = await circleStage(env, 2);
    const other = await addMember(env, stage.org, "member", "Sam Second");
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [stage.org.id, stage.circleId, other.memberId, env.clock.now()],
    );
    const { rows } = await env.db.query<{ id: string }>(
      "SELECT id FROM roles WHERE org_id = $1 AND circle_id = $2 AND kind = 'facilitator'",
      [stage.org.id, stage.circleId],
    );
    await assignRole(env, stage.org, rows[0]?.id as string, other.memberId);

    const created = await stage.author.client.post(`/orgs/${stage.org.id}/proposals`, {
      circleId: stage.circleId,
      title: "Tool library",
      text: "Lend tools from the shed.",
    });
    const id: string = created.body.id;
    expect(created.body.facilitatorIds).toHaveLength(2);
    await advance(stage, id, "presented");

    const url = `/orgs/${stage.org.id}/proposals/${id}/advance`;
    const both = await Promise.all([
      stage.facilitator.client.post(url, { to: "clarifying" }),
      (split ? throughSecond(other) : other).client.post(url, { to: "clarifying" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)?.body.error.code).toBe("invalid_transition");
    expect((await stage.author.client.get(`/orgs/${stage.org.id}/proposals/${id}`)).body.state).toBe(
      "clarifying",
    );
    expect(count(await logTypes(env, stage.org.id), "proposal.advanced")).toBe(1);
  });
});

describe("a proposal that is not there", () => {
  it("answers every one of many requests at once with 404, and the writer goes on serving others", async () => {
    const stage = await circleStage(env, 2);
    const missing = env.ctx.newId();
    const url = (id: string) => `/orgs/${stage.org.id}/proposals/${id}/responses`;
    const answers = await Promise.all(
      stage.everyone.map((person) => person.client.post(url(missing), { kind: "consent" })),
    );
    expect(answers.map((r) => r.status)).toEqual(stage.everyone.map(() => 404));
    const again = await stage.author.client.post(url(missing), { kind: "consent" });
    expect(again.status).toBe(404);
    const id = await proposalInRound(stage);
    expect((await stage.author.client.post(url(id), { kind: "consent" })).status).toBe(201);
  });
});

describe("responding while the organisation's log moves on", () => {
  it("records each response once on the chain as it ends now, whoever appended to it in between", async () => {
    const stage = await circleStage(env, 2);
    const [ben, cat] = stage.members as [Person, Person];
    const id = await proposalInRound(stage);
    const respond = async (person: Person, kind: string, concern?: string) => {
      const res = await person.client.post(`/orgs/${stage.org.id}/proposals/${id}/responses`, {
        kind,
        concern,
      });
      expect(res.status).toBe(201);
      return res.body;
    };
    await respond(ben, "consent");
    // Another command of the organisation (a new role) appends to the log between two responses.
    const role = await stage.org.admin.post(`/orgs/${stage.org.id}/roles`, {
      circleId: stage.circleId,
      name: "Shed keeper",
    });
    expect(role.status).toBe(201);
    await respond(cat, "consent");
    await respond(ben, "consent_with_concern", "The shed leaks");
    const last = await respond(stage.author, "consent");
    expect(last.round.tally).toMatchObject({ responded: 3, consent: 2, consentWithConcern: 1 });

    const { rows } = await env.db.query<{ type: string }>(
      "SELECT type FROM log_entries WHERE org_id = $1 AND type IN ('proposal.responded', 'role.created') ORDER BY seq",
      [stage.org.id],
    );
    expect(rows.map((r) => r.type)).toEqual([
      "proposal.responded",
      "role.created",
      "proposal.responded",
      "proposal.responded",
      "proposal.responded",
    ]);
    expect(await verifyOrgLog(env.db, stage.org.id)).toMatchObject({ ok: true });
  });
});

describe("taking turns between two servers", () => {
  it("counts on each server what the other recorded, and follows a facilitator handed over mid-round", async () => {
    const stage = await circleStage(env, 2);
    const [ben, cat] = stage.members as [Person, Person];
    const id = await proposalInRound(stage);
    const url = `/orgs/${stage.org.id}/proposals/${id}`;
    const respond = async (person: Person, body: object) => {
      const res = await person.client.post(`${url}/responses`, body);
      expect(res.status).toBe(201);
      return res.body;
    };

    // Each server writes on top of what the other wrote just before.
    await respond(stage.author, { kind: "consent" });
    await respond(throughSecond(ben), { kind: "consent_with_concern", concern: "Mind the tools" });
    const third = await respond(stage.author, { kind: "consent_with_concern", concern: "Label them" });
    expect(third.round.tally).toMatchObject({ responded: 2, consent: 0, consentWithConcern: 2 });
    await respond(ben, { kind: "consent" });
    const fifth = await respond(throughSecond(cat), { kind: "consent" });
    expect(fifth.round.tally).toMatchObject({
      responded: 3,
      consent: 2,
      consentWithConcern: 1,
      noResponse: 1,
    });
    const rows = await responseRows(stage.org.id, id);
    expect(rows.history).toHaveLength(5);
    expect(rows.current.sort()).toEqual([stage.author.memberId, ben.memberId, cat.memberId].sort());

    // The facilitator role passes from Fay to Ben between two requests on the same server.
    await respond(cat, { kind: "consent_with_concern", concern: "Who repairs them?" });
    const { rows: roles } = await env.db.query<{ id: string }>(
      "SELECT id FROM roles WHERE org_id = $1 AND circle_id = $2 AND kind = 'facilitator'",
      [stage.org.id, stage.circleId],
    );
    await env.db.query("UPDATE assignments SET ends_at = $3 WHERE org_id = $1 AND member_id = $2", [
      stage.org.id,
      stage.facilitator.memberId,
      env.clock.now(),
    ]);
    await assignRole(env, stage.org, roles[0]?.id as string, ben.memberId);
    const refused = await stage.facilitator.client.post(`${url}/advance`, { to: "withdrawn" });
    expect(refused.status).toBe(403);
    const withdrawn = await ben.client.post(`${url}/advance`, { to: "withdrawn" });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ state: "withdrawn", facilitatorIds: [ben.memberId] });
  });
});
