import type { Viewer } from "../core/access.js";
import type { AssignmentSource } from "../core/assignments.js";
import { readsCircleGovernance } from "../core/consent/reading.js";
import { forbidden, notFound } from "../core/errors.js";
import type { AssignmentId, CircleId, MemberId, RoleId } from "../core/ids.js";
import {
  capacitySeries,
  type FirstLeadership,
  firstTimeLeadersPerQuarter,
} from "../core/metrics/capacity.js";
import { collaborationGraph, type SharedWork } from "../core/metrics/collaboration.js";
import { leadershipConcentration } from "../core/metrics/concentration.js";
import {
  integratedByAmendmentShare,
  medianTimeToDecision,
  type ObjectionFate,
  objectionRate,
  overdueReviews,
} from "../core/metrics/decision-health.js";
import {
  activeMembers,
  attendanceRate,
  type MeetingAttendance,
  responseRate,
} from "../core/metrics/engagement.js";
import { reach } from "../core/metrics/leadership.js";
import { rotationHealth } from "../core/metrics/rotation-health.js";
import { DAY_MS, type MetricWindow, windowEndingAt } from "../core/metrics/window.js";
import type { FillingPolicy } from "../core/roles.js";
import type { RoleTerms } from "../core/terms.js";
import type { Queryable } from "../db/database.js";
import type { Org } from "./orgs.js";

/**
 * The leadership metrics of DESIGN §4 for the organisation or one circle. The facts are aggregated in SQL
 * (leadership-days by range arithmetic, turnout per round, objections by fate, one latest-activity probe
 * per member), so a large organisation sends numbers per member or per round to the server, never its
 * assignments or log; the rules that turn those facts into metrics are the core's (src/core/metrics).
 *
 * Who counts: the *active members* of a scope are its current members (the organisation's, or the
 * circle's) who are not archived and not observers — observers take no part in governance, so counting
 * them would read as leadership not shared.
 */

export interface MetricsRequest {
  windowDays: number;
  circleId: CircleId | null;
}

export interface ScopeMember {
  memberId: MemberId;
  name: string;
  circleIds: CircleId[];
  lastActiveAt: Date | null;
}

/** Everything read for one scope and window, then the metrics computed from it. */
export async function loadMetrics(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  request: MetricsRequest,
  now: Date,
) {
  const window = windowEndingAt(now, request.windowDays);
  const circle = request.circleId === null ? null : await readableCircle(db, org, viewer, request.circleId);
  const scope = { orgId: org.id, circleId: request.circleId, window };
  const optional = await optionalTables(db);
  const [
    members,
    daysByMember,
    firstLeaders,
    rounds,
    meetings,
    work,
    daysToDecision,
    objectionsByFate,
    reviewDates,
    roles,
  ] = await Promise.all([
    scopeMembers(db, scope),
    leadershipDaysByMember(db, scope),
    firstLeadership(db, scope),
    roundTurnout(db, scope),
    optional.meetings ? meetingAttendance(db, scope) : [],
    sharedWork(db, scope, optional),
    timesToDecision(db, scope),
    objectionFates(db, scope),
    activeDecisionReviews(db, scope),
    rotatingRoles(db, scope),
  ]);
  const memberIds = members.map((member) => member.memberId);
  const consentRounds = rounds.filter((round) => round.consent);
  return {
    window,
    circle,
    members,
    reach: reach(memberIds, daysByMember.keys()),
    concentration: leadershipConcentration(memberIds, daysByMember),
    capacity: {
      series: capacitySeries(firstLeaders, window),
      firstTimeLeaders: firstTimeLeadersPerQuarter(firstLeaders, window),
    },
    engagement: {
      responseRate: responseRate(rounds),
      attendance: attendanceRate(meetings),
      activeMembers: activeMembers(members, now),
    },
    collaboration: collaborationGraph(members, work),
    decisionHealth: {
      decisionsMade: daysToDecision.length,
      medianDaysToDecision: medianTimeToDecision(daysToDecision),
      objectionRate: objectionRate(
        consentRounds.map((round) => ({ responses: round.responded, objections: round.objections })),
      ),
      objectionsByFate,
      integratedByAmendment: integratedByAmendmentShare(objectionsByFate),
      overdueReviews: overdueReviews(reviewDates, now),
    },
    rotationHealth: rotationHealth(roles, window),
    /** Every active member's leadership-days in the window (0 for those who did not lead), most first. */
    leadershipDays: members
      .map((member) => ({
        memberId: member.memberId,
        name: member.name,
        days: daysByMember.get(member.memberId) ?? 0,
      }))
      .sort((a, b) => b.days - a.days || byName.compare(a.name, b.name)),
  };
}

