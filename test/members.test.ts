import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertKeepsAnAdmin, cleanProfile, invitationState } from "../src/core/members.js";
import { signUpClient } from "./support/client.js";
import { addMember, assignRole, authorizationCast, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { orgStatusesOf } from "./support/matrix.js";

const env = withTestEnv();

const logOf = async (orgId: string) =>
  (
    await env.db.query<{ type: string; actor: string | null; payload: Record<string, any> }>(
      "SELECT type, actor, payload FROM log_entries WHERE org_id = $1 ORDER BY seq",
      [orgId],
    )
  ).rows;

describe("listing members", () => {
  it("lists active members by name with their profile summary, filtered by access and name", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/members`;
    await env.db.query("UPDATE members SET archived_at = $3 WHERE org_id = $1 AND id = $2", [
      cast.org.id,
      cast.outsider.memberId,
      env.clock.now(),
    ]);

    const all = await cast.observer.client.get(base);
    expect(all.status).toBe(200);
    expect(all.body.members.map((m: any) => m.name)).toEqual(["Ada Admin", "Cora Circle", "Olive Observer"]);
    expect(all.body.total).toBe(3);
    expect(all.body.members[0]).toMatchObject({
      access: "admin",
      hasAccount: true,
      skills: [],
      archivedAt: null,
    });
    expect(all.body.members[2].can).toEqual({
      updateProfile: true,
      changeAccess: false,
      archive: false,
      inviteToClaim: false,
    });
    expect(all.body.can).toEqual({ add: false, invite: false });

    const names = async (query: string) =>
      (await cast.admin.client.get(`${base}?${query}`)).body.members.map((m: any) => m.name);
    expect(await names("access=observer")).toEqual(["Olive Observer"]);
    expect(await names("q=CORA")).toEqual(["Cora Circle"]);
    expect(await names("q=%25")).toEqual([]);
    expect(await names("includeArchived=true")).toContain("Nina Nonmember");
    expect(await names("limit=1&offset=1")).toEqual(["Cora Circle"]);
  });

  it("lets everyone in the organisation read the list, and no one else", async () => {
    const cast = await authorizationCast(env);
    expect(await orgStatusesOf(cast, (c) => c.get(`/orgs/${cast.org.id}/members`))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 200,
      member: 200,
      admin: 200,
    });
  });

  it("rejects unknown filters and out-of-range paging", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/members`;
    expect((await cast.admin.client.get(`${base}?access=boss`)).status).toBe(400);
    expect((await cast.admin.client.get(`${base}?limit=0`)).status).toBe(400);
    expect((await cast.admin.client.get(`${base}?colour=red`)).status).toBe(400);
  });
});

