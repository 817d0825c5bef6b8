import { type OrgAccess, orgPermissions, type Viewer } from "../core/access.js";
import type { AssignmentSource } from "../core/assignments.js";
import { canonicalJson } from "../core/canonical-json.js";
import type { CircleKind } from "../core/circles.js";
import { forbidden, notFound } from "../core/errors.js";
import type { AssignmentId, CircleId, MemberId, RoleId } from "../core/ids.js";
import { assertKeepsAnAdmin, cleanProfile, type MemberProfile, memberPermissions } from "../core/members.js";
import type { Queryable } from "../db/database.js";
import type { NewLogEntry } from "../db/log.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";

export interface Member {
  id: MemberId;
  name: string;
  access: OrgAccess;
  /** False for a record an admin made for someone who is not online; an invitation lets them claim it. */
  hasAccount: boolean;
  profile: MemberProfile;
  joinedAt: Date;
  archivedAt: Date | null;
}

export interface MemberDetail extends Member {
  circles: { id: CircleId; name: string; kind: CircleKind; since: Date }[];
  assignments: {
    id: AssignmentId;
    roleId: RoleId;
    roleName: string;
    circleId: CircleId;
    circleName: string;
    source: AssignmentSource;
    since: Date;
    until: Date | null;
    shadow: boolean;
  }[];
}

interface MemberRow {
  id: MemberId;
  user_id: string | null;
  name: string;
  access: OrgAccess;
  skills: MemberProfile["skills"];
  interests: string[];
  hours_available: number | null;
  mentoring_offered: string[];
  mentoring_wanted: string[];
  joined_at: Date;
  archived_at: Date | null;
}

const toMember = (row: MemberRow): Member => ({
  id: row.id,
  name: row.name,
  access: row.access,
  hasAccount: row.user_id !== null,
  profile: {
    skills: row.skills,
    interests: row.interests,
    hoursAvailable: row.hours_available,
    mentoringOffered: row.mentoring_offered,
    mentoringWanted: row.mentoring_wanted,
  },
  joinedAt: row.joined_at,
  archivedAt: row.archived_at,
});

export interface MemberFilter {
  access?: OrgAccess | undefined;
  /** Part of the name, any case. */
  q?: string | undefined;
  includeArchived?: boolean | undefined;
  limit: number;
  offset: number;
}

/** Members by name; archived ones only when asked for. */
export async function listMembers(db: Queryable, orgId: string, filter: MemberFilter) {
  const where = ["org_id = $1"];
  const params: unknown[] = [orgId];
  if (!filter.includeArchived) where.push("archived_at IS NULL");
  if (filter.access) {
    params.push(filter.access);
    where.push(`access = $${params.length}`);
  }
  if (filter.q) {
    params.push(`%${filter.q.replace(/[\\%_]/g, "\\$&")}%`);
    where.push(`name ILIKE $${params.length}`);
  }
  const condition = where.join(" AND ");
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM members WHERE ${condition}`,
    params,
  );
  const { rows } = await db.query<MemberRow>(
    `SELECT * FROM members WHERE ${condition} ORDER BY lower(name), id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filter.limit, filter.offset],
  );
  return { members: rows.map(toMember), total: total.rows[0]?.n ?? 0 };
}

/** A member with the circles they are in and the roles they hold now. Other organisations' ids are not found. */
export async function loadMember(db: Queryable, orgId: string, memberId: string, now: Date) {
  const { rows } = await db.query<MemberRow>("SELECT * FROM members WHERE org_id = $1 AND id = $2", [
    orgId,
    memberId,
  ]);
  const row = rows[0];
  if (!row) throw notFound("Member", memberId);
  const circles = await db.query<{ id: CircleId; name: string; kind: CircleKind; joined_at: Date }>(
    `SELECT c.id, c.name, c.kind, cm.joined_at FROM circle_members cm
     JOIN circles c ON c.org_id = cm.org_id AND c.id = cm.circle_id
     WHERE cm.org_id = $1 AND cm.member_id = $2 AND cm.left_at IS NULL AND c.archived_at IS NULL
     ORDER BY lower(c.name), c.id`,
    [orgId, memberId],
  );
  const assignments = await db.query<{
    id: AssignmentId;
    role_id: RoleId;
    role_name: string;
    circle_id: CircleId;
    circle_name: string;
    source: AssignmentSource;
    starts_at: Date;
    ends_at: Date | null;
    shadow: boolean;
  }>(
    `SELECT a.id, a.role_id, r.name AS role_name, c.id AS circle_id, c.name AS circle_name, a.source,
            a.starts_at, a.ends_at, a.shadow
     FROM assignments a
     JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
     JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
     WHERE a.org_id = $1 AND a.member_id = $2 AND r.archived_at IS NULL AND c.archived_at IS NULL
       AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)
     ORDER BY a.starts_at, a.id`,
    [orgId, memberId, now],
  );
  return {
    ...toMember(row),
    circles: circles.rows.map((c) => ({ id: c.id, name: c.name, kind: c.kind, since: c.joined_at })),
    assignments: assignments.rows.map((a) => ({
      id: a.id,
      roleId: a.role_id,
      roleName: a.role_name,
      circleId: a.circle_id,
      circleName: a.circle_name,
      source: a.source,
      since: a.starts_at,
      until: a.ends_at,
      shadow: a.shadow,
    })),
  } satisfies MemberDetail;
}

