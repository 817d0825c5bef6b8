import { describe, expect, it } from "vitest";
import { signUpClient } from "./support/client.js";
import { authorizationCast } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { type Cast, orgStatusesOf } from "./support/matrix.js";

const env = withTestEnv();

const logOf = async (orgId: string) =>
  (
    await env.db.query<{ type: string; actor: string | null; payload: Record<string, any> }>(
      "SELECT type, actor, payload FROM log_entries WHERE org_id = $1 ORDER BY seq",
      [orgId],
    )
  ).rows;

const memberCount = async (orgId: string) =>
  (await env.db.query("SELECT id FROM members WHERE org_id = $1", [orgId])).rows.length;

async function invite(cast: Cast, body: Record<string, unknown> = {}) {
  const res = await cast.admin.client.post(`/orgs/${cast.org.id}/invitations`, body);
  if (res.status !== 201) throw new Error(`invite failed: ${JSON.stringify(res.body)}`);
  return res.body as { invitation: { id: string }; token: string; url: string };
}

describe("inviting", () => {
  it("shows the token once, keeps only its hash, and lets anyone with the link preview the offer", async () => {
    const cast = await authorizationCast(env);
    await cast.admin.client.patch(`/orgs/${cast.org.id}`, { purpose: "Keep the river clean" });
    const res = await cast.admin.client.post(`/orgs/${cast.org.id}/invitations`, {
      access: "observer",
      note: "Come and watch our meetings",
    });
    expect(res.status).toBe(201);
    const { invitation, token, url } = res.body;
    expect(url).toBe(`/join/${token}`);
    const expiresAt = new Date(env.clock.now().getTime() + 14 * 86_400_000).toISOString();
    expect(invitation).toMatchObject({
      access: "observer",
      note: "Come and watch our meetings",
      memberId: null,
      state: "open",
      createdBy: cast.admin.memberId,
      expiresAt,
      can: { revoke: true },
    });

    const stored = await env.db.query<{ token_hash: string }>("SELECT token_hash FROM invitations");
    expect(stored.rows[0]?.token_hash).not.toContain(token);
    const listed = await cast.admin.client.get(`/orgs/${cast.org.id}/invitations`);
    expect(listed.body.invitations).toEqual([invitation]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(await logOf(cast.org.id))).not.toContain(token);
    expect((await logOf(cast.org.id)).at(-1)).toEqual({
      type: "invitation.created",
      actor: cast.admin.memberId,
      payload: {
        invitationId: invitation.id,
        access: "observer",
        memberId: null,
        note: "Come and watch our meetings",
        expiresAt,
      },
    });

    const preview = await cast.anonymous.get(`/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      org: { name: "River Co-op", purpose: "Keep the river clean" },
      access: "observer",
      note: "Come and watch our meetings",
      memberName: null,
      expiresAt,
      state: "open",
    });
  });

  it("lets only admins invite, see and revoke invitations", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/invitations`;
    expect(await orgStatusesOf(cast, (c) => c.post(base, { access: "member" }))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 201,
    });
    expect(await orgStatusesOf(cast, (c) => c.get(base))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 200,
    });
    const { invitation } = await invite(cast);
    expect(await orgStatusesOf(cast, (c) => c.post(`${base}/${invitation.id}/revoke`))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 200,
    });
    expect((await cast.admin.client.get(base)).body.invitations).toHaveLength(2);
  });

  it("refuses a malformed invitation and creates nothing", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/invitations`;
    const admin = cast.admin.client;
    expect((await admin.post(base, { access: "boss" })).status).toBe(400);
    expect((await admin.post(base, { memberId: "joe" })).status).toBe(400);
    expect((await admin.post(base, { note: "x".repeat(1001) })).status).toBe(400);
    expect((await admin.post(base, { expiresInDays: 90 })).status).toBe(400);
    expect((await admin.post(base, { memberId: crypto.randomUUID() })).status).toBe(404);
    expect((await admin.get(base)).body.invitations).toEqual([]);
    expect((await cast.anonymous.get("/invitations/pi_unknown-token")).status).toBe(404);
    expect((await cast.anonymous.get("/invitations/bad!token")).status).toBe(400);
  });
});

describe("accepting", () => {
  it("lets a signed-in person join with the access offered, logged as a join", async () => {
    const cast = await authorizationCast(env);
    const { invitation, token } = await invite(cast, { access: "observer" });
    expect((await cast.anonymous.post(`/invitations/${token}/accept`)).status).toBe(401);

    const newcomer = await signUpClient(env.server, "Nora Newcomer");
    const res = await newcomer.post(`/invitations/${token}/accept`);
    expect(res.status).toBe(200);
    expect(res.body.org).toEqual({ id: cast.org.id, slug: cast.org.slug, name: "River Co-op" });
    expect(res.body.member).toMatchObject({ name: "Nora Newcomer", access: "observer", hasAccount: true });
    const memberId = res.body.member.id;
    expect((await newcomer.get("/orgs")).body.orgs).toEqual([
      expect.objectContaining({ id: cast.org.id, memberId }),
    ]);
    expect((await logOf(cast.org.id)).at(-1)).toEqual({
      type: "member.joined",
      actor: memberId,
      payload: {
        memberId,
        name: "Nora Newcomer",
        access: "observer",
        via: "invitation",
        invitationId: invitation.id,
      },
    });

    const listed = (await cast.admin.client.get(`/orgs/${cast.org.id}/invitations`)).body.invitations[0];
    expect(listed).toMatchObject({ state: "accepted", acceptedBy: memberId, can: { revoke: false } });
    expect((await cast.anonymous.get(`/invitations/${token}`)).body.state).toBe("accepted");

    const again = await signUpClient(env.server, "Late Larry");
    const used = await again.post(`/invitations/${token}/accept`);
    expect(used.status).toBe(409);
    expect(used.body.error.details).toEqual({ state: "accepted" });
  });

  it("refuses someone who is already a member and leaves the invitation open", async () => {
    const cast = await authorizationCast(env);
    const { token } = await invite(cast);
    const entries = (await logOf(cast.org.id)).length;
    const res = await cast.outsider.client.post(`/invitations/${token}/accept`);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ memberId: cast.outsider.memberId });
    expect((await cast.anonymous.get(`/invitations/${token}`)).body.state).toBe("open");
    expect((await logOf(cast.org.id)).length).toBe(entries);
  });

  it("expires after the organisation's invitation days", async () => {
    const cast = await authorizationCast(env);
    await cast.admin.client.patch(`/orgs/${cast.org.id}`, { settings: { invitationDays: 3 } });
    const { invitation, token } = await invite(cast);
    const newcomer = await signUpClient(env.server, "Slow Sam");

    env.clock.advanceDays(2.9);
    expect((await cast.anonymous.get(`/invitations/${token}`)).body.state).toBe("open");
    env.clock.advanceDays(0.1);
    expect((await cast.anonymous.get(`/invitations/${token}`)).body.state).toBe("expired");
    const late = await newcomer.post(`/invitations/${token}/accept`);
    expect(late.status).toBe(409);
    expect(late.body.error.details).toEqual({ state: "expired" });
    const revoke = await cast.admin.client.post(`/orgs/${cast.org.id}/invitations/${invitation.id}/revoke`);
    expect(revoke.status).toBe(409);
    expect((await newcomer.get("/orgs")).body.orgs).toEqual([]);
  });

  it("cannot be used once revoked", async () => {
    const cast = await authorizationCast(env);
    const { invitation, token } = await invite(cast);
    const revoked = await cast.admin.client.post(`/orgs/${cast.org.id}/invitations/${invitation.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ state: "revoked", revokedAt: env.clock.now().toISOString() });
    expect((await logOf(cast.org.id)).at(-1)).toEqual({
      type: "invitation.revoked",
      actor: cast.admin.memberId,
      payload: { invitationId: invitation.id },
    });
    const newcomer = await signUpClient(env.server, "Rita");
    const res = await newcomer.post(`/invitations/${token}/accept`);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ state: "revoked" });
    const twice = await cast.admin.client.post(`/orgs/${cast.org.id}/invitations/${invitation.id}/revoke`);
    expect(twice.status).toBe(409);
  });

  it("lets exactly one of several people accepting the same link at once join", async () => {
    const cast = await authorizationCast(env);
    const { token } = await invite(cast);
    const before = await memberCount(cast.org.id);
    const people = await Promise.all(
      ["Ann", "Ben", "Cat", "Dan"].map((name) => signUpClient(env.server, name)),
    );
    const results = await Promise.all(people.map((p) => p.post(`/invitations/${token}/accept`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.details.state)).toEqual([
      "accepted",
      "accepted",
      "accepted",
    ]);
    expect(await memberCount(cast.org.id)).toBe(before + 1);
    expect((await logOf(cast.org.id)).filter((e) => e.payload.via === "invitation")).toHaveLength(1);
  });

  it("welcomes back an archived member on their old record", async () => {
    const cast = await authorizationCast(env);
    const nina = cast.outsider;
    await cast.admin.client.patch(`/orgs/${cast.org.id}/members/${nina.memberId}`, { archived: true });
    const { token } = await invite(cast, { access: "observer" });
    const res = await nina.client.post(`/invitations/${token}/accept`);
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ id: nina.memberId, access: "observer", archivedAt: null });
    expect((await logOf(cast.org.id)).at(-1)?.payload).toMatchObject({
      memberId: nina.memberId,
      via: "rejoin",
    });
  });
});