describe("a member's profile", () => {
  it("shows the profile, the circles they are in and the roles they hold now", async () => {
    const cast = await authorizationCast(env);
    const cora = cast.circleMember.memberId;
    const treasurer = await createRole(env, cast.org, cast.circleId, { name: "Treasurer" });
    const facilitator = await createRole(env, cast.org, cast.circleId, {
      name: "Facilitator",
      kind: "facilitator",
      fillingPolicy: "election",
      termDays: 180,
    });
    const since = env.clock.now();
    const until = new Date(since.getTime() + 180 * 86_400_000);
    await assignRole(env, cast.org, treasurer, cora, { startsAt: new Date(since.getTime() - 86_400_000) });
    await assignRole(env, cast.org, facilitator, cora, { startsAt: since, endsAt: until, shadow: true });
    await assignRole(env, cast.org, facilitator, cora, {
      startsAt: new Date("2025-01-01T00:00:00Z"),
      endsAt: new Date("2025-06-01T00:00:00Z"),
    });
    await cast.circleMember.client.patch(`/orgs/${cast.org.id}/members/${cora}`, {
      skills: [{ skill: "Bookkeeping", level: 4 }],
      interests: ["gardening"],
      hoursAvailable: 6,
      mentoringOffered: ["bookkeeping"],
      mentoringWanted: ["facilitation"],
    });

    const res = await cast.observer.client.get(`/orgs/${cast.org.id}/members/${cora}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: cora,
      name: "Cora Circle",
      access: "member",
      joinedAt: since.toISOString(),
      archivedAt: null,
      profile: {
        skills: [{ skill: "Bookkeeping", level: 4 }],
        interests: ["gardening"],
        hoursAvailable: 6,
        mentoringOffered: ["bookkeeping"],
        mentoringWanted: ["facilitation"],
      },
      circles: [{ id: cast.circleId, name: "Operations", kind: "circle", since: since.toISOString() }],
    });
    expect(res.body.assignments).toEqual([
      expect.objectContaining({
        role: { id: treasurer, name: "Treasurer" },
        circle: { id: cast.circleId, name: "Operations" },
        until: null,
        shadow: false,
      }),
      expect.objectContaining({
        role: { id: facilitator, name: "Facilitator" },
        since: since.toISOString(),
        until: until.toISOString(),
        shadow: true,
      }),
    ]);
    expect(res.body.can).toEqual({
      updateProfile: false,
      changeAccess: false,
      archive: false,
      inviteToClaim: false,
    });
    const asSelf = await cast.circleMember.client.get(`/orgs/${cast.org.id}/members/${cora}`);
    expect(asSelf.body.can.updateProfile).toBe(true);
    const asAdmin = await cast.admin.client.get(`/orgs/${cast.org.id}/members/${cora}`);
    expect(asAdmin.body.can).toEqual({
      updateProfile: false,
      changeAccess: true,
      archive: true,
      inviteToClaim: false,
    });
  });

  it("is readable inside the organisation only; ids of other organisations are not found", async () => {
    const cast = await authorizationCast(env);
    const path = `/orgs/${cast.org.id}/members/${cast.circleMember.memberId}`;
    expect(await orgStatusesOf(cast, (c) => c.get(path))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 200,
      member: 200,
      admin: 200,
    });
    const otherOrgs = (await cast.otherOrgAdmin.get("/orgs")).body.orgs[0];
    expect(
      (await cast.otherOrgAdmin.get(`/orgs/${otherOrgs.id}/members/${cast.circleMember.memberId}`)).status,
    ).toBe(404);
    expect((await cast.admin.client.get(`/orgs/${cast.org.id}/members/${crypto.randomUUID()}`)).status).toBe(
      404,
    );
    expect((await cast.admin.client.get(`/orgs/${cast.org.id}/members/not-an-id`)).status).toBe(400);
  });
});

describe("editing a profile", () => {
  it("lets a member edit their own name and profile, logging only what changed", async () => {
    const cast = await authorizationCast(env);
    const cora = cast.circleMember;
    const path = `/orgs/${cast.org.id}/members/${cora.memberId}`;
    const edit = {
      name: "  Cora C.  ",
      skills: [{ skill: " Facilitation ", level: 3 }],
      hoursAvailable: 4.5,
    };

    const res = await cora.client.patch(path, edit);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Cora C.",
      profile: { skills: [{ skill: "Facilitation", level: 3 }], hoursAvailable: 4.5, interests: [] },
    });
    expect((await cora.client.patch(path, { ...edit, interests: [] })).status).toBe(200);
    const updates = (await logOf(cast.org.id)).filter((e) => e.type === "member.updated");
    expect(updates).toEqual([
      {
        type: "member.updated",
        actor: cora.memberId,
        payload: {
          memberId: cora.memberId,
          name: "Cora C.",
          skills: [{ skill: "Facilitation", level: 3 }],
          hoursAvailable: 4.5,
        },
      },
    ]);
  });

  it("refuses an invalid profile and changes nothing", async () => {
    const cast = await authorizationCast(env);
    const cora = cast.circleMember;
    const path = `/orgs/${cast.org.id}/members/${cora.memberId}`;
    const before = (await cora.client.get(path)).body;
    const entries = (await logOf(cast.org.id)).length;
    const invalid = [
      { skills: [{ skill: "Cooking", level: 6 }] },
      {
        skills: [
          { skill: "Cooking", level: 2 },
          { skill: "cooking ", level: 3 },
        ],
      },
      { skills: [{ skill: "Cooking", level: 2, years: 3 }] },
      { interests: ["Birds", " birds"] },
      { mentoringWanted: [""] },
      { hoursAvailable: 200 },
      { hoursAvailable: "10" },
      { name: "   " },
      { name: "x".repeat(101) },
      { colour: "red" },
      {},
    ];
    for (const body of invalid) {
      const res = await cora.client.patch(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    // A valid edit bundled with a change the member may not make is refused as a whole.
    expect((await cora.client.patch(path, { name: "Cora", access: "admin" })).status).toBe(403);
    expect((await cora.client.get(path)).body).toEqual(before);
    expect((await logOf(cast.org.id)).length).toBe(entries);
  });

  it("lets only the member edit their own profile — not even an admin edits someone else's", async () => {
    const cast = await authorizationCast(env);
    const path = `/orgs/${cast.org.id}/members/${cast.circleMember.memberId}`;
    expect(await orgStatusesOf(cast, (c) => c.patch(path, { interests: ["sailing"] }))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 403,
    });
    expect((await cast.circleMember.client.patch(path, { interests: ["sailing"] })).status).toBe(200);
    // An observer's profile is their own to keep current.
    const observerPath = `/orgs/${cast.org.id}/members/${cast.observer.memberId}`;
    expect((await cast.observer.client.patch(observerPath, { hoursAvailable: 2 })).status).toBe(200);
  });
});

describe("recording a member who is not online", () => {
  it("lets an admin add a member record without an account, logged as a join", async () => {
    const cast = await authorizationCast(env);
    const body = { name: "Grandpa Joe", access: "observer", skills: [{ skill: "Carpentry", level: 5 }] };
    expect(await orgStatusesOf(cast, (c) => c.post(`/orgs/${cast.org.id}/members`, body))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 201,
    });
    const list = await cast.admin.client.get(`/orgs/${cast.org.id}/members?q=grandpa`);
    expect(list.body.members).toHaveLength(1);
    const joe = list.body.members[0];
    expect(joe).toMatchObject({ access: "observer", hasAccount: false, skills: body.skills });
    expect(joe.can.inviteToClaim).toBe(true);
    expect((await logOf(cast.org.id)).at(-1)).toEqual({
      type: "member.joined",
      actor: cast.admin.memberId,
      payload: {
        memberId: joe.id,
        name: "Grandpa Joe",
        access: "observer",
        via: "added_by_admin",
        skills: body.skills,
      },
    });
  });

  it("refuses an invalid record and creates nothing", async () => {
    const cast = await authorizationCast(env);
    const admin = cast.admin.client;
    const path = `/orgs/${cast.org.id}/members`;
    expect((await admin.post(path, {})).status).toBe(400);
    expect((await admin.post(path, { name: "Joe", access: "boss" })).status).toBe(400);
    expect((await admin.post(path, { name: "Joe", skills: [{ skill: "A", level: 0 }] })).status).toBe(400);
    expect((await admin.post(path, { name: "Joe", interests: ["x", "X"] })).status).toBe(400);
    expect((await admin.post(path, { name: "Joe", userId: crypto.randomUUID() })).status).toBe(400);
    expect((await admin.get(`${path}?q=joe`)).body.members).toEqual([]);
  });
});

describe("access", () => {
  it("lets an admin change a member's access, logged with before and after", async () => {
    const cast = await authorizationCast(env);
    const nina = cast.outsider;
    const path = `/orgs/${cast.org.id}/members/${nina.memberId}`;
    expect(await orgStatusesOf(cast, (c) => c.patch(path, { access: "observer" }))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 200,
    });
    expect((await nina.client.get(`/orgs/${cast.org.id}`)).body.me.access).toBe("observer");
    expect((await logOf(cast.org.id)).at(-1)).toEqual({
      type: "member.access_changed",
      actor: cast.admin.memberId,
      payload: { memberId: nina.memberId, from: "member", to: "observer" },
    });
  });

  it("keeps at least one admin who can log in", async () => {
    const cast = await authorizationCast(env);
    const admin = cast.admin;
    const self = `/orgs/${cast.org.id}/members/${admin.memberId}`;
    await admin.client.post(`/orgs/${cast.org.id}/members`, { name: "Offline Admin", access: "admin" });

    const refused = await admin.client.patch(self, { access: "member" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ activeAdmins: 1 });
    expect((await admin.client.get(self)).body.access).toBe("admin");

    await admin.client.patch(`/orgs/${cast.org.id}/members/${cast.outsider.memberId}`, { access: "admin" });
    const stepDown = await admin.client.patch(self, { access: "member" });
    expect(stepDown.status).toBe(200);
    expect(stepDown.body.can.changeAccess).toBe(false);
    const nina = cast.outsider.client;
    const last = await nina.patch(`/orgs/${cast.org.id}/members/${cast.outsider.memberId}`, {
      access: "observer",
    });
    expect(last.status).toBe(409);
  });

  it("lets only one of two admins demoting each other at once succeed", async () => {
    const cast = await authorizationCast(env);
    const second = await addMember(env, cast.org, "admin", "Bea Admin");
    const [a, b] = await Promise.all([
      cast.admin.client.patch(`/orgs/${cast.org.id}/members/${second.memberId}`, { access: "member" }),
      second.client.patch(`/orgs/${cast.org.id}/members/${cast.admin.memberId}`, { access: "member" }),
    ]);
    // Whoever is second finds they are no longer an admin.
    expect([a.status, b.status].sort()).toEqual([200, 403]);
    const admins = await env.db.query("SELECT id FROM members WHERE org_id = $1 AND access = 'admin'", [
      cast.org.id,
    ]);
    expect(admins.rows).toHaveLength(1);
  });
});

describe("archiving", () => {
  it("ends the member's circle memberships and roles at that moment, and logs each", async () => {
    const cast = await authorizationCast(env);
    const cora = cast.circleMember;
    const role = await createRole(env, cast.org, cast.circleId, { name: "Treasurer" });
    const held = await assignRole(env, cast.org, role, cora.memberId, { startsAt: env.clock.now() });
    const later = new Date(env.clock.now().getTime() + 30 * 86_400_000);
    const upcoming = await assignRole(env, cast.org, role, cora.memberId, { startsAt: later, shadow: true });
    env.clock.advanceDays(10);
    const now = env.clock.now();
    const path = `/orgs/${cast.org.id}/members/${cora.memberId}`;

    expect(await orgStatusesOf(cast, (c) => c.patch(path, { archived: true }))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 200,
    });
    const archived = await cast.admin.client.get(path);
    expect(archived.body).toMatchObject({ archivedAt: now.toISOString(), circles: [], assignments: [] });
    expect(archived.body.can).toEqual({
      updateProfile: false,
      changeAccess: false,
      archive: false,
      inviteToClaim: false,
    });

    const ends = await env.db.query<{ id: string; ends_at: Date }>(
      "SELECT id, ends_at FROM assignments WHERE org_id = $1 ORDER BY starts_at",
      [cast.org.id],
    );
    expect(ends.rows).toEqual([
      { id: held, ends_at: now },
      { id: upcoming, ends_at: later },
    ]);
    const left = await env.db.query<{ left_at: Date }>(
      "SELECT left_at FROM circle_members WHERE member_id = $1",
      [cora.memberId],
    );
    expect(left.rows).toEqual([{ left_at: now }]);
    expect((await logOf(cast.org.id)).slice(-4).map((e) => [e.type, e.payload])).toEqual([
      [
        "circle.member_removed",
        { circleId: cast.circleId, memberId: cora.memberId, reason: "member_archived" },
      ],
      [
        "assignment.ended",
        {
          assignmentId: held,
          roleId: role,
          memberId: cora.memberId,
          endsAt: now.toISOString(),
          reason: "member_archived",
        },
      ],
      [
        "assignment.ended",
        {
          assignmentId: upcoming,
          roleId: role,
          memberId: cora.memberId,
          endsAt: later.toISOString(),
          reason: "member_archived",
        },
      ],
      ["member.archived", { memberId: cora.memberId }],
    ]);

    expect((await cora.client.get(`/orgs/${cast.org.id}`)).status).toBe(404);
    const names = (await cast.admin.client.get(`/orgs/${cast.org.id}/members`)).body.members.map(
      (m: any) => m.name,
    );
    expect(names).not.toContain("Cora Circle");
    expect((await cast.admin.client.patch(path, { archived: true })).status).toBe(403);
  });

  it("does not let an admin archive themselves", async () => {
    const cast = await authorizationCast(env);
    const self = `/orgs/${cast.org.id}/members/${cast.admin.memberId}`;
    expect((await cast.admin.client.patch(self, { archived: true })).status).toBe(403);
    expect((await cast.admin.client.patch(self, { archived: false })).status).toBe(400);
    expect((await cast.admin.client.get(self)).body.archivedAt).toBeNull();
  });
});

it("keeps the governance log verifiable through member changes", async () => {
  const owner = await signUpClient(env.server, "Owner");
  const org = (await owner.post("/orgs", { name: "Chain Co-op" })).body;
  await owner.post(`/orgs/${org.id}/members`, { name: "Joe" });
  await owner.patch(`/orgs/${org.id}/members/${org.me.memberId}`, { interests: ["chains"] });
  const { verifyOrgLog } = await import("../src/db/log.js");
  expect(await verifyOrgLog(env.db, org.id)).toMatchObject({ ok: true, entries: 4 });
});

describe("membership rules (core)", () => {
  it("keeps a profile's names trimmed and refuses one named twice in any case", () => {
    expect(cleanProfile({ skills: [{ skill: " Baking ", level: 2 }], interests: [" bees"] })).toEqual({
      skills: [{ skill: "Baking", level: 2 }],
      interests: ["bees"],
    });
    expect(() => cleanProfile({ mentoringOffered: ["Bees", "bees "] })).toThrow(/listed twice/);
  });

  it("never lets the last admin go, whatever they become", () => {
    for (const to of ["member", "observer", "archived"] as const)
      expect(() => assertKeepsAnAdmin(1, { from: "admin", to })).toThrow(/at least one admin/);
    expect(() => assertKeepsAnAdmin(2, { from: "admin", to: "archived" })).not.toThrow();
    expect(() => assertKeepsAnAdmin(1, { from: "member", to: "observer" })).not.toThrow();
  });

  it("holds an unused invitation open exactly until it expires", () => {
    const expiresAt = new Date("2026-02-01T00:00:00Z");
    fc.assert(
      fc.property(fc.integer({ min: -1e10, max: 1e10 }), (offsetMs) => {
        const now = new Date(expiresAt.getTime() + offsetMs);
        const state = invitationState({ expiresAt, revokedAt: null, acceptedAt: null }, now);
        expect(state).toBe(offsetMs < 0 ? "open" : "expired");
        const used = invitationState({ expiresAt, revokedAt: null, acceptedAt: new Date(0) }, now);
        expect(used).toBe("accepted");
      }),
    );
  });
});
