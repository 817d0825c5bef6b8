import { describe, expect, it } from "vitest";
import type { ApiClient, ApiResponse } from "./support/client.js";
import { addMember, assignRole, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import type { Actor } from "./support/matrix.js";
import {
  adoptedProposal,
  advance,
  type CircleStage,
  logLength,
  moveClock,
  type Person,
  proposalInRound,
} from "./support/proposals.js";

const env = withTestEnv();

/**
 * The matrix cast (see `authorizationCast`) with the circle's facilitator and a proposal's author, both
 * in the circle. The admin is not in the circle: being admin gives no say in a circle's process.
 */
async function proposalCast() {
  const cast = await authorizationCast(env);
  const facilitator = await addMember(env, cast.org, "member", "Fay Facilitator");
  const author = await addMember(env, cast.org, "member", "Ann Author");
  for (const { memberId } of [facilitator, author])
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [cast.org.id, cast.circleId, memberId, env.clock.now()],
    );
  const roleId = await createRole(env, cast.org, cast.circleId, { kind: "facilitator", name: "Facilitator" });
  await assignRole(env, cast.org, roleId, facilitator.memberId);
  const stage: CircleStage = {
    org: cast.org,
    circleId: cast.circleId,
    facilitator,
    author,
    members: [cast.circleMember],
    everyone: [facilitator, author, cast.circleMember],
  };
  return { ...cast, facilitator, author, stage };
}
type ProposalCast = Awaited<ReturnType<typeof proposalCast>>;
type Who = Actor | "facilitator" | "author";

const clientOf = (cast: ProposalCast, who: Who): ApiClient =>
  who === "anonymous" || who === "otherOrgAdmin" ? cast[who] : cast[who].client;

/**
 * Runs the same request as each of `order`, one after another, and collects the statuses. Writes put
 * whoever may succeed last, so that those refused meet the proposal as it was.
 */
async function statuses(
  cast: ProposalCast,
  order: readonly Who[],
  call: (client: ApiClient, who: Who) => Promise<ApiResponse>,
) {
  const result: Partial<Record<Who, number>> = {};
  for (const who of order) result[who] = (await call(clientOf(cast, who), who)).status;
  return result;
}

const EVERYONE: Who[] = [
  "anonymous",
  "otherOrgAdmin",
  "observer",
  "outsider",
  "circleMember",
  "admin",
  "facilitator",
  "author",
];
const READS = {
  anonymous: 401,
  otherOrgAdmin: 404,
  observer: 200,
  outsider: 200,
  circleMember: 200,
  admin: 200,
  facilitator: 200,
  author: 200,
};
/** Refused for all but whoever the test names last. */
const REFUSED = {
  anonymous: 401,
  otherOrgAdmin: 404,
  observer: 403,
  outsider: 403,
  circleMember: 403,
  admin: 403,
};

const base = (cast: ProposalCast) => `/orgs/${cast.org.id}/proposals`;

