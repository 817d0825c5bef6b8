import { describe, expect, it } from "vitest";
import { addMember, createCircle } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import {
  adoptedProposal,
  advance,
  type CircleStage,
  circleStage,
  everyoneConsents,
  moveClock,
  openRoundOn,
  type Person,
  proposalInRound,
} from "./support/proposals.js";

const env = withTestEnv();

/** A second circle of the same people, without a facilitator: whoever drafts a proposal there moves it. */
async function kitchenOf(stage: CircleStage, mover: Person): Promise<CircleStage> {
  const circleId = await createCircle(env, stage.org, {
    name: "Kitchen",
    memberIds: stage.everyone.map((p) => p.memberId),
  });
  return { ...stage, circleId, facilitator: mover };
}

const ids = (body: { decisions: { proposalId: string }[] }) => body.decisions.map((d) => d.proposalId).sort();

describe("the decision list", () => {
  it("filters by circle, status and whether a decision is due for review", async () => {
    const stage = await circleStage(env, 3);
    const kitchen = await kitchenOf(stage, stage.author);
    const gardenMonthly = await adoptedProposal(stage, { title: "Water daily", reviewMonths: 1 });
    const gardenYearly = await adoptedProposal(stage, { title: "Compost", reviewMonths: 12 });
    const kitchenMonthly = await adoptedProposal(kitchen, { title: "Wash up", reviewMonths: 1 });
    const list = (query = "") => stage.members[0]?.client.get(`/orgs/${stage.org.id}/decisions${query}`);

    expect(ids((await list())?.body)).toEqual([gardenMonthly, gardenYearly, kitchenMonthly].sort());
    expect((await list("?dueForReview=true"))?.body.decisions).toEqual([]);

    await moveClock(env, "2026-02-05T09:00:00.000Z");
    expect(ids((await list("?dueForReview=true"))?.body)).toEqual([gardenMonthly, kitchenMonthly].sort());
    expect(ids((await list(`?circleId=${stage.circleId}`))?.body)).toEqual(
      [gardenMonthly, gardenYearly].sort(),
    );
    expect((await list(`?circleId=${stage.circleId}&dueForReview=true`))?.body.decisions).toEqual([
      expect.objectContaining({
        proposalId: gardenMonthly,
        title: "Water daily",
        circleName: "Garden",
        status: "active",
        dueForReview: true,
        reviewAt: "2026-02-05T09:00:00.000Z",
        openReview: null,
        can: { review: true },
      }),
    ]);
    expect(ids((await list("?status=active"))?.body)).toHaveLength(3);
    expect((await list("?status=superseded"))?.body.decisions).toEqual([]);
    expect((await list("?status=pending"))?.status).toBe(400);
    const yearly = await list(`/${gardenYearly}`);
    expect(yearly?.body).toMatchObject({
      proposalId: gardenYearly,
      dueForReview: false,
      can: { review: false },
    });
  });
});

describe("reviewing a decision", () => {
  it("keeps other circles' decisions from observers where the organisation says so", async () => {
    const stage = await circleStage(env, 2);
    const decision = await adoptedProposal(stage, { title: "Water daily" });
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const list = () => observer.client.get(`/orgs/${stage.org.id}/decisions`);
    expect(ids((await list()).body)).toEqual([decision]);

    const limited = await stage.org.admin.patch(`/orgs/${stage.org.id}`, {
      settings: { observersReadCircles: false },
    });
    expect(limited.status).toBe(200);
    expect((await list()).body.decisions).toEqual([]);
    expect((await observer.client.get(`/orgs/${stage.org.id}/decisions/${decision}`)).status).toBe(404);
    expect((await stage.members[0]?.client.get(`/orgs/${stage.org.id}/decisions/${decision}`))?.status).toBe(
      200,
    );
  });

  it("opens a linked proposal once it is due; adopting an amendment supersedes the decision", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat] = stage.members as [Person, Person];
    const due = await adoptedProposal(stage, { title: "Water daily", reviewMonths: 1 });
    const notDue = await adoptedProposal(stage, { title: "Compost" });
    await moveClock(env, "2026-02-06T09:00:00.000Z");
    const review = (who: Person, decisionId: string, body: object) =>
      who.client.post(`/orgs/${stage.org.id}/decisions/${decisionId}/review`, body);

    const early = await review(ben, notDue, { intent: "keep" });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("invalid_transition");

    const opened = await review(ben, due, { intent: "amend", text: "Water every other day." });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      state: "draft",
      authorId: ben.memberId,
      circleId: stage.circleId,
      title: "Review: Water daily",
      review: { of: due, intent: "amend" },
      currentVersion: { text: "Water every other day." },
    });
    const reviewId: string = opened.body.id;
    const decision = await cat.client.get(`/orgs/${stage.org.id}/decisions/${due}`);
    expect(decision.body).toMatchObject({ status: "active", openReview: reviewId, can: { review: false } });
    const second = await review(cat, due, { intent: "retire" });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: "conflict", details: { proposalId: reviewId } });

    await openRoundOn(stage, reviewId);
    await everyoneConsents(stage, reviewId);

    const superseded = await cat.client.get(`/orgs/${stage.org.id}/decisions/${due}`);
    expect(superseded.body).toMatchObject({
      status: "superseded",
      reviewedBy: reviewId,
      openReview: null,
      dueForReview: false,
      can: { review: false },
    });
    const replacement = await cat.client.get(`/orgs/${stage.org.id}/decisions/${reviewId}`);
    expect(replacement.body).toMatchObject({
      status: "active",
      text: "Water every other day.",
      review: { of: due, intent: "amend" },
      reviewAt: "2026-08-06T09:00:00.000Z",
    });
    const list = await cat.client.get(`/orgs/${stage.org.id}/decisions?status=superseded`);
    expect(ids(list.body)).toEqual([due]);
    // A superseded decision is not reviewed again.
    expect((await review(ben, due, { intent: "keep" })).status).toBe(409);
  });

  it("opens one review when two members start one at once; adopting a retirement retires the decision", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat] = stage.members as [Person, Person];
    const due = await adoptedProposal(stage, { title: "Water daily", reviewMonths: 1 });
    await moveClock(env, "2026-02-06T09:00:00.000Z");
    const url = `/orgs/${stage.org.id}/decisions/${due}/review`;
    const both = await Promise.all([
      ben.client.post(url, { intent: "retire" }),
      cat.client.post(url, { intent: "retire" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const { rows } = await env.db.query("SELECT id FROM proposals WHERE org_id = $1 AND review_of = $2", [
      stage.org.id,
      due,
    ]);
    expect(rows).toHaveLength(1);

    const opened = both.find((r) => r.status === 201)?.body;
    expect(opened).toMatchObject({ review: { of: due, intent: "retire" }, title: "Review: Water daily" });
    expect(opened.currentVersion.text).toBe('Retire the decision "Water daily".');
    await openRoundOn(stage, opened.id);
    await everyoneConsents(stage, opened.id);

    const retired = await ben.client.get(`/orgs/${stage.org.id}/decisions/${due}`);
    expect(retired.body).toMatchObject({ status: "retired", reviewedBy: opened.id, can: { review: false } });
    const due2 = await ben.client.get(`/orgs/${stage.org.id}/decisions?dueForReview=true`);
    expect(due2.body.decisions).toEqual([]);
  });
});