export interface NewMember extends Partial<MemberProfile> {
  name: string;
  access?: OrgAccess | undefined;
}

/** An admin records a member who is not online (yet); an invitation can later let them claim the record. */
export async function addMember(ctx: AppContext, org: Org, viewer: Viewer, input: NewMember) {
  if (!orgPermissions(viewer).manageMembers) throw forbidden("add members");
  const { name, access = "member", ...profileInput } = input;
  const profile = cleanProfile(profileInput);
  const memberId = ctx.newId() as MemberId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    await tx.query(
      `INSERT INTO members (org_id, id, name, access, skills, interests, hours_available, mentoring_offered,
                            mentoring_wanted, joined_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        org.id,
        memberId,
        name.trim(),
        access,
        JSON.stringify(profile.skills ?? []),
        JSON.stringify(profile.interests ?? []),
        profile.hoursAvailable ?? null,
        JSON.stringify(profile.mentoringOffered ?? []),
        JSON.stringify(profile.mentoringWanted ?? []),
        now,
      ],
    );
    log({
      type: "member.joined",
      actor: viewer.memberId,
      payload: { memberId, name: name.trim(), access, via: "added_by_admin", ...profile },
    });
    return loadMember(tx, org.id, memberId, now);
  });
  return result;
}

export interface MemberChange extends Partial<MemberProfile> {
  name?: string | undefined;
  access?: OrgAccess | undefined;
  archived?: true | undefined;
}

/**
 * Changes a member record. The member edits their own name and profile; an admin changes access or
 * archives, never someone else's profile. The organisation keeps at least one admin who can log in.
 */
export async function updateMember(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  memberId: string,
  change: MemberChange,
) {
  const { access, archived, name, ...profileChange } = change;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    // Membership changes of one organisation queue here, so two admins demoting each other at once
    // cannot both pass the last-admin check (NO KEY UPDATE leaves inserts referencing the org unblocked).
    await tx.query("SELECT id FROM orgs WHERE id = $1 FOR NO KEY UPDATE", [org.id]);
    // Under the lock, the caller acts with the access they have now, not when the request began.
    const caller = await tx.query<{ access: OrgAccess }>(
      "SELECT access FROM members WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
      [org.id, viewer.memberId],
    );
    const acting: Viewer = { ...viewer, access: caller.rows[0]?.access ?? "observer" };
    const { rows } = await tx.query<MemberRow>("SELECT * FROM members WHERE org_id = $1 AND id = $2", [
      org.id,
      memberId,
    ]);
    const row = rows[0];
    if (!row) throw notFound("Member", memberId);
    const member = toMember(row);
    const can = memberPermissions(acting, member);
    const editsProfile = name !== undefined || Object.keys(profileChange).length > 0;
    if (editsProfile && !can.updateProfile) throw forbidden("edit this member's profile");
    if (access !== undefined && !can.changeAccess) throw forbidden("change this member's access");
    if (archived && !can.archive) throw forbidden("archive this member");

    const act = (entry: Omit<NewLogEntry, "actor">) => log({ ...entry, actor: viewer.memberId });
    if (editsProfile) {
      const changed = changedFields(member, { ...cleanProfile(profileChange), name: name?.trim() });
      if (changed) {
        await writeProfile(tx, org.id, member.id, changed);
        act({ type: "member.updated", payload: { memberId: member.id, ...changed } });
      }
    }
    let currentAccess = member.access;
    if (access !== undefined && access !== member.access) {
      await assertAdminRemains(tx, org.id, row, access);
      await tx.query("UPDATE members SET access = $3 WHERE org_id = $1 AND id = $2", [
        org.id,
        member.id,
        access,
      ]);
      act({
        type: "member.access_changed",
        payload: { memberId: member.id, from: member.access, to: access },
      });
      currentAccess = access;
    }
    if (archived) {
      await assertAdminRemains(tx, org.id, { ...row, access: currentAccess }, "archived");
      await archiveMember(tx, org.id, member.id, now, act);
    }
    return loadMember(tx, org.id, member.id, now);
  });
  return result;
}

const PROFILE_COLUMNS = {
  name: "name",
  skills: "skills",
  interests: "interests",
  hoursAvailable: "hours_available",
  mentoringOffered: "mentoring_offered",
  mentoringWanted: "mentoring_wanted",
} as const;
type ProfileField = keyof typeof PROFILE_COLUMNS;

/** The edited fields whose values differ from the record's, or null when the edit changes nothing. */
function changedFields(member: Member, edit: Partial<MemberProfile> & { name?: string | undefined }) {
  const current: Record<ProfileField, unknown> = { name: member.name, ...member.profile };
  const changed: Partial<Record<ProfileField, unknown>> = {};
  for (const field of Object.keys(PROFILE_COLUMNS) as ProfileField[]) {
    const value = edit[field];
    // jsonb keeps object keys in its own order, so compare canonical forms.
    if (value !== undefined && canonicalJson(value) !== canonicalJson(current[field])) changed[field] = value;
  }
  return Object.keys(changed).length > 0 ? changed : null;
}

async function writeProfile(
  tx: Queryable,
  orgId: string,
  memberId: MemberId,
  changed: Partial<Record<ProfileField, unknown>>,
) {
  const fields = Object.keys(changed) as ProfileField[];
  const columns = fields.map((field, i) => `${PROFILE_COLUMNS[field]} = $${i + 3}`);
  const values = fields.map((field) => {
    const value = changed[field];
    return typeof value === "object" && value !== null ? JSON.stringify(value) : value;
  });
  await tx.query(`UPDATE members SET ${columns.join(", ")} WHERE org_id = $1 AND id = $2`, [
    orgId,
    memberId,
    ...values,
  ]);
}

async function assertAdminRemains(
  tx: Queryable,
  orgId: string,
  member: Pick<MemberRow, "user_id" | "access">,
  to: OrgAccess | "archived",
) {
  // A record without an account never counts as an admin, so changing it cannot leave the org without one.
  if (member.user_id === null) return;
  const admins = await tx.query(
    "SELECT id FROM members WHERE org_id = $1 AND access = 'admin' AND archived_at IS NULL AND user_id IS NOT NULL",
    [orgId],
  );
  assertKeepsAnAdmin(admins.rows.length, { from: member.access, to });
}

/**
 * Archiving ends, at `now`, the member's circle memberships and role assignments (one starting later is
 * closed before it begins), withdraws invitations to claim the record, and logs each of these.
 */
async function archiveMember(
  tx: Queryable,
  orgId: string,
  memberId: MemberId,
  now: Date,
  log: (entry: Omit<NewLogEntry, "actor">) => void,
) {
  const reason = "member_archived";
  const left = await tx.query<{ circle_id: CircleId }>(
    `UPDATE circle_members SET left_at = $3 WHERE org_id = $1 AND member_id = $2 AND left_at IS NULL
     RETURNING circle_id`,
    [orgId, memberId, now],
  );
  for (const { circle_id } of left.rows)
    log({ type: "circle.member_removed", payload: { circleId: circle_id, memberId, reason } });
  const ended = await tx.query<{ id: AssignmentId; role_id: RoleId; ends_at: Date }>(
    `UPDATE assignments SET ends_at = GREATEST(starts_at, $3)
     WHERE org_id = $1 AND member_id = $2 AND (ends_at IS NULL OR ends_at > $3)
     RETURNING id, role_id, ends_at`,
    [orgId, memberId, now],
  );
  for (const a of ended.rows)
    log({
      type: "assignment.ended",
      payload: { assignmentId: a.id, roleId: a.role_id, memberId, endsAt: a.ends_at.toISOString(), reason },
    });
  const withdrawn = await tx.query<{ id: string }>(
    `UPDATE invitations SET revoked_at = $3
     WHERE org_id = $1 AND member_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3
     RETURNING id`,
    [orgId, memberId, now],
  );
  for (const { id } of withdrawn.rows)
    log({ type: "invitation.revoked", payload: { invitationId: id, reason } });
  await tx.query("UPDATE members SET archived_at = $3 WHERE org_id = $1 AND id = $2", [orgId, memberId, now]);
  log({ type: "member.archived", payload: { memberId } });
}
