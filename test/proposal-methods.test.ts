import { describe, expect, it } from "vitest";
import { closeRoundsPastDeadline } from "../src/app/proposals/commands.js";
import { withTestEnv } from "./support/harness.js";
import {
  adoptedProposal,
  advance,
  type CircleStage,
  circleStage,
  logTypes,
  type Person,
  proposalInRound,
} from "./support/proposals.js";

const env = withTestEnv();

const DEADLINE = "2026-01-08T09:00:00.000Z";
const url = (stage: CircleStage, path = "") => `/orgs/${stage.org.id}/proposals${path}`;
const respond = (stage: CircleStage, who: Person, id: string, body: object) =>
  who.client.post(url(stage, `/${id}/responses`), body);
const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe("a consent round at its deadline", () => {
  it("lapses below quorum: reads show it at once, the sweeper closes it once however often it runs", async () => {
    const stage = await circleStage(env, 3);
    const [ben] = stage.members as [Person];
    const id = await proposalInRound(stage, {}, { deadline: DEADLINE });
    // Two of five respond; more than half (three) are needed.
    await respond(stage, stage.author, id, { kind: "consent" });
    await respond(stage, ben, id, { kind: "consent" });
    expect(await closeRoundsPastDeadline(env.ctx)).toBe(0);

    env.clock.set("2026-01-08T09:00:01.000Z");
    const seen = await ben.client.get(url(stage, `/${id}`));
    // No job has run, yet the read already tells what the round came to.
    expect(seen.body).toMatchObject({
      state: "consent_round",
      round: { verdict: "lapsed", tally: { responded: 2, quorumNeeded: 3, quorumMet: false } },
      can: { respond: false },
    });
    expect(seen.body.round.closedAt).toBeNull();
    const late = await respond(stage, stage.members[1] as Person, id, { kind: "consent" });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("invalid_transition");

    expect(await closeRoundsPastDeadline(env.ctx)).toBe(1);
    const closed = await ben.client.get(url(stage, `/${id}`));
    expect(closed.body).toMatchObject({ state: "lapsed", decision: null });
    expect(closed.body.round.closedAt).toBe("2026-01-08T09:00:01.000Z");

    expect(await closeRoundsPastDeadline(env.ctx)).toBe(0);
    expect(await Promise.all([closeRoundsPastDeadline(env.ctx), closeRoundsPastDeadline(env.ctx)])).toEqual([
      0, 0,
    ]);
    const types = await logTypes(env, stage.org.id);
    expect(count(types, "proposal.round_closed")).toBe(1);
    expect(types.at(-1)).toBe("proposal.round_closed");
  });

  it("closes once when the sweepers of two processes find the same round at the same moment", async () => {
    const stage = await circleStage(env, 3);
    const id = await proposalInRound(stage, {}, { deadline: DEADLINE });
    await respond(stage, stage.author, id, { kind: "consent" });
    env.clock.set(DEADLINE);
    // A context of its own gives each sweeper its own proposal writer, as in two processes.
    const closings = await Promise.all([
      closeRoundsPastDeadline({ ...env.ctx }),
      closeRoundsPastDeadline({ ...env.ctx }),
    ]);
    expect(closings.sort()).toEqual([0, 1]);
    expect(count(await logTypes(env, stage.org.id), "proposal.round_closed")).toBe(1);
    expect((await stage.author.client.get(url(stage, `/${id}`))).body.state).toBe("lapsed");
  });

  it("is adopted at the deadline when the quorum responded and no objection is open", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat] = stage.members as [Person, Person];
    const id = await proposalInRound(stage, {}, { deadline: DEADLINE });
    await respond(stage, stage.author, id, { kind: "consent" });
    await respond(stage, ben, id, { kind: "consent_with_concern", concern: "The shed is small" });
    await respond(stage, cat, id, { kind: "consent" });
    expect((await ben.client.get(url(stage, `/${id}`))).body.round.verdict).toBe("open");

    env.clock.set("2026-01-09T00:00:00.000Z");
    expect((await ben.client.get(url(stage, `/${id}`))).body.round.verdict).toBe("adopted");
    expect(await closeRoundsPastDeadline(env.ctx)).toBe(1);
    const adopted = await ben.client.get(url(stage, `/${id}`));
    expect(adopted.body).toMatchObject({
      state: "adopted",
      decision: {
        adoptedAt: "2026-01-09T00:00:00.000Z",
        concerns: [{ memberId: ben.memberId, concern: "The shed is small" }],
        tally: { responded: 3, noResponse: 2, consent: 2, consentWithConcern: 1, quorumMet: true },
      },
    });
    const types = await logTypes(env, stage.org.id);
    expect(types.slice(-2)).toEqual(["proposal.round_closed", "proposal.adopted"]);
  });
});

