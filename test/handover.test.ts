import { describe, expect, it } from "vitest";
import { assignRole, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { statusesOf } from "./support/matrix.js";
import { circleStage, moveClock, type Person } from "./support/proposals.js";

const env = withTestEnv();
const DAY_MS = 86_400_000;
const daysFromNow = (days: number) => new Date(env.clock.now().getTime() + days * DAY_MS);

/** The garden circle's treasurer rotates every 30 days; Fay holds it now, until the 30th day. */
async function handoverStage() {
  const stage = await circleStage(env, 3);
  const roleId = await createRole(env, stage.org, stage.circleId, {
    name: "Treasurer",
    leadership: true,
    fillingPolicy: "rotation",
    termDays: 30,
  });
  const [ben, cat, dan] = stage.members as [Person, Person, Person];
  const fay = stage.facilitator;
  const fayTerm = await assignRole(env, stage.org, roleId, fay.memberId, {
    source: "rotation",
    endsAt: daysFromNow(30),
  });
  const roleUrl = `/orgs/${stage.org.id}/roles/${roleId}`;
  return { ...stage, roleId, roleUrl, fay, fayTerm, ben, cat, dan };
}

type Stage = Awaited<ReturnType<typeof handoverStage>>;

/** Fay leaves notes for whoever comes next. */
async function fayLeavesNotes(stage: Stage, notes = "The bank token is in the blue folder.") {
  const res = await stage.fay.client.patch(`${stage.roleUrl}/assignments/${stage.fayTerm}`, {
    handoverNotes: notes,
  });
  if (res.status !== 200) throw new Error(`notes failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Ben shadows Fay for the rest of her term. */
async function benShadows(stage: Stage) {
  const res = await stage.author.client.post(`${stage.roleUrl}/assignments`, {
    memberId: stage.ben.memberId,
    shadow: true,
    endsAt: daysFromNow(30).toISOString(),
  });
  if (res.status !== 201) throw new Error(`shadow failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const shadowingPart = (candidate: { parts: { factor: string; points: number }[] }) =>
  candidate.parts.find((p) => p.factor === "shadowing");

describe("shadowing", () => {
  it("puts the likely next holder beside the current one, and rotation prefers them", async () => {
    const stage = await handoverStage();
    const shadow = await benShadows(stage);
    expect(shadow).toMatchObject({ memberId: stage.ben.memberId, shadow: true, active: true });
    const role = await stage.cat.client.get(stage.roleUrl);
    expect(role.body.holders).toEqual([
      expect.objectContaining({ memberId: stage.fay.memberId, shadow: false }),
      expect.objectContaining({ memberId: stage.ben.memberId, shadow: true }),
    ]);

    const { ranked } = (await stage.cat.client.get(`${stage.roleUrl}/candidates`)).body;
    const ben = ranked.find((c: { memberId: string }) => c.memberId === stage.ben.memberId);
    expect(shadowingPart(ben)).toMatchObject({
      points: expect.any(Number),
      reason: "Shadowed this role in 2026",
    });
    expect(shadowingPart(ben)?.points).toBeGreaterThan(0);
    for (const other of ranked.filter((c: { memberId: string }) => c.memberId !== stage.ben.memberId))
      expect(shadowingPart(other)).toMatchObject({ points: 0, reason: "Has not shadowed this role" });
    expect(ranked[0].memberId).toBe(stage.ben.memberId);
  });

  it("leaves the shadow out of the handover: they learn beside the holder and hand nothing on", async () => {
    const stage = await handoverStage();
    await benShadows(stage);
    const handover = (await stage.ben.client.get(`${stage.roleUrl}/handover`)).body;
    expect(handover.current.map((a: { memberId: string }) => a.memberId)).toEqual([stage.fay.memberId]);
    expect(handover.next).toEqual([]);
  });
});

describe("handover notes", () => {
  it("reach the next holder: lined up, they read the current holder's; once in, the previous holder's", async () => {
    const stage = await handoverStage();
    await fayLeavesNotes(stage);
    const lined = await stage.author.client.post(`${stage.roleUrl}/assignments`, {
      memberId: stage.cat.memberId,
      startsAt: daysFromNow(30).toISOString(),
      endsAt: daysFromNow(60).toISOString(),
    });
    expect(lined.status).toBe(201);

    const before = (await stage.cat.client.get(`${stage.roleUrl}/handover`)).body;
    expect(before).toMatchObject({
      roleId: stage.roleId,
      previous: null,
      current: [{ memberId: stage.fay.memberId, handoverNotes: "The bank token is in the blue folder." }],
      next: [{ memberId: stage.cat.memberId, startsAt: daysFromNow(30).toISOString() }],
    });

    // Sessions last 30 days: everyone signs in again on the day Cat takes over.
    await moveClock(env, daysFromNow(30).toISOString());
    const after = (await stage.cat.client.get(`${stage.roleUrl}/handover`)).body;
    expect(after.previous).toMatchObject({
      memberId: stage.fay.memberId,
      name: "Fay Facilitator",
      handoverNotes: "The bank token is in the blue folder.",
      active: false,
    });
    expect(after.current).toEqual([
      expect.objectContaining({ memberId: stage.cat.memberId, handoverNotes: "", can: expect.any(Object) }),
    ]);
    expect(after.current[0].can.writeHandoverNotes).toBe(true);
    expect(after.next).toEqual([]);
  });

  it("pass from turn to turn of a rota", async () => {
    const stage = await handoverStage();
    const { ben, cat } = stage;
    await fayLeavesNotes(stage);
    const started = await ben.client.post(`/orgs/${stage.org.id}/rotas`, {
      roleId: stage.roleId,
      order: [ben.memberId, cat.memberId],
    });
    const rota = `/orgs/${stage.org.id}/rotas/${started.body.id}`;
    env.clock.advance(DAY_MS);
    expect((await ben.client.post(`${rota}/turns`)).status).toBe(201);
    const benIn = (await ben.client.get(`${stage.roleUrl}/handover`)).body;
    expect(benIn.previous).toMatchObject({
      memberId: stage.fay.memberId,
      handoverNotes: "The bank token is in the blue folder.",
    });
    expect(benIn.current).toEqual([expect.objectContaining({ memberId: ben.memberId, source: "rotation" })]);

    const benTerm = benIn.current[0].id;
    const noted = await ben.client.patch(`${stage.roleUrl}/assignments/${benTerm}`, {
      handoverNotes: "Invoices go out on Mondays.",
    });
    expect(noted.status).toBe(200);
    env.clock.advance(DAY_MS);
    expect((await cat.client.post(`${rota}/turns`)).status).toBe(201);
    const catIn = (await cat.client.get(`${stage.roleUrl}/handover`)).body;
    expect(catIn.previous).toMatchObject({
      memberId: ben.memberId,
      handoverNotes: "Invoices go out on Mondays.",
    });
    expect(catIn.current).toEqual([expect.objectContaining({ memberId: cat.memberId })]);
  });

  it("is readable by every member of the organisation; an unknown role is not found", async () => {
    const cast = await authorizationCast(env);
    const roleId = await createRole(env, cast.org, cast.circleId, { name: "Host", termDays: 7 });
    await assignRole(env, cast.org, roleId, cast.circleMember.memberId, { endsAt: daysFromNow(7) });
    const url = `/orgs/${cast.org.id}/roles/${roleId}/handover`;
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    });
    expect(
      (await cast.admin.client.get(`/orgs/${cast.org.id}/roles/${env.ctx.newId()}/handover`)).status,
    ).toBe(404);
    expect((await cast.admin.client.get(`/orgs/${cast.org.id}/roles/nope/handover`)).status).toBe(400);
  });
});
