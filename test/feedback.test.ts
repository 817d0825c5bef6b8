import { describe, expect, it } from "vitest";
import { addMember, assignRole, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { statusesOf } from "./support/matrix.js";
import { circleStage, logLength, openRoundOn, type Person } from "./support/proposals.js";

const env = withTestEnv();

const feedbackUrl = (stage: { org: { id: string } }) => `/orgs/${stage.org.id}/feedback`;

/** The garden circle: Ann (the author) holds the treasurer role; Ben and Cat review her; Dan does not. */
async function reviewStage() {
  const stage = await circleStage(env, 3);
  const [ben, cat, dan] = stage.members as [Person, Person, Person];
  const roleId = await createRole(env, stage.org, stage.circleId, { name: "Treasurer", termDays: 365 });
  const assignmentId = await assignRole(env, stage.org, roleId, stage.author.memberId);
  return { ...stage, ben, cat, dan, holder: stage.author, roleId, assignmentId };
}
type Stage = Awaited<ReturnType<typeof reviewStage>>;

async function requested(stage: Stage) {
  const res = await stage.holder.client.post(feedbackUrl(stage), {
    assignmentId: stage.assignmentId,
    reviewerIds: [stage.ben.memberId, stage.cat.memberId],
    note: "How did the budget round go?",
  });
  if (res.status !== 201) throw new Error(`request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `${feedbackUrl(stage)}/${res.body.id}`;
}

const answer = (who: Person, review: string, text: string) => who.client.post(`${review}/answers`, { text });

describe("a performance review", () => {
  it("gathers feedback from the review group and ends in a plan the group adopts by consent", async () => {
    const stage = await reviewStage();
    const review = await requested(stage);
    const asked = await stage.holder.client.get(review);
    expect(asked.body).toMatchObject({
      holderId: stage.holder.memberId,
      roleId: stage.roleId,
      circleId: stage.circleId,
      reviewerIds: [stage.ben.memberId, stage.cat.memberId],
      note: "How did the budget round go?",
      state: "gathering",
      answers: [],
      waitingFor: [stage.ben.memberId, stage.cat.memberId],
      plan: null,
      can: { answer: false, readAnswers: true, draftPlan: false },
    });
    expect((await stage.ben.client.get(review)).body.can).toEqual({
      answer: true,
      readAnswers: true,
      draftPlan: false,
    });

    expect((await answer(stage.ben, review, "Clear numbers, late minutes")).status).toBe(201);
    expect((await answer(stage.ben, review, "Again")).status).toBe(409);
    expect((await answer(stage.dan, review, "Me too")).status).toBe(403);
    expect((await answer(stage.cat, review, "Ask for help sooner")).status).toBe(201);

    const drafted = await stage.holder.client.post(`${review}/plan`, {
      text: "Send the minutes within two days; ask Cat to pair on the budget.",
    });
    expect(drafted.status).toBe(201);
    const { proposalId } = drafted.body;
    expect(drafted.body.review).toMatchObject({
      state: "planning",
      plan: {
        proposalId,
        proposalState: "draft",
        roundParticipants: [stage.holder.memberId, stage.ben.memberId, stage.cat.memberId],
      },
    });
    expect((await stage.holder.client.post(`${review}/plan`, { text: "Another" })).status).toBe(409);
    expect((await answer(stage.ben, review, "Late word")).status).toBe(409);

    // The facilitator holds the plan's round among the review group (with the holder).
    await openRoundOn(stage, proposalId, {
      participants: [stage.holder.memberId, stage.ben.memberId, stage.cat.memberId],
    });
    for (const person of [stage.ben, stage.cat, stage.holder]) {
      expect((await stage.holder.client.get(review)).body.state).toBe("planning");
      const res = await person.client.post(`/orgs/${stage.org.id}/proposals/${proposalId}/responses`, {
        kind: "consent",
      });
      expect(res.status).toBe(201);
    }
    const proposal = await stage.dan.client.get(`/orgs/${stage.org.id}/proposals/${proposalId}`);
    expect(proposal.body.state).toBe("adopted");
    const complete = await stage.dan.client.get(review);
    expect(complete.body).toMatchObject({
      state: "complete",
      plan: { proposalId, proposalState: "adopted" },
      answers: null,
      can: { answer: false, readAnswers: false, draftPlan: false },
    });
    const types = (
      await env.db.query<{ type: string }>(
        "SELECT type FROM log_entries WHERE org_id = $1 AND type LIKE 'feedback.%' ORDER BY seq",
        [stage.org.id],
      )
    ).rows.map((r) => r.type);
    expect(types).toEqual([
      "feedback.requested",
      "feedback.answered",
      "feedback.answered",
      "feedback.plan_drafted",
    ]);
  });

  it("is not complete when the circle adopts the plan without the review group", async () => {
    const stage = await reviewStage();
    const review = await requested(stage);
    await answer(stage.ben, review, "Good");
    const { proposalId } = (await stage.holder.client.post(`${review}/plan`, { text: "Keep going" })).body;
    await openRoundOn(stage, proposalId, { participants: [stage.holder.memberId, stage.ben.memberId] });
    for (const person of [stage.holder, stage.ben])
      await person.client.post(`/orgs/${stage.org.id}/proposals/${proposalId}/responses`, {
        kind: "consent",
      });
    const seen = (await stage.holder.client.get(review)).body;
    expect(seen).toMatchObject({ state: "gathering", plan: { proposalId, proposalState: "adopted" } });
    expect(seen.can.draftPlan).toBe(true);
  });

  it("keeps the answers to the holder and the review group: not the circle, the admin, observers or the log", async () => {
    const stage = await reviewStage();
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const admin = { client: stage.org.admin, memberId: stage.org.adminMemberId };
    const review = await requested(stage);
    await answer(stage.ben, review, "Secret: the spreadsheet is a mess");
    for (const reader of [stage.holder, stage.ben, stage.cat]) {
      const res = await reader.client.get(`${review}/answers`);
      expect(res.status).toBe(200);
      expect(res.body.answers).toEqual([
        expect.objectContaining({
          reviewerId: stage.ben.memberId,
          text: "Secret: the spreadsheet is a mess",
        }),
      ]);
    }
    for (const other of [stage.dan, stage.facilitator, admin, observer]) {
      expect((await other.client.get(`${review}/answers`)).status).toBe(403);
      const seen = await other.client.get(review);
      expect(seen.status).toBe(200);
      expect(seen.body.answers).toBeNull();
      expect(JSON.stringify(seen.body)).not.toContain("spreadsheet");
      expect(JSON.stringify((await other.client.get(feedbackUrl(stage))).body)).not.toContain("spreadsheet");
      expect(JSON.stringify((await other.client.get(`/orgs/${stage.org.id}/log`)).body)).not.toContain(
        "spreadsheet",
      );
    }
    const other = await reviewStage();
    expect(
      (await other.holder.client.get(`${review.replace(stage.org.id, other.org.id)}/answers`)).status,
    ).toBe(404);
    expect((await other.org.admin.get(`${review}/answers`)).status).toBe(404);
  });

  it("lists reviews by holder, reviewer and role", async () => {
    const stage = await reviewStage();
    const review = await requested(stage);
    const ids = async (query: string) =>
      (await stage.dan.client.get(`${feedbackUrl(stage)}${query}`)).body.reviews.map(
        (r: { id: string }) => `${feedbackUrl(stage)}/${r.id}`,
      );
    expect(await ids("")).toEqual([review]);
    expect(await ids(`?holderId=${stage.holder.memberId}`)).toEqual([review]);
    expect(await ids(`?reviewerId=${stage.cat.memberId}`)).toEqual([review]);
    expect(await ids(`?reviewerId=${stage.dan.memberId}`)).toEqual([]);
    expect(await ids(`?roleId=${stage.roleId}`)).toEqual([review]);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await reviewStage();
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const review = await requested(stage);
    const before = await logLength(env, stage.org.id);
    const snapshot = (await stage.holder.client.get(review)).body;
    const valid = { assignmentId: stage.assignmentId, reviewerIds: [stage.ben.memberId] };
    const requests: [object, number][] = [
      [{ ...valid, extra: 1 }, 400],
      [{ ...valid, assignmentId: "nope" }, 400],
      [{ ...valid, assignmentId: env.ctx.newId() }, 400],
      [{ ...valid, reviewerIds: [] }, 400],
      [{ ...valid, reviewerIds: [stage.ben.memberId, stage.ben.memberId] }, 400],
      [{ ...valid, reviewerIds: [stage.holder.memberId] }, 400],
      [{ ...valid, reviewerIds: [observer.memberId] }, 400],
      [{ ...valid, reviewerIds: [env.ctx.newId()] }, 400],
      [{ ...valid, note: 42 }, 400],
      [{ reviewerIds: [stage.ben.memberId] }, 400],
    ];
    for (const [body, status] of requests)
      expect((await stage.holder.client.post(feedbackUrl(stage), body)).status, JSON.stringify(body)).toBe(
        status,
      );
    const writes: [Person, string, object, number][] = [
      [stage.ben, "answers", { text: "" }, 400],
      [stage.ben, "answers", { text: "   " }, 400],
      [stage.ben, "answers", { text: "Fine", extra: true }, 400],
      [stage.holder, "plan", { text: "Too early" }, 409],
      [stage.holder, "plan", { text: "" }, 400],
      [stage.holder, "plan", {}, 400],
    ];
    for (const [who, path, body, status] of writes)
      expect(
        (await who.client.post(`${review}/${path}`, body)).status,
        `${path} ${JSON.stringify(body)}`,
      ).toBe(status);
    const missing = `${feedbackUrl(stage)}/${env.ctx.newId()}`;
    expect((await stage.ben.client.post(`${missing}/answers`, { text: "Lost" })).status).toBe(404);
    expect((await stage.ben.client.get(`${missing}/answers`)).status).toBe(404);
    expect((await stage.ben.client.get(`${feedbackUrl(stage)}/nope`)).status).toBe(400);
    expect(await logLength(env, stage.org.id)).toBe(before);
    expect((await stage.holder.client.get(review)).body).toEqual(snapshot);
  });
});

describe("feedback authorization", () => {
  it("covers every endpoint: the holder asks and plans, the group answers, the answers stay theirs", async () => {
    const cast = await authorizationCast(env);
    const rita = await addMember(env, cast.org, "member", "Rita Reviewer");
    const roleId = await createRole(env, cast.org, cast.circleId, { name: "Treasurer" });
    const assignmentId = await assignRole(env, cast.org, roleId, cast.circleMember.memberId);
    const url = feedbackUrl(cast);
    const denied = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403, admin: 403 };
    const read = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    const body = { assignmentId, reviewerIds: [rita.memberId] };

    expect(await statusesOf(cast, (c) => c.post(url, body))).toEqual({ ...denied, circleMember: 201 });
    const review = `${url}/${(await cast.circleMember.client.get(url)).body.reviews[0].id}`;
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(read);
    expect(await statusesOf(cast, (c) => c.get(review))).toEqual(read);
    expect(await statusesOf(cast, (c) => c.post(`${review}/answers`, { text: "Mine" }))).toEqual({
      ...denied,
      circleMember: 403,
    });
    expect((await rita.client.post(`${review}/answers`, { text: "Steady work" })).status).toBe(201);
    expect(await statusesOf(cast, (c) => c.get(`${review}/answers`))).toEqual({
      ...denied,
      circleMember: 200,
    });
    expect((await rita.client.get(`${review}/answers`)).status).toBe(200);
    expect(await statusesOf(cast, (c) => c.post(`${review}/plan`, { text: "Keep it steady" }))).toEqual({
      ...denied,
      circleMember: 201,
    });
  });
});
