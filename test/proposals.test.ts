import { describe, expect, it } from "vitest";
import { withTestEnv } from "./support/harness.js";
import { advance, circleStage, logTypes } from "./support/proposals.js";

const env = withTestEnv();

describe("the consent process over HTTP (Sociocracy For All)", () => {
  it("walks draft → present → questions → reactions with a friendly amendment → objection → integration → adoption", async () => {
    const stage = await circleStage(env, 3);
    const { org, author, facilitator, members } = stage;
    const [ben, cat, dan] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    const url = (path = "") => `/orgs/${org.id}/proposals${path}`;

    const drafted = await author.client.post(url(), {
      circleId: stage.circleId,
      title: "Tool library",
      text: "Lend tools from the shed.\nReturn them within a week.",
    });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({
      state: "draft",
      authorId: author.memberId,
      facilitatorIds: [facilitator.memberId],
      method: { kind: "consent" },
      currentVersion: { number: 1, kind: "original" },
      reviewMonths: 6,
      can: { present: true, respond: false },
    });
    const id = drafted.body.id;

    // A draft is the author's (and the facilitator's): other members do not see it yet.
    expect((await ben.client.get(url(`/${id}`))).status).toBe(404);

    await advance(stage, id, "presented");
    await advance(stage, id, "clarifying");
    const q1 = await ben.client.post(url(`/${id}/questions`), { text: "Which tools?" });
    const q2 = await cat.client.post(url(`/${id}/questions`), { text: "Who keeps the key?" });
    expect(q1.status).toBe(201);
    expect(q2.body.questions).toHaveLength(2);
    const [first, second] = q2.body.questions;
    // Only the author answers.
    expect((await ben.client.post(url(`/${id}/questions/${first.id}/answer`), { text: "All." })).status).toBe(
      403,
    );
    await author.client.post(url(`/${id}/questions/${first.id}/answer`), { text: "Hand tools only." });
    const answered = await author.client.post(url(`/${id}/questions/${second.id}/answer`), {
      text: "The secretary.",
    });
    expect(answered.status).toBe(200);
    expect(answered.body.questions.map((q: { answer: { text: string } }) => q.answer.text)).toEqual([
      "Hand tools only.",
      "The secretary.",
    ]);

    await advance(stage, id, "reactions");
    await dan.client.post(url(`/${id}/reactions`), { text: "Love it; say hand tools." });
    const friendly = await facilitator.client.post(url(`/${id}/amendments`), {
      text: "Lend hand tools from the shed.\nReturn them within a week.",
    });
    expect(friendly.status).toBe(201);
    expect(friendly.body.currentVersion).toMatchObject({ number: 2, kind: "friendly" });

    const round1 = await advance(stage, id, "consent_round", { deadline: "2026-03-08T10:00:00Z" });
    expect(round1.round).toMatchObject({ number: 1, version: 2, participants: expect.any(Array) });
    expect(round1.round.participants).toHaveLength(5);

    await author.client.post(url(`/${id}/responses`), { kind: "consent" });
    await facilitator.client.post(url(`/${id}/responses`), { kind: "consent" });
    const concern = await ben.client.post(url(`/${id}/responses`), {
      kind: "consent_with_concern",
      concern: "Tools may come back broken",
    });
    expect(concern.status).toBe(201);
    expect(concern.body).toMatchObject({
      state: "consent_round",
      response: { kind: "consent_with_concern", concern: "Tools may come back broken" },
      round: { number: 1, tally: { responded: 3, consent: 2, consentWithConcern: 1, noResponse: 2 } },
    });
    const objection = await cat.client.post(url(`/${id}/responses`), {
      kind: "object",
      reason: "A week is too long: others wait for the mower",
      suggestedAmendment: "Return them within three days.",
    });
    expect(objection.body.openObjections).toBe(1);
    // A response without a reason is refused and changes nothing.
    const bad = await dan.client.post(url(`/${id}/responses`), { kind: "object" });
    expect(bad.status).toBe(400);
    const closing = await dan.client.post(url(`/${id}/responses`), { kind: "consent" });
    // Everyone has responded: the round closes with the objection open.
    expect(closing.body.state).toBe("objections_open");

    await advance(stage, id, "integrating");
    const integrated = await facilitator.client.post(url(`/${id}/amendments`), {
      text: "Lend hand tools from the shed.\nReturn them within three days.",
    });
    expect(integrated.body.currentVersion).toMatchObject({ number: 3, kind: "integration" });
    const objectionId = integrated.body.objections[0].id;
    const resolved = await facilitator.client.post(url(`/${id}/objections/${objectionId}/resolve`), {
      outcome: "integrated",
      by: "amendment",
      version: 3,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.objections[0]).toMatchObject({
      status: "integrated",
      resolution: { by: "amendment" },
    });

    const round2 = await advance(stage, id, "consent_round");
    expect(round2.round).toMatchObject({ number: 2, version: 3 });
    for (const person of stage.everyone)
      expect((await person.client.post(url(`/${id}/responses`), { kind: "consent" })).status).toBe(201);

    const adopted = await author.client.get(url(`/${id}`));
    expect(adopted.body.state).toBe("adopted");
    expect(adopted.body.decision).toMatchObject({
      version: 3,
      text: "Lend hand tools from the shed.\nReturn them within three days.",
      adoptedAt: "2026-01-05T09:00:00.000Z",
      reviewAt: "2026-07-05T09:00:00.000Z",
      tally: { consent: 5, responded: 5 },
    });

    // The history keeps every version, objection and response.
    expect(adopted.body.versions.map((v: { kind: string }) => v.kind)).toEqual([
      "original",
      "friendly",
      "integration",
    ]);
    expect(adopted.body.rounds.map((r: { responses: unknown[] }) => r.responses.length)).toEqual([5, 5]);
    expect(adopted.body.objections).toHaveLength(1);
    const diff = await ben.client.get(url(`/${id}/diff?from=1&to=3`));
    expect(diff.body.parts).toEqual([
      { op: "delete", text: "Lend tools from the shed.\nReturn them within a week." },
      { op: "insert", text: "Lend hand tools from the shed.\nReturn them within three days." },
    ]);

    const decisions = await ben.client.get(`/orgs/${org.id}/decisions`);
    expect(decisions.body.decisions).toEqual([
      expect.objectContaining({
        proposalId: id,
        title: "Tool library",
        status: "active",
        dueForReview: false,
      }),
    ]);

    expect(await logTypes(env, org.id)).toEqual([
      "proposal.created",
      "proposal.presented",
      "proposal.advanced",
      "proposal.question_asked",
      "proposal.question_asked",
      "proposal.question_answered",
      "proposal.question_answered",
      "proposal.advanced",
      "proposal.reacted",
      "proposal.amended",
      "proposal.round_opened",
      "proposal.responded",
      "proposal.responded",
      "proposal.responded",
      "proposal.responded",
      "objection.raised",
      "proposal.responded",
      "proposal.round_closed",
      "proposal.advanced",
      "proposal.amended",
      "objection.resolved",
      "proposal.round_opened",
      ...Array(5).fill("proposal.responded"),
      "proposal.round_closed",
      "proposal.adopted",
    ]);
  });
});
