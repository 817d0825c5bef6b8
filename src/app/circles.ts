import type { Viewer } from "../core/access.js";
import {
  assertCanArchiveCircle,
  assertCircleShape,
  assertNoCycle,
  assertSunsetAhead,
  type CircleKind,
  canCreateCircle,
  canRemoveCircleMember,
  circlePermissions,
  reconcileStructuralRoles,
  type StructuralRoleKind,
  type StructuralRoleTemplate,
  structuralRolesFor,
} from "../core/circles.js";
import { conflict, forbidden, notFound } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import { isUniqueViolation, type Queryable } from "../db/database.js";
import { assertActiveMembers } from "./assignments.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";
import { insertRole, loadRoles, type Role, type RoleFields, retireRoles, roleCreatedEntry } from "./roles.js";
import { circleIdsOf } from "./viewer.js";

export interface Circle {
  id: CircleId;
  name: string;
  kind: CircleKind;
  parentId: CircleId | null;
  aim: string;
  domain: string;
  mandate: string;
  sunsetAt: Date | null;
  createdAt: Date;
  archivedAt: Date | null;
  memberCount: number;
  /** Active roles with their current holders. */
  roles: Role[];
}

export interface CircleMember {
  memberId: MemberId;
  name: string;
  joinedAt: Date;
  leftAt: Date | null;
}

export interface CircleDetail extends Circle {
  members: CircleMember[];
  children: { id: CircleId; name: string; kind: CircleKind }[];
}

interface CircleRow {
  id: CircleId;
  name: string;
  kind: CircleKind;
  parent_id: CircleId | null;
  aim: string;
  domain: string;
  mandate: string;
  sunset_at: Date | null;
  created_at: Date;
  archived_at: Date | null;
}

export interface CircleFilter {
  kind?: CircleKind | undefined;
  parentId?: string | undefined;
  includeArchived?: boolean | undefined;
}

async function loadCircles(
  db: Queryable,
  orgId: string,
  filter: CircleFilter & { ids?: readonly string[] },
  now: Date,
): Promise<Circle[]> {
  const { rows } = await db.query<CircleRow & { member_count: number }>(
    `SELECT c.*, (SELECT count(*)::int FROM circle_members cm
                  WHERE cm.org_id = c.org_id AND cm.circle_id = c.id AND cm.left_at IS NULL) AS member_count
     FROM circles c
     WHERE c.org_id = $1 AND ($2::text IS NULL OR c.kind = $2) AND ($3::uuid IS NULL OR c.parent_id = $3)
       AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND ($5 OR c.archived_at IS NULL)
     ORDER BY c.name, c.id`,
    [
      orgId,
      filter.kind ?? null,
      filter.parentId ?? null,
      filter.ids ?? null,
      filter.includeArchived ?? false,
    ],
  );
  const roles = await loadRoles(db, orgId, { circleIds: rows.map((r) => r.id) }, now);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    aim: row.aim,
    domain: row.domain,
    mandate: row.mandate,
    sunsetAt: row.sunset_at,
    createdAt: row.created_at,
    archivedAt: row.archived_at,
    memberCount: row.member_count,
    roles: roles.filter((role) => role.circleId === row.id),
  }));
}

/** The organisation's circles as a flat list; clients nest them by parentId. */
export const listCircles = (db: Queryable, orgId: string, filter: CircleFilter, now: Date) =>
  loadCircles(db, orgId, filter, now);

/** A circle with its members, roles and holders, and its active child circles. */
export async function getCircle(
  db: Queryable,
  orgId: string,
  circleId: string,
  now: Date,
): Promise<CircleDetail> {
  const [circle] = await loadCircles(db, orgId, { ids: [circleId], includeArchived: true }, now);
  if (!circle) throw notFound("Circle", circleId);
  const children = await db.query<{ id: CircleId; name: string; kind: CircleKind }>(
    `SELECT id, name, kind FROM circles WHERE org_id = $1 AND parent_id = $2 AND archived_at IS NULL
     ORDER BY name, id`,
    [orgId, circleId],
  );
  return {
    ...circle,
    members: await loadCircleMembers(db, orgId, circleId, false),
    children: children.rows,
  };
}

