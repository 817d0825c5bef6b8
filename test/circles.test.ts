import { describe, expect, it } from "vitest";
import { verifyOrgLog } from "../src/db/log.js";
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
import { type Actor, statusesOf } from "./support/matrix.js";

const env = withTestEnv();

const logTypes = async (orgId: string) =>
  (
    await env.db.query<{ type: string }>("SELECT type FROM log_entries WHERE org_id = $1 ORDER BY seq", [
      orgId,
    ])
  ).rows.map((r) => r.type);

const countCircles = async (orgId: string) =>
  (await env.db.query<{ n: number }>("SELECT count(*)::int AS n FROM circles WHERE org_id = $1", [orgId]))
    .rows[0]?.n;

const roleOf = (circle: { roles: { kind: string; id: string }[] }, kind: string) =>
  circle.roles.find((r) => r.kind === kind)?.id as string;

async function postCircle(org: OrgFixture, body: Record<string, unknown>) {
  const res = await org.admin.post(`/orgs/${org.id}/circles`, body);
  if (res.status !== 201) throw new Error(`create circle failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

describe("creating circles", () => {
  it("creates a top-level circle with its elected facilitator role and its first members", async () => {
    const org = await createOrg(env);
    const ben = await addMember(env, org, "member", "Ben");
    const res = await org.admin.post(`/orgs/${org.id}/circles`, {
      name: "General circle",
      aim: "Hold the whole",
      domain: "Strategy",
      memberIds: [ben.memberId, ben.memberId],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "General circle",
      kind: "circle",
      parentId: null,
      aim: "Hold the whole",
      domain: "Strategy",
      mandate: "",
      sunsetAt: null,
      archivedAt: null,
      memberCount: 1,
      members: [{ memberId: ben.memberId, name: "Ben", joinedAt: "2026-01-05T09:00:00.000Z" }],
      children: [],
      link: null,
      can: { update: true, manageMembers: true, createRole: true, archive: true },
    });
    expect(res.body.roles).toEqual([
      {
        id: expect.any(String),
        name: "Facilitator",
        kind: "facilitator",
        leadership: true,
        fillingPolicy: "election",
        termDays: 365,
        holders: [],
      },
    ]);
    expect(await logTypes(org.id)).toEqual([
      "org.created",
      "member.joined",
      "circle.created",
      "role.created",
      "circle.member_added",
    ]);
    expect((await verifyOrgLog(env.db, org.id)).ok).toBe(true);
  });

  it("double-links a child circle: leader chosen by the parent, delegate elected by the child", async () => {
    const org = await createOrg(env);
    const parent = await postCircle(org, { name: "General" });
    const child = await postCircle(org, { name: "Kitchen", parentId: parent.id });
    expect(child.parentId).toBe(parent.id);
    expect(child.roles.map((r: any) => [r.kind, r.fillingPolicy, r.leadership, r.termDays])).toEqual([
      ["facilitator", "election", true, 365],
      ["leader", "appointment", true, 365],
      ["delegate", "election", true, 365],
    ]);
    expect(child.link).toEqual({ leader: null, delegate: null });
    const detail = await org.admin.get(`/orgs/${org.id}/circles/${parent.id}`);
    expect(detail.body.children).toEqual([{ id: child.id, name: "Kitchen", kind: "circle" }]);
  });

  it("keeps a community of practice cross-cutting: no link roles and no domain", async () => {
    const org = await createOrg(env);
    const parent = await postCircle(org, { name: "General" });
    const cop = await postCircle(org, {
      name: "Facilitators",
      kind: "community_of_practice",
      parentId: parent.id,
    });
    expect(cop.roles.map((r: any) => r.kind)).toEqual(["facilitator"]);
    expect(cop.link).toBeNull();
    const withDomain = await org.admin.post(`/orgs/${org.id}/circles`, {
      name: "Budgeting",
      kind: "community_of_practice",
      domain: "The budget",
    });
    expect(withDomain.status).toBe(400);
    expect(withDomain.body.error.details.fields).toEqual(["domain"]);
  });

  it("gives a committee a mandate and a sunset still to come", async () => {
    const org = await createOrg(env);
    const noMandate = await org.admin.post(`/orgs/${org.id}/circles`, {
      name: "Festival",
      kind: "committee",
      sunsetAt: "2026-06-01T00:00:00.000Z",
    });
    expect(noMandate.status).toBe(400);
    const noSunset = await org.admin.post(`/orgs/${org.id}/circles`, {
      name: "Festival",
      kind: "committee",
      mandate: "Run the summer festival",
    });
    expect(noSunset.status).toBe(400);
    const pastSunset = await org.admin.post(`/orgs/${org.id}/circles`, {
      name: "Festival",
      kind: "committee",
      mandate: "Run the summer festival",
      sunsetAt: "2025-12-31T00:00:00.000Z",
    });
    expect(pastSunset.status).toBe(400);
    expect(await countCircles(org.id)).toBe(0);
    const ok = await org.admin.post(`/orgs/${org.id}/circles`, {
      name: "Festival",
      kind: "committee",
      mandate: "Run the summer festival",
      sunsetAt: "2026-06-01T00:00:00.000Z",
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      mandate: "Run the summer festival",
      sunsetAt: "2026-06-01T00:00:00.000Z",
    });
    const dropSunset = await org.admin.patch(`/orgs/${org.id}/circles/${ok.body.id}`, { sunsetAt: null });
    expect(dropSunset.status).toBe(400);
    expect((await org.admin.get(`/orgs/${org.id}/circles/${ok.body.id}`)).body.sunsetAt).toBe(
      "2026-06-01T00:00:00.000Z",
    );
  });

  it("rejects bad input without creating anything or writing to the log", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    const otherCircle = await createCircle(env, other);
    const gone = await addMember(env, org, "member", "Gone");
    await env.db.query("UPDATE members SET archived_at = $2 WHERE id = $1", [gone.memberId, env.clock.now()]);
    const before = await logTypes(org.id);
    const url = `/orgs/${org.id}/circles`;
    expect((await org.admin.post(url, { name: "X", colour: "red" })).status).toBe(400);
    expect((await org.admin.post(url, { name: "" })).status).toBe(400);
    expect((await org.admin.post(url, { name: "X", kind: "tribe" })).status).toBe(400);
    expect((await org.admin.post(url, { name: "X", parentId: "not-a-uuid" })).status).toBe(400);
    expect((await org.admin.post(url, { name: "X", parentId: otherCircle })).status).toBe(404);
    expect((await org.admin.post(url, { name: "X", memberIds: [env.ctx.newId()] })).status).toBe(404);
    expect((await org.admin.post(url, { name: "X", memberIds: [gone.memberId] })).status).toBe(409);
    expect(await countCircles(org.id)).toBe(0);
    expect(await logTypes(org.id)).toEqual(before);
  });
});

describe("reading circles", () => {
  it("lists circles flat with their roles and holders, filtered by kind, parent and archive state", async () => {
    const org = await createOrg(env);
    const ben = await addMember(env, org, "member", "Ben");
    const general = await postCircle(org, { name: "General", memberIds: [ben.memberId] });
    const kitchen = await postCircle(org, { name: "Kitchen", parentId: general.id });
    await postCircle(org, { name: "Cooks", kind: "community_of_practice" });
    const old = await postCircle(org, { name: "Old", parentId: general.id });
    await org.admin.patch(`/orgs/${org.id}/circles/${old.id}`, { archived: true });
    await assignRole(env, org, roleOf(general, "facilitator"), ben.memberId, {
      endsAt: new Date("2026-06-01T00:00:00Z"),
      source: "election",
    });

    const all = await ben.client.get(`/orgs/${org.id}/circles`);
    expect(all.status).toBe(200);
    expect(all.body.circles.map((c: any) => c.name)).toEqual(["Cooks", "General", "Kitchen"]);
    const listed = all.body.circles.find((c: any) => c.id === general.id);
    expect(listed).toMatchObject({ memberCount: 1, can: { update: true } });
    expect(listed.roles[0].holders).toEqual([
      {
        assignmentId: expect.any(String),
        memberId: ben.memberId,
        name: "Ben",
        startsAt: "2026-01-05T09:00:00.000Z",
        endsAt: "2026-06-01T00:00:00.000Z",
        shadow: false,
        source: "election",
      },
    ]);
    expect(all.body.circles.find((c: any) => c.id === kitchen.id).can.update).toBe(false);

    const children = await ben.client.get(`/orgs/${org.id}/circles?parentId=${general.id}`);
    expect(children.body.circles.map((c: any) => c.name)).toEqual(["Kitchen"]);
    const withArchived = await ben.client.get(
      `/orgs/${org.id}/circles?parentId=${general.id}&includeArchived=true`,
    );
    expect(withArchived.body.circles.map((c: any) => c.name)).toEqual(["Kitchen", "Old"]);
    const cops = await ben.client.get(`/orgs/${org.id}/circles?kind=community_of_practice`);
    expect(cops.body.circles.map((c: any) => c.name)).toEqual(["Cooks"]);
    expect((await ben.client.get(`/orgs/${org.id}/circles?kind=tribe`)).status).toBe(400);
    expect((await ben.client.get(`/orgs/${org.id}/circles?colour=red`)).status).toBe(400);
  });

  it("does not reveal a circle of another organisation, even to an admin", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    const theirs = await createCircle(env, other);
    expect((await org.admin.get(`/orgs/${org.id}/circles/${theirs}`)).status).toBe(404);
    expect((await org.admin.patch(`/orgs/${org.id}/circles/${theirs}`, { name: "Mine" })).status).toBe(404);
    expect((await org.admin.get(`/orgs/${org.id}/circles/${theirs}/members`)).status).toBe(404);
    expect((await org.admin.get(`/orgs/${org.id}/circles/not-a-uuid`)).status).toBe(400);
  });
});

describe("the double link in practice", () => {
  it("lets the child circle's delegate take part in the parent circle while the term lasts", async () => {
    const org = await createOrg(env);
    const dana = await addMember(env, org, "member", "Dana");
    const general = await postCircle(org, { name: "General" });
    const kitchen = await postCircle(org, {
      name: "Kitchen",
      parentId: general.id,
      memberIds: [dana.memberId],
    });
    const parentUrl = `/orgs/${org.id}/circles/${general.id}`;
    expect((await dana.client.get(parentUrl)).body.can.update).toBe(false);

    const delegateRole = roleOf(kitchen, "delegate");
    const elected = await org.admin.post(`/orgs/${org.id}/roles/${delegateRole}/assignments`, {
      memberId: dana.memberId,
      source: "founding",
    });
    expect(elected.status).toBe(201);
    expect(elected.body.endsAt).toBe("2027-01-05T09:00:00.000Z");
    const parent = await dana.client.get(parentUrl);
    expect(parent.body.can).toMatchObject({ update: true, createChildCircle: true });
    const child = await dana.client.get(`/orgs/${org.id}/circles/${kitchen.id}`);
    expect(child.body.link).toEqual({
      leader: null,
      delegate: expect.objectContaining({ memberId: dana.memberId, name: "Dana", source: "founding" }),
    });
    expect((await dana.client.patch(parentUrl, { aim: "Feed everyone" })).status).toBe(200);
    expect(
      (await dana.client.post(`/orgs/${org.id}/circles`, { name: "Bakery", parentId: general.id })).status,
    ).toBe(201);

    const shortened = await org.admin.patch(
      `/orgs/${org.id}/roles/${delegateRole}/assignments/${elected.body.id}`,
      {
        endsAt: "2026-01-06T09:00:00.000Z",
      },
    );
    expect(shortened.status).toBe(200);
    expect((await dana.client.get(parentUrl)).body.can.update).toBe(true);
    env.clock.advanceDays(1);
    expect((await dana.client.get(parentUrl)).body.can.update).toBe(false);
    expect((await dana.client.patch(parentUrl, { aim: "Feed no one" })).status).toBe(403);
  });

  it("counts the leader too, but not a shadow learning beside the holder", async () => {
    const org = await createOrg(env);
    const lee = await addMember(env, org, "member", "Lee");
    const sam = await addMember(env, org, "member", "Sam");
    const general = await postCircle(org, { name: "General" });
    const kitchen = await postCircle(org, { name: "Kitchen", parentId: general.id });
    await assignRole(env, org, roleOf(kitchen, "leader"), lee.memberId);
    await assignRole(env, org, roleOf(kitchen, "leader"), sam.memberId, { shadow: true });
    expect((await lee.client.get(`/orgs/${org.id}/circles/${general.id}`)).body.can.update).toBe(true);
    expect((await sam.client.get(`/orgs/${org.id}/circles/${general.id}`)).body.can.update).toBe(false);
    const child = await lee.client.get(`/orgs/${org.id}/circles/${kitchen.id}`);
    expect(child.body.link.leader.memberId).toBe(lee.memberId);
  });
});

describe("changing circles", () => {
  it("updates what a circle is about and logs the change", async () => {
    const org = await createOrg(env);
    const circle = await postCircle(org, { name: "Ops" });
    const res = await org.admin.patch(`/orgs/${org.id}/circles/${circle.id}`, {
      name: "Operations",
      aim: "Keep things running",
      mandate: "",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Operations", aim: "Keep things running" });
    const { rows } = await env.db.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'circle.updated'",
      [org.id],
    );
    expect(rows[0]?.payload).toEqual({
      circleId: circle.id,
      name: "Operations",
      aim: "Keep things running",
      mandate: "",
    });
  });

  it("never puts a circle inside itself", async () => {
    const org = await createOrg(env);
    const a = await postCircle(org, { name: "A" });
    const b = await postCircle(org, { name: "B", parentId: a.id });
    const c = await postCircle(org, { name: "C", parentId: b.id });
    const before = await logTypes(org.id);
    expect((await org.admin.patch(`/orgs/${org.id}/circles/${a.id}`, { parentId: c.id })).status).toBe(400);
    expect((await org.admin.patch(`/orgs/${org.id}/circles/${a.id}`, { parentId: a.id })).status).toBe(400);
    expect(
      (await org.admin.patch(`/orgs/${org.id}/circles/${b.id}`, { parentId: c.id, name: "B2" })).status,
    ).toBe(400);
    expect((await org.admin.get(`/orgs/${org.id}/circles/${a.id}`)).body.parentId).toBeNull();
    expect((await org.admin.get(`/orgs/${org.id}/circles/${b.id}`)).body).toMatchObject({
      name: "B",
      parentId: a.id,
    });
    expect(await logTypes(org.id)).toEqual(before);
  });

  it("keeps the link roles in step when a circle moves in and out of a parent", async () => {
    const org = await createOrg(env);
    const lee = await addMember(env, org, "member", "Lee");
    const general = await postCircle(org, { name: "General" });
    const ops = await postCircle(org, { name: "Ops" });
    const url = `/orgs/${org.id}/circles/${ops.id}`;

    const movedIn = await org.admin.patch(url, { parentId: general.id });
    expect(movedIn.status).toBe(200);
    expect(movedIn.body.roles.map((r: any) => r.kind)).toEqual(["facilitator", "leader", "delegate"]);
    const leaderRole = roleOf(movedIn.body, "leader");
    await org.admin.post(`/orgs/${org.id}/roles/${leaderRole}/assignments`, { memberId: lee.memberId });
    expect((await lee.client.get(`/orgs/${org.id}/circles/${general.id}`)).body.can.update).toBe(true);

    const movedOut = await org.admin.patch(url, { parentId: null });
    expect(movedOut.body.roles.map((r: any) => r.kind)).toEqual(["facilitator"]);
    expect(movedOut.body.link).toBeNull();
    expect((await lee.client.get(`/orgs/${org.id}/circles/${general.id}`)).body.can.update).toBe(false);
    const history = await org.admin.get(`/orgs/${org.id}/roles/${leaderRole}/assignments`);
    expect(history.body.assignments[0]).toMatchObject({ active: false, endsAt: "2026-01-05T09:00:00.000Z" });

    const movedBack = await org.admin.patch(url, { parentId: general.id });
    expect(roleOf(movedBack.body, "leader")).toBe(leaderRole);
    expect(movedBack.body.link).toEqual({ leader: null, delegate: null });
  });

  it("leaves where a circle sits to its parent: its own members may not move it", async () => {
    const org = await createOrg(env);
    const cora = await addMember(env, org, "member", "Cora");
    const general = await postCircle(org, { name: "General" });
    const other = await postCircle(org, { name: "Other", memberIds: [cora.memberId] });
    const kitchen = await postCircle(org, {
      name: "Kitchen",
      parentId: general.id,
      memberIds: [cora.memberId],
    });
    const url = `/orgs/${org.id}/circles/${kitchen.id}`;
    expect((await cora.client.patch(url, { parentId: other.id })).status).toBe(403);
    expect((await cora.client.patch(url, { parentId: general.id, name: "Cookery" })).status).toBe(200);
  });

  it("archives a circle only after its child circles, retiring its roles and ending their terms", async () => {
    const org = await createOrg(env);
    const ben = await addMember(env, org, "member", "Ben");
    const general = await postCircle(org, { name: "General" });
    const kitchen = await postCircle(org, {
      name: "Kitchen",
      parentId: general.id,
      memberIds: [ben.memberId],
    });
    const treasurer = await createRole(env, org, kitchen.id);
    await assignRole(env, org, treasurer, ben.memberId);

    const blocked = await org.admin.patch(`/orgs/${org.id}/circles/${general.id}`, { archived: true });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.details.activeChildCircles).toBe(1);

    env.clock.advanceDays(1);
    const archived = await org.admin.patch(`/orgs/${org.id}/circles/${kitchen.id}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({
      archivedAt: "2026-01-06T09:00:00.000Z",
      roles: [],
      can: { update: false, archive: false },
    });
    expect(archived.body.members.map((m: any) => m.memberId)).toEqual([ben.memberId]);
    const roles = await org.admin.get(`/orgs/${org.id}/roles?circleId=${kitchen.id}&includeArchived=true`);
    expect(roles.body.roles.every((r: any) => r.archivedAt === "2026-01-06T09:00:00.000Z")).toBe(true);
    const history = await org.admin.get(`/orgs/${org.id}/roles/${treasurer}/assignments`);
    expect(history.body.assignments[0]).toMatchObject({ endsAt: "2026-01-06T09:00:00.000Z", active: false });
    expect((await ben.client.get(`/orgs/${org.id}/circles/${kitchen.id}`)).body.can.update).toBe(false);
    expect(await logTypes(org.id)).toEqual(
      expect.arrayContaining(["circle.archived", "role.archived", "assignment.ended"]),
    );

    const again = await org.admin.patch(`/orgs/${org.id}/circles/${kitchen.id}`, { name: "Kitchen 2" });
    expect(again.status).toBe(409);
    expect((await org.admin.patch(`/orgs/${org.id}/circles/${general.id}`, { archived: true })).status).toBe(
      200,
    );
  });
});

