import ical, { type ICalCalendar, type ICalEventData } from "ical-generator";
import type { Viewer } from "../core/access.js";
import { readsCircleGovernance } from "../core/consent/reading.js";
import { notFound } from "../core/errors.js";
import type { CircleId } from "../core/ids.js";
import type { Meeting } from "../core/meetings.js";
import type { Queryable } from "../db/database.js";
import type { AppContext } from "./context.js";
import { meetingsOfCircles } from "./meetings.js";
import { type Org, type OrgRow, toOrg } from "./orgs.js";
import { newSecret, secretKey } from "./secrets.js";
import { circleIdsOf } from "./viewer.js";

/** How far back a feed reaches: calendar apps keep what they saw, and recent history helps. */
const FEED_HISTORY_DAYS = 90;
const PRODUCT_ID = { company: "Polyphony", product: "Polyphony", language: "EN" };

// Stable UIDs: a calendar app that reads the feed again updates these events rather than adding copies.
export const meetingUid = (meetingId: string) => `meeting-${meetingId}@polyphony`;
export const termEndUid = (assignmentId: string) => `term-end-${assignmentId}@polyphony`;
export const reviewUid = (proposalId: string) => `decision-review-${proposalId}@polyphony`;

/**
 * Creates the member's calendar feed, or rotates it: the new secret replaces the old one, whose URL stops
 * working at once. The secret is returned this once; only its hash is kept.
 */
export async function createCalendarFeed(ctx: AppContext, org: Org, viewer: Viewer) {
  const token = newSecret("pcal_");
  const now = ctx.now();
  await ctx.db.query(
    `INSERT INTO calendar_feeds (org_id, member_id, token_hash, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org_id, member_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`,
    [org.id, viewer.memberId, secretKey(token), now],
  );
  return { token, createdAt: now };
}

/** The organisation and member a feed secret belongs to; an unknown secret or a departed member is "not found". */
async function feedOwner(db: Queryable, token: string, now: Date): Promise<{ org: Org; viewer: Viewer }> {
  const { rows } = await db.query<OrgRow & { member_id: Viewer["memberId"]; access: Viewer["access"] }>(
    `SELECT o.*, m.id AS member_id, m.access FROM calendar_feeds f
       JOIN members m ON m.org_id = f.org_id AND m.id = f.member_id AND m.archived_at IS NULL
       JOIN orgs o ON o.id = f.org_id AND o.archived_at IS NULL
     WHERE f.token_hash = $1`,
    [secretKey(token)],
  );
  const row = rows[0];
  if (!row) throw notFound("Calendar feed");
  const circleIds = await circleIdsOf(db, row.id, row.member_id, now);
  return { org: toOrg(row), viewer: { memberId: row.member_id, access: row.access, circleIds } };
}

