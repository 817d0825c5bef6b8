import { takesPartIn, type Viewer } from "../core/access.js";
import { requireText } from "../core/consent/proposal.js";
import { conflict, forbidden, invalid, notFound } from "../core/errors.js";
import type { Brand, CircleId, MemberId } from "../core/ids.js";
import type { Queryable } from "../db/database.js";
import { addCircleMember } from "./circles.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";

// A community of practice is a circle of kind `community_of_practice` (src/core/circles.ts): open to
// join, no domain, no decisions. What it adds here is being found by skill or interest, and advice it
// publishes to circles.

export type AdviceId = Brand<string, "AdviceId">;

export interface Community {
  id: CircleId;
  name: string;
  aim: string;
  memberCount: number;
  /** Current members whose profile names the skill or interest asked for (null when nothing is asked). */
  matchingMembers: number | null;
}

export interface CommunityFilter {
  skill?: string | undefined;
  interest?: string | undefined;
}

/**
 * The organisation's active communities of practice. A skill (or interest) matches a community when one
 * of its current members lists it in their profile (the name, case aside: people gather around what
 * they practise) or when the community's name or aim mentions it (a new community has few members yet).
 * Given both, a community matches both. Those with the most matching members come first.
 */
export async function listCommunities(db: Queryable, org: Org, filter: CommunityFilter) {
  const skill = filter.skill?.trim() || null;
  const interest = filter.interest?.trim() || null;
  const { rows } = await db.query<Community>(
    `WITH community AS (
       SELECT c.id, c.name, c.aim, lower(c.name || ' ' || c.aim) AS words,
         count(cm.member_id)::int AS member_count,
         count(*) FILTER (WHERE profile.has_skill)::int AS with_skill,
         count(*) FILTER (WHERE profile.has_interest)::int AS with_interest,
         count(*) FILTER (WHERE profile.has_skill OR profile.has_interest)::int AS matching
       FROM circles c
       LEFT JOIN circle_members cm ON cm.org_id = c.org_id AND cm.circle_id = c.id AND cm.left_at IS NULL
       LEFT JOIN members m ON m.org_id = cm.org_id AND m.id = cm.member_id AND m.archived_at IS NULL
       LEFT JOIN LATERAL (SELECT
           EXISTS (SELECT 1 FROM jsonb_array_elements(m.skills) s WHERE lower(s ->> 'skill') = lower($2)) AS has_skill,
           EXISTS (SELECT 1 FROM jsonb_array_elements_text(m.interests) i WHERE lower(i) = lower($3)) AS has_interest
         ) profile ON m.id IS NOT NULL
       WHERE c.org_id = $1 AND c.kind = 'community_of_practice' AND c.archived_at IS NULL
       GROUP BY c.id, c.name, c.aim)
     SELECT id, name, aim, member_count AS "memberCount",
       CASE WHEN $2::text IS NULL AND $3::text IS NULL THEN NULL ELSE matching END AS "matchingMembers"
     FROM community
     WHERE ($2::text IS NULL OR with_skill > 0 OR position(lower($2) IN words) > 0)
       AND ($3::text IS NULL OR with_interest > 0 OR position(lower($3) IN words) > 0)
     ORDER BY matching DESC, name, id`,
    [org.id, skill, interest],
  );
  return rows;
}

async function lockCommunity(tx: Queryable, orgId: string, communityId: string) {
  const { rows } = await tx.query<{ id: CircleId; archived_at: Date | null }>(
    "SELECT id, archived_at FROM circles WHERE org_id = $1 AND id = $2 AND kind = 'community_of_practice' FOR SHARE",
    [orgId, communityId],
  );
  const community = rows[0];
  if (!community) throw notFound("Community of practice", communityId);
  if (community.archived_at) throw conflict("This community is archived", { communityId });
  return community;
}

