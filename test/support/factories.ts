import { type ApiClient, signUpClient } from "./client.js";
import type { TestEnv } from "./harness.js";

/**
 * Factories that make exactly what a test needs. They write rows directly (no log entries), so use
 * them for setting the stage; exercise the behaviour under test through the API.
 */
export interface OrgFixture {
  id: string;
  slug: string;
  admin: ApiClient;
  adminMemberId: string;
}

export async function createOrg(env: TestEnv, name = "River Co-op"): Promise<OrgFixture> {
  const admin = await signUpClient(env.server, "Ada Admin");
  const res = await admin.post("/orgs", { name });
  if (res.status !== 201) throw new Error(`createOrg failed: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, slug: res.body.slug, admin, adminMemberId: res.body.me.memberId };
}

/** A signed-up user who is a member of the organisation with the given access. */
export async function addMember(
  env: TestEnv,
  org: OrgFixture,
  access: "admin" | "member" | "observer" = "member",
  name = `${access} person`,
): Promise<{ client: ApiClient; memberId: string }> {
  const client = await signUpClient(env.server, name);
  const memberId = env.ctx.newId();
  await env.db.query(
    "INSERT INTO members (org_id, id, user_id, name, access, joined_at) VALUES ($1, $2, $3, $4, $5, $6)",
    [org.id, memberId, client.user?.id, name, access, env.clock.now()],
  );
  return { client, memberId };
}

export async function createCircle(
  env: TestEnv,
  org: OrgFixture,
  fields: { name?: string; kind?: string; parentId?: string | null; memberIds?: string[] } = {},
): Promise<string> {
  const id = env.ctx.newId();
  const now = env.clock.now();
  await env.db.query(
    `INSERT INTO circles (org_id, id, name, kind, parent_id, aim, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      org.id,
      id,
      fields.name ?? "Operations",
      fields.kind ?? "circle",
      fields.parentId ?? null,
      "Keep things running",
      now,
    ],
  );
  for (const memberId of fields.memberIds ?? [])
    await env.db.query(
      "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
      [org.id, id, memberId, now],
    );
  return id;
}

export async function createRole(
  env: TestEnv,
  org: OrgFixture,
  circleId: string,
  fields: {
    name?: string;
    kind?: string;
    leadership?: boolean;
    fillingPolicy?: string;
    termDays?: number | null;
  } = {},
): Promise<string> {
  const id = env.ctx.newId();
  await env.db.query(
    `INSERT INTO roles (org_id, id, circle_id, kind, name, leadership, filling_policy, term_days, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      org.id,
      id,
      circleId,
      fields.kind ?? "custom",
      fields.name ?? "Treasurer",
      fields.leadership ?? false,
      fields.fillingPolicy ?? "appointment",
      fields.termDays ?? null,
      env.clock.now(),
    ],
  );
  return id;
}

export async function assignRole(
  env: TestEnv,
  org: OrgFixture,
  roleId: string,
  memberId: string,
  fields: { startsAt?: Date; endsAt?: Date | null; source?: string; shadow?: boolean } = {},
): Promise<string> {
  const id = env.ctx.newId();
  await env.db.query(
    `INSERT INTO assignments (org_id, id, role_id, member_id, starts_at, ends_at, source, shadow, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      org.id,
      id,
      roleId,
      memberId,
      fields.startsAt ?? env.clock.now(),
      fields.endsAt ?? null,
      fields.source ?? "appointment",
      fields.shadow ?? false,
      env.clock.now(),
    ],
  );
  return id;
}

/**
 * The cast of an authorization matrix: anonymous, a member of another organisation, an observer, a member
 * outside the circle, a circle member, and the admin. `circleId` is a circle the circle member belongs to.
 */
export async function authorizationCast(env: TestEnv) {
  const org = await createOrg(env);
  const other = await createOrg(env, "Other Org");
  const observer = await addMember(env, org, "observer", "Olive Observer");
  const outsider = await addMember(env, org, "member", "Nina Nonmember");
  const circleMember = await addMember(env, org, "member", "Cora Circle");
  const circleId = await createCircle(env, org, { name: "Operations", memberIds: [circleMember.memberId] });
  const { ApiClient } = await import("./client.js");
  return {
    org,
    circleId,
    anonymous: new ApiClient(env.server),
    otherOrgAdmin: other.admin,
    observer,
    outsider,
    circleMember,
    admin: { client: org.admin, memberId: org.adminMemberId },
  };
}