// One collator for the whole sort: localeCompare builds one per call, which costs seconds over 100,000 names.
const byName = new Intl.Collator("en");

export type Metrics = Awaited<ReturnType<typeof loadMetrics>>;

/**
 * A circle's metrics are read like its governance: every member reads them; an observer reads the
 * circles they are in, and the others where the organisation lets observers read circles. The
 * organisation's own metrics are open to every member, observers included, like the log they come from.
 */
async function readableCircle(db: Queryable, org: Org, viewer: Viewer, circleId: CircleId) {
  const { rows } = await db.query<{ id: CircleId; name: string }>(
    "SELECT id, name FROM circles WHERE org_id = $1 AND id = $2",
    [org.id, circleId],
  );
  const circle = rows[0];
  if (!circle) throw notFound("Circle", circleId);
  if (!readsCircleGovernance(viewer, circle.id, org.settings)) throw forbidden("read this circle's metrics");
  return circle;
}

interface Scope {
  orgId: string;
  /** Null for the whole organisation. */
  circleId: CircleId | null;
  window: MetricWindow;
}

/** Meetings, mentorships and cycles arrived in later migrations; a store without them has none to count. */
async function optionalTables(db: Queryable) {
  const { rows } = await db.query<{ meetings: boolean; mentorships: boolean; cycles: boolean }>(
    `SELECT to_regclass('meetings') IS NOT NULL AS meetings, to_regclass('mentorships') IS NOT NULL AS mentorships,
            to_regclass('cycles') IS NOT NULL AS cycles`,
  );
  return rows[0] ?? { meetings: false, mentorships: false, cycles: false };
}

/**
 * The active members of the scope with their current circles and their latest governance activity up to
 * the window's end (one index probe each: log_entries_actor_idx).
 */
async function scopeMembers(db: Queryable, { orgId, circleId, window }: Scope): Promise<ScopeMember[]> {
  const { rows } = await db.query<{
    id: MemberId;
    name: string;
    circle_ids: CircleId[];
    last_active_at: Date | null;
  }>(
    `SELECT m.id, m.name,
       coalesce(array_agg(cm.circle_id::text) FILTER (WHERE cm.circle_id IS NOT NULL), '{}') AS circle_ids,
       (SELECT max(l.at) FROM log_entries l WHERE l.org_id = m.org_id AND l.actor = m.id AND l.at <= $2) AS last_active_at
     FROM members m
     LEFT JOIN (circle_members cm JOIN circles c ON c.org_id = cm.org_id AND c.id = cm.circle_id AND c.archived_at IS NULL)
       ON cm.org_id = m.org_id AND cm.member_id = m.id AND cm.left_at IS NULL
     WHERE m.org_id = $1 AND m.archived_at IS NULL AND m.access <> 'observer' AND m.joined_at < $2
       AND ($3::uuid IS NULL OR EXISTS (
         SELECT 1 FROM circle_members s
         WHERE s.org_id = m.org_id AND s.circle_id = $3 AND s.member_id = m.id AND s.left_at IS NULL))
     GROUP BY m.org_id, m.id, m.name
     ORDER BY m.id`,
    [orgId, window.to, circleId],
  );
  return rows.map((row) => ({
    memberId: row.id,
    name: row.name,
    circleIds: row.circle_ids,
    lastActiveAt: row.last_active_at,
  }));
}

/**
 * The SQL form of the core's `leadershipDays`: each held leadership assignment (shadows aside) cut to the
 * window as a time range, the ranges of one member merged (`range_agg`, so overlapping roles count once),
 * and the merged lengths summed in days.
 */
