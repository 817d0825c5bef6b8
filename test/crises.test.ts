import { describe, expect, it } from "vitest";
import { crisisAttention, endCrisesPastTheirTime } from "../src/app/crises.js";
import { loadViewer } from "../src/app/viewer.js";
import { addMember, assignRole, authorizationCast, createCircle, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { ACTORS, statusesOf } from "./support/matrix.js";
import {
  adoptedProposal,
  type CircleStage,
  circleStage,
  logLength,
  type Person,
  proposalInRound,
} from "./support/proposals.js";

const env = withTestEnv();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An end time `days` from the test clock's now. */
const inDays = (days: number) => new Date(env.clock.now().getTime() + days * DAY).toISOString();

/** The garden circle, with a second leader (the author, as secretary) beside the facilitator. */
async function crisisStage() {
  const stage = await circleStage(env, 3);
  const secretary = await createRole(env, stage.org, stage.circleId, {
    kind: "secretary",
    name: "Secretary",
  });
  await assignRole(env, stage.org, secretary, stage.author.memberId);
  const [ben, cat, dan] = stage.members as [Person, Person, Person];
  return { ...stage, ben, cat, dan };
}

type Stage = Awaited<ReturnType<typeof crisisStage>>;

const crisesUrl = (stage: CircleStage) => `/orgs/${stage.org.id}/crises`;

/** Ben holds crisis authority, granted by a consent the circle adopted. */
async function grantedByConsent(stage: Stage, fields: Record<string, unknown> = {}) {
  const proposalId = await adoptedProposal(stage, { title: "Crisis authority for Ben" });
  const res = await stage.author.client.post(crisesUrl(stage), {
    circleId: stage.circleId,
    holderId: stage.ben.memberId,
    scope: "Keep the greenhouse alive through the frost",
    endsAt: inDays(7),
    grant: { by: "consent", proposalId },
    ...fields,
  });
  if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { crisisId: res.body.id as string, proposalId, body: res.body };
}

/** Ben holds crisis authority, granted at once by the facilitator and the secretary. */
async function grantedExpedited(stage: Stage, endsAt = inDays(7)) {
  const res = await stage.facilitator.client.post(crisesUrl(stage), {
    circleId: stage.circleId,
    holderId: stage.ben.memberId,
    scope: "Keep the greenhouse alive through the frost",
    endsAt,
    grant: { by: "expedited", grantedBy: [stage.facilitator.memberId, stage.author.memberId] },
  });
  if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

const crisisTypes = async (orgId: string) =>
  (
    await env.db.query<{ type: string }>(
      "SELECT type FROM log_entries WHERE org_id = $1 AND type LIKE 'crisis.%' ORDER BY seq",
      [orgId],
    )
  ).rows.map((r) => r.type);

const decide = (stage: Stage, crisisId: string, who: Person, text = "Buy two heaters") =>
  who.client.post(`${crisesUrl(stage)}/${crisisId}/decisions`, { text });

async function attentionOf(stage: CircleStage, person: Person) {
  const { org, viewer } = await loadViewer(
    env.db,
    stage.org.id,
    person.client.user?.id ?? "",
    env.clock.now(),
  );
  return crisisAttention(env.db, org, viewer, env.clock.now());
}

describe("granting crisis authority", () => {
  it("by consent: the holder records decisions without a round, logged and visible to everyone", async () => {
    const stage = await crisisStage();
    const { crisisId, proposalId, body } = await grantedByConsent(stage);
    expect(body).toMatchObject({
      holderId: stage.ben.memberId,
      grant: { by: "consent", proposalId },
      state: "active",
      activeNow: true,
      endsAt: "2026-01-12T09:00:00.000Z",
      countdownMs: 7 * DAY,
      ratifyBy: null,
      decisions: [],
    });

    const recorded = await decide(stage, crisisId, stage.ben);
    expect(recorded.status).toBe(201);
    expect(recorded.body.decisions).toEqual([
      expect.objectContaining({ text: "Buy two heaters", by: stage.ben.memberId, status: "in_force" }),
    ]);
    expect(recorded.body.can).toMatchObject({ recordDecision: true, proposeExtension: true });
    expect((await decide(stage, crisisId, stage.cat)).status).toBe(403);

    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const seen = await observer.client.get(`${crisesUrl(stage)}/${crisisId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.decisions).toHaveLength(1);
    expect(seen.body.can).toEqual({
      recordDecision: false,
      release: false,
      proposeRatification: false,
      proposeExtension: false,
      proposeDecisionReview: false,
    });
    expect(await crisisTypes(stage.org.id)).toEqual(["crisis.granted", "crisis.decision_recorded"]);
  });

  it("by consent needs an adopted proposal of the same circle, used once", async () => {
    const stage = await crisisStage();
    const grant = (proposalId: string, circleId = stage.circleId) =>
      stage.author.client.post(crisesUrl(stage), {
        circleId,
        holderId: stage.ben.memberId,
        scope: "Frost",
        endsAt: inDays(3),
        grant: { by: "consent", proposalId },
      });
    const inRound = await proposalInRound(stage);
    expect((await grant(inRound)).status).toBe(409);
    const kitchen = await createCircle(env, stage.org, {
      name: "Kitchen",
      memberIds: stage.everyone.map((p) => p.memberId),
    });
    const kitchenStage = { ...stage, circleId: kitchen, facilitator: stage.author };
    const kitchenConsent = await adoptedProposal(kitchenStage);
    expect((await grant(kitchenConsent)).body.error).toMatchObject({
      code: "validation_failed",
      details: { field: "proposalId" },
    });
    const { proposalId } = await grantedByConsent(stage);
    expect((await grant(proposalId)).status).toBe(409);
    expect(await crisisTypes(stage.org.id)).toEqual(["crisis.granted"]);
  });

  it("expedited: two of the circle's leaders grant it, the caller one of them", async () => {
    const stage = await crisisStage();
    const expedited = (who: Person, grantedBy: string[]) =>
      who.client.post(crisesUrl(stage), {
        circleId: stage.circleId,
        holderId: stage.ben.memberId,
        scope: "Frost",
        endsAt: inDays(3),
        grant: { by: "expedited", grantedBy },
      });
    const { facilitator, author, cat } = stage;
    expect((await expedited(facilitator, [facilitator.memberId, cat.memberId])).status).toBe(403);
    expect((await expedited(cat, [facilitator.memberId, author.memberId])).status).toBe(403);
    expect((await expedited(facilitator, [facilitator.memberId, facilitator.memberId])).status).toBe(400);
    const granted = await expedited(author, [facilitator.memberId, author.memberId]);
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      grant: { by: "expedited", grantedBy: [facilitator.memberId, author.memberId] },
      ratifyBy: "2026-01-08T09:00:00.000Z",
      endsAt: "2026-01-08T09:00:00.000Z",
      grantedUntil: "2026-01-08T09:00:00.000Z",
      can: { proposeRatification: true, proposeExtension: false },
    });
    expect(await attentionOf(stage, cat)).toEqual([
      expect.objectContaining({
        kind: "ratify_crisis_grant",
        crisisId: granted.body.id,
        circleId: stage.circleId,
        due: new Date("2026-01-08T09:00:00.000Z"),
      }),
    ]);
  });

  it("an expedited grant not ratified within 72 hours ends by itself", async () => {
    const stage = await crisisStage();
    const crisisId = await grantedExpedited(stage);
    expect((await decide(stage, crisisId, stage.ben, "Close the doors")).status).toBe(201);
    env.clock.advance(72 * HOUR);

    const refused = await decide(stage, crisisId, stage.ben);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ endReason: "unratified" });
    const late = await adoptedProposal(stage, { title: "Ratify Ben's crisis authority" });
    expect(
      (await stage.cat.client.post(`${crisesUrl(stage)}/${crisisId}/ratify`, { proposalId: late })).status,
    ).toBe(409);
    const seen = await stage.cat.client.get(`${crisesUrl(stage)}/${crisisId}`);
    expect(seen.body).toMatchObject({
      activeNow: false,
      state: "under_review",
      endReason: "unratified",
      countdownMs: 0,
      decisions: [expect.objectContaining({ status: "awaiting_ratification" })],
    });
  });

  it("an expedited grant ratified by consent lasts to its end time", async () => {
    const stage = await crisisStage();
    const crisisId = await grantedExpedited(stage);
    const ratify = (proposalId: string) =>
      stage.cat.client.post(`${crisesUrl(stage)}/${crisisId}/ratify`, { proposalId });
    expect((await ratify(await proposalInRound(stage))).status).toBe(409);
    const consent = await adoptedProposal(stage, { title: "Ratify Ben's crisis authority" });
    const ratified = await ratify(consent);
    expect(ratified.status).toBe(200);
    expect(ratified.body).toMatchObject({
      ratification: { proposalId: consent },
      endsAt: "2026-01-12T09:00:00.000Z",
      can: { proposeRatification: false, proposeExtension: true },
    });
    expect((await ratify(consent)).status).toBe(409);
    env.clock.advance(5 * DAY);
    expect((await decide(stage, crisisId, stage.ben)).status).toBe(201);
    expect(await attentionOf(stage, stage.cat)).toEqual([]);
  });
});

describe("the end of crisis authority", () => {
  it("refuses a decision after the end time, with no sweeper run", async () => {
    const stage = await crisisStage();
    const { crisisId } = await grantedByConsent(stage, { endsAt: inDays(2) });
    expect((await decide(stage, crisisId, stage.ben)).status).toBe(201);
    env.clock.advance(2 * DAY);

    const refused = await decide(stage, crisisId, stage.ben, "One more thing");
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "invalid_transition",
      details: { endReason: "expired" },
    });
    expect(await crisisTypes(stage.org.id)).toEqual(["crisis.granted", "crisis.decision_recorded"]);
    const seen = await stage.ben.client.get(`${crisesUrl(stage)}/${crisisId}`);
    expect(seen.body).toMatchObject({ activeNow: false, state: "under_review", endNotedAt: null });
  });

  it("is released early by the holder or the facilitator, noting the end at once", async () => {
    const stage = await crisisStage();
    const { crisisId } = await grantedByConsent(stage);
    const releaseBy = (who: Person) => who.client.post(`${crisesUrl(stage)}/${crisisId}/release`);
    expect((await releaseBy(stage.cat)).status).toBe(403);
    env.clock.advance(HOUR);
    const released = await releaseBy(stage.facilitator);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({
      activeNow: false,
      state: "closed",
      endReason: "released",
      endsAt: "2026-01-05T10:00:00.000Z",
      release: { by: stage.facilitator.memberId },
      endNotedAt: "2026-01-05T10:00:00.000Z",
    });
    expect((await releaseBy(stage.ben)).status).toBe(409);
    expect((await decide(stage, crisisId, stage.ben)).status).toBe(409);
    expect(await crisisTypes(stage.org.id)).toEqual(["crisis.granted", "crisis.released", "crisis.ended"]);
    expect(await endCrisesPastTheirTime(env.ctx)).toBe(0);
  });

  it("is extended only by a fresh adopted consent, within the organisation's limit", async () => {
    const stage = await crisisStage();
    const { crisisId, proposalId } = await grantedByConsent(stage, { endsAt: inDays(2) });
    const extend = (body: object) => stage.cat.client.post(`${crisesUrl(stage)}/${crisisId}/extend`, body);
    expect((await extend({ proposalId, endsAt: inDays(5) })).status).toBe(409);
    expect((await extend({ proposalId: await proposalInRound(stage), endsAt: inDays(5) })).status).toBe(409);
    const consent = await adoptedProposal(stage, { title: "Extend Ben's crisis authority" });
    expect((await extend({ proposalId: consent, endsAt: inDays(15) })).status).toBe(400);
    const extended = await extend({ proposalId: consent, endsAt: inDays(5) });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({
      endsAt: "2026-01-10T09:00:00.000Z",
      extensions: [{ proposalId: consent, previousEndsAt: "2026-01-07T09:00:00.000Z" }],
    });
    expect((await extend({ proposalId: consent, endsAt: inDays(6) })).status).toBe(409);
    env.clock.advance(3 * DAY);
    expect((await decide(stage, crisisId, stage.ben)).status).toBe(201);
    expect(await crisisTypes(stage.org.id)).toEqual([
      "crisis.granted",
      "crisis.extended",
      "crisis.decision_recorded",
    ]);
  });

  it("asks the circle to ratify or revoke each crisis decision by consent", async () => {
    const stage = await crisisStage();
    const { crisisId } = await grantedByConsent(stage, { endsAt: inDays(1) });
    const heaters = (await decide(stage, crisisId, stage.ben, "Buy two heaters")).body.decisions[0].id;
    const doors = (await decide(stage, crisisId, stage.ben, "Lock the doors")).body.decisions[1].id;
    const resolve = (decisionId: string, body: object) =>
      stage.cat.client.post(`${crisesUrl(stage)}/${crisisId}/decisions/${decisionId}/resolve`, body);
    const early = await adoptedProposal(stage, { title: "Ratify the heaters" });
    expect((await resolve(heaters, { outcome: "ratified", proposalId: early })).status).toBe(409);
    expect(await attentionOf(stage, stage.cat)).toEqual([]);

    env.clock.advance(DAY);
    expect(await attentionOf(stage, stage.cat)).toEqual([
      expect.objectContaining({
        kind: "ratify_crisis_decision",
        crisisId,
        reason: "2 crisis decisions wait for the circle to ratify or revoke them by consent",
      }),
    ]);
    expect(
      (await resolve(heaters, { outcome: "ratified", proposalId: await proposalInRound(stage) })).status,
    ).toBe(409);
    expect((await resolve(env.ctx.newId(), { outcome: "ratified", proposalId: early })).status).toBe(404);
    const ratified = await resolve(heaters, { outcome: "ratified", proposalId: early });
    expect(ratified.status).toBe(200);
    expect(ratified.body.state).toBe("under_review");
    expect((await resolve(heaters, { outcome: "revoked", proposalId: early })).status).toBe(409);
    const review = await adoptedProposal(stage, { title: "Revoke the lock" });
    const revoked = await resolve(doors, { outcome: "revoked", proposalId: review });
    expect(revoked.body).toMatchObject({
      state: "closed",
      decisions: [
        { id: heaters, status: "ratified", resolution: { outcome: "ratified", proposalId: early } },
        { id: doors, status: "revoked", resolution: { outcome: "revoked", proposalId: review } },
      ],
    });
    expect(await attentionOf(stage, stage.cat)).toEqual([]);
  });

  it("logs crisis.ended once however many sweeps run, concurrently or not", async () => {
    const stage = await crisisStage();
    const { crisisId } = await grantedByConsent(stage, { endsAt: inDays(1) });
    const second = await grantedExpedited(stage, inDays(7));
    await decide(stage, crisisId, stage.ben);
    expect(await endCrisesPastTheirTime(env.ctx)).toBe(0);

    env.clock.advance(DAY);
    expect(await Promise.all([endCrisesPastTheirTime(env.ctx), endCrisesPastTheirTime(env.ctx)])).toEqual(
      expect.arrayContaining([0, 1]),
    );
    expect(await endCrisesPastTheirTime(env.ctx)).toBe(0);
    env.clock.advance(3 * DAY);
    expect(await Promise.all([endCrisesPastTheirTime(env.ctx), endCrisesPastTheirTime(env.ctx)])).toEqual(
      expect.arrayContaining([0, 1]),
    );
    const ended = await env.db.query<{
      payload: { crisisId: string; reason: string; decisionsToRatify: string[] };
    }>("SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'crisis.ended' ORDER BY seq", [
      stage.org.id,
    ]);
    expect(ended.rows.map((r) => r.payload)).toEqual([
      expect.objectContaining({
        crisisId,
        reason: "expired",
        openReflection: true,
        decisionsToRatify: [expect.any(String)],
      }),
      expect.objectContaining({ crisisId: second, reason: "unratified", decisionsToRatify: [] }),
    ]);
    const seen = await stage.ben.client.get(`${crisesUrl(stage)}/${crisisId}`);
    expect(seen.body.endNotedAt).toBe("2026-01-06T09:00:00.000Z");
  });
});

describe("the crisis list", () => {
  it("shows active crises first and filters by circle and state", async () => {
    const stage = await crisisStage();
    const older = await grantedExpedited(stage, inDays(2));
    const { crisisId: later } = await grantedByConsent(stage, { endsAt: inDays(9) });
    const { crisisId: sooner } = await grantedByConsent(stage, { endsAt: inDays(4) });
    env.clock.advance(3 * DAY);
    const ids = async (query = "") => {
      const res = await stage.cat.client.get(`${crisesUrl(stage)}${query}`);
      expect(res.status).toBe(200);
      return res.body.crises.map((c: { id: string }) => c.id);
    };
    expect(await ids()).toEqual([sooner, later, older]);
    expect(await ids("?state=active")).toEqual([sooner, later]);
    expect(await ids("?state=closed")).toEqual([older]);
    expect(await ids("?state=under_review")).toEqual([]);
    expect(await ids(`?circleId=${env.ctx.newId()}`)).toEqual([]);
    expect(await ids(`?circleId=${stage.circleId}&limit=1`)).toEqual([sooner]);
    expect((await stage.cat.client.get(`${crisesUrl(stage)}?state=ended`)).status).toBe(400);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await crisisStage();
    const { crisisId } = await grantedByConsent(stage);
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const before = await logLength(env, stage.org.id);
    const snapshot = (await stage.ben.client.get(`${crisesUrl(stage)}/${crisisId}`)).body;
    const consent = await adoptedProposal(stage, { title: "Grant" });
    const afterAdoption = await logLength(env, stage.org.id);
    expect(afterAdoption).toBeGreaterThan(before);
    const valid = {
      circleId: stage.circleId,
      holderId: stage.cat.memberId,
      scope: "Frost",
      endsAt: inDays(3),
      grant: { by: "consent", proposalId: consent },
    };
    const grants = [
      { ...valid, extra: true },
      { ...valid, circleId: "not-a-uuid" },
      { ...valid, scope: "" },
      { ...valid, scope: "   " },
      { ...valid, endsAt: "tomorrow" },
      { ...valid, endsAt: inDays(-1) },
      { ...valid, endsAt: inDays(14.01) },
      { ...valid, holderId: observer.memberId },
      { ...valid, holderId: env.ctx.newId() },
      { ...valid, grant: { by: "consent" } },
      { ...valid, grant: { by: "decree", proposalId: consent } },
      { ...valid, grant: { by: "expedited", grantedBy: [stage.facilitator.memberId] } },
    ];
    for (const body of grants) {
      const res = await stage.author.client.post(crisesUrl(stage), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const base = `${crisesUrl(stage)}/${crisisId}`;
    const writes: [Person, string, object, number][] = [
      [stage.ben, "decisions", { text: "" }, 400],
      [stage.ben, "decisions", { text: "  " }, 400],
      [stage.ben, "decisions", { text: 42 }, 400],
      [stage.ben, "decisions", { text: "Heaters", extra: 1 }, 400],
      [stage.cat, "extend", { proposalId: consent, endsAt: inDays(1) }, 400],
      [stage.cat, "extend", { proposalId: consent }, 400],
      [stage.cat, "ratify", { proposalId: consent }, 409],
      [stage.cat, "ratify", { proposalId: "nope" }, 400],
      [stage.cat, `decisions/${env.ctx.newId()}/resolve`, { outcome: "kept", proposalId: consent }, 400],
    ];
    for (const [who, path, body, status] of writes)
      expect((await who.client.post(`${base}/${path}`, body)).status, `${path} ${JSON.stringify(body)}`).toBe(
        status,
      );
    expect((await stage.ben.client.get(`${crisesUrl(stage)}/${env.ctx.newId()}`)).status).toBe(404);
    expect((await stage.ben.client.post(`${crisesUrl(stage)}/${env.ctx.newId()}/release`)).status).toBe(404);
    expect(await logLength(env, stage.org.id)).toBe(afterAdoption);
    expect((await stage.ben.client.get(base)).body).toEqual(snapshot);
    expect((await stage.ben.client.get(crisesUrl(stage))).body.crises).toHaveLength(1);
  });
});

describe("crisis authorization", () => {
  /** The cast's circle with the circle member as its facilitator and a second leader (not in the matrix). */
  async function crisisCast() {
    const cast = await authorizationCast(env);
    const leo = await addMember(env, cast.org, "member", "Leo Leader");
    const facilitator = await createRole(env, cast.org, cast.circleId, {
      kind: "facilitator",
      name: "Facilitator",
    });
    const secretary = await createRole(env, cast.org, cast.circleId, {
      kind: "secretary",
      name: "Secretary",
    });
    await assignRole(env, cast.org, facilitator, cast.circleMember.memberId);
    await assignRole(env, cast.org, secretary, leo.memberId);
    const circle: CircleStage = {
      org: cast.org,
      circleId: cast.circleId,
      facilitator: cast.circleMember,
      author: cast.circleMember,
      members: [],
      everyone: [cast.circleMember],
    };
    const url = `/orgs/${cast.org.id}/crises`;
    /** An expedited grant to the circle member, who holds it. */
    const expedited = async () => {
      const res = await cast.circleMember.client.post(url, {
        circleId: cast.circleId,
        holderId: cast.circleMember.memberId,
        scope: "Flood",
        endsAt: inDays(3),
        grant: { by: "expedited", grantedBy: [cast.circleMember.memberId, leo.memberId] },
      });
      if (res.status !== 201) throw new Error(`grant failed: ${JSON.stringify(res.body)}`);
      return `${url}/${res.body.id}`;
    };
    return { cast, circle, url, expedited };
  }

  const denied = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403 };

  it("shows crises to every member of the organisation", async () => {
    const { cast, url, expedited } = await crisisCast();
    const crisis = await expedited();
    const ok = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(ok);
    expect(await statusesOf(cast, (c) => c.get(crisis))).toEqual(ok);
  });

  it("lets only those who take part in the circle grant, and only the holder decide", async () => {
    const { cast, circle, url, expedited } = await crisisCast();
    const consent = await adoptedProposal(circle);
    const grant = {
      circleId: cast.circleId,
      holderId: cast.circleMember.memberId,
      scope: "Flood",
      endsAt: inDays(3),
      grant: { by: "consent", proposalId: consent },
    };
    expect(await statusesOf(cast, (c) => c.post(url, grant))).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
    const crisis = await expedited();
    expect(
      await statusesOf(cast, (c, actor) => c.post(`${crisis}/decisions`, { text: `By ${actor}` })),
    ).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
    const crises: Record<string, string> = {};
    for (const actor of ACTORS) crises[actor] = await expedited();
    expect(await statusesOf(cast, (c, actor) => c.post(`${crises[actor]}/release`))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
  });

  it("lets only those who take part in the circle record its consent to ratify, extend or judge", async () => {
    const { cast, circle, expedited } = await crisisCast();
    const crisis = await expedited();
    const ratification = await adoptedProposal(circle);
    expect(await statusesOf(cast, (c) => c.post(`${crisis}/ratify`, { proposalId: ratification }))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
    const extension = await adoptedProposal(circle);
    expect(
      await statusesOf(cast, (c) => c.post(`${crisis}/extend`, { proposalId: extension, endsAt: inDays(5) })),
    ).toEqual({ ...denied, circleMember: 200, admin: 403 });
    const decided = await cast.circleMember.client.post(`${crisis}/decisions`, { text: "Sandbags" });
    const decision = decided.body.decisions[0].id;
    env.clock.advance(5 * DAY);
    const judgement = await adoptedProposal(circle);
    expect(
      await statusesOf(cast, (c) =>
        c.post(`${crisis}/decisions/${decision}/resolve`, { outcome: "ratified", proposalId: judgement }),
      ),
    ).toEqual({ ...denied, circleMember: 200, admin: 403 });
  });
});