/** Anyone who acts may join a community of practice: the circles' own self-join, asked of a community. */
export async function joinCommunity(ctx: AppContext, org: Org, viewer: Viewer, communityId: string) {
  const { rows } = await ctx.db.query(
    "SELECT 1 FROM circles WHERE org_id = $1 AND id = $2 AND kind = 'community_of_practice'",
    [org.id, communityId],
  );
  if (rows.length === 0) throw notFound("Community of practice", communityId);
  return addCircleMember(ctx, org.id, viewer, communityId, viewer.memberId);
}

/** Its members speak for a community; anyone else's advice is their own. */
export const publishesAdviceFor = (viewer: Viewer, communityId: CircleId) => takesPartIn(viewer, communityId);

export interface Advice {
  id: AdviceId;
  communityId: CircleId;
  communityName: string;
  circleId: CircleId;
  authorId: MemberId;
  text: string;
  publishedAt: Date;
}

/**
 * A community of practice publishes advice to a circle: a record shown on that circle. It holds no
 * domain, so advice decides nothing; the circle may take it up in a proposal of its own.
 */
export async function publishAdvice(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  communityId: string,
  input: { circleId: string; text: string },
) {
  const id = ctx.newId() as AdviceId;
  await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const community = await lockCommunity(tx, org.id, communityId);
    if (!publishesAdviceFor(viewer, community.id)) throw forbidden("publish advice for this community");
    if (input.circleId === communityId)
      throw invalid("A community advises other circles", { field: "circleId" });
    const { rows } = await tx.query(
      "SELECT 1 FROM circles WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
      [org.id, input.circleId],
    );
    if (rows.length === 0) throw invalid("No such active circle", { field: "circleId" });
    const text = requireText(input.text, "text", "Advice");
    await tx.query(
      `INSERT INTO community_advice (org_id, id, community_id, circle_id, author_id, text, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [org.id, id, communityId, input.circleId, viewer.memberId, text, now],
    );
    log({
      type: "community.advice_published",
      actor: viewer.memberId,
      payload: { adviceId: id, communityId, circleId: input.circleId, text },
    });
  });
  const [advice] = await loadAdvice(ctx.db, org.id, { id });
  return advice as Advice;
}

async function loadAdvice(
  db: Queryable,
  orgId: string,
  filter: { id?: string; circleId?: string; limit?: number; offset?: number },
) {
  const { rows } = await db.query<{
    id: AdviceId;
    community_id: CircleId;
    community_name: string;
    circle_id: CircleId;
    author_id: MemberId;
    text: string;
    published_at: Date;
  }>(
    `SELECT a.*, c.name AS community_name FROM community_advice a
       JOIN circles c ON c.org_id = a.org_id AND c.id = a.community_id
     WHERE a.org_id = $1 AND ($2::uuid IS NULL OR a.id = $2) AND ($3::uuid IS NULL OR a.circle_id = $3)
     ORDER BY a.published_at DESC, a.id LIMIT $4 OFFSET $5`,
    [orgId, filter.id ?? null, filter.circleId ?? null, filter.limit ?? 1, filter.offset ?? 0],
  );
  return rows.map(
    (r): Advice => ({
      id: r.id,
      communityId: r.community_id,
      communityName: r.community_name,
      circleId: r.circle_id,
      authorId: r.author_id,
      text: r.text,
      publishedAt: r.published_at,
    }),
  );
}

/** The advice communities have published to a circle, newest first; open to every member. */
export async function adviceForCircle(
  db: Queryable,
  org: Org,
  circleId: string,
  page: { limit: number; offset: number },
) {
  const { rows } = await db.query("SELECT 1 FROM circles WHERE org_id = $1 AND id = $2", [org.id, circleId]);
  if (rows.length === 0) throw notFound("Circle", circleId);
  const advice = await loadAdvice(db, org.id, { circleId, limit: page.limit + 1, offset: page.offset });
  return { advice: advice.slice(0, page.limit), hasMore: advice.length > page.limit };
}
