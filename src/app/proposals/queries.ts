import type { Viewer } from "../../core/access.js";
import type { Decision } from "../../core/consent/decision.js";
import { isDueForReview } from "../../core/consent/decision.js";
import type { ProposalId } from "../../core/consent/ids.js";
import { visibleTally } from "../../core/consent/outcome.js";
import { governanceLimitedTo } from "../../core/consent/reading.js";
import type { ProposalState } from "../../core/consent/states.js";
import type { CircleId } from "../../core/ids.js";
import type { Queryable } from "../../db/database.js";
import type { Org } from "../orgs.js";
import { loadProposals } from "./store.js";

export interface ProposalFilter {
  circleId?: string | undefined;
  states?: readonly ProposalState[] | undefined;
  /** Only proposals whose running round waits for the viewer's response (or advice). */
  needsMyResponse?: boolean | undefined;
  limit: number;
  offset: number;
}

/**
 * The SQL form of the reading rule (core `canReadProposal`): drafts only for their author and the
 * circle's facilitator; observers only where the organisation lets them read, or in their own circles.
 * $2 is the viewer's member id, $3 now, $4 whether the viewer is an observer limited to their circles.
 */
const READABLE = `(p.state <> 'draft' OR p.author_id = $2 OR EXISTS (
    SELECT 1 FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
    WHERE r.org_id = p.org_id AND r.circle_id = p.circle_id AND r.kind = 'facilitator' AND a.member_id = $2
      AND NOT a.shadow AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)))
  AND (NOT $4 OR p.circle_id = ANY($5::uuid[]))`;

/** The running round waits for the member: a participant with no current response, before its deadline. */
const WAITS_FOR_ME = `((p.state = 'consent_round' AND EXISTS (
    SELECT 1 FROM proposal_rounds r WHERE r.org_id = p.org_id AND r.proposal_id = p.id AND r.closed_at IS NULL
      AND r.participants ? $2::text AND (r.deadline IS NULL OR r.deadline > $3)
      AND NOT EXISTS (SELECT 1 FROM proposal_current_responses s WHERE s.org_id = r.org_id
        AND s.proposal_id = r.proposal_id AND s.round = r.number AND s.member_id = $2)))
  OR (p.state = 'advice' AND p.method -> 'advisers' ? $2::text AND (p.phase_deadline IS NULL OR p.phase_deadline > $3)
      AND NOT EXISTS (SELECT 1 FROM proposal_advice a WHERE a.org_id = p.org_id AND a.proposal_id = p.id
        AND a.adviser_id = $2)))`;

const readingParams = (org: Org, viewer: Viewer, now: Date) => {
  const limitedTo = governanceLimitedTo(viewer, org.settings);
  return [org.id, viewer.memberId, now, limitedTo !== null, [...(limitedTo ?? [])]];
};