describe("circle membership", () => {
  it("adds and removes members, keeping the history", async () => {
    const org = await createOrg(env);
    const cora = await addMember(env, org, "member", "Cora");
    const ben = await addMember(env, org, "member", "Ben");
    const circle = await postCircle(org, { name: "Ops", memberIds: [cora.memberId] });
    const url = `/orgs/${org.id}/circles/${circle.id}/members`;

    const added = await cora.client.post(url, { memberId: ben.memberId });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      memberId: ben.memberId,
      name: "Ben",
      joinedAt: "2026-01-05T09:00:00.000Z",
      leftAt: null,
    });
    expect((await cora.client.post(url, { memberId: ben.memberId })).status).toBe(409);
    expect((await ben.client.get(`/orgs/${org.id}/circles/${circle.id}`)).body.can.update).toBe(true);

    env.clock.advanceDays(10);
    expect((await cora.client.delete(`${url}/${ben.memberId}`)).status).toBe(204);
    expect((await cora.client.delete(`${url}/${ben.memberId}`)).status).toBe(404);
    expect((await cora.client.get(url)).body.members.map((m: any) => m.name)).toEqual(["Cora"]);
    const past = await cora.client.get(`${url}?includePast=true`);
    expect(past.body.members).toEqual([
      expect.objectContaining({ name: "Cora", leftAt: null }),
      expect.objectContaining({ name: "Ben", leftAt: "2026-01-15T09:00:00.000Z" }),
    ]);
    expect((await ben.client.get(`/orgs/${org.id}/circles/${circle.id}`)).body.can.update).toBe(false);

    env.clock.advanceDays(1);
    expect((await cora.client.post(url, { memberId: ben.memberId })).status).toBe(201);
    expect((await cora.client.get(`${url}?includePast=true`)).body.members).toHaveLength(3);
    expect(await logTypes(org.id)).toEqual(
      expect.arrayContaining(["circle.member_added", "circle.member_removed"]),
    );
  });

  it("lets anyone join a community of practice themselves, and leave it again", async () => {
    const org = await createOrg(env);
    const nina = await addMember(env, org, "member", "Nina");
    const ben = await addMember(env, org, "member", "Ben");
    const observer = await addMember(env, org, "observer", "Olive");
    const cop = await postCircle(org, { name: "Facilitators", kind: "community_of_practice" });
    const circle = await postCircle(org, { name: "Ops" });
    const copUrl = `/orgs/${org.id}/circles/${cop.id}`;

    expect((await nina.client.get(copUrl)).body.can.join).toBe(true);
    expect((await nina.client.post(`${copUrl}/members`, { memberId: ben.memberId })).status).toBe(403);
    expect((await observer.client.post(`${copUrl}/members`, { memberId: observer.memberId })).status).toBe(
      403,
    );
    expect(
      (await nina.client.post(`/orgs/${org.id}/circles/${circle.id}/members`, { memberId: nina.memberId }))
        .status,
    ).toBe(403);
    const joined = await nina.client.post(`${copUrl}/members`, { memberId: nina.memberId });
    expect(joined.status).toBe(201);
    expect((await nina.client.get(copUrl)).body.can).toMatchObject({ join: false, update: true });
    const { rows } = await env.db.query<{ payload: { via: string } }>(
      "SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'circle.member_added'",
      [org.id],
    );
    expect(rows.map((r) => r.payload.via)).toEqual(["joined"]);

    env.clock.advanceDays(1);
    expect((await nina.client.delete(`${copUrl}/members/${nina.memberId}`)).status).toBe(204);
    expect((await nina.client.get(copUrl)).body.can.join).toBe(true);
  });
});