async function circleNames(db: Queryable, orgId: string, circleIds: readonly string[]) {
  const { rows } = await db.query<{ id: string; name: string }>(
    "SELECT id, name FROM circles WHERE org_id = $1 AND id = ANY($2::uuid[])",
    [orgId, [...circleIds]],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

function meetingEvent(meeting: Meeting, circleName: string | undefined, now: Date): ICalEventData {
  const agenda = meeting.agenda.map((item, i) => `${i + 1}. ${item.title}`).join("\n");
  return {
    id: meetingUid(meeting.id),
    summary: circleName ? `${meeting.title} (${circleName})` : meeting.title,
    start: meeting.startsAt,
    end: meeting.endsAt,
    stamp: now,
    location: meeting.location || null,
    description: agenda ? `Agenda:\n${agenda}` : null,
  };
}

const newCalendar = (name: string) => ical({ name, prodId: PRODUCT_ID });

/** One meeting as its own calendar file. */
export function meetingCalendar(meeting: Meeting, circleName: string, now: Date): string {
  const calendar = newCalendar(meeting.title);
  calendar.createEvent(meetingEvent(meeting, circleName, now));
  return calendar.toString();
}

/** The name of a meeting's circle, for its calendar file. */
export async function circleNameOf(db: Queryable, orgId: string, circleId: string) {
  return (await circleNames(db, orgId, [circleId])).get(circleId) ?? "";
}

async function addMeetings(
  db: Queryable,
  calendar: ICalCalendar,
  orgId: string,
  circleIds: readonly string[],
  from: Date,
  now: Date,
) {
  const names = await circleNames(db, orgId, circleIds);
  for (const meeting of await meetingsOfCircles(db, orgId, circleIds, from))
    calendar.createEvent(meetingEvent(meeting, names.get(meeting.circleId), now));
}

/** Reviews of the circles' decisions in force, as all-day events on the review date. */
async function addDecisionReviews(
  db: Queryable,
  calendar: ICalCalendar,
  orgId: string,
  circleIds: readonly string[],
  from: Date,
  now: Date,
) {
  const { rows } = await db.query<{ proposal_id: string; title: string; review_at: Date; circle: string }>(
    `SELECT d.proposal_id, p.title, d.review_at, c.name AS circle FROM decisions d
       JOIN proposals p ON p.org_id = d.org_id AND p.id = d.proposal_id
       JOIN circles c ON c.org_id = d.org_id AND c.id = d.circle_id
     WHERE d.org_id = $1 AND d.circle_id = ANY($2::uuid[]) AND d.status = 'active' AND d.review_at >= $3
     ORDER BY d.review_at, d.proposal_id`,
    [orgId, [...circleIds], from],
  );
  for (const row of rows)
    calendar.createEvent({
      id: reviewUid(row.proposal_id),
      summary: `Decision review: ${row.title} (${row.circle})`,
      start: row.review_at,
      allDay: true,
      stamp: now,
    });
}

interface TermEndRow {
  id: string;
  ends_at: Date;
  role: string;
  circle: string;
  member: string;
}

const TERM_ENDS = `
SELECT a.id, a.ends_at, r.name AS role, c.name AS circle, m.name AS member FROM assignments a
  JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
  JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
  JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
WHERE a.org_id = $1 AND NOT a.shadow AND r.archived_at IS NULL AND a.ends_at IS NOT NULL AND a.ends_at >= $2`;

const termEndEvent = (row: TermEndRow, summary: string, now: Date): ICalEventData => ({
  id: termEndUid(row.id),
  summary,
  start: row.ends_at,
  allDay: true,
  stamp: now,
});

const historyStart = (now: Date) => new Date(now.getTime() - FEED_HISTORY_DAYS * 86_400_000);

/**
 * A member's feed: the meetings of the circles they take part in, the ends of their own terms, and the
 * review dates of their circles' decisions in force.
 */
export async function memberCalendar(db: Queryable, token: string, now: Date): Promise<string> {
  const { org, viewer } = await feedOwner(db, token, now);
  const circleIds = [...viewer.circleIds];
  const from = historyStart(now);
  const calendar = newCalendar(`${org.name}: my governance`);
  await addMeetings(db, calendar, org.id, circleIds, from, now);
  const terms = await db.query<TermEndRow>(`${TERM_ENDS} AND a.member_id = $3 ORDER BY a.ends_at, a.id`, [
    org.id,
    from,
    viewer.memberId,
  ]);
  for (const row of terms.rows)
    calendar.createEvent(termEndEvent(row, `Term ends: ${row.role} (${row.circle})`, now));
  await addDecisionReviews(db, calendar, org.id, circleIds, from, now);
  return calendar.toString();
}

/**
 * One circle's feed, for a member who may read its governance: its meetings, the term ends of its roles
 * and the review dates of its decisions in force.
 */
export async function circleCalendar(
  db: Queryable,
  token: string,
  circleId: string,
  now: Date,
): Promise<string> {
  const { org, viewer } = await feedOwner(db, token, now);
  const { rows } = await db.query<{ name: string }>(
    "SELECT name FROM circles WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
    [org.id, circleId],
  );
  const name = rows[0]?.name;
  if (name === undefined || !readsCircleGovernance(viewer, circleId as CircleId, org.settings))
    throw notFound("Circle", circleId);
  const from = historyStart(now);
  const calendar = newCalendar(`${org.name}: ${name}`);
  await addMeetings(db, calendar, org.id, [circleId], from, now);
  const terms = await db.query<TermEndRow>(`${TERM_ENDS} AND r.circle_id = $3 ORDER BY a.ends_at, a.id`, [
    org.id,
    from,
    circleId,
  ]);
  for (const row of terms.rows)
    calendar.createEvent(termEndEvent(row, `Term ends: ${row.member} as ${row.role} (${row.circle})`, now));
  await addDecisionReviews(db, calendar, org.id, [circleId], from, now);
  return calendar.toString();
}