/** Proposals the viewer may read, most recently active first, loaded whole (without response history). */
export async function listProposals(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  filter: ProposalFilter,
  now: Date,
) {
  const params: unknown[] = readingParams(org, viewer, now);
  const where = ["p.org_id = $1", READABLE];
  if (filter.circleId) {
    params.push(filter.circleId);
    where.push(`p.circle_id = $${params.length}`);
  }
  if (filter.states && filter.states.length > 0) {
    params.push(filter.states);
    where.push(`p.state = ANY($${params.length}::text[])`);
  }
  if (filter.needsMyResponse) where.push(WAITS_FOR_ME);
  params.push(filter.limit + 1, filter.offset);
  const { rows } = await db.query<{ id: ProposalId }>(
    `SELECT p.id FROM proposals p WHERE ${where.join(" AND ")}
     ORDER BY p.updated_at DESC, p.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const ids = rows.slice(0, filter.limit).map((r) => r.id);
  return { proposals: await loadProposals(db, org.id, ids, { now }), hasMore: rows.length > filter.limit };
}

/** Ids of proposals waiting for the viewer's response or advice now. */
export async function proposalsWaitingFor(db: Queryable, org: Org, viewer: Viewer, now: Date) {
  const { rows } = await db.query<{ id: ProposalId }>(
    `SELECT p.id FROM proposals p WHERE p.org_id = $1 AND ${READABLE} AND ${WAITS_FOR_ME}
     ORDER BY p.phase_deadline NULLS LAST, p.updated_at DESC LIMIT 200`,
    readingParams(org, viewer, now),
  );
  return rows.map((r) => r.id);
}

/**
 * Proposals the viewer moves along: in circles where they hold the facilitator role, or their own
 * proposals where the circle has no facilitator. Whether each can move now is the core's question.
 */
export async function proposalsFacilitatedBy(db: Queryable, org: Org, viewer: Viewer, now: Date) {
  const { rows } = await db.query<{ id: ProposalId }>(
    `WITH facilitated AS (
       SELECT r.circle_id FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       WHERE a.org_id = $1 AND a.member_id = $2 AND r.kind = 'facilitator' AND NOT a.shadow
         AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3))
     SELECT p.id FROM proposals p
     WHERE p.org_id = $1 AND p.state NOT IN ('adopted', 'withdrawn', 'lapsed', 'blocked', 'rejected')
       AND (p.circle_id IN (SELECT circle_id FROM facilitated) OR (p.author_id = $2 AND NOT EXISTS (
         SELECT 1 FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
         WHERE r.org_id = p.org_id AND r.circle_id = p.circle_id AND r.kind = 'facilitator' AND NOT a.shadow
           AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3))))
     ORDER BY p.phase_deadline NULLS LAST, p.updated_at DESC LIMIT 200`,
    [org.id, viewer.memberId, now],
  );
  return rows.map((r) => r.id);
}

/** Ids of the viewer's own proposals with a clarifying question still unanswered. */
export async function proposalsWithQuestionsFor(db: Queryable, org: Org, viewer: Viewer) {
  const { rows } = await db.query<{ id: ProposalId; open_questions: number }>(
    `SELECT p.id, count(*)::int AS open_questions FROM proposals p
       JOIN proposal_questions q ON q.org_id = p.org_id AND q.proposal_id = p.id AND q.answer IS NULL
     WHERE p.org_id = $1 AND p.author_id = $2 AND p.state = 'clarifying'
     GROUP BY p.id ORDER BY p.id`,
    [org.id, viewer.memberId],
  );
  return rows;
}

export type DecisionStatus = "active" | "superseded" | "retired";

export interface DecisionRecord extends Decision {
  title: string;
  circleName: string;
  status: DecisionStatus;
  reviewedBy: ProposalId | null;
  /** A review proposal that is still open, if one has been started. */
  openReview: ProposalId | null;
}

export interface DecisionFilter {
  circleId?: string | undefined;
  status?: DecisionStatus | undefined;
  /** Only active decisions whose review date has come. */
  dueForReview?: boolean | undefined;
  /** Only decisions of circles the viewer takes part in. */
  circleIds?: readonly CircleId[] | undefined;
  limit: number;
  offset: number;
}

interface DecisionRow {
  proposal_id: ProposalId;
  circle_id: CircleId;
  circle_name: string;
  title: string;
  method: Decision["method"];
  version: number;
  text: string;
  adopted_at: Date;
  review_months: number;
  review_at: Date;
  term_shortened_by: Decision["termShortenedBy"];
  concerns: Decision["concerns"];
  measures: Decision["measures"];
  tally: Decision["tally"];
  advice: (Omit<NonNullable<Decision["advice"]>, "given"> & { given: { at: string }[] }) | null;
  grants_mandate: Decision["grantsMandate"];
  review_of: ProposalId | null;
  review_intent: "keep" | "amend" | "retire" | null;
  status: DecisionStatus;
  reviewed_by: ProposalId | null;
  open_review: ProposalId | null;
}

/** Decisions of the organisation (all of it is open to members), latest review date first unless filtered. */
export async function listDecisions(db: Queryable, orgId: string, filter: DecisionFilter, now: Date) {
  const params: unknown[] = [orgId];
  const where = ["d.org_id = $1"];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (filter.circleId) add((n) => `d.circle_id = $${n}`, filter.circleId);
  if (filter.circleIds) add((n) => `d.circle_id = ANY($${n}::uuid[])`, filter.circleIds);
  if (filter.status) add((n) => `d.status = $${n}`, filter.status);
  if (filter.dueForReview) add((n) => `d.status = 'active' AND d.review_at <= $${n}`, now);
  params.push(filter.limit + 1, filter.offset);
  const { rows } = await db.query<DecisionRow>(
    `SELECT d.*, p.title, p.review_of, p.review_intent, c.name AS circle_name,
       (SELECT rp.id FROM proposals rp WHERE rp.org_id = d.org_id AND rp.review_of = d.proposal_id
          AND rp.state NOT IN ('adopted', 'withdrawn', 'lapsed', 'blocked', 'rejected')
        ORDER BY rp.created_at DESC LIMIT 1) AS open_review
     FROM decisions d
       JOIN proposals p ON p.org_id = d.org_id AND p.id = d.proposal_id
       JOIN circles c ON c.org_id = d.org_id AND c.id = d.circle_id
     WHERE ${where.join(" AND ")}
     ORDER BY ${filter.dueForReview ? "d.review_at" : "d.adopted_at DESC"}, d.proposal_id
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return {
    decisions: rows.slice(0, filter.limit).map(toDecisionRecord),
    hasMore: rows.length > filter.limit,
  };
}