describe("circle authorization", () => {
  it("lets every member of the organisation read circles, and nobody outside it", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/circles`;
    const ok = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c) => c.get(base))).toEqual(ok);
    expect(await statusesOf(cast, (c) => c.get(`${base}/${cast.circleId}`))).toEqual(ok);
    expect(await statusesOf(cast, (c) => c.get(`${base}/${cast.circleId}/members`))).toEqual(ok);
  });

  it("keeps top-level circles for admins and child circles for the parent's participants", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/circles`;
    expect(await statusesOf(cast, (c, actor) => c.post(base, { name: `Top by ${actor}` }))).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 403,
      admin: 201,
    });
    expect(
      await statusesOf(cast, (c, actor) =>
        c.post(base, { name: `Child by ${actor}`, parentId: cast.circleId }),
      ),
    ).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 201,
      admin: 201,
    });
  });

  it("lets the circle's members and admins change it and manage its membership", async () => {
    const cast = await authorizationCast(env);
    const url = `/orgs/${cast.org.id}/circles/${cast.circleId}`;
    const writes = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c, actor) => c.patch(url, { aim: `Aim by ${actor}` }))).toEqual(writes);

    const newcomers: Record<string, string> = {};
    for (const actor of ["observer", "outsider", "circleMember", "admin"])
      newcomers[actor] = (await addMember(env, cast.org, "member", `Newcomer for ${actor}`)).memberId;
    const target = (actor: Actor) => newcomers[actor] ?? cast.outsider.memberId;
    expect(
      await statusesOf(cast, (c, actor) => c.post(`${url}/members`, { memberId: target(actor) })),
    ).toEqual({
      ...writes,
      circleMember: 201,
      admin: 201,
    });
    expect(await statusesOf(cast, (c, actor) => c.delete(`${url}/members/${target(actor)}`))).toEqual({
      ...writes,
      circleMember: 204,
      admin: 204,
    });
  });

  it("leaves archiving a circle to its parent's participants and admins", async () => {
    const cast = await authorizationCast(env);
    const children: Record<string, string> = {};
    for (const actor of ["anonymous", "otherOrgAdmin", "observer", "outsider", "circleMember", "admin"])
      children[actor] = await createCircle(env, cast.org, {
        name: `Child for ${actor}`,
        parentId: cast.circleId,
        memberIds: [cast.outsider.memberId],
      });
    expect(
      await statusesOf(cast, (c, actor) =>
        c.patch(`/orgs/${cast.org.id}/circles/${children[actor]}`, { archived: true }),
      ),
    ).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 200,
      admin: 200,
    });
  });
});