async function leadershipDaysByMember(db: Queryable, { orgId, circleId, window }: Scope) {
  const { rows } = await db.query<{ member_id: MemberId; days: number }>(
    `WITH spans AS (
       SELECT a.member_id,
              tstzrange(greatest(a.starts_at, $2::timestamptz), least(coalesce(a.ends_at, 'infinity'), $3::timestamptz)) AS span
       FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       WHERE a.org_id = $1 AND r.leadership AND NOT a.shadow AND ($4::uuid IS NULL OR r.circle_id = $4)
         AND a.starts_at < $3 AND (a.ends_at IS NULL OR (a.ends_at > $2 AND a.ends_at > a.starts_at))),
     merged AS (SELECT member_id, unnest(range_agg(span)) AS span FROM spans GROUP BY member_id)
     SELECT member_id, (sum(extract(epoch FROM upper(span) - lower(span))) / 86400)::float8 AS days
     FROM merged GROUP BY member_id`,
    [orgId, window.from, window.to, circleId],
  );
  return new Map(rows.filter((row) => row.days > 0).map((row) => [row.member_id, row.days]));
}

/** When each member first held leadership (in the scope's roles), ever: the core's `firstLeadershipStarts`. */
async function firstLeadership(db: Queryable, { orgId, circleId }: Scope): Promise<FirstLeadership[]> {
  const { rows } = await db.query<{ member_id: MemberId; first_led_at: Date }>(
    `SELECT a.member_id, min(a.starts_at) AS first_led_at
     FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
     WHERE a.org_id = $1 AND r.leadership AND NOT a.shadow AND ($2::uuid IS NULL OR r.circle_id = $2)
     GROUP BY a.member_id`,
    [orgId, circleId],
  );
  return rows.map((row) => ({ memberId: row.member_id, firstLedAt: row.first_led_at }));
}

interface RoundCount {
  eligible: number;
  responded: number;
  objections: number;
  /** A consent round (of a proposal or an election), where an objection can be raised. */
  consent: boolean;
}

/**
 * Turnout of every round that closed in the window: the proposals' consent, consensus and vote rounds
 * (each member's current response) and the elections' consent rounds (each member's latest response in
 * the election's record). Only the round's participants count as responding.
 */
async function roundTurnout(db: Queryable, { orgId, circleId, window }: Scope): Promise<RoundCount[]> {
  const { rows } = await db.query<RoundCount>(
    `SELECT jsonb_array_length(r.participants) AS eligible, t.responded, t.objections, r.method = 'consent' AS consent
     FROM proposal_rounds r
     JOIN proposals p ON p.org_id = r.org_id AND p.id = r.proposal_id
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS responded, (count(*) FILTER (WHERE s.response ->> 'kind' = 'object'))::int AS objections
       FROM proposal_current_responses s
       WHERE s.org_id = r.org_id AND s.proposal_id = r.proposal_id AND s.round = r.number
         AND r.participants ? s.member_id::text) t
     WHERE r.org_id = $1 AND r.closed_at >= $2 AND r.closed_at < $3 AND ($4::uuid IS NULL OR p.circle_id = $4)
     UNION ALL
     SELECT jsonb_array_length(r.round -> 'eligible'), t.responded, t.objections, true
     FROM selections s
     CROSS JOIN LATERAL jsonb_array_elements(s.document -> 'rounds') AS r(round)
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS responded, (count(*) FILTER (WHERE latest.kind = 'object'))::int AS objections
       FROM (SELECT DISTINCT ON (x.response ->> 'memberId') x.response -> 'response' ->> 'kind' AS kind
             FROM jsonb_array_elements(r.round -> 'responses') WITH ORDINALITY AS x(response, position)
             WHERE (r.round -> 'eligible') ? (x.response ->> 'memberId')
             ORDER BY x.response ->> 'memberId', x.position DESC) latest) t
     WHERE s.org_id = $1 AND s.updated_at >= $2 AND ($4::uuid IS NULL OR s.circle_id = $4)
       AND (r.round ->> 'closedAt')::timestamptz >= $2 AND (r.round ->> 'closedAt')::timestamptz < $3`,
    [orgId, window.from, window.to, circleId],
  );
  return rows;
}

/**
 * Attendance of the closed meetings that began in the window. Expected are the circle's members (not
 * observers, who never attend) at the start, and anyone else who was there, such as a double link.
 */
