import { describe, expect, it } from "vitest";
import {
  addMember,
  assignRole,
  authorizationCast,
  createCircle,
  createOrg,
  createRole,
  type OrgFixture,
} from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { ACTORS, statusesOf } from "./support/matrix.js";

const env = withTestEnv();

const countAssignments = async (orgId: string) =>
  (await env.db.query<{ n: number }>("SELECT count(*)::int AS n FROM assignments WHERE org_id = $1", [orgId]))
    .rows[0]?.n;

const lastLogEntry = async (orgId: string) =>
  (
    await env.db.query<{ type: string; payload: Record<string, unknown> }>(
      "SELECT type, payload FROM log_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 1",
      [orgId],
    )
  ).rows[0];

async function stage(fields: Parameters<typeof createRole>[3] = {}) {
  const org: OrgFixture = await createOrg(env);
  const ben = await addMember(env, org, "member", "Ben");
  const circleId = await createCircle(env, org, { name: "Finance" });
  const roleId = await createRole(env, org, circleId, fields);
  return { org, ben, circleId, roleId, url: `/orgs/${org.id}/roles/${roleId}/assignments` };
}

describe("recording assignments", () => {
  it("appoints a member for the role's term and shows them as its holder", async () => {
    const { org, ben, roleId, url } = await stage({ fillingPolicy: "election", termDays: 180 });
    const res = await org.admin.post(url, {
      memberId: ben.memberId,
      handoverNotes: "Keys are in the drawer",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      memberId: ben.memberId,
      name: "Ben",
      startsAt: "2026-01-05T09:00:00.000Z",
      endsAt: "2026-07-04T09:00:00.000Z",
      source: "appointment",
      shadow: false,
      handoverNotes: "Keys are in the drawer",
      active: true,
      period: "current",
      can: { end: true, writeHandoverNotes: true },
    });
    const role = await org.admin.get(`/orgs/${org.id}/roles/${roleId}`);
    expect(role.body.holders).toEqual([
      {
        assignmentId: res.body.id,
        memberId: ben.memberId,
        name: "Ben",
        startsAt: "2026-01-05T09:00:00.000Z",
        endsAt: "2026-07-04T09:00:00.000Z",
        shadow: false,
        source: "appointment",
      },
    ]);
    expect(await lastLogEntry(org.id)).toMatchObject({
      type: "assignment.created",
      payload: {
        assignmentId: res.body.id,
        roleId,
        memberId: ben.memberId,
        endsAt: "2026-07-04T09:00:00.000Z",
      },
    });
  });

  it("records a founding holder from the past and an open-ended appointment where the role has no term", async () => {
    const { org, ben, url } = await stage();
    const res = await org.admin.post(url, {
      memberId: ben.memberId,
      source: "founding",
      startsAt: "2025-03-01T00:00:00.000Z",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      source: "founding",
      startsAt: "2025-03-01T00:00:00.000Z",
      endsAt: null,
    });
  });

  it("leaves elections, rotations and crises to their processes and keeps terms sound", async () => {
    const { org, ben, url } = await stage({ fillingPolicy: "election", termDays: 365 });
    for (const source of ["election", "rotation", "crisis"]) {
      const res = await org.admin.post(url, { memberId: ben.memberId, source });
      expect(res.status).toBe(400);
      expect(res.body.error.details.field).toBe("source");
    }
    expect((await org.admin.post(url, { memberId: ben.memberId, endsAt: null })).status).toBe(400);
    expect(
      (await org.admin.post(url, { memberId: ben.memberId, endsAt: "2026-01-01T00:00:00.000Z" })).status,
    ).toBe(400);
    expect((await org.admin.post(url, { memberId: ben.memberId, source: "vote" })).status).toBe(400);
    expect((await org.admin.post(url, { memberId: ben.memberId, colour: "red" })).status).toBe(400);
    expect(await countAssignments(org.id)).toBe(0);
  });

  it("assigns only active members of the organisation", async () => {
    const { org, url } = await stage();
    const other = await createOrg(env, "Other Org");
    const gone = await addMember(env, org, "member", "Gone");
    await env.db.query("UPDATE members SET archived_at = $2 WHERE id = $1", [gone.memberId, env.clock.now()]);
    expect((await org.admin.post(url, { memberId: gone.memberId })).status).toBe(409);
    expect((await org.admin.post(url, { memberId: other.adminMemberId })).status).toBe(404);
    expect((await org.admin.post(url, { memberId: env.ctx.newId() })).status).toBe(404);
    expect(await countAssignments(org.id)).toBe(0);
  });

  it("refuses a member holding the same role twice at once, but allows a shadow and a later term", async () => {
    const { org, ben, url } = await stage({ fillingPolicy: "election", termDays: 30 });
    expect((await org.admin.post(url, { memberId: ben.memberId })).status).toBe(201);
    const twice = await org.admin.post(url, {
      memberId: ben.memberId,
      startsAt: "2026-01-20T00:00:00.000Z",
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.details.memberId).toBe(ben.memberId);
    const cora = await addMember(env, org, "member", "Cora");
    expect((await org.admin.post(url, { memberId: cora.memberId, shadow: true })).status).toBe(201);
    expect((await org.admin.post(url, { memberId: cora.memberId, shadow: true })).status).toBe(409);
    const later = await org.admin.post(url, { memberId: ben.memberId, startsAt: "2026-02-04T09:00:00.000Z" });
    expect(later.status).toBe(201);
    // Judged by the server's clock, so every reader agrees on it.
    expect(later.body).toMatchObject({ active: false, period: "upcoming" });
    expect(await countAssignments(org.id)).toBe(3);
  });

  it("shows the whole history of a role: past, current and future terms", async () => {
    const { org, ben, roleId, url } = await stage();
    await assignRole(env, org, roleId, ben.memberId, {
      startsAt: new Date("2025-01-01T00:00:00Z"),
      endsAt: new Date("2025-07-01T00:00:00Z"),
    });
    await assignRole(env, org, roleId, ben.memberId, { endsAt: new Date("2026-03-01T00:00:00Z") });
    await assignRole(env, org, roleId, ben.memberId, { startsAt: new Date("2026-03-01T00:00:00Z") });
    const res = await ben.client.get(url);
    expect(res.status).toBe(200);
    expect(res.body.assignments.map((a: any) => [a.startsAt.slice(0, 10), a.active])).toEqual([
      ["2026-03-01", false],
      ["2026-01-05", true],
      ["2025-01-01", false],
    ]);
    expect(res.body.assignments[1].can).toEqual({ end: false, writeHandoverNotes: true });
  });

  it("refuses to assign an archived role", async () => {
    const { org, ben, roleId, url } = await stage();
    await env.db.query("UPDATE roles SET archived_at = $2 WHERE id = $1", [roleId, env.clock.now()]);
    expect((await org.admin.post(url, { memberId: ben.memberId })).status).toBe(409);
  });
});

describe("changing assignments", () => {
  it("ends a term early and logs that it ended", async () => {
    const { org, ben, roleId, url } = await stage({ fillingPolicy: "election", termDays: 365 });
    const held = await assignRole(env, org, roleId, ben.memberId, {
      endsAt: new Date("2027-01-05T09:00:00Z"),
      source: "election",
    });
    env.clock.advanceDays(10);
    const res = await org.admin.patch(`${url}/${held}`, { endsAt: "2026-01-15T09:00:00.000Z" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      endsAt: "2026-01-15T09:00:00.000Z",
      active: false,
      period: "ended",
      can: { end: false },
    });
    expect(await lastLogEntry(org.id)).toEqual({
      type: "assignment.ended",
      payload: { assignmentId: held, roleId, memberId: ben.memberId, endsAt: "2026-01-15T09:00:00.000Z" },
    });
    expect((await org.admin.get(`/orgs/${org.id}/roles/${roleId}`)).body.holders).toEqual([]);
    const again = await org.admin.patch(`${url}/${held}`, { endsAt: "2026-02-01T00:00:00.000Z" });
    expect(again.status).toBe(409);
  });

  it("never extends an elected term, while an appointment may be extended", async () => {
    const { org, ben, roleId, url } = await stage({ fillingPolicy: "election", termDays: 365 });
    const elected = await assignRole(env, org, roleId, ben.memberId, {
      endsAt: new Date("2027-01-05T09:00:00Z"),
      source: "election",
    });
    const longer = await org.admin.patch(`${url}/${elected}`, { endsAt: "2027-06-01T00:00:00.000Z" });
    expect(longer.status).toBe(409);
    expect((await org.admin.patch(`${url}/${elected}`, { endsAt: null })).status).toBe(409);
    const shorter = await org.admin.patch(`${url}/${elected}`, { endsAt: "2026-06-01T00:00:00.000Z" });
    expect(shorter.status).toBe(200);
    expect((await lastLogEntry(org.id))?.type).toBe("assignment.updated");

    const cora = await addMember(env, org, "member", "Cora");
    const appointed = await org.admin.post(url, { memberId: cora.memberId });
    const extended = await org.admin.patch(`${url}/${appointed.body.id}`, {
      endsAt: "2027-06-01T00:00:00.000Z",
    });
    expect(extended.status).toBe(200);
    expect(extended.body.endsAt).toBe("2027-06-01T00:00:00.000Z");
    const unbounded = await org.admin.patch(`${url}/${appointed.body.id}`, { endsAt: null });
    expect(unbounded.status).toBe(400);
    expect(
      (await org.admin.patch(`${url}/${appointed.body.id}`, { endsAt: "2026-01-01T00:00:00.000Z" })).status,
    ).toBe(400);
    expect(
      (await org.admin.get(`${url}`)).body.assignments.find((a: any) => a.id === appointed.body.id).endsAt,
    ).toBe("2027-06-01T00:00:00.000Z");
  });

  it("lets the holder write handover notes for the next holder, but not change the term", async () => {
    const { org, ben, roleId, url } = await stage();
    const held = await assignRole(env, org, roleId, ben.memberId);
    const notes = await ben.client.patch(`${url}/${held}`, { handoverNotes: "Invoices go out on the 1st" });
    expect(notes.status).toBe(200);
    expect(notes.body).toMatchObject({ handoverNotes: "Invoices go out on the 1st", can: { end: false } });
    expect((await ben.client.patch(`${url}/${held}`, { endsAt: "2026-02-01T00:00:00.000Z" })).status).toBe(
      403,
    );
    const cora = await addMember(env, org, "member", "Cora");
    expect((await cora.client.patch(`${url}/${held}`, { handoverNotes: "Not mine" })).status).toBe(403);
    expect((await org.admin.get(url)).body.assignments[0]).toMatchObject({
      handoverNotes: "Invoices go out on the 1st",
      endsAt: null,
    });
  });

  it("does not find an assignment through another role", async () => {
    const { org, ben, circleId, roleId, url } = await stage();
    const otherRole = await createRole(env, org, circleId, { name: "Buyer" });
    const held = await assignRole(env, org, roleId, ben.memberId);
    const res = await org.admin.patch(`/orgs/${org.id}/roles/${otherRole}/assignments/${held}`, {
      handoverNotes: "x",
    });
    expect(res.status).toBe(404);
    expect((await org.admin.patch(`${url}/${env.ctx.newId()}`, { handoverNotes: "x" })).status).toBe(404);
  });
});

describe("a member's leadership history", () => {
  it("lists every term the member held, holds or will hold, in any role, newest first, with the role", async () => {
    const { org, ben, circleId, roleId } = await stage({ name: "Treasurer", termDays: 180 });
    const events = await createCircle(env, org, { name: "Events" });
    const hostId = await createRole(env, org, events, { name: "Host", leadership: false });
    const ended = await assignRole(env, org, roleId, ben.memberId, {
      startsAt: new Date("2025-06-01T00:00:00Z"),
      endsAt: new Date("2025-12-01T00:00:00Z"),
    });
    const current = await assignRole(env, org, hostId, ben.memberId, {
      startsAt: new Date("2026-01-01T00:00:00Z"),
    });
    const upcoming = await assignRole(env, org, roleId, ben.memberId, {
      startsAt: new Date("2026-03-01T00:00:00Z"),
      endsAt: new Date("2026-09-01T00:00:00Z"),
    });
    const someoneElse = await addMember(env, org, "member", "Cora");
    await assignRole(env, org, roleId, someoneElse.memberId);

    const res = await ben.client.get(`/orgs/${org.id}/members/${ben.memberId}/assignments`);
    expect(res.status).toBe(200);
    expect(res.body.assignments.map((a: { id: string; period: string }) => [a.id, a.period])).toEqual([
      [upcoming, "upcoming"],
      [current, "current"],
      [ended, "ended"],
    ]);
    expect(res.body.assignments[1]).toMatchObject({
      memberId: ben.memberId,
      active: true,
      role: {
        id: hostId,
        name: "Host",
        leadership: false,
        circleId: events,
        circleName: "Events",
        archived: false,
      },
    });
    expect(res.body.assignments[0].role).toMatchObject({ id: roleId, name: "Treasurer", circleId });

    const nobody = await addMember(env, org, "member", "Dev");
    expect((await ben.client.get(`/orgs/${org.id}/members/${nobody.memberId}/assignments`)).body).toEqual({
      assignments: [],
    });
    expect((await ben.client.get(`/orgs/${org.id}/members/${env.ctx.newId()}/assignments`)).status).toBe(404);
    expect((await ben.client.get(`/orgs/${org.id}/members/not-an-id/assignments`)).status).toBe(400);
  });
});

describe("assignment authorization", () => {
  it("shows a member's leadership history to every member of the organisation, and no one else", async () => {
    const cast = await authorizationCast(env);
    const roleId = await createRole(env, cast.org, cast.circleId);
    await assignRole(env, cast.org, roleId, cast.circleMember.memberId);
    const url = `/orgs/${cast.org.id}/members/${cast.circleMember.memberId}/assignments`;
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    });
  });

  it("shows a role's history to every member of the organisation", async () => {
    const cast = await authorizationCast(env);
    const roleId = await createRole(env, cast.org, cast.circleId);
    expect(await statusesOf(cast, (c) => c.get(`/orgs/${cast.org.id}/roles/${roleId}/assignments`))).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    });
  });

  it("lets the circle's members and admins record and end terms", async () => {
    const cast = await authorizationCast(env);
    const roleId = await createRole(env, cast.org, cast.circleId);
    const url = `/orgs/${cast.org.id}/roles/${roleId}/assignments`;
    const appointees: Record<string, string> = {};
    for (const actor of ACTORS)
      appointees[actor] = (await addMember(env, cast.org, "member", `Appointee for ${actor}`)).memberId;
    const writes = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403 };
    expect(await statusesOf(cast, (c, actor) => c.post(url, { memberId: appointees[actor] }))).toEqual({
      ...writes,
      circleMember: 201,
      admin: 201,
    });
    const held: Record<string, string> = {};
    for (const actor of ACTORS)
      held[actor] = await assignRole(env, cast.org, roleId, cast.outsider.memberId, {
        startsAt: new Date(Date.UTC(2027, ACTORS.indexOf(actor), 1)),
        endsAt: new Date(Date.UTC(2027, ACTORS.indexOf(actor), 20)),
      });
    expect(
      await statusesOf(cast, (c, actor) =>
        c.patch(`${url}/${held[actor]}`, {
          endsAt: `2027-${String(ACTORS.indexOf(actor) + 1).padStart(2, "0")}-10T00:00:00.000Z`,
        }),
      ),
    ).toEqual({ ...writes, circleMember: 200, admin: 200 });
  });
});