async function loadCircleMembers(db: Queryable, orgId: string, circleId: string, includePast: boolean) {
  const { rows } = await db.query<{
    member_id: MemberId;
    name: string;
    joined_at: Date;
    left_at: Date | null;
  }>(
    `SELECT cm.member_id, m.name, cm.joined_at, cm.left_at FROM circle_members cm
     JOIN members m ON m.org_id = cm.org_id AND m.id = cm.member_id
     WHERE cm.org_id = $1 AND cm.circle_id = $2 AND ($3 OR cm.left_at IS NULL)
     ORDER BY cm.left_at IS NOT NULL, m.name, cm.joined_at`,
    [orgId, circleId, includePast],
  );
  return rows.map(
    (r): CircleMember => ({ memberId: r.member_id, name: r.name, joinedAt: r.joined_at, leftAt: r.left_at }),
  );
}

/** Current members of a circle, or everyone who has ever been in it. */
export async function listCircleMembers(
  db: Queryable,
  orgId: string,
  circleId: string,
  includePast: boolean,
) {
  const { rows } = await db.query("SELECT 1 FROM circles WHERE org_id = $1 AND id = $2", [orgId, circleId]);
  if (rows.length === 0) throw notFound("Circle", circleId);
  return loadCircleMembers(db, orgId, circleId, includePast);
}

async function lockCircle(tx: Queryable, orgId: string, circleId: string, mode: "UPDATE" | "SHARE") {
  const { rows } = await tx.query<CircleRow>(
    `SELECT * FROM circles WHERE org_id = $1 AND id = $2 FOR ${mode}`,
    [orgId, circleId],
  );
  const row = rows[0];
  if (!row) throw notFound("Circle", circleId);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    aim: row.aim,
    domain: row.domain,
    mandate: row.mandate,
    sunsetAt: row.sunset_at,
    archivedAt: row.archived_at,
  };
}

/** The parent a circle is placed under must be a live circle of the same organisation. */
async function lockParent(tx: Queryable, orgId: string, parentId: string) {
  const parent = await lockCircle(tx, orgId, parentId, "SHARE");
  if (parent.archivedAt) throw conflict("The parent circle is archived", { parentId });
  return parent;
}

const structuralRoleFields = (template: StructuralRoleTemplate): RoleFields => ({
  kind: template.kind,
  name: template.name,
  purpose: template.purpose,
  domain: "",
  accountabilities: [],
  termDays: template.termDays,
  requiredSkills: [],
  leadership: template.leadership,
  fillingPolicy: template.fillingPolicy,
  maxConsecutiveTerms: null,
});

async function createStructuralRoles(
  ctx: AppContext,
  { tx, now, log }: CommandScope,
  orgId: string,
  circleId: string,
  templates: readonly StructuralRoleTemplate[],
  actor: string,
) {
  for (const template of templates) {
    const roleId = ctx.newId();
    const fields = structuralRoleFields(template);
    await insertRole(tx, orgId, roleId, circleId, fields, now);
    log(roleCreatedEntry(actor, roleId, circleId, fields));
  }
}

export interface CreateCircleInput {
  name: string;
  kind: CircleKind;
  parentId: string | null;
  aim?: string | undefined;
  domain?: string | undefined;
  mandate?: string | undefined;
  sunsetAt?: Date | null | undefined;
  memberIds?: readonly string[] | undefined;
}