async function meetingAttendance(
  db: Queryable,
  { orgId, circleId, window }: Scope,
): Promise<MeetingAttendance[]> {
  // Per meeting, who was in the circle (observers aside) when it began and who was there, as two arrays:
  // grouping by meeting alone keeps the aggregates small, with no probe per attendee.
  const { rows } = await db.query<MeetingAttendance>(
    `WITH held AS (
       SELECT id, circle_id, starts_at, document FROM meetings
       WHERE org_id = $1 AND state = 'closed' AND starts_at >= $2 AND starts_at < $3
         AND ($4::uuid IS NULL OR circle_id = $4)),
     members_then AS (
       SELECT h.id, array_agg(cm.member_id::text) AS ids FROM held h
       JOIN circle_members cm ON cm.org_id = $1 AND cm.circle_id = h.circle_id AND cm.joined_at <= h.starts_at
         AND (cm.left_at IS NULL OR cm.left_at > h.starts_at)
       JOIN members m ON m.org_id = cm.org_id AND m.id = cm.member_id AND m.access <> 'observer'
       GROUP BY h.id),
     present AS (
       SELECT h.id, array_agg(a.mark ->> 'memberId') AS ids
       FROM held h CROSS JOIN LATERAL jsonb_array_elements(h.document -> 'attendance') AS a(mark)
       WHERE (a.mark ->> 'present')::boolean
       GROUP BY h.id)
     SELECT coalesce(cardinality(p.ids), 0) AS attended,
            coalesce(cardinality(t.ids), 0)
              + (SELECT count(*) FROM unnest(p.ids) AS x(id) WHERE NOT (x.id = ANY (coalesce(t.ids, '{}'))))::int
              AS expected
     FROM held h LEFT JOIN members_then t ON t.id = h.id LEFT JOIN present p ON p.id = h.id`,
    [orgId, window.from, window.to, circleId],
  );
  return rows;
}

/**
 * The pieces of shared work active in the window, each with the members who worked on it: presented
 * proposals (author, responders, those who asked or reacted), cycles (who opened, wrote or drew lessons)
 * and mentorships (mentor and mentee). In a circle's scope, mentorships count when they tie two of its
 * members (the core leaves out everyone who is not a node).
 */
async function sharedWork(
  db: Queryable,
  { orgId, circleId, window }: Scope,
  tables: { mentorships: boolean; cycles: boolean },
): Promise<SharedWork[]> {
  const pieces = [
    `SELECT array_agg(DISTINCT w.member_id::text) AS member_ids
     FROM proposals p CROSS JOIN LATERAL (
       SELECT p.author_id AS member_id
       UNION SELECT s.member_id FROM proposal_current_responses s WHERE s.org_id = p.org_id AND s.proposal_id = p.id
       UNION SELECT q.asked_by FROM proposal_questions q WHERE q.org_id = p.org_id AND q.proposal_id = p.id
       UNION SELECT x.member_id FROM proposal_reactions x WHERE x.org_id = p.org_id AND x.proposal_id = p.id) w
     WHERE p.org_id = $1 AND p.state <> 'draft' AND p.created_at < $3 AND p.updated_at >= $2
       AND ($4::uuid IS NULL OR p.circle_id = $4)
     GROUP BY p.id`,
  ];
  if (tables.cycles)
    pieces.push(
      `SELECT array_agg(DISTINCT w.member_id) AS member_ids
       FROM cycles c CROSS JOIN LATERAL (
         SELECT c.document ->> 'openedBy' AS member_id
         UNION SELECT e ->> 'by' FROM jsonb_array_elements(c.document -> 'entries') e
         UNION SELECT l ->> 'by' FROM jsonb_array_elements(c.document -> 'lessons') l) w
       WHERE c.org_id = $1 AND c.created_at < $3 AND c.updated_at >= $2 AND ($4::uuid IS NULL OR c.circle_id = $4)
         AND w.member_id IS NOT NULL
       GROUP BY c.id`,
    );
  if (tables.mentorships)
    pieces.push(
      `SELECT ARRAY[mentor_id::text, mentee_id::text] AS member_ids FROM mentorships
       WHERE org_id = $1 AND started_at < $3 AND (ended_at IS NULL OR ended_at >= $2)`,
    );
  const { rows } = await db.query<{ member_ids: MemberId[] }>(pieces.join("\nUNION ALL\n"), [
    orgId,
    window.from,
    window.to,
    circleId,
  ]);
  return rows.map((row) => ({ memberIds: row.member_ids }));
}