describe("consensus", () => {
  it("is stopped by a single block, for good", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat, dan] = stage.members as [Person, Person, Person];
    const id = await proposalInRound(stage, { method: { kind: "consensus" } });
    const round = (await ben.client.get(url(stage, `/${id}`))).body.round;
    expect(round).toMatchObject({ method: "consensus", participants: expect.any(Array) });

    // A consent response has no place in a consensus round.
    expect((await respond(stage, ben, id, { kind: "consent" })).status).toBe(400);
    expect((await respond(stage, ben, id, { kind: "agree" })).status).toBe(201);
    const aside = await respond(stage, cat, id, { kind: "stand_aside", reason: "Not my area" });
    expect(aside.body).toMatchObject({
      state: "consent_round",
      round: { tally: { method: "consensus", agree: 1, standAside: 1, block: 0 } },
    });
    const blocked = await respond(stage, dan, id, { kind: "block", reason: "It breaks the budget" });
    expect(blocked.status).toBe(201);
    expect(blocked.body).toMatchObject({ state: "blocked", round: { tally: { block: 1 } } });

    const final = await stage.facilitator.client.get(url(stage, `/${id}`));
    expect(final.body.decision).toBeNull();
    expect(Object.values(final.body.can).every((may) => may === false)).toBe(true);
    expect((await respond(stage, stage.author, id, { kind: "agree" })).status).toBe(409);
    const withdraw = await stage.facilitator.client.post(url(stage, `/${id}/advance`), { to: "withdrawn" });
    expect(withdraw.status).toBe(409);
    const types = await logTypes(env, stage.org.id);
    expect(types.slice(-2)).toEqual(["proposal.responded", "proposal.round_closed"]);
  });
});