/** Creates a circle with its structural roles (facilitator; leader and delegate for a linked child). */
export async function createCircle(ctx: AppContext, orgId: string, viewer: Viewer, input: CreateCircleInput) {
  const circleId = ctx.newId() as CircleId;
  const fields = {
    name: input.name,
    kind: input.kind,
    parentId: input.parentId as CircleId | null,
    aim: input.aim ?? "",
    domain: input.domain ?? "",
    mandate: input.mandate ?? "",
    sunsetAt: input.sunsetAt ?? null,
  };
  const memberIds = [...new Set(input.memberIds ?? [])];
  await runCommand(ctx, orgId, async (scope) => {
    const { tx, now, log } = scope;
    if (fields.parentId !== null) await lockParent(tx, orgId, fields.parentId);
    if (!canCreateCircle(viewer, fields.parentId))
      throw forbidden(
        fields.parentId === null ? "create a top-level circle" : "create a circle inside that circle",
      );
    assertCircleShape(fields);
    if (fields.sunsetAt) assertSunsetAhead(fields.sunsetAt, now);
    await assertActiveMembers(tx, orgId, memberIds);
    await tx.query(
      `INSERT INTO circles (org_id, id, name, kind, parent_id, aim, domain, mandate, sunset_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        orgId,
        circleId,
        fields.name,
        fields.kind,
        fields.parentId,
        fields.aim,
        fields.domain,
        fields.mandate,
        fields.sunsetAt,
        now,
      ],
    );
    log({
      type: "circle.created",
      actor: viewer.memberId,
      payload: { circleId, ...fields, sunsetAt: fields.sunsetAt?.toISOString() ?? null },
    });
    await createStructuralRoles(ctx, scope, orgId, circleId, structuralRolesFor(fields), viewer.memberId);
    for (const memberId of memberIds) {
      await tx.query(
        "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
        [orgId, circleId, memberId, now],
      );
      log({
        type: "circle.member_added",
        actor: viewer.memberId,
        payload: { circleId, memberId, via: "added" },
      });
    }
  });
  return getCircle(ctx.db, orgId, circleId, ctx.now());
}

export interface UpdateCircleInput {
  name?: string | undefined;
  aim?: string | undefined;
  domain?: string | undefined;
  mandate?: string | undefined;
  sunsetAt?: Date | null | undefined;
  parentId?: string | null | undefined;
  archived?: true | undefined;
}

/**
 * Changes a circle, moves it under another parent (keeping its double-link roles in step) or archives it
 * (its roles are archived and their terms end; membership history stays).
 */
export async function updateCircle(
  ctx: AppContext,
  orgId: string,
  viewer: Viewer,
  circleId: string,
  input: UpdateCircleInput,
) {
  const { archived, parentId, ...fields } = input;
  const change = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Omit<UpdateCircleInput, "archived" | "parentId">;
  await runCommand(ctx, orgId, async (scope) => {
    const { tx, now, log } = scope;
    const parentGiven = parentId !== undefined;
    // A move reads the whole tree to rule out cycles; lock it (in one order) so that two moves cannot cross.
    const tree = parentGiven
      ? (
          await tx.query<{ id: CircleId; parent_id: CircleId | null }>(
            "SELECT id, parent_id FROM circles WHERE org_id = $1 ORDER BY id FOR UPDATE",
            [orgId],
          )
        ).rows
      : [];
    const circle = await lockCircle(tx, orgId, circleId, "UPDATE");
    if (circle.archivedAt) throw conflict("This circle is archived", { circleId });
    const can = circlePermissions(viewer, circle);
    const editing = Object.keys(change).length > 0;
    const next = {
      ...circle,
      ...change,
      parentId: parentGiven ? (parentId as CircleId | null) : circle.parentId,
    };
    const moves = next.parentId !== circle.parentId;
    // Anything but a pure move or archive (each the parent's matter) needs the circle's own stewardship.
    if ((editing || !(moves || archived)) && !can.update) throw forbidden("change this circle");
    if (moves) {
      if (!can.move || !canCreateCircle(viewer, next.parentId)) throw forbidden("move this circle there");
      if (next.parentId !== null) await lockParent(tx, orgId, next.parentId);
      const parents = new Map(tree.map((row) => [row.id, row.parent_id]));
      assertNoCycle(circle.id, next.parentId, (id) => parents.get(id) ?? null);
    }
    assertCircleShape(next);
    if (change.sunsetAt) assertSunsetAhead(change.sunsetAt, now);
    if (editing || moves) {
      await tx.query(
        `UPDATE circles SET name = $3, aim = $4, domain = $5, mandate = $6, sunset_at = $7, parent_id = $8
         WHERE org_id = $1 AND id = $2`,
        [orgId, circleId, next.name, next.aim, next.domain, next.mandate, next.sunsetAt, next.parentId],
      );
      const payload: Record<string, unknown> = { circleId, ...change };
      if (change.sunsetAt !== undefined) payload.sunsetAt = change.sunsetAt?.toISOString() ?? null;
      if (moves) payload.parentId = next.parentId;
      log({ type: "circle.updated", actor: viewer.memberId, payload });
    }
    if (moves) await keepStructuralRolesInStep(ctx, scope, orgId, next, viewer);
    if (archived) {
      if (!can.archive) throw forbidden("archive this circle");
      const children = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM circles WHERE org_id = $1 AND parent_id = $2 AND archived_at IS NULL",
        [orgId, circleId],
      );
      assertCanArchiveCircle(children.rows[0]?.n ?? 0);
      await tx.query("UPDATE circles SET archived_at = $3 WHERE org_id = $1 AND id = $2", [
        orgId,
        circleId,
        now,
      ]);
      log({ type: "circle.archived", actor: viewer.memberId, payload: { circleId } });
      const roles = await tx.query<{ id: string }>(
        "SELECT id FROM roles WHERE org_id = $1 AND circle_id = $2 AND archived_at IS NULL",
        [orgId, circleId],
      );
      await retireRoles(
        scope,
        orgId,
        roles.rows.map((r) => r.id),
        viewer.memberId,
      );
    }
  });
  return getCircle(ctx.db, orgId, circleId, ctx.now());
}

/** After a move, the circle has exactly the structural roles its new place calls for. */
async function keepStructuralRolesInStep(
  ctx: AppContext,
  scope: CommandScope,
  orgId: string,
  circle: { id: CircleId; kind: CircleKind; parentId: CircleId | null },
  viewer: Viewer,
) {
  const { rows } = await scope.tx.query<{ id: string; kind: StructuralRoleKind; archived_at: Date | null }>(
    `SELECT id, kind, archived_at FROM roles
     WHERE org_id = $1 AND circle_id = $2 AND kind IN ('facilitator', 'leader', 'delegate')`,
    [orgId, circle.id],
  );
  const idOf = (kind: StructuralRoleKind) => rows.find((r) => r.kind === kind)?.id as string;
  const plan = reconcileStructuralRoles(
    rows.map((r) => ({ kind: r.kind, archived: r.archived_at !== null })),
    circle,
  );
  await createStructuralRoles(ctx, scope, orgId, circle.id, plan.create, viewer.memberId);
  for (const kind of plan.restore) {
    await scope.tx.query("UPDATE roles SET archived_at = NULL WHERE org_id = $1 AND id = $2", [
      orgId,
      idOf(kind),
    ]);
    scope.log({
      type: "role.updated",
      actor: viewer.memberId,
      payload: { roleId: idOf(kind), circleId: circle.id, restored: true },
    });
  }
  await retireRoles(scope, orgId, plan.retire.map(idOf), viewer.memberId);
}

/** Adds a member to a circle: its stewards add anyone, and anyone may join a community of practice. */
export async function addCircleMember(
  ctx: AppContext,
  orgId: string,
  viewer: Viewer,
  circleId: string,
  memberId: string,
) {
  try {
    await runCommand(ctx, orgId, async ({ tx, now, log }) => {
      const circle = await lockCircle(tx, orgId, circleId, "SHARE");
      if (circle.archivedAt) throw conflict("This circle is archived", { circleId });
      const can = circlePermissions(viewer, circle);
      const self = memberId === viewer.memberId;
      if (!can.manageMembers && !(self && can.join)) throw forbidden("add members to this circle");
      await assertActiveMembers(tx, orgId, [memberId]);
      const current = await tx.query(
        "SELECT 1 FROM circle_members WHERE org_id = $1 AND circle_id = $2 AND member_id = $3 AND left_at IS NULL",
        [orgId, circleId, memberId],
      );
      if (current.rows.length > 0) throw conflict("Already a member of this circle", { memberId });
      await tx.query(
        "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
        [orgId, circleId, memberId, now],
      );
      log({
        type: "circle.member_added",
        actor: viewer.memberId,
        payload: { circleId, memberId, via: self ? "joined" : "added" },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("Already a member of this circle", { memberId });
    throw error;
  }
  const members = await loadCircleMembers(ctx.db, orgId, circleId, false);
  return members.find((m) => m.memberId === memberId) as CircleMember;
}

/** Ends a membership (the history is kept); stewards remove anyone, and anyone may leave. */
export async function removeCircleMember(
  ctx: AppContext,
  orgId: string,
  viewer: Viewer,
  circleId: string,
  memberId: string,
) {
  await runCommand(ctx, orgId, async ({ tx, now, log }) => {
    const circle = await lockCircle(tx, orgId, circleId, "SHARE");
    if (circle.archivedAt) throw conflict("This circle is archived", { circleId });
    if (!canRemoveCircleMember(viewer, circle, memberId as MemberId))
      throw forbidden("remove members from this circle");
    const { rowCount } = await tx.query(
      `UPDATE circle_members SET left_at = $4
       WHERE org_id = $1 AND circle_id = $2 AND member_id = $3 AND left_at IS NULL`,
      [orgId, circleId, memberId, now],
    );
    if (rowCount === 0) throw notFound("Circle membership", memberId);
    log({
      type: "circle.member_removed",
      actor: viewer.memberId,
      payload: { circleId, memberId, via: memberId === viewer.memberId ? "left" : "removed" },
    });
  });
}

/** The viewer after a write that may have changed which circles they take part in (for a fresh `can`). */
export async function refreshViewer(ctx: AppContext, orgId: string, viewer: Viewer): Promise<Viewer> {
  return { ...viewer, circleIds: await circleIdsOf(ctx.db, orgId, viewer.memberId, ctx.now()) };
}