describe("what needs attention", () => {
  const attention = async (stage: CircleStage, who: Person) => {
    const res = await who.client.get(`/orgs/${stage.org.id}/attention`);
    expect(res.status).toBe(200);
    return res.body.items as { kind: string; proposalId: string | null; decisionId: string | null }[];
  };
  const kindsFor = (items: { kind: string; proposalId: string | null; decisionId: string | null }[]) =>
    items.map((i) => `${i.kind}:${i.proposalId ?? i.decisionId}`).sort();

  it("shows each member what the process waits on them for, and an outsider nothing", async () => {
    const stage = await circleStage(env, 3);
    const [ben, cat, dan] = stage.members as [Person, Person, Person];
    const outsider = await addMember(env, stage.org, "member", "Olga Outsider");
    const observer = await addMember(env, stage.org, "observer", "Oscar Observer");
    const decision = await adoptedProposal(stage, { title: "Water daily", reviewMonths: 1 });

    const round = await proposalInRound(
      stage,
      { title: "Tool library" },
      { deadline: "2026-01-08T09:00:00Z" },
    );
    for (const person of [stage.author, stage.facilitator, ben])
      await person.client.post(`/orgs/${stage.org.id}/proposals/${round}/responses`, { kind: "consent" });

    const drafted = await stage.author.client.post(`/orgs/${stage.org.id}/proposals`, {
      circleId: stage.circleId,
      title: "Seed swap",
      text: "Swap seeds in spring.",
    });
    const questioned: string = drafted.body.id;
    await advance(stage, questioned, "presented");
    await advance(stage, questioned, "clarifying");
    await ben.client.post(`/orgs/${stage.org.id}/proposals/${questioned}/questions`, {
      text: "Which seeds?",
    });

    expect(await attention(stage, cat)).toEqual([
      expect.objectContaining({
        kind: "respond",
        proposalId: round,
        circleId: stage.circleId,
        title: "Tool library",
        due: "2026-01-08T09:00:00.000Z",
      }),
    ]);
    expect(await attention(stage, ben)).toEqual([]);
    expect(kindsFor(await attention(stage, stage.author))).toEqual([`answer_questions:${questioned}`]);
    // The round cannot close yet; the proposal in clarifying can move on.
    expect(kindsFor(await attention(stage, stage.facilitator))).toEqual([`facilitate:${questioned}`]);
    expect(await attention(stage, outsider)).toEqual([]);
    expect(await attention(stage, observer)).toEqual([]);

    // Past the round's deadline and the decision's review date.
    await moveClock(env, "2026-02-05T09:00:00.000Z");
    const facilitating = await attention(stage, stage.facilitator);
    expect(kindsFor(facilitating)).toEqual(
      [`facilitate:${questioned}`, `facilitate:${round}`, `review_decision:${decision}`].sort(),
    );
    expect(facilitating.find((i) => i.proposalId === round)).toMatchObject({
      reason: "Everyone has responded or the deadline has passed: close the round",
    });
    expect(kindsFor(await attention(stage, dan))).toEqual([`review_decision:${decision}`]);
    expect(await attention(stage, outsider)).toEqual([]);
    expect(await attention(stage, observer)).toEqual([]);

    // Once a review is open, the decision stops asking for one.
    await dan.client.post(`/orgs/${stage.org.id}/decisions/${decision}/review`, { intent: "keep" });
    expect(await attention(stage, cat)).toEqual([]);
  });
});