describe("claiming a member record", () => {
  it("lets the person an admin recorded claim that record, keeping its profile", async () => {
    const cast = await authorizationCast(env);
    const recorded = await cast.admin.client.post(`/orgs/${cast.org.id}/members`, {
      name: "Grandpa Joe",
      skills: [{ skill: "Carpentry", level: 5 }],
    });
    const joeId = recorded.body.id;
    const { invitation, token } = await invite(cast, { memberId: joeId });
    expect(invitation).toMatchObject({ memberId: joeId, access: "member" });
    const preview = await cast.anonymous.get(`/invitations/${token}`);
    expect(preview.body).toMatchObject({ memberName: "Grandpa Joe", access: "member" });

    const joe = await signUpClient(env.server, "Joseph Bucket");
    const res = await joe.post(`/invitations/${token}/accept`);
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({
      id: joeId,
      name: "Grandpa Joe",
      hasAccount: true,
      profile: { skills: [{ skill: "Carpentry", level: 5 }] },
      can: { updateProfile: true },
    });
    expect((await logOf(cast.org.id)).at(-1)?.payload).toMatchObject({ memberId: joeId, via: "claim" });

    const again = await cast.admin.client.post(`/orgs/${cast.org.id}/invitations`, { memberId: joeId });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ state: "has_account" });
  });

  it("refuses to offer a record of another organisation, or with a different access", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/invitations`;
    const recorded = await cast.admin.client.post(`/orgs/${cast.org.id}/members`, {
      name: "Joe",
      access: "observer",
    });
    expect((await cast.admin.client.post(base, { memberId: recorded.body.id, access: "admin" })).status).toBe(
      409,
    );
    const otherOrgId = (await cast.otherOrgAdmin.get("/orgs")).body.orgs[0].id;
    const foreign = await cast.otherOrgAdmin.post(`/orgs/${otherOrgId}/invitations`, {
      memberId: recorded.body.id,
    });
    expect(foreign.status).toBe(404);
    expect((await cast.admin.client.get(base)).body.invitations).toEqual([]);
  });

  it("withdraws open invitations to claim a record when it is archived", async () => {
    const cast = await authorizationCast(env);
    const recorded = await cast.admin.client.post(`/orgs/${cast.org.id}/members`, { name: "Joe" });
    const { token } = await invite(cast, { memberId: recorded.body.id });
    await cast.admin.client.patch(`/orgs/${cast.org.id}/members/${recorded.body.id}`, { archived: true });
    expect((await cast.anonymous.get(`/invitations/${token}`)).body.state).toBe("revoked");
    expect((await logOf(cast.org.id)).map((e) => e.type)).toContain("invitation.revoked");
    const joe = await signUpClient(env.server, "Joe");
    expect((await joe.post(`/invitations/${token}/accept`)).status).toBe(409);
    expect(
      (await cast.admin.client.post(`/orgs/${cast.org.id}/invitations`, { memberId: recorded.body.id }))
        .status,
    ).toBe(409);
  });
});