/**
 * Days from presenting each proposal to its adoption, for the decisions adopted in the window. Should the
 * log hold no presentation of the proposal, the time counts from its drafting.
 */
async function timesToDecision(db: Queryable, { orgId, circleId, window }: Scope) {
  const { rows } = await db.query<{ adopted_at: Date; presented_at: Date | null; created_at: Date }>(
    `SELECT d.adopted_at, p.created_at,
       (SELECT min(l.at) FROM log_entries l
        WHERE l.org_id = d.org_id AND l.type = 'proposal.presented' AND l.payload ->> 'proposalId' = d.proposal_id::text)
         AS presented_at
     FROM decisions d JOIN proposals p ON p.org_id = d.org_id AND p.id = d.proposal_id
     WHERE d.org_id = $1 AND d.adopted_at >= $2 AND d.adopted_at < $3 AND ($4::uuid IS NULL OR d.circle_id = $4)`,
    [orgId, window.from, window.to, circleId],
  );
  return rows.map(
    (row) => Math.max(0, row.adopted_at.getTime() - (row.presented_at ?? row.created_at).getTime()) / DAY_MS,
  );
}

/** How the objections raised in the window ended (or not yet): the core's `ObjectionFate`, counted. */
async function objectionFates(db: Queryable, { orgId, circleId, window }: Scope) {
  const { rows } = await db.query<{ fate: ObjectionFate; n: number }>(
    `SELECT CASE WHEN o.resolution IS NULL THEN 'open'
                 WHEN o.resolution ->> 'outcome' = 'integrated' THEN o.resolution ->> 'by'
                 ELSE o.resolution ->> 'outcome' END AS fate,
            count(*)::int AS n
     FROM objections o JOIN proposals p ON p.org_id = o.org_id AND p.id = o.proposal_id
     WHERE o.org_id = $1 AND o.raised_at >= $2 AND o.raised_at < $3 AND ($4::uuid IS NULL OR p.circle_id = $4)
     GROUP BY 1`,
    [orgId, window.from, window.to, circleId],
  );
  return Object.fromEntries(rows.map((row) => [row.fate, row.n])) as Partial<Record<ObjectionFate, number>>;
}

/** The review dates of the decisions in force. */
async function activeDecisionReviews(db: Queryable, { orgId, circleId }: Scope) {
  const { rows } = await db.query<{ review_at: Date }>(
    `SELECT review_at FROM decisions
     WHERE org_id = $1 AND status = 'active' AND ($2::uuid IS NULL OR circle_id = $2)`,
    [orgId, circleId],
  );
  return rows.map((row) => ({ reviewAt: row.review_at }));
}

/** The scope's elected and rotating roles (not archived) with every term they have had. */
async function rotatingRoles(db: Queryable, { orgId, circleId }: Scope): Promise<RoleTerms[]> {
  const { rows } = await db.query<{
    role_id: RoleId;
    filling_policy: FillingPolicy;
    term_days: number | null;
    max_consecutive_terms: number | null;
    id: AssignmentId | null;
    member_id: MemberId;
    starts_at: Date;
    ends_at: Date | null;
    shadow: boolean;
    source: AssignmentSource;
  }>(
    `SELECT r.id AS role_id, r.filling_policy, r.term_days, r.max_consecutive_terms,
            a.id, a.member_id, a.starts_at, a.ends_at, a.shadow, a.source
     FROM roles r LEFT JOIN assignments a ON a.org_id = r.org_id AND a.role_id = r.id
     WHERE r.org_id = $1 AND r.filling_policy <> 'appointment' AND r.archived_at IS NULL
       AND ($2::uuid IS NULL OR r.circle_id = $2)`,
    [orgId, circleId],
  );
  const roles = new Map<RoleId, RoleTerms & { assignments: RoleTerms["assignments"][number][] }>();
  for (const row of rows) {
    let terms = roles.get(row.role_id);
    if (!terms) {
      terms = {
        role: {
          id: row.role_id,
          fillingPolicy: row.filling_policy,
          termDays: row.term_days,
          maxConsecutiveTerms: row.max_consecutive_terms,
        },
        assignments: [],
      };
      roles.set(row.role_id, terms);
    }
    if (row.id)
      terms.assignments.push({
        id: row.id,
        memberId: row.member_id,
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        shadow: row.shadow,
        source: row.source,
      });
  }
  return [...roles.values()];
}