describe("the advice process", () => {
  const adviceProposal = async (stage: CircleStage, advisers: Person[]) => {
    const created = await stage.author.client.post(url(stage), {
      circleId: stage.circleId,
      title: "New supplier",
      text: "Buy seeds from Green Acre.",
      method: { kind: "advice", advisers: advisers.map((a) => a.memberId) },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  it("goes to the advisers, waits for every one, then the proposer decides with the advice on record", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat, dan] = stage.members as [Person, Person, Person];
    const id = await adviceProposal(stage, [ben, cat]);
    // An advice proposal is not presented for clarifying; it goes to its advisers.
    const presented = await stage.facilitator.client.post(url(stage, `/${id}/advance`), { to: "presented" });
    expect(presented.status).toBe(409);
    const sent = await advance(stage, id, "advice");
    expect(sent).toMatchObject({
      state: "advice",
      method: { kind: "advice", advisers: [ben.memberId, cat.memberId] },
    });

    const given = await ben.client.post(url(stage, `/${id}/advice`), { text: "Ask for organic ones." });
    expect(given.status).toBe(201);
    // Only an adviser or the proposer records advice, and only a named adviser's.
    const forBen = await dan.client.post(url(stage, `/${id}/advice`), {
      adviserId: ben.memberId,
      text: "Yes",
    });
    expect(forBen.status).toBe(403);
    // Dan was not asked: he may not advise (403); the proposer naming him is a bad request (400).
    const unasked = await dan.client.post(url(stage, `/${id}/advice`), { text: "Me too" });
    expect(unasked.status).toBe(403);
    expect(unasked.body.error.code).toBe("forbidden");
    const notNamed = await stage.author.client.post(url(stage, `/${id}/advice`), {
      adviserId: dan.memberId,
      text: "Dan said yes",
    });
    expect(notNamed.status).toBe(400);

    const early = await stage.author.client.post(url(stage, `/${id}/decision`), {
      outcome: "proceed",
      rationale: "Ben agrees",
    });
    expect(early.status).toBe(409);
    expect(early.body.error.details.waitingFor).toEqual([cat.memberId]);

    const recorded = await stage.author.client.post(url(stage, `/${id}/advice`), {
      adviserId: cat.memberId,
      text: "Fine by me, said Cat in the kitchen.",
    });
    expect(recorded.body.advice).toMatchObject([
      { adviserId: ben.memberId, recordedBy: ben.memberId },
      { adviserId: cat.memberId, recordedBy: stage.author.memberId },
    ]);
    // Only the proposer decides.
    expect(
      (await ben.client.post(url(stage, `/${id}/decision`), { outcome: "proceed", rationale: "Go" })).status,
    ).toBe(403);
    const decided = await stage.author.client.post(url(stage, `/${id}/decision`), {
      outcome: "proceed",
      rationale: "Both advisers agree; organic where we can.",
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      state: "adopted",
      decision: {
        method: "advice",
        tally: null,
        advice: {
          given: [
            { adviserId: ben.memberId, text: "Ask for organic ones." },
            { adviserId: cat.memberId, text: "Fine by me, said Cat in the kitchen." },
          ],
          notAdvised: [],
          rationale: "Both advisers agree; organic where we can.",
        },
      },
    });
    expect(await logTypes(env, stage.org.id)).toEqual([
      "proposal.created",
      "proposal.presented",
      "proposal.advice_given",
      "proposal.advice_given",
      "proposal.advice_decided",
      "proposal.adopted",
    ]);
  });

  it("may be abandoned after the advice: the proposal is withdrawn", async () => {
    const stage = await circleStage(env, 3);
    const [ben] = stage.members as [Person];
    const id = await adviceProposal(stage, [ben]);
    await advance(stage, id, "advice");
    await ben.client.post(url(stage, `/${id}/advice`), { text: "Green Acre is closing down." });
    const abandoned = await stage.author.client.post(url(stage, `/${id}/decision`), {
      outcome: "abandon",
      rationale: "Ben's news settles it.",
    });
    expect(abandoned.status).toBe(200);
    expect(abandoned.body).toMatchObject({ state: "withdrawn", decision: null });
    expect((await logTypes(env, stage.org.id)).slice(-2)).toEqual([
      "proposal.advice_decided",
      "proposal.withdrawn",
    ]);
  });
});

describe("a secret vote under the circle's mandate", () => {
  const BUDGET = "purchases under 500";
  const voteProposal = (stage: CircleStage, title = "Buy a mower") =>
    stage.author.client.post(url(stage), {
      circleId: stage.circleId,
      title,
      text: "Buy a second-hand mower for 300.",
      method: { kind: "vote", decisionClass: BUDGET },
    });

  /** The circle consents to decide purchases under 500 by a secret majority vote. */
  async function grantMandate(stage: CircleStage) {
    const id = await adoptedProposal(stage, {
      title: "Vote on small purchases",
      grantsMandate: {
        decisionClass: BUDGET,
        threshold: { kind: "majority" },
        secret: true,
        quorum: { kind: "more_than_half" },
      },
    });
    const { rows } = await env.db.query(
      "SELECT decision_class, consented_in, secret FROM voting_mandates WHERE org_id = $1 AND circle_id = $2",
      [stage.org.id, stage.circleId],
    );
    expect(rows).toEqual([{ decision_class: BUDGET, consented_in: id, secret: true }]);
    return id;
  }

  async function votedProposal(stage: CircleStage, title: string) {
    const created = await voteProposal(stage, title);
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    for (const to of ["presented", "clarifying", "reactions", "consent_round"]) await advance(stage, id, to);
    return id;
  }

  it("needs the mandate, takes one ballot each, shows neither choices nor counts until it closes", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat, dan] = stage.members as [Person, Person, Person];
    const refused = await voteProposal(stage);
    expect(refused.status).toBe(403);

    const mandateId = await grantMandate(stage);
    const id = await votedProposal(stage, "Buy a mower");
    const opened = await ben.client.get(url(stage, `/${id}`));
    expect(opened.body).toMatchObject({
      state: "consent_round",
      method: { kind: "vote", decisionClass: BUDGET, secret: true, consentedIn: mandateId },
      round: { method: "vote", tally: { eligible: 5, voted: 0, counts: null } },
    });

    expect((await respond(stage, ben, id, { kind: "vote", choice: "yes" })).status).toBe(201);
    const again = await respond(stage, ben, id, { kind: "vote", choice: "no" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
    expect((await respond(stage, cat, id, { kind: "consent" })).status).toBe(400);
    await respond(stage, cat, id, { kind: "vote", choice: "no" });
    await respond(stage, dan, id, { kind: "vote", choice: "yes" });

    const running = await stage.facilitator.client.get(url(stage, `/${id}`));
    expect(running.body.round.tally).toMatchObject({ voted: 3, notVoted: 2, counts: null });
    expect(running.body.round.responses.map((r: object) => Object.keys(r).sort())).toEqual(
      Array(3).fill(["at", "current", "kind", "memberId"]),
    );
    expect(running.body.round.responses.every((r: { kind: string }) => r.kind === "secret_ballot")).toBe(
      true,
    );
    expect(running.body.round.myResponse).toBeNull();
    expect((await ben.client.get(url(stage, `/${id}`))).body.round.myResponse).toEqual({
      kind: "secret_ballot",
      at: "2026-01-05T09:00:00.000Z",
    });

    await respond(stage, stage.author, id, { kind: "vote", choice: "abstain" });
    const last = await respond(stage, stage.facilitator, id, { kind: "vote", choice: "yes" });
    expect(last.body).toMatchObject({
      state: "adopted",
      round: { tally: { voted: 5, counts: { yes: 3, no: 1, abstain: 1 } } },
    });
    const adopted = await ben.client.get(url(stage, `/${id}`));
    expect(adopted.body.decision).toMatchObject({
      method: "vote",
      tally: { counts: { yes: 3, no: 1, abstain: 1 } },
    });
    // Closed, the counts show; still no one's choice does.
    expect(adopted.body.rounds[0].responses.every((r: object) => !("choice" in r))).toBe(true);

    const log = await ben.client.get(`/orgs/${stage.org.id}/log?limit=500`);
    const ballots = log.body.entries.filter(
      (e: { type: string; payload: { proposalId: string } }) =>
        e.type === "proposal.responded" && e.payload.proposalId === id,
    );
    expect(ballots).toHaveLength(5);
    for (const ballot of ballots) {
      expect(ballot.payload).toMatchObject({ response: "vote", secret: true });
      expect(ballot.payload).not.toHaveProperty("choice");
    }
    expect(JSON.stringify(ballots)).not.toMatch(/"(yes|no|abstain)"/);
  });

  it("is rejected when yes does not reach the threshold", async () => {
    const stage = await circleStage(env, 3);
    await grantMandate(stage);
    const id = await votedProposal(stage, "Buy a gold-plated mower");
    const choices = ["yes", "no", "no", "abstain", "no"];
    for (const [i, person] of stage.everyone.entries())
      await respond(stage, person, id, { kind: "vote", choice: choices[i] });
    const rejected = await stage.author.client.get(url(stage, `/${id}`));
    expect(rejected.body).toMatchObject({
      state: "rejected",
      decision: null,
      round: { tally: { counts: { yes: 1, no: 3, abstain: 1 } } },
    });
    const decisions = await stage.author.client.get(`/orgs/${stage.org.id}/decisions`);
    expect(decisions.body.decisions.map((d: { proposalId: string }) => d.proposalId)).not.toContain(id);
  });
});
