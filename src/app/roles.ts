import type { Viewer } from "../core/access.js";
import { type CircleKind, circlePermissions } from "../core/circles.js";
import { conflict, forbidden, notFound } from "../core/errors.js";
import type { CircleId } from "../core/ids.js";
import {
  assertRoleShape,
  assertSkillLevels,
  type FillingPolicy,
  isStructuralRole,
  type RoleKind,
  type RotationMode,
  rolePermissions,
  type SkillLevel,
} from "../core/roles.js";
import type { Queryable } from "../db/database.js";
import {
  type Assignment,
  currentHolders,
  endAssignmentsOfRoles,
  listMemberAssignments,
} from "./assignments.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";

/** What describes a role; all of it can be changed later except its kind. */
export interface RoleFields {
  kind: RoleKind;
  name: string;
  purpose: string;
  domain: string;
  accountabilities: string[];
  termDays: number | null;
  requiredSkills: SkillLevel[];
  leadership: boolean;
  fillingPolicy: FillingPolicy;
  maxConsecutiveTerms: number | null;
  /** For rotating roles; "consent" unless the circle chose automatic rotation. */
  rotationMode?: RotationMode;
}

export interface Role extends RoleFields {
  rotationMode: RotationMode;
  id: string;
  circleId: CircleId;
  circleName: string;
  /** Named by an election's qualifying step and kept for the next one. */
  qualifications: string[];
  createdAt: Date;
  archivedAt: Date | null;
  /** Who holds the role now, shadows included. */
  holders: Assignment[];
}

interface RoleRow {
  id: string;
  circle_id: CircleId;
  circle_name: string;
  kind: RoleKind;
  name: string;
  purpose: string;
  domain: string;
  accountabilities: string[];
  term_days: number | null;
  required_skills: SkillLevel[];
  qualifications: string[];
  leadership: boolean;
  filling_policy: FillingPolicy;
  rotation_mode: RotationMode;
  max_consecutive_terms: number | null;
  created_at: Date;
  archived_at: Date | null;
}

const toRole = (row: RoleRow, holders: Assignment[]): Role => ({
  id: row.id,
  circleId: row.circle_id,
  circleName: row.circle_name,
  kind: row.kind,
  name: row.name,
  purpose: row.purpose,
  domain: row.domain,
  accountabilities: row.accountabilities,
  termDays: row.term_days,
  requiredSkills: row.required_skills,
  qualifications: row.qualifications,
  leadership: row.leadership,
  fillingPolicy: row.filling_policy,
  rotationMode: row.rotation_mode,
  maxConsecutiveTerms: row.max_consecutive_terms,
  createdAt: row.created_at,
  archivedAt: row.archived_at,
  holders,
});

export interface RoleFilter {
  circleIds?: readonly string[] | undefined;
  roleIds?: readonly string[] | undefined;
  includeArchived?: boolean | undefined;
}

