import { describe, expect, it } from "vitest";
import {
  addMember,
  assignRole,
  authorizationCast,
  createCircle,
  createOrg,
  createRole,
} from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { statusesOf } from "./support/matrix.js";

const env = withTestEnv();

const READS = {
  anonymous: 401,
  otherOrgAdmin: 404,
  observer: 200,
  outsider: 200,
  circleMember: 200,
  admin: 200,
};

const countRoles = async (orgId: string) =>
  (await env.db.query<{ n: number }>("SELECT count(*)::int AS n FROM roles WHERE org_id = $1", [orgId]))
    .rows[0]?.n;

const logEntries = async (orgId: string) =>
  (
    await env.db.query<{ type: string; payload: Record<string, unknown> }>(
      "SELECT type, payload FROM log_entries WHERE org_id = $1 ORDER BY seq",
      [orgId],
    )
  ).rows;

const treasurer = {
  name: "Treasurer",
  purpose: "Keep the money honest",
  domain: "The accounts",
  accountabilities: ["Pay the bills", "Report monthly"],
  termDays: 180,
  requiredSkills: [{ skill: "Bookkeeping", level: 3 }],
  fillingPolicy: "election",
  maxConsecutiveTerms: 2,
};

describe("creating roles", () => {
  it("creates a role in a circle with everything that describes it, and logs it", async () => {
    const org = await createOrg(env);
    const circleId = await createCircle(env, org, { name: "Finance" });
    const res = await org.admin.post(`/orgs/${org.id}/roles`, { circleId, ...treasurer });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      circleId,
      circleName: "Finance",
      kind: "custom",
      ...treasurer,
      rotationMode: "consent",
      qualifications: [],
      leadership: false,
      createdAt: "2026-01-05T09:00:00.000Z",
      archivedAt: null,
      holders: [],
      can: { update: true, assign: true, archive: true, rotate: false, startElection: false },
    });
    const entries = await logEntries(org.id);
    expect(entries.at(-1)).toEqual({
      type: "role.created",
      payload: {
        roleId: res.body.id,
        circleId,
        kind: "custom",
        leadership: false,
        rotationMode: "consent",
        ...treasurer,
      },
    });
  });

  it("counts a secretary role as leadership whatever its flag says", async () => {
    const org = await createOrg(env);
    const circleId = await createCircle(env, org);
    const res = await org.admin.post(`/orgs/${org.id}/roles`, {
      circleId,
      name: "Secretary",
      kind: "secretary",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: "secretary",
      leadership: true,
      fillingPolicy: "appointment",
      termDays: null,
    });
  });

  it("rejects a role that breaks the rules without creating anything", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    const circleId = await createCircle(env, org);
    const theirCircle = await createCircle(env, other);
    const url = `/orgs/${org.id}/roles`;
    const post = (body: Record<string, unknown>) =>
      org.admin.post(url, { circleId, name: "Treasurer", ...body });
    const electedWithoutTerm = await post({ fillingPolicy: "election" });
    expect(electedWithoutTerm.status).toBe(400);
    expect(electedWithoutTerm.body.error.details.fields).toEqual(["termDays"]);
    expect((await post({ termDays: 0 })).status).toBe(400);
    expect((await post({ maxConsecutiveTerms: 0 })).status).toBe(400);
    expect(
      (
        await post({
          requiredSkills: [
            { skill: "Cooking", level: 2 },
            { skill: "cooking", level: 4 },
          ],
        })
      ).status,
    ).toBe(400);
    expect((await post({ requiredSkills: [{ skill: "Cooking", level: 6 }] })).status).toBe(400);
    expect((await post({ kind: "facilitator" })).status).toBe(400);
    expect((await post({ colour: "red" })).status).toBe(400);
    expect((await post({ termDays: "30" })).status).toBe(400);
    expect((await org.admin.post(url, { circleId: theirCircle, name: "Treasurer" })).status).toBe(404);
    expect(await countRoles(org.id)).toBe(0);
  });

  it("creates no roles in an archived circle", async () => {
    const org = await createOrg(env);
    const circleId = await createCircle(env, org);
    await env.db.query("UPDATE circles SET archived_at = $2 WHERE id = $1", [circleId, env.clock.now()]);
    expect((await org.admin.post(`/orgs/${org.id}/roles`, { circleId, name: "Treasurer" })).status).toBe(409);
  });
});