export async function getDecision(db: Queryable, orgId: string, decisionId: string, now: Date) {
  const params: unknown[] = [orgId, decisionId];
  const { rows } = await db.query<DecisionRow>(
    `SELECT d.*, p.title, p.review_of, p.review_intent, c.name AS circle_name,
       (SELECT rp.id FROM proposals rp WHERE rp.org_id = d.org_id AND rp.review_of = d.proposal_id
          AND rp.state NOT IN ('adopted', 'withdrawn', 'lapsed', 'blocked', 'rejected')
        ORDER BY rp.created_at DESC LIMIT 1) AS open_review
     FROM decisions d
       JOIN proposals p ON p.org_id = d.org_id AND p.id = d.proposal_id
       JOIN circles c ON c.org_id = d.org_id AND c.id = d.circle_id
     WHERE d.org_id = $1 AND d.proposal_id = $2`,
    params,
  );
  const row = rows[0];
  return row
    ? {
        decision: toDecisionRecord(row),
        dueForReview: row.status === "active" && isDueForReview(toDecisionRecord(row), now),
      }
    : null;
}

const toDecisionRecord = (row: DecisionRow): DecisionRecord => ({
  proposalId: row.proposal_id,
  circleId: row.circle_id,
  circleName: row.circle_name,
  title: row.title,
  method: row.method,
  version: row.version,
  text: row.text,
  adoptedAt: row.adopted_at,
  reviewMonths: row.review_months,
  reviewAt: row.review_at,
  termShortenedBy: row.term_shortened_by,
  concerns: row.concerns,
  measures: row.measures,
  tally: row.tally,
  advice: row.advice
    ? { ...row.advice, given: row.advice.given.map((a) => ({ ...a, at: new Date(a.at) })) as never }
    : null,
  grantsMandate: row.grants_mandate,
  review: row.review_of && row.review_intent ? { of: row.review_of, intent: row.review_intent } : null,
  status: row.status,
  reviewedBy: row.reviewed_by,
  openReview: row.open_review,
});

/** The running (or last) round's tally of a proposal as anyone may see it now, for live screens. */
export async function liveTally(db: Queryable, orgId: string, proposalId: string, now: Date) {
  const [proposal] = await loadProposals(db, orgId, [proposalId], { now });
  const round = proposal?.rounds.at(-1);
  if (!proposal || !round || proposal.state === "draft") return null;
  return {
    proposalId: proposal.id,
    state: proposal.state,
    round: round.number,
    tally: visibleTally(proposal, round, now),
  };
}