/** Roles with their current holders, by circle, structural roles first. */
export async function loadRoles(db: Queryable, orgId: string, filter: RoleFilter, now: Date) {
  const { rows } = await db.query<RoleRow>(
    `SELECT r.*, c.name AS circle_name FROM roles r JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
     WHERE r.org_id = $1 AND ($2::uuid[] IS NULL OR r.circle_id = ANY($2::uuid[]))
       AND ($3::uuid[] IS NULL OR r.id = ANY($3::uuid[])) AND ($4 OR r.archived_at IS NULL)
     ORDER BY c.name, c.id, array_position(ARRAY['facilitator', 'leader', 'delegate', 'secretary', 'custom'], r.kind),
       r.name, r.id`,
    [orgId, filter.circleIds ?? null, filter.roleIds ?? null, filter.includeArchived ?? false],
  );
  const holders = await currentHolders(
    db,
    orgId,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((row) => toRole(row, holders.get(row.id) ?? []));
}

export async function getRole(db: Queryable, orgId: string, roleId: string, now: Date) {
  const [role] = await loadRoles(db, orgId, { roleIds: [roleId], includeArchived: true }, now);
  if (!role) throw notFound("Role", roleId);
  return role;
}

/**
 * A member's leadership history: every term they held, hold or will hold, newest first, each with its
 * role (archived roles included). Not found when the member is not in the organisation.
 */
export async function termsOfMember(db: Queryable, orgId: string, memberId: string, now: Date) {
  const known = await db.query("SELECT 1 FROM members WHERE org_id = $1 AND id = $2", [orgId, memberId]);
  if (known.rows.length === 0) throw notFound("Member", memberId);
  const assignments = await listMemberAssignments(db, orgId, memberId);
  const roleIds = [...new Set(assignments.map((a) => a.roleId))];
  const roles = new Map(
    (await loadRoles(db, orgId, { roleIds, includeArchived: true }, now)).map((role) => [role.id, role]),
  );
  return assignments.map((assignment) => ({ assignment, role: roles.get(assignment.roleId) as Role }));
}

/** Writes a new role row; the caller logs it (see roleCreatedEntry). */
export async function insertRole(
  tx: Queryable,
  orgId: string,
  roleId: string,
  circleId: string,
  fields: RoleFields,
  now: Date,
) {
  await tx.query(
    `INSERT INTO roles (org_id, id, circle_id, kind, name, purpose, domain, accountabilities, term_days,
       required_skills, leadership, filling_policy, max_consecutive_terms, created_at, rotation_mode)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      orgId,
      roleId,
      circleId,
      fields.kind,
      fields.name,
      fields.purpose,
      fields.domain,
      JSON.stringify(fields.accountabilities),
      fields.termDays,
      JSON.stringify(fields.requiredSkills),
      fields.leadership,
      fields.fillingPolicy,
      fields.maxConsecutiveTerms,
      now,
      fields.rotationMode ?? "consent",
    ],
  );
}

export const roleCreatedEntry = (actor: string, roleId: string, circleId: string, fields: RoleFields) => ({
  type: "role.created",
  actor,
  payload: { roleId, circleId, ...fields },
});

/** Archives roles and ends their assignments, logging each. */
export async function retireRoles(
  scope: CommandScope,
  orgId: string,
  roleIds: readonly string[],
  actor: string,
) {
  if (roleIds.length === 0) return;
  const { rows } = await scope.tx.query<{ id: string; circle_id: string }>(
    `UPDATE roles SET archived_at = $3 WHERE org_id = $1 AND id = ANY($2::uuid[]) AND archived_at IS NULL
     RETURNING id, circle_id`,
    [orgId, roleIds, scope.now],
  );
  for (const row of rows)
    scope.log({ type: "role.archived", actor, payload: { roleId: row.id, circleId: row.circle_id } });
  await endAssignmentsOfRoles(scope, orgId, roleIds, actor);
}

async function lockCircleForRole(tx: Queryable, orgId: string, circleId: string) {
  const { rows } = await tx.query<{
    parent_id: CircleId | null;
    kind: CircleKind;
    archived_at: Date | null;
  }>("SELECT parent_id, kind, archived_at FROM circles WHERE org_id = $1 AND id = $2 FOR SHARE", [
    orgId,
    circleId,
  ]);
  const row = rows[0];
  if (!row) throw notFound("Circle", circleId);
  return { id: circleId as CircleId, parentId: row.parent_id, kind: row.kind, archivedAt: row.archived_at };
}

export type CreateRoleInput = { circleId: string; name: string } & Partial<Omit<RoleFields, "name">>;

/** A circle defines a role of its own (the structural ones come with the circle). */
export async function createRole(ctx: AppContext, orgId: string, viewer: Viewer, input: CreateRoleInput) {
  const roleId = ctx.newId();
  const fields: RoleFields = {
    kind: input.kind ?? "custom",
    name: input.name,
    purpose: input.purpose ?? "",
    domain: input.domain ?? "",
    accountabilities: input.accountabilities ?? [],
    termDays: input.termDays ?? null,
    requiredSkills: input.requiredSkills ?? [],
    leadership: input.leadership ?? false,
    fillingPolicy: input.fillingPolicy ?? "appointment",
    maxConsecutiveTerms: input.maxConsecutiveTerms ?? null,
    rotationMode: input.rotationMode ?? "consent",
  };
  await runCommand(ctx, orgId, async ({ tx, now, log }) => {
    const circle = await lockCircleForRole(tx, orgId, input.circleId);
    if (circle.archivedAt) throw conflict("This circle is archived", { circleId: input.circleId });
    if (!circlePermissions(viewer, circle).createRole) throw forbidden("create roles in this circle");
    assertRoleShape(fields);
    assertSkillLevels(fields.requiredSkills, "requiredSkills");
    await insertRole(tx, orgId, roleId, input.circleId, fields, now);
    log(roleCreatedEntry(viewer.memberId, roleId, input.circleId, fields));
  });
  return getRole(ctx.db, orgId, roleId, ctx.now());
}

export type UpdateRoleInput = Partial<Omit<RoleFields, "kind">> & { archived?: true | undefined };

/** Changes what a role is, or archives it (its current holders' terms end with it). */
export async function updateRole(
  ctx: AppContext,
  orgId: string,
  viewer: Viewer,
  roleId: string,
  input: UpdateRoleInput,
) {
  const { archived, ...fields } = input;
  const change = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Omit<UpdateRoleInput, "archived">;
  await runCommand(ctx, orgId, async (scope) => {
    const { rows } = await scope.tx.query<RoleRow>(
      "SELECT r.*, '' AS circle_name FROM roles r WHERE r.org_id = $1 AND r.id = $2 FOR UPDATE",
      [orgId, roleId],
    );
    const row = rows[0];
    if (!row) throw notFound("Role", roleId);
    const role = toRole(row, []);
    if (role.archivedAt) throw conflict("This role is archived", { roleId });
    const can = rolePermissions(viewer, role);
    if (!can.update) throw forbidden("change this role");
    if (Object.keys(change).length > 0) {
      const next = { ...role, ...change };
      assertRoleShape(next);
      assertSkillLevels(next.requiredSkills, "requiredSkills");
      await scope.tx.query(
        `UPDATE roles SET name = $3, purpose = $4, domain = $5, accountabilities = $6, term_days = $7,
           required_skills = $8, leadership = $9, filling_policy = $10, max_consecutive_terms = $11,
           rotation_mode = $12
         WHERE org_id = $1 AND id = $2`,
        [
          orgId,
          roleId,
          next.name,
          next.purpose,
          next.domain,
          JSON.stringify(next.accountabilities),
          next.termDays,
          JSON.stringify(next.requiredSkills),
          next.leadership,
          next.fillingPolicy,
          next.maxConsecutiveTerms,
          next.rotationMode,
        ],
      );
      scope.log({ type: "role.updated", actor: viewer.memberId, payload: { roleId, ...change } });
    }
    if (archived) {
      if (isStructuralRole(role.kind))
        throw conflict("A facilitator, leader or delegate role lives and dies with its circle", {
          roleId,
          kind: role.kind,
        });
      if (!can.archive) throw forbidden("archive this role");
      await retireRoles(scope, orgId, [roleId], viewer.memberId);
    }
  });
  return getRole(ctx.db, orgId, roleId, ctx.now());
}
