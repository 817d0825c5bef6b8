import type { OrgAccess, Viewer } from "../core/access.js";
import { circlesTakenPartIn } from "../core/circles.js";
import { notFound } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import { isUuidLike } from "../core/orgs.js";
import type { Queryable } from "../db/database.js";
import { type Org, type OrgRow, toOrg } from "./orgs.js";

export interface OrgViewer {
  org: Org;
  viewer: Viewer;
}

/**
 * Resolves an organisation (by id or slug) and who the user is inside it. A user who is not an active
 * member gets "not found": other organisations' existence is not revealed.
 */
export async function loadViewer(
  db: Queryable,
  orgRef: string,
  userId: string,
  now: Date,
): Promise<OrgViewer> {
  const column = isUuidLike(orgRef) ? "o.id" : "o.slug";
  const { rows } = await db.query<OrgRow & { member_id: string; access: OrgAccess }>(
    `SELECT o.*, m.id AS member_id, m.access FROM orgs o
     JOIN members m ON m.org_id = o.id AND m.user_id = $2 AND m.archived_at IS NULL
     WHERE ${column} = $1`,
    [orgRef, userId],
  );
  const row = rows[0];
  if (!row) throw notFound("Organisation", orgRef);
  const memberId = row.member_id as MemberId;
  return {
    org: toOrg(row),
    viewer: { memberId, access: row.access, circleIds: await circleIdsOf(db, row.id, memberId, now) },
  };
}

/** The circles a member takes part in now, including parents reached through a double link. */
export async function circleIdsOf(db: Queryable, orgId: string, memberId: MemberId, now: Date) {
  const memberships = await db.query<{ circle_id: CircleId }>(
    `SELECT cm.circle_id FROM circle_members cm JOIN circles c ON c.org_id = cm.org_id AND c.id = cm.circle_id
     WHERE cm.org_id = $1 AND cm.member_id = $2 AND cm.left_at IS NULL AND c.archived_at IS NULL`,
    [orgId, memberId],
  );
  const links = await db.query<{ child_circle_id: CircleId; child_parent_id: CircleId | null }>(
    `SELECT c.id AS child_circle_id, c.parent_id AS child_parent_id
     FROM assignments a
     JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
     JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
     WHERE a.org_id = $1 AND a.member_id = $2 AND NOT a.shadow AND r.kind IN ('leader', 'delegate')
       AND c.archived_at IS NULL AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)`,
    [orgId, memberId, now],
  );
  return circlesTakenPartIn(
    memberships.rows.map((r) => r.circle_id),
    links.rows.map((r) => ({ memberId, childCircleId: r.child_circle_id, childParentId: r.child_parent_id })),
  );
}
