import type { Viewer } from "../core/access.js";
import {
  type AssignmentSource,
  assertDirectAssignment,
  assertEndChange,
  assertNotAlreadyHolding,
  assignmentPermissions,
  hasEndedAt,
  isActiveAt,
  termEnd,
} from "../core/assignments.js";
import { conflict, forbidden, notFound } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import { type FillingPolicy, type RoleKind, rolePermissions } from "../core/roles.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";

export interface Assignment {
  id: string;
  roleId: string;
  memberId: MemberId;
  /** The holder's name in the organisation. */
  name: string;
  startsAt: Date;
  endsAt: Date | null;
  source: AssignmentSource;
  shadow: boolean;
  handoverNotes: string;
}

interface AssignmentRow {
  id: string;
  role_id: string;
  member_id: MemberId;
  name: string;
  starts_at: Date;
  ends_at: Date | null;
  source: AssignmentSource;
  shadow: boolean;
  handover_notes: string;
}

const toAssignment = (row: AssignmentRow): Assignment => ({
  id: row.id,
  roleId: row.role_id,
  memberId: row.member_id,
  name: row.name,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  source: row.source,
  shadow: row.shadow,
  handoverNotes: row.handover_notes,
});

const SELECT_ASSIGNMENTS = `SELECT a.id, a.role_id, a.member_id, m.name, a.starts_at, a.ends_at, a.source, a.shadow,
  a.handover_notes FROM assignments a JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id`;

/** Who holds each of the given roles now, shadows included; holders before shadows, earliest first. */
export async function currentHolders(db: Queryable, orgId: string, roleIds: readonly string[], now: Date) {
  const { rows } = await db.query<AssignmentRow>(
    `${SELECT_ASSIGNMENTS}
     WHERE a.org_id = $1 AND a.role_id = ANY($2::uuid[]) AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)
     ORDER BY a.shadow, a.starts_at, a.id`,
    [orgId, roleIds, now],
  );
  const byRole = new Map<string, Assignment[]>();
  for (const row of rows) {
    const list = byRole.get(row.role_id) ?? [];
    list.push(toAssignment(row));
    byRole.set(row.role_id, list);
  }
  return byRole;
}

/** Every assignment a role has had, will have or has now, latest start first. */
export async function listAssignments(db: Queryable, orgId: string, roleId: string) {
  const { rows } = await db.query<AssignmentRow>(
    `${SELECT_ASSIGNMENTS} WHERE a.org_id = $1 AND a.role_id = $2 ORDER BY a.starts_at DESC, a.created_at DESC, a.id`,
    [orgId, roleId],
  );
  return rows.map(toAssignment);
}

/** Every term a member has held, holds or will hold, in any role, newest first. */
export async function listMemberAssignments(db: Queryable, orgId: string, memberId: string) {
  const { rows } = await db.query<AssignmentRow>(
    `${SELECT_ASSIGNMENTS} WHERE a.org_id = $1 AND a.member_id = $2
     ORDER BY a.starts_at DESC, a.created_at DESC, a.id`,
    [orgId, memberId],
  );
  return rows.map(toAssignment);
}

/** What a role's next holder reads when it is handed on (see `handoverOf`). */
export interface Handover {
  /** The last holder whose term has ended, with the notes they left. */
  previous: Assignment | null;
  /** Who holds the role now: their notes are for whoever is lined up or shadowing. */
  current: Assignment[];
  /** Who is lined up to hold it next, earliest first. */
  next: Assignment[];
}

/** A role's handover at `now`. Shadows learn beside the holder and hand nothing on, so they are left out. */
export async function handoverOf(db: Queryable, orgId: string, roleId: string, now: Date): Promise<Handover> {
  const terms = (await listAssignments(db, orgId, roleId)).filter((a) => !a.shadow);
  // A term closed at its start (lined up, then superseded) was never held and has nothing to hand on.
  const held = (a: Assignment) => a.endsAt === null || a.endsAt.getTime() > a.startsAt.getTime();
  return {
    previous: terms.find((a) => hasEndedAt(a, now) && held(a)) ?? null,
    current: terms.filter((a) => isActiveAt(a, now)),
    next: terms.filter((a) => a.startsAt.getTime() > now.getTime()).reverse(),
  };
}