describe("reading roles", () => {
  it("lists roles by circle, structural roles first, with who holds them now", async () => {
    const org = await createOrg(env);
    const ben = await addMember(env, org, "member", "Ben");
    const general = (await org.admin.post(`/orgs/${org.id}/circles`, { name: "General" })).body;
    const kitchen = (
      await org.admin.post(`/orgs/${org.id}/circles`, { name: "Kitchen", parentId: general.id })
    ).body;
    const buyer = await createRole(env, org, kitchen.id, { name: "Buyer" });
    await createRole(env, org, kitchen.id, { name: "Archived one" });
    await env.db.query("UPDATE roles SET archived_at = $2 WHERE name = 'Archived one' AND org_id = $1", [
      org.id,
      env.clock.now(),
    ]);
    await assignRole(env, org, buyer, ben.memberId);
    await assignRole(env, org, buyer, ben.memberId, {
      startsAt: new Date("2025-01-01T00:00:00Z"),
      endsAt: new Date("2025-06-01T00:00:00Z"),
    });

    const all = await ben.client.get(`/orgs/${org.id}/roles`);
    expect(all.status).toBe(200);
    expect(all.body.roles.map((r: any) => `${r.circleName}/${r.name}`)).toEqual([
      "General/Facilitator",
      "Kitchen/Facilitator",
      "Kitchen/Circle leader",
      "Kitchen/Delegate",
      "Kitchen/Buyer",
    ]);
    const kitchenRoles = await ben.client.get(
      `/orgs/${org.id}/roles?circleId=${kitchen.id}&includeArchived=true`,
    );
    expect(kitchenRoles.body.roles.map((r: any) => r.name)).toEqual([
      "Facilitator",
      "Circle leader",
      "Delegate",
      "Archived one",
      "Buyer",
    ]);
    const role = await ben.client.get(`/orgs/${org.id}/roles/${buyer}`);
    expect(role.body.holders).toEqual([
      expect.objectContaining({ memberId: ben.memberId, name: "Ben", endsAt: null }),
    ]);
    expect(role.body.can).toEqual({
      update: false,
      assign: false,
      archive: false,
      rotate: false,
      startElection: false,
    });
  });

  it("does not reveal a role of another organisation", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    const theirRole = await createRole(env, other, await createCircle(env, other));
    expect((await org.admin.get(`/orgs/${org.id}/roles/${theirRole}`)).status).toBe(404);
    expect((await org.admin.patch(`/orgs/${org.id}/roles/${theirRole}`, { name: "Mine" })).status).toBe(404);
    expect((await org.admin.get(`/orgs/${org.id}/roles/${theirRole}/assignments`)).status).toBe(404);
    expect((await org.admin.get(`/orgs/${org.id}/roles/nope`)).status).toBe(400);
  });
});