async function draftBy(cast: ProposalCast, fields: Record<string, unknown> = {}) {
  const res = await cast.author.client.post(base(cast), {
    circleId: cast.circleId,
    title: "Tool library",
    text: "Lend tools from the shed.",
    ...fields,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function presented(cast: ProposalCast, to: "presented" | "clarifying" | "reactions" = "presented") {
  const id = await draftBy(cast);
  for (const step of ["presented", "clarifying", "reactions"]) {
    await advance(cast.stage, id, step);
    if (step === to) break;
  }
  return id;
}

describe("who may read proposals", () => {
  it("lets every member of the organisation read presented proposals, their diffs and the list", async () => {
    const cast = await proposalCast();
    const id = await presented(cast);
    expect(await statuses(cast, EVERYONE, (c) => c.get(base(cast)))).toEqual(READS);
    expect(await statuses(cast, EVERYONE, (c) => c.get(`${base(cast)}/${id}`))).toEqual(READS);
    expect(await statuses(cast, EVERYONE, (c) => c.get(`${base(cast)}/${id}/diff?from=1`))).toEqual(READS);
    const listed = await cast.observer.client.get(base(cast));
    expect(listed.body.proposals.map((p: { id: string }) => p.id)).toEqual([id]);
    // Observers read and comment; they never respond.
    const seen = await cast.observer.client.get(`${base(cast)}/${id}`);
    expect(seen.body.can).toMatchObject({ respond: false, advance: false, amend: false, withdraw: false });
  });

  it("keeps a draft to its author and the facilitator, the admin included", async () => {
    const cast = await proposalCast();
    const id = await draftBy(cast);
    const draftOnly = { ...READS, observer: 404, outsider: 404, circleMember: 404, admin: 404 };
    expect(await statuses(cast, EVERYONE, (c) => c.get(`${base(cast)}/${id}`))).toEqual(draftOnly);
    expect(await statuses(cast, EVERYONE, (c) => c.get(`${base(cast)}/${id}/diff?from=1`))).toEqual(
      draftOnly,
    );
    const listedFor = async (who: Who) =>
      (await clientOf(cast, who).get(base(cast))).body.proposals.map((p: { id: string }) => p.id);
    for (const who of ["observer", "outsider", "circleMember", "admin"] as const)
      expect(await listedFor(who)).toEqual([]);
    expect(await listedFor("facilitator")).toEqual([id]);
    expect(await listedFor("author")).toEqual([id]);

    // Writing to a draft one cannot see is "not found" too; only its author revises it.
    expect(
      await statuses(cast, EVERYONE, (c, who) =>
        c.post(`${base(cast)}/${id}/amendments`, { text: `By ${who}` }),
      ),
    ).toEqual({ ...draftOnly, facilitator: 403, author: 201 });
    const order: Who[] = [
      "anonymous",
      "otherOrgAdmin",
      "observer",
      "outsider",
      "circleMember",
      "admin",
      "author",
    ];
    expect(
      await statuses(cast, order, (c) => c.post(`${base(cast)}/${id}/advance`, { to: "presented" })),
    ).toEqual({ ...REFUSED, observer: 404, outsider: 404, circleMember: 404, admin: 404, author: 200 });
  });

  it("shows observers other circles' proposals only where the organisation allows it", async () => {
    const cast = await proposalCast();
    const id = await presented(cast, "clarifying");
    const settings = await cast.admin.client.patch(`/orgs/${cast.org.id}`, {
      settings: { observersReadCircles: false },
    });
    expect(settings.status).toBe(200);
    const observer = cast.observer.client;
    expect((await observer.get(`${base(cast)}/${id}`)).status).toBe(404);
    expect((await observer.get(base(cast))).body.proposals).toEqual([]);
    expect((await observer.post(`${base(cast)}/${id}/questions`, { text: "Why?" })).status).toBe(404);

    // An observer in the circle reads and comments there, and still never responds.
    const inCircle = await addMember(env, cast.org, "observer", "Otto Observer");
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [cast.org.id, cast.circleId, inCircle.memberId, env.clock.now()],
    );
    expect((await inCircle.client.get(`${base(cast)}/${id}`)).status).toBe(200);
    expect((await inCircle.client.post(`${base(cast)}/${id}/questions`, { text: "Why?" })).status).toBe(201);
    await advance(cast.stage, id, "reactions");
    const round = await advance(cast.stage, id, "consent_round", {
      participants: [cast.circleMember.memberId, inCircle.memberId],
    });
    expect(round.round.participants).toContain(inCircle.memberId);
    expect((await inCircle.client.post(`${base(cast)}/${id}/responses`, { kind: "consent" })).status).toBe(
      403,
    );
  });
});

describe("who may move and change a proposal", () => {
  it("lets anyone in the circle draft, and no one else (the admin included)", async () => {
    const cast = await proposalCast();
    const order: Who[] = [...EVERYONE];
    expect(
      await statuses(cast, order, (c, who) =>
        c.post(base(cast), { circleId: cast.circleId, title: `By ${who}`, text: "Text" }),
      ),
    ).toEqual({ ...REFUSED, circleMember: 201, facilitator: 201, author: 201 });
  });

  it("lets only the facilitator advance a presented proposal", async () => {
    const cast = await proposalCast();
    const id = await presented(cast);
    const order: Who[] = [...Object.keys(REFUSED), "author", "facilitator"] as Who[];
    expect(
      await statuses(cast, order, (c) => c.post(`${base(cast)}/${id}/advance`, { to: "clarifying" })),
    ).toEqual({ ...REFUSED, author: 403, facilitator: 200 });
  });

  it("takes clarifying questions and reactions from everyone who reads it; only the author answers", async () => {
    const cast = await proposalCast();
    const id = await presented(cast, "clarifying");
    const comments = {
      ...READS,
      observer: 201,
      outsider: 201,
      circleMember: 201,
      admin: 201,
      facilitator: 201,
      author: 201,
    };
    expect(
      await statuses(cast, EVERYONE, (c, who) =>
        c.post(`${base(cast)}/${id}/questions`, { text: `${who}?` }),
      ),
    ).toEqual(comments);
    const { questions } = (await cast.author.client.get(`${base(cast)}/${id}`)).body;
    expect(questions).toHaveLength(6);
    const order: Who[] = [...Object.keys(REFUSED), "facilitator", "author"] as Who[];
    expect(
      await statuses(cast, order, (c) =>
        c.post(`${base(cast)}/${id}/questions/${questions[0].id}/answer`, { text: "Because." }),
      ),
    ).toEqual({ ...REFUSED, facilitator: 403, author: 200 });

    await advance(cast.stage, id, "reactions");
    expect(
      await statuses(cast, EVERYONE, (c, who) =>
        c.post(`${base(cast)}/${id}/reactions`, { text: `${who} likes it` }),
      ),
    ).toEqual(comments);
  });

  it("lets only the facilitator amend during reactions", async () => {
    const cast = await proposalCast();
    const id = await presented(cast, "reactions");
    const order: Who[] = [...Object.keys(REFUSED), "author", "facilitator"] as Who[];
    expect(
      await statuses(cast, order, (c, who) =>
        c.post(`${base(cast)}/${id}/amendments`, { text: `By ${who}` }),
      ),
    ).toEqual({ ...REFUSED, author: 403, facilitator: 201 });
  });

  it("takes responses from the round's participants only: not observers, outsiders or the admin", async () => {
    const cast = await proposalCast();
    const id = await proposalInRound(cast.stage);
    const order: Who[] = [
      ...Object.keys(REFUSED).filter((w) => w !== "circleMember"),
      "circleMember",
      "facilitator",
      "author",
    ] as Who[];
    expect(
      await statuses(cast, order, (c) => c.post(`${base(cast)}/${id}/responses`, { kind: "consent" })),
    ).toEqual({ ...REFUSED, circleMember: 201, facilitator: 201, author: 201 });
    expect((await cast.author.client.get(`${base(cast)}/${id}`)).body.state).toBe("adopted");
  });

  it("lets the facilitator integrate objections, and only the objector withdraw one", async () => {
    const cast = await proposalCast();
    const id = await proposalInRound(cast.stage);
    const respond = (who: Person, body: object) => who.client.post(`${base(cast)}/${id}/responses`, body);
    await respond(cast.circleMember, { kind: "object", reason: "The shed is locked" });
    await respond(cast.author, { kind: "object", reason: "Tools go missing" });
    await respond(cast.facilitator, { kind: "consent" });
    await advance(cast.stage, id, "integrating");
    const [mine, authors] = (await cast.author.client.get(`${base(cast)}/${id}`)).body.objections;
    const resolve = (objectionId: string, body: object) => (c: ApiClient) =>
      c.post(`${base(cast)}/${id}/objections/${objectionId}/resolve`, body);

    const withdrawOrder: Who[] = [
      "anonymous",
      "otherOrgAdmin",
      "observer",
      "outsider",
      "admin",
      "facilitator",
      "author",
      "circleMember",
    ];
    expect(await statuses(cast, withdrawOrder, resolve(mine.id, { outcome: "withdrawn" }))).toEqual({
      ...REFUSED,
      facilitator: 403,
      author: 403,
      circleMember: 200,
    });
    const integrateOrder: Who[] = [...Object.keys(REFUSED), "author", "facilitator"] as Who[];
    expect(
      await statuses(
        cast,
        integrateOrder,
        resolve(authors.id, { outcome: "integrated", by: "measure", measure: "A sign-out sheet" }),
      ),
    ).toEqual({ ...REFUSED, author: 403, facilitator: 200 });
  });

  it("takes advice from a named adviser or the proposer, and the decision from the proposer alone", async () => {
    const cast = await proposalCast();
    // Advice may come from outside the circle: the outsider is the adviser.
    const id = await draftBy(cast, { method: { kind: "advice", advisers: [cast.outsider.memberId] } });
    expect((await cast.author.client.post(`${base(cast)}/${id}/advance`, { to: "advice" })).status).toBe(200);
    const adviceOrder: Who[] = [
      "anonymous",
      "otherOrgAdmin",
      "observer",
      "circleMember",
      "admin",
      "facilitator",
      "outsider",
      "author",
    ];
    expect(
      await statuses(cast, adviceOrder, (c, who) =>
        c.post(`${base(cast)}/${id}/advice`, { adviserId: cast.outsider.memberId, text: `Noted by ${who}` }),
      ),
    ).toEqual({ ...REFUSED, facilitator: 403, outsider: 201, author: 201 });
    const decideOrder: Who[] = [...Object.keys(REFUSED), "facilitator", "author"] as Who[];
    expect(
      await statuses(cast, decideOrder, (c) =>
        c.post(`${base(cast)}/${id}/decision`, { outcome: "proceed", rationale: "Heard" }),
      ),
    ).toEqual({ ...REFUSED, facilitator: 403, author: 200 });
  });
});

describe("who may read and review decisions", () => {
  it("opens decisions and attention to every member; a review to those in the circle", async () => {
    const cast = await proposalCast();
    const decisionId = await adoptedProposal(cast.stage, { reviewMonths: 1 });
    const decisions = `/orgs/${cast.org.id}/decisions`;
    expect(await statuses(cast, EVERYONE, (c) => c.get(decisions))).toEqual(READS);
    expect(await statuses(cast, EVERYONE, (c) => c.get(`${decisions}/${decisionId}`))).toEqual(READS);
    expect(await statuses(cast, EVERYONE, (c) => c.get(`/orgs/${cast.org.id}/attention`))).toEqual(READS);

    await moveClock(env, "2026-02-05T09:00:00.000Z");
    const order: Who[] = [
      "anonymous",
      "otherOrgAdmin",
      "observer",
      "outsider",
      "admin",
      "circleMember",
      "facilitator",
    ];
    // Once the circle member has opened the review, the next one is a conflict.
    expect(
      await statuses(cast, order, (c) => c.post(`${decisions}/${decisionId}/review`, { intent: "keep" })),
    ).toEqual({ ...REFUSED, circleMember: 201, facilitator: 409 });
  });
});

describe("bad input", () => {
  /** Each body is refused as invalid, and neither the proposal (as its author reads it) nor the log changes. */
  async function refusedUnchanged(
    cast: ProposalCast,
    id: string,
    who: Person,
    path: string,
    bodies: unknown[],
  ) {
    const before = (await cast.author.client.get(`${base(cast)}/${id}`)).body;
    const entries = await logLength(env, cast.org.id);
    for (const body of bodies) {
      const res = await who.client.post(`${base(cast)}/${id}${path}`, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status: 400,
        code: "validation_failed",
      });
    }
    expect((await cast.author.client.get(`${base(cast)}/${id}`)).body).toEqual(before);
    expect(await logLength(env, cast.org.id)).toBe(entries);
  }

  it("refuses a draft with an unknown, missing, mistyped or blank field and writes nothing", async () => {
    const cast = await proposalCast();
    const valid = { circleId: cast.circleId, title: "Tool library", text: "Lend tools." };
    const entries = await logLength(env, cast.org.id);
    for (const body of [
      { ...valid, colour: "red" },
      { circleId: cast.circleId, text: "Lend tools." },
      { ...valid, title: 7 },
      { ...valid, title: "" },
      { ...valid, title: "   " },
      { ...valid, circleId: "not-a-uuid" },
      { ...valid, method: { kind: "advice", advisers: [] } },
      { ...valid, method: { kind: "advice", advisers: [cast.author.memberId] } },
      { ...valid, reviewMonths: 0 },
      { ...valid, quorum: { kind: "at_least_percent", percent: 101 } },
    ]) {
      const res = await cast.author.client.post(base(cast), body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status: 400,
        code: "validation_failed",
      });
    }
    const { rows } = await env.db.query("SELECT 1 FROM proposals WHERE org_id = $1", [cast.org.id]);
    expect(rows).toHaveLength(0);
    expect(await logLength(env, cast.org.id)).toBe(entries);
  });

  it("refuses bad advances, questions, answers, reactions and amendments, leaving the proposal as it was", async () => {
    const cast = await proposalCast();
    const id = await presented(cast, "clarifying");
    await cast.circleMember.client.post(`${base(cast)}/${id}/questions`, { text: "Which tools?" });
    const [question] = (await cast.author.client.get(`${base(cast)}/${id}`)).body.questions;

    await refusedUnchanged(cast, id, cast.facilitator, "/advance", [
      { to: "adopted" },
      { to: "reactions", colour: "red" },
      {},
      { to: "reactions", deadline: "tomorrow" },
      { to: "reactions", deadline: "2025-01-01T00:00:00Z" },
      { to: "reactions", participants: [] },
    ]);
    await refusedUnchanged(cast, id, cast.circleMember, "/questions", [
      {},
      { text: "" },
      { text: "   " },
      { text: 42 },
      { text: "Why?", urgent: true },
    ]);
    await refusedUnchanged(cast, id, cast.author, `/questions/${question.id}/answer`, [
      { text: "  " },
      { answer: "All of them" },
      { text: ["All"] },
    ]);

    await advance(cast.stage, id, "reactions");
    await refusedUnchanged(cast, id, cast.circleMember, "/reactions", [
      { text: "Nice", mood: "happy" },
      { text: "\n" },
    ]);
    await refusedUnchanged(cast, id, cast.facilitator, "/amendments", [
      { text: "   " },
      // The same text again is no amendment.
      { text: "Lend tools from the shed." },
      { version: 2 },
    ]);
  });

  it("refuses bad responses and resolutions, leaving the round and objections as they were", async () => {
    const cast = await proposalCast();
    const id = await proposalInRound(cast.stage);
    await refusedUnchanged(cast, id, cast.circleMember, "/responses", [
      { kind: "object" },
      { kind: "object", reason: "  " },
      { kind: "consent_with_concern", concern: "" },
      { kind: "consent_with_concern", concern: " " },
      { kind: "maybe" },
      { kind: "consent", note: "fine" },
      // A vote or a block has no place in a consent round.
      { kind: "vote", choice: "yes" },
      { kind: "block", reason: "No" },
    ]);
    await cast.circleMember.client.post(`${base(cast)}/${id}/responses`, {
      kind: "object",
      reason: "Locked shed",
    });
    await cast.author.client.post(`${base(cast)}/${id}/responses`, { kind: "consent" });
    await cast.facilitator.client.post(`${base(cast)}/${id}/responses`, { kind: "consent" });
    await advance(cast.stage, id, "integrating");
    const [objection] = (await cast.author.client.get(`${base(cast)}/${id}`)).body.objections;
    await refusedUnchanged(cast, id, cast.facilitator, `/objections/${objection.id}/resolve`, [
      { outcome: "integrated" },
      { outcome: "integrated", by: "amendment", version: "2" },
      { outcome: "integrated", by: "measure", measure: "   " },
      { outcome: "integrated", by: "shorter_term", reviewMonths: 0 },
      { outcome: "overruled", circleConsent: { consentedBy: [], record: "We agreed" } },
      { outcome: "settled" },
    ]);
  });

  it("refuses bad advice, decisions and reviews", async () => {
    const cast = await proposalCast();
    const id = await draftBy(cast, { method: { kind: "advice", advisers: [cast.circleMember.memberId] } });
    await cast.author.client.post(`${base(cast)}/${id}/advance`, { to: "advice" });
    await refusedUnchanged(cast, id, cast.circleMember, "/advice", [
      {},
      { text: "   " },
      { text: "Go", adviserId: "not-a-uuid" },
      { text: "Go", adviserId: cast.author.memberId, extra: 1 },
    ]);
    await cast.circleMember.client.post(`${base(cast)}/${id}/advice`, { text: "Go ahead" });
    await refusedUnchanged(cast, id, cast.author, "/decision", [
      { outcome: "maybe", rationale: "Hmm" },
      { outcome: "proceed" },
      { outcome: "proceed", rationale: "  " },
      { outcome: "proceed", rationale: 1 },
    ]);

    const decisionId = await adoptedProposal(cast.stage, { reviewMonths: 1 });
    await moveClock(env, "2026-02-05T09:00:00.000Z");
    const entries = await logLength(env, cast.org.id);
    for (const body of [
      {},
      { intent: "delete" },
      { intent: "keep", reviewMonths: 0 },
      { intent: "amend", text: "" },
      { intent: "amend", text: "   " },
      { intent: "keep", note: "x" },
    ]) {
      const res = await cast.circleMember.client.post(
        `/orgs/${cast.org.id}/decisions/${decisionId}/review`,
        body,
      );
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status: 400,
        code: "validation_failed",
      });
    }
    expect(await logLength(env, cast.org.id)).toBe(entries);
    const decision = await cast.circleMember.client.get(`/orgs/${cast.org.id}/decisions/${decisionId}`);
    expect(decision.body).toMatchObject({ openReview: null, can: { review: true } });
  });
});