async function loadAssignment(db: Queryable, orgId: string, roleId: string, assignmentId: string) {
  const { rows } = await db.query<AssignmentRow>(
    `${SELECT_ASSIGNMENTS} WHERE a.org_id = $1 AND a.role_id = $2 AND a.id = $3`,
    [orgId, roleId, assignmentId],
  );
  const row = rows[0];
  if (!row) throw notFound("Assignment", assignmentId);
  return toAssignment(row);
}

/** The role an assignment belongs to, locked so that assignments to it are recorded one at a time. */
async function lockRoleForAssignment(tx: Queryable, orgId: string, roleId: string) {
  const { rows } = await tx.query<{
    circle_id: CircleId;
    kind: RoleKind;
    filling_policy: FillingPolicy;
    term_days: number | null;
    archived_at: Date | null;
  }>(
    `SELECT circle_id, kind, filling_policy, term_days, archived_at FROM roles
     WHERE org_id = $1 AND id = $2 FOR UPDATE`,
    [orgId, roleId],
  );
  const row = rows[0];
  if (!row) throw notFound("Role", roleId);
  return {
    circleId: row.circle_id,
    kind: row.kind,
    fillingPolicy: row.filling_policy,
    termDays: row.term_days,
    archivedAt: row.archived_at,
  };
}

/** The member must exist in this organisation (else not found) and not be archived. */
export async function assertActiveMembers(tx: Queryable, orgId: string, memberIds: readonly string[]) {
  if (memberIds.length === 0) return;
  const { rows } = await tx.query<{ id: string; archived_at: Date | null }>(
    "SELECT id, archived_at FROM members WHERE org_id = $1 AND id = ANY($2::uuid[])",
    [orgId, memberIds],
  );
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const memberId of memberIds) {
    const member = found.get(memberId);
    if (!member) throw notFound("Member", memberId);
    if (member.archived_at) throw conflict("This member has been archived", { memberId });
  }
}

export interface RecordAssignmentInput {
  memberId: string;
  source?: AssignmentSource | undefined;
  startsAt?: Date | undefined;
  /** Absent: the role's term from the start; null: open-ended (appointed roles only). */
  endsAt?: Date | null | undefined;
  shadow?: boolean | undefined;
  handoverNotes?: string | undefined;
}