describe("changing roles", () => {
  it("changes what a role is and logs what changed", async () => {
    const org = await createOrg(env);
    const circleId = await createCircle(env, org);
    const roleId = await createRole(env, org, circleId);
    const res = await org.admin.patch(`/orgs/${org.id}/roles/${roleId}`, {
      purpose: "Steward the money",
      accountabilities: ["Pay the bills"],
      fillingPolicy: "rotation",
      termDays: 90,
      leadership: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Treasurer",
      purpose: "Steward the money",
      accountabilities: ["Pay the bills"],
      fillingPolicy: "rotation",
      termDays: 90,
      leadership: true,
    });
    expect((await logEntries(org.id)).at(-1)).toEqual({
      type: "role.updated",
      payload: {
        roleId,
        purpose: "Steward the money",
        accountabilities: ["Pay the bills"],
        fillingPolicy: "rotation",
        termDays: 90,
        leadership: true,
      },
    });
  });

  it("keeps the role unchanged when the change breaks a rule", async () => {
    const org = await createOrg(env);
    const circleId = await createCircle(env, org);
    const roleId = await createRole(env, org, circleId);
    const before = await logEntries(org.id);
    const url = `/orgs/${org.id}/roles/${roleId}`;
    expect((await org.admin.patch(url, { fillingPolicy: "election", purpose: "New" })).status).toBe(400);
    expect((await org.admin.patch(url, { requiredSkills: [{ skill: "", level: 2 }] })).status).toBe(400);
    expect((await org.admin.patch(url, { kind: "leader" })).status).toBe(400);
    expect((await org.admin.patch(url, { archived: false })).status).toBe(400);
    expect((await org.admin.get(url)).body).toMatchObject({ fillingPolicy: "appointment", purpose: "" });
    expect(await logEntries(org.id)).toEqual(before);
  });

  it("archives a role and ends its current terms, but never a structural role", async () => {
    const org = await createOrg(env);
    const ben = await addMember(env, org, "member", "Ben");
    const circle = (await org.admin.post(`/orgs/${org.id}/circles`, { name: "Ops" })).body;
    const roleId = await createRole(env, org, circle.id);
    await assignRole(env, org, roleId, ben.memberId);
    env.clock.advanceDays(3);

    const archived = await org.admin.patch(`/orgs/${org.id}/roles/${roleId}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({
      archivedAt: "2026-01-08T09:00:00.000Z",
      holders: [],
      can: { update: false, assign: false, archive: false },
    });
    const history = await org.admin.get(`/orgs/${org.id}/roles/${roleId}/assignments`);
    expect(history.body.assignments).toEqual([
      expect.objectContaining({ memberId: ben.memberId, endsAt: "2026-01-08T09:00:00.000Z", active: false }),
    ]);
    expect((await logEntries(org.id)).slice(-2).map((e) => e.type)).toEqual([
      "role.archived",
      "assignment.ended",
    ]);
    expect((await org.admin.get(`/orgs/${org.id}/roles?circleId=${circle.id}`)).body.roles).toHaveLength(1);
    expect((await org.admin.patch(`/orgs/${org.id}/roles/${roleId}`, { name: "Again" })).status).toBe(409);

    const facilitator = circle.roles[0].id;
    const structural = await org.admin.patch(`/orgs/${org.id}/roles/${facilitator}`, { archived: true });
    expect(structural.status).toBe(409);
    expect((await org.admin.get(`/orgs/${org.id}/roles/${facilitator}`)).body).toMatchObject({
      archivedAt: null,
      can: { update: true, archive: false },
    });
  });
});

describe("role authorization", () => {
  it("lets every member of the organisation read roles, and nobody outside it", async () => {
    const cast = await authorizationCast(env);
    const roleId = await createRole(env, cast.org, cast.circleId);
    const base = `/orgs/${cast.org.id}/roles`;
    expect(await statusesOf(cast, (c) => c.get(base))).toEqual(READS);
    expect(await statusesOf(cast, (c) => c.get(`${base}/${roleId}`))).toEqual(READS);
  });

  it("lets the circle's members and admins create and change its roles", async () => {
    const cast = await authorizationCast(env);
    const base = `/orgs/${cast.org.id}/roles`;
    const writes = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 200,
      admin: 200,
    };
    expect(
      await statusesOf(cast, (c, actor) =>
        c.post(base, { circleId: cast.circleId, name: `Role by ${actor}` }),
      ),
    ).toEqual({ ...writes, circleMember: 201, admin: 201 });
    const roleId = await createRole(env, cast.org, cast.circleId);
    expect(
      await statusesOf(cast, (c, actor) => c.patch(`${base}/${roleId}`, { purpose: `Purpose by ${actor}` })),
    ).toEqual(writes);
    const roles: Record<string, string> = {};
    for (const actor of ["anonymous", "otherOrgAdmin", "observer", "outsider", "circleMember", "admin"])
      roles[actor] = await createRole(env, cast.org, cast.circleId, { name: `To archive by ${actor}` });
    expect(
      await statusesOf(cast, (c, actor) => c.patch(`${base}/${roles[actor]}`, { archived: true })),
    ).toEqual(writes);
  });
});
