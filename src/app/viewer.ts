import type { OrgAccess, Viewer } from "../core/access.js";
import { circlesTakenPartIn } from "../core/circles.js";
import { notFound } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import { isUuidLike } from "../core/orgs.js";
import type { Queryable } from "../db/database.js";
import { batchedReads, perOwner } from "./batched-reads.js";
import { type Org, type OrgRow, toOrg } from "./orgs.js";

export interface OrgViewer {
  org: Org;
  viewer: Viewer;
}

interface ViewerKey {
  orgRef: string;
  userId: string;
  now: Date;
}

export type ViewerRow = OrgRow & {
  member_id: MemberId;
  access: OrgAccess;
  circle_ids: CircleId[];
  links: { child: CircleId; parent: CircleId | null }[];
};

/**
 * Who member `m` is in organisation `o` at the moment `at` (an SQL expression): the organisation's columns,
 * the member's access, the circles they take part in and the double links they carry.
 */
export const viewerColumns = (at: string) => `o.*, m.id AS member_id, m.access,
  ARRAY(SELECT cm.circle_id::text FROM circle_members cm JOIN circles c ON c.org_id = cm.org_id AND c.id = cm.circle_id
        WHERE cm.org_id = o.id AND cm.member_id = m.id AND cm.left_at IS NULL AND c.archived_at IS NULL) AS circle_ids,
  coalesce((SELECT json_agg(json_build_object('child', c.id, 'parent', c.parent_id))
     FROM assignments a
     JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
     JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
     WHERE a.org_id = o.id AND a.member_id = m.id AND NOT a.shadow AND r.kind IN ('leader', 'delegate')
       AND c.archived_at IS NULL AND a.starts_at <= ${at} AND (a.ends_at IS NULL OR a.ends_at > ${at})), '[]') AS links`;

export function toOrgViewer(row: ViewerRow): OrgViewer {
  const memberId = row.member_id;
  const circleIds = circlesTakenPartIn(
    row.circle_ids,
    row.links.map((l) => ({ memberId, childCircleId: l.child, childParentId: l.parent })),
  );
  return { org: toOrg(row), viewer: { memberId, access: row.access, circleIds } };
}

/** An organisation reference split for `o.id = <id> OR o.slug = <slug>`: one of the two is null. */
export const orgRefColumns = (orgRef: string) =>
  isUuidLike(orgRef) ? { id: orgRef, slug: null } : { id: null, slug: orgRef };

/** Each wanted (organisation, user, moment) with the member's circles and double links, in one statement. */
const LOAD_VIEWERS = `
WITH wanted AS (
  SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[]) AS w(i, org_id, slug, user_id, at))
SELECT w.i, ${viewerColumns("w.at")}
FROM wanted w
JOIN orgs o ON o.id = w.org_id OR o.slug = w.slug
JOIN members m ON m.org_id = o.id AND m.user_id = w.user_id AND m.archived_at IS NULL`;

const viewerReader = perOwner((db: Queryable) =>
  batchedReads<ViewerKey, OrgViewer>(
    async (keys) => {
      const refs = keys.map((k) => orgRefColumns(k.orgRef));
      const { rows } = await db.query<ViewerRow & { i: number }>(LOAD_VIEWERS, [
        keys.map((_, i) => i),
        refs.map((ref) => ref.id),
        refs.map((ref) => ref.slug),
        keys.map((k) => k.userId),
        keys.map((k) => k.now),
      ]);
      const byIndex = new Map(rows.map((row) => [row.i, row]));
      return keys.map((key, i) => {
        const row = byIndex.get(i);
        return row ? toOrgViewer(row) : notFound("Organisation", key.orgRef);
      });
    },
    (key) => `${key.orgRef} ${key.userId} ${key.now.getTime()}`,
  ),
);

/**
 * Resolves an organisation (by id or slug) and who the user is inside it. A user who is not an active
 * member gets "not found": other organisations' existence is not revealed. Concurrent requests are
 * read together (see batched-reads.ts).
 */
export function loadViewer(db: Queryable, orgRef: string, userId: string, now: Date): Promise<OrgViewer> {
  return viewerReader(db).load({ orgRef, userId, now });
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