/** Records an appointment or a founding holder of a role; elections, rotations and crises make their own. */
export async function recordAssignment(
  ctx: AppContext,
  orgId: string,
  viewer: Viewer,
  roleId: string,
  input: RecordAssignmentInput,
) {
  const assignmentId = ctx.newId();
  await runCommand(ctx, orgId, async ({ tx, now, log }) => {
    const role = await lockRoleForAssignment(tx, orgId, roleId);
    if (role.archivedAt) throw conflict("This role is archived", { roleId });
    if (!rolePermissions(viewer, role).assign) throw forbidden("assign this role");
    await assertActiveMembers(tx, orgId, [input.memberId]);
    const source = input.source ?? "appointment";
    const startsAt = input.startsAt ?? now;
    const endsAt = input.endsAt === undefined ? termEnd(startsAt, role.termDays) : input.endsAt;
    const shadow = input.shadow ?? false;
    assertDirectAssignment({ source, startsAt, endsAt, fillingPolicy: role.fillingPolicy });
    const held = (await listAssignments(tx, orgId, roleId)).filter((a) => a.memberId === input.memberId);
    assertNotAlreadyHolding(held, { memberId: input.memberId as MemberId, startsAt, endsAt, shadow });
    await tx.query(
      `INSERT INTO assignments
         (org_id, id, role_id, member_id, starts_at, ends_at, source, shadow, handover_notes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        orgId,
        assignmentId,
        roleId,
        input.memberId,
        startsAt,
        endsAt,
        source,
        shadow,
        input.handoverNotes ?? "",
        now,
      ],
    );
    log({
      type: "assignment.created",
      actor: viewer.memberId,
      payload: {
        assignmentId,
        roleId,
        circleId: role.circleId,
        memberId: input.memberId,
        source,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt?.toISOString() ?? null,
        shadow,
      },
    });
  });
  return loadAssignment(ctx.db, orgId, roleId, assignmentId);
}

export interface UpdateAssignmentInput {
  endsAt?: Date | null | undefined;
  handoverNotes?: string | undefined;
}

/** Ends a term early (or moves an appointment's end) and keeps handover notes for the next holder. */
export async function updateAssignment(
  ctx: AppContext,
  orgId: string,
  viewer: Viewer,
  roleId: string,
  assignmentId: string,
  change: UpdateAssignmentInput,
) {
  await runCommand(ctx, orgId, async ({ tx, now, log }) => {
    const role = await lockRoleForAssignment(tx, orgId, roleId);
    const assignment = await loadAssignment(tx, orgId, roleId, assignmentId);
    const can = assignmentPermissions(viewer, role, assignment, now);
    const payload: Record<string, unknown> = { assignmentId, roleId, memberId: assignment.memberId };
    if (change.endsAt !== undefined) {
      if (!rolePermissions(viewer, role).assign) throw forbidden("change when this assignment ends");
      assertEndChange(assignment, role.fillingPolicy, change.endsAt, now);
      const others = (await listAssignments(tx, orgId, roleId)).filter(
        (a) => a.memberId === assignment.memberId && a.id !== assignment.id,
      );
      assertNotAlreadyHolding(others, { ...assignment, endsAt: change.endsAt });
      await tx.query("UPDATE assignments SET ends_at = $3 WHERE org_id = $1 AND id = $2", [
        orgId,
        assignmentId,
        change.endsAt,
      ]);
      payload.endsAt = change.endsAt?.toISOString() ?? null;
    }
    if (change.handoverNotes !== undefined) {
      if (!can.writeHandoverNotes) throw forbidden("write handover notes for this assignment");
      await tx.query("UPDATE assignments SET handover_notes = $3 WHERE org_id = $1 AND id = $2", [
        orgId,
        assignmentId,
        change.handoverNotes,
      ]);
      payload.handoverNotes = change.handoverNotes;
    }
    if (change.endsAt === undefined && change.handoverNotes === undefined) return;
    const endsNow = change.endsAt !== undefined && change.endsAt !== null && change.endsAt <= now;
    log({ type: endsNow ? "assignment.ended" : "assignment.updated", actor: viewer.memberId, payload });
  });
  return loadAssignment(ctx.db, orgId, roleId, assignmentId);
}

/**
 * Ends, as of now, every assignment of the given roles that has not ended yet (when a role or its circle
 * is retired); one not yet started is closed at its start, so it is never held.
 */
export async function endAssignmentsOfRoles(
  { tx, now, log }: CommandScope,
  orgId: string,
  roleIds: readonly string[],
  actor: string,
) {
  if (roleIds.length === 0) return;
  const { rows } = await tx.query<{ id: string; role_id: string; member_id: string; ends_at: Date }>(
    `UPDATE assignments SET ends_at = GREATEST(starts_at, $3)
     WHERE org_id = $1 AND role_id = ANY($2::uuid[]) AND (ends_at IS NULL OR ends_at > $3)
     RETURNING id, role_id, member_id, ends_at`,
    [orgId, roleIds, now],
  );
  for (const row of rows)
    log({
      type: "assignment.ended",
      actor,
      payload: {
        assignmentId: row.id,
        roleId: row.role_id,
        memberId: row.member_id,
        endsAt: row.ends_at.toISOString(),
        reason: "role_retired",
      },
    });
}
