import type { Decision } from "../../core/consent/decision.js";
import type { ObjectionId, ProposalId, QuestionId } from "../../core/consent/ids.js";
import type { Advice } from "../../core/consent/methods/advice.js";
import type { Objection, ObjectionResolution } from "../../core/consent/objections.js";
import type {
  DecisionMethod,
  DecisionRound,
  MandateGrant,
  Proposal,
  Question,
  Reaction,
  Version,
} from "../../core/consent/proposal.js";
import type { QuorumRule } from "../../core/consent/quorum.js";
import type { RoundResponse } from "../../core/consent/round.js";
import type { ProposalState } from "../../core/consent/states.js";
import { notFound } from "../../core/errors.js";
import type { CircleId, MemberId } from "../../core/ids.js";
import type { LogEntry } from "../../core/log.js";
import type { Queryable } from "../../db/database.js";
import { appendNotice, entryColumns, insertEntriesSql, LOG_CHANNEL, type LogHead } from "../../db/log.js";
import { applyProposalEffects } from "../proposal-effects.js";

/**
 * A proposal as stored, with what the writer needs besides the core's view of it: how many responses
 * each round already holds (new ones are numbered after them) and whether the response history was
 * loaded in full or only each member's current response.
 */
export interface StoredProposal {
  proposal: Proposal;
  responsesCount: ReadonlyMap<number, number>;
  fullHistory: boolean;
}

/** JSON built by PostgreSQL carries times as strings; everything else arrives as it was written. */
type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

interface ProposalRow {
  id: ProposalId;
  circle_id: CircleId;
  author_id: MemberId;
  title: string;
  method: DecisionMethod;
  state: ProposalState;
  phase_entered_at: Date;
  phase_deadline: Date | null;
  quorum: QuorumRule;
  review_months: number;
  grants_mandate: MandateGrant | null;
  review_of: ProposalId | null;
  review_intent: "keep" | "amend" | "retire" | null;
  created_at: Date;
  updated_at: Date;
  versions: Json<{ number: number; text: string; kind: Version["kind"]; by_member: MemberId; at: Date }>[];
  questions: Json<{
    id: QuestionId;
    asked_by: MemberId;
    text: string;
    asked_at: Date;
    answered_by: MemberId | null;
    answer: string | null;
    answered_at: Date | null;
  }>[];
  reactions: Json<{ member_id: MemberId; text: string; at: Date }>[];
  rounds: Json<{
    number: number;
    method: DecisionRound["method"];
    version: number;
    participants: MemberId[];
    opened_at: Date;
    deadline: Date | null;
    closed_at: Date | null;
    counts: Record<"yes" | "no" | "abstain", number> | null;
    responses_count: number;
  }>[];
  responses: Json<{ round: number; member_id: MemberId; response: unknown; at: Date }>[];
  objections: Json<{
    id: ObjectionId;
    round: number;
    version: number;
    member_id: MemberId;
    reason: string;
    suggested_amendment: string | null;
    raised_at: Date;
    resolution: Record<string, unknown> | null;
    resolved_by: MemberId | null;
    resolved_at: Date | null;
  }>[];
  advice: Json<{ adviser_id: MemberId; text: string; recorded_by: MemberId; at: Date }>[];
  decision: Json<DecisionRowJson> | null;
  facilitator_ids: MemberId[];
}

interface DecisionRowJson {
  version: number;
  text: string;
  method: Decision["method"];
  adopted_at: Date;
  review_months: number;
  review_at: Date;
  term_shortened_by: ObjectionId[];
  concerns: Decision["concerns"];
  measures: Decision["measures"];
  tally: Decision["tally"];
  advice: Json<Omit<NonNullable<Decision["advice"]>, "given">> & { given: Json<Advice>[] };
  grants_mandate: Decision["grantsMandate"];
}

const date = (value: string) => new Date(value);
const maybeDate = (value: string | null) => (value === null ? null : new Date(value));

/** Who holds the facilitator role of the circle in `circleColumn` at $3 (not shadows), in organisation $1. */
const FACILITATORS = (
  circleColumn: string,
) => `(SELECT coalesce(json_agg(a.member_id ORDER BY a.starts_at, a.id), '[]')
    FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
    WHERE r.org_id = $1 AND r.circle_id = ${circleColumn} AND r.kind = 'facilitator' AND r.archived_at IS NULL
      AND NOT a.shadow AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3))`;

/**
 * One statement loads the whole proposal (one round trip, which matters under the row lock). With
 * `fullHistory` every response ever given is loaded; otherwise only each member's current one, which
 * is all the rules look at (the latest response counts).
 */
const LOAD_PROPOSAL = (fullHistory: boolean) => `
SELECT p.*,
  (SELECT coalesce(json_agg(v ORDER BY v.number), '[]') FROM proposal_versions v
    WHERE v.org_id = p.org_id AND v.proposal_id = p.id) AS versions,
  (SELECT coalesce(json_agg(q ORDER BY q.position), '[]') FROM proposal_questions q
    WHERE q.org_id = p.org_id AND q.proposal_id = p.id) AS questions,
  (SELECT coalesce(json_agg(r ORDER BY r.at, r.member_id), '[]') FROM proposal_reactions r
    WHERE r.org_id = p.org_id AND r.proposal_id = p.id) AS reactions,
  (SELECT coalesce(json_agg(r ORDER BY r.number), '[]') FROM proposal_rounds r
    WHERE r.org_id = p.org_id AND r.proposal_id = p.id) AS rounds,
  (SELECT coalesce(json_agg(json_build_object('round', s.round, 'member_id', s.member_id, 'response', s.response,
      'at', s.at) ORDER BY s.round, s.position), '[]')
    FROM ${fullHistory ? "proposal_responses" : "proposal_current_responses"} s
    WHERE s.org_id = p.org_id AND s.proposal_id = p.id) AS responses,
  (SELECT coalesce(json_agg(o ORDER BY o.position), '[]') FROM objections o
    WHERE o.org_id = p.org_id AND o.proposal_id = p.id) AS objections,
  (SELECT coalesce(json_agg(a ORDER BY a.position), '[]') FROM proposal_advice a
    WHERE a.org_id = p.org_id AND a.proposal_id = p.id) AS advice,
  (SELECT to_json(d) FROM decisions d WHERE d.org_id = p.org_id AND d.proposal_id = p.id) AS decision,
  ${FACILITATORS("p.circle_id")} AS facilitator_ids
FROM proposals p WHERE p.org_id = $1 AND p.id = ANY($2::uuid[])`;

export interface LoadOptions {
  /** Every response ever given (for reading the history), not only the current ones. */
  fullHistory?: boolean;
  /** The moment the proposal is seen at: who holds the circle's facilitator role then moves its phases. */
  now: Date;
}

export async function loadProposal(
  db: Queryable,
  orgId: string,
  proposalId: string,
  options: LoadOptions,
): Promise<StoredProposal> {
  const [stored] = await loadStoredProposals(db, orgId, [proposalId], options);
  if (!stored) throw notFound("Proposal", proposalId);
  return stored;
}

/** Several proposals at once, in the order of `ids` (missing ones left out); for lists. */
export async function loadProposals(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  options: LoadOptions,
) {
  return (await loadStoredProposals(db, orgId, ids, options)).map((stored) => stored.proposal);
}

/** What a writer holds once it has locked a proposal: enough to reuse its own copy of the proposal. */
export interface ProposalLock {
  /** Raised by every writer's transaction: a copy kept at `revision - 1` is still the proposal as stored. */
  revision: number;
  facilitatorIds: MemberId[];
}

/**
 * A writer's first statement: locks the proposal's row by raising its revision, and reads who facilitates
 * now. Every change to a proposal goes through a writer, so the revision tells whether anyone (another
 * batch, another process) wrote the proposal since a given copy of it was made. The organisation's log
 * head is locked later, by the append: like every other transaction, a writer takes it last, after any
 * role or circle that adopting the proposal touches, so the two never wait on each other.
 */
export async function lockProposal(
  tx: Queryable,
  orgId: string,
  proposalId: string,
  now: Date,
): Promise<ProposalLock> {
  const { rows } = await tx.query<{ revision: number; facilitator_ids: MemberId[] }>(
    `UPDATE proposals p SET revision = revision + 1 WHERE org_id = $1 AND id = $2
     RETURNING revision, ${FACILITATORS("p.circle_id")} AS facilitator_ids`,
    [orgId, proposalId, now],
  );
  const row = rows[0];
  if (!row) throw notFound("Proposal", proposalId);
  return { revision: row.revision, facilitatorIds: row.facilitator_ids };
}

/** Each member's latest response only, in the order of those responses: what the loader reads back. */
const currentResponsesOf = <R>(responses: readonly RoundResponse<R>[]) => {
  const lastIndex = new Map(responses.map((r, i) => [r.memberId, i]));
  return responses.filter((r, i) => lastIndex.get(r.memberId) === i);
};

const sameItems = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The proposal as loading it again after `saveProposal` would give it — when the change only added
 * responses to open rounds (the busy path of a round), which is simple to replay exactly. Anything else
 * (a new phase, round, version, objection, decision…) gives null: load it from the database instead.
 */
export function asReloaded(stored: StoredProposal, after: Proposal): StoredProposal | null {
  const before = stored.proposal;
  const sameRecords =
    after.state === before.state &&
    after.phase.enteredAt.getTime() === before.phase.enteredAt.getTime() &&
    after.phase.deadline?.getTime() === before.phase.deadline?.getTime() &&
    sameItems(after.versions, before.versions) &&
    sameItems(after.questions, before.questions) &&
    sameItems(after.reactions, before.reactions) &&
    sameItems(after.objections, before.objections) &&
    sameItems(after.advice, before.advice) &&
    !after.decision &&
    !before.decision &&
    after.rounds.length === before.rounds.length &&
    after.rounds.every((round, i) => {
      const earlier = before.rounds[i];
      return earlier?.number === round.number && earlier.closedAt === null && round.closedAt === null;
    });
  if (!sameRecords) return null;
  const responsesCount = new Map(stored.responsesCount);
  const rounds = after.rounds.map((round, i) => {
    const added = round.responses.length - (before.rounds[i]?.responses.length ?? 0);
    if (added === 0) return round;
    responsesCount.set(round.number, (responsesCount.get(round.number) ?? 0) + added);
    return { ...round, responses: currentResponsesOf<unknown>(round.responses) } as DecisionRound;
  });
  return { proposal: { ...after, rounds }, responsesCount, fullHistory: false };
}

async function loadStoredProposals(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  options: LoadOptions,
): Promise<StoredProposal[]> {
  if (ids.length === 0) return [];
  const fullHistory = options.fullHistory ?? false;
  const { rows } = await db.query<ProposalRow>(LOAD_PROPOSAL(fullHistory), [orgId, ids, options.now]);
  const byId = new Map(rows.map((row) => [row.id as string, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        proposal: toProposal(row),
        responsesCount: new Map(row.rounds.map((r) => [r.number, r.responses_count])),
        fullHistory,
      },
    ];
  });
}

function toProposal(row: ProposalRow): Proposal {
  const responsesOf = (round: number) =>
    row.responses
      .filter((s) => s.round === round)
      .map((s) => ({ memberId: s.member_id, response: s.response, at: date(s.at) }));
  const rounds = row.rounds.map((r) => {
    const base = {
      number: r.number,
      version: r.version,
      eligible: r.participants,
      openedAt: date(r.opened_at),
      deadline: maybeDate(r.deadline),
      closedAt: maybeDate(r.closed_at),
    };
    const responses = responsesOf(r.number);
    if (r.method === "vote")
      return { ...base, method: r.method, counts: r.counts ?? { yes: 0, no: 0, abstain: 0 }, responses };
    return { ...base, method: r.method, responses };
  }) as DecisionRound[];
  return {
    id: row.id,
    circleId: row.circle_id,
    authorId: row.author_id,
    facilitatorIds: row.facilitator_ids,
    title: row.title,
    method: row.method,
    state: row.state,
    phase: { enteredAt: row.phase_entered_at, deadline: row.phase_deadline },
    quorum: row.quorum,
    reviewMonths: row.review_months,
    grantsMandate: row.grants_mandate,
    review: row.review_of && row.review_intent ? { of: row.review_of, intent: row.review_intent } : null,
    versions: row.versions.map((v) => ({
      number: v.number,
      text: v.text,
      kind: v.kind,
      by: v.by_member,
      at: date(v.at),
    })),
    questions: row.questions.map(
      (q): Question => ({
        id: q.id,
        askedBy: q.asked_by,
        text: q.text,
        askedAt: date(q.asked_at),
        answer:
          q.answered_by && q.answer !== null && q.answered_at
            ? { by: q.answered_by, text: q.answer, at: date(q.answered_at) }
            : null,
      }),
    ),
    reactions: row.reactions.map((r): Reaction => ({ memberId: r.member_id, text: r.text, at: date(r.at) })),
    rounds,
    objections: row.objections.map(
      (o): Objection => ({
        id: o.id,
        round: o.round,
        version: o.version,
        memberId: o.member_id,
        reason: o.reason,
        suggestedAmendment: o.suggested_amendment,
        raisedAt: date(o.raised_at),
        resolution:
          o.resolution && o.resolved_by && o.resolved_at
            ? ({
                ...o.resolution,
                resolvedBy: o.resolved_by,
                at: date(o.resolved_at),
              } as ObjectionResolution)
            : null,
      }),
    ),
    advice: row.advice.map(
      (a): Advice => ({ adviserId: a.adviser_id, text: a.text, recordedBy: a.recorded_by, at: date(a.at) }),
    ),
    decision: row.decision ? toDecision(row, row.decision) : null,
    createdAt: row.created_at,
  };
}

function toDecision(row: ProposalRow, d: Json<DecisionRowJson>): Decision {
  return {
    proposalId: row.id,
    circleId: row.circle_id,
    method: d.method,
    version: d.version,
    text: d.text,
    adoptedAt: date(d.adopted_at),
    reviewMonths: d.review_months,
    reviewAt: date(d.review_at),
    termShortenedBy: d.term_shortened_by,
    concerns: d.concerns,
    measures: d.measures,
    tally: d.tally,
    advice: d.advice ? { ...d.advice, given: d.advice.given.map((a) => ({ ...a, at: date(a.at) })) } : null,
    grantsMandate: d.grants_mandate,
    review: row.review_of && row.review_intent ? { of: row.review_of, intent: row.review_intent } : null,
  };
}

const json = (value: unknown) => JSON.stringify(value);

/** Writes a new proposal with its first version. */
export async function insertProposal(tx: Queryable, orgId: string, proposal: Proposal) {
  await tx.query(
    `INSERT INTO proposals (org_id, id, circle_id, author_id, title, method, state, phase_entered_at, phase_deadline,
       quorum, review_months, grants_mandate, review_of, review_intent, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
    [
      orgId,
      proposal.id,
      proposal.circleId,
      proposal.authorId,
      proposal.title,
      json(proposal.method),
      proposal.state,
      proposal.phase.enteredAt,
      proposal.phase.deadline,
      json(proposal.quorum),
      proposal.reviewMonths,
      proposal.grantsMandate ? json(proposal.grantsMandate) : null,
      proposal.review?.of ?? null,
      proposal.review?.intent ?? null,
      proposal.createdAt,
    ],
  );
  await insertVersions(tx, orgId, proposal.id, proposal.versions);
}

async function insertVersions(
  tx: Queryable,
  orgId: string,
  proposalId: string,
  versions: readonly Version[],
) {
  if (versions.length === 0) return;
  await tx.query(
    `INSERT INTO proposal_versions (org_id, proposal_id, number, text, kind, by_member, at)
     SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[])`,
    [
      orgId,
      proposalId,
      versions.map((v) => v.number),
      versions.map((v) => v.text),
      versions.map((v) => v.kind),
      versions.map((v) => v.by),
      versions.map((v) => v.at),
    ],
  );
}

/**
 * Writes what changed between the proposal as loaded and as the core left it. The core only ever
 * appends (versions, questions, rounds, responses, objections, advice) or fills in (answers, round
 * closes, resolutions, the decision), so the difference is found by position and by id.
 */
export async function saveProposal(
  tx: Queryable,
  orgId: string,
  stored: StoredProposal,
  after: Proposal,
  now: Date,
) {
  const before = stored.proposal;
  const id = before.id;
  // The proposal row's update rides along with the statement that records responses, when there is one.
  const rowUpdate: ProposalRowUpdate = {
    state: after.state,
    enteredAt: after.phase.enteredAt,
    deadline: after.phase.deadline,
    updatedAt: now,
  };
  const updatedWithResponses = await saveRounds(tx, orgId, stored, after, rowUpdate);
  if (!updatedWithResponses)
    await tx.query(
      `UPDATE proposals SET state = $3, phase_entered_at = $4, phase_deadline = $5, updated_at = $6
       WHERE org_id = $1 AND id = $2`,
      [orgId, id, rowUpdate.state, rowUpdate.enteredAt, rowUpdate.deadline, rowUpdate.updatedAt],
    );
  await insertVersions(tx, orgId, id, after.versions.slice(before.versions.length));
  await saveQuestions(tx, orgId, before, after);
  await saveReactions(tx, orgId, before, after);
  await saveObjections(tx, orgId, before, after);
  const advice = after.advice.slice(before.advice.length);
  if (advice.length > 0)
    await tx.query(
      `INSERT INTO proposal_advice (org_id, proposal_id, position, adviser_id, text, recorded_by, at)
       SELECT $1, $2, * FROM unnest($3::int[], $4::uuid[], $5::text[], $6::uuid[], $7::timestamptz[])`,
      [
        orgId,
        id,
        advice.map((_, i) => before.advice.length + i),
        advice.map((a) => a.adviserId),
        advice.map((a) => a.text),
        advice.map((a) => a.recordedBy),
        advice.map((a) => a.at),
      ],
    );
  // What adopting the proposal sets in motion (e.g. a rotation's new assignment), for the log.
  return !before.decision && after.decision ? insertDecision(tx, orgId, after.decision) : [];
}

async function saveQuestions(tx: Queryable, orgId: string, before: Proposal, after: Proposal) {
  const known = new Map(before.questions.map((q) => [q.id, q]));
  for (const [position, question] of after.questions.entries()) {
    const earlier = known.get(question.id);
    if (!earlier)
      await tx.query(
        `INSERT INTO proposal_questions (org_id, id, proposal_id, asked_by, text, asked_at, answered_by, answer,
           answered_at, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          orgId,
          question.id,
          after.id,
          question.askedBy,
          question.text,
          question.askedAt,
          question.answer?.by ?? null,
          question.answer?.text ?? null,
          question.answer?.at ?? null,
          position,
        ],
      );
    else if (!earlier.answer && question.answer)
      await tx.query(
        `UPDATE proposal_questions SET answered_by = $3, answer = $4, answered_at = $5 WHERE org_id = $1 AND id = $2`,
        [orgId, question.id, question.answer.by, question.answer.text, question.answer.at],
      );
  }
}

async function saveReactions(tx: Queryable, orgId: string, before: Proposal, after: Proposal) {
  const known = new Map(before.reactions.map((r) => [r.memberId, r]));
  for (const reaction of after.reactions) {
    const earlier = known.get(reaction.memberId);
    if (earlier && earlier.at.getTime() === reaction.at.getTime() && earlier.text === reaction.text) continue;
    await tx.query(
      `INSERT INTO proposal_reactions (org_id, proposal_id, member_id, text, at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, proposal_id, member_id) DO UPDATE SET text = excluded.text, at = excluded.at`,
      [orgId, after.id, reaction.memberId, reaction.text, reaction.at],
    );
  }
}

interface ProposalRowUpdate {
  state: Proposal["state"];
  enteredAt: Date;
  deadline: Date | null;
  updatedAt: Date;
}

/** Writes new rounds, closes and responses; true when the proposal row was updated along with responses. */
async function saveRounds(
  tx: Queryable,
  orgId: string,
  stored: StoredProposal,
  after: Proposal,
  rowUpdate: ProposalRowUpdate,
) {
  const before = stored.proposal;
  let rowUpdated = false;
  for (const round of after.rounds) {
    const earlier = before.rounds.find((r) => r.number === round.number);
    const counts = round.method === "vote" ? json(round.counts) : null;
    const added = round.responses.slice(earlier?.responses.length ?? 0);
    const heldBefore = stored.responsesCount.get(round.number) ?? 0;
    if (!earlier)
      await tx.query(
        `INSERT INTO proposal_rounds (org_id, proposal_id, number, method, version, participants, opened_at, deadline,
           closed_at, counts, responses_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)`,
        [
          orgId,
          after.id,
          round.number,
          round.method,
          round.version,
          json(round.eligible),
          round.openedAt,
          round.deadline,
          round.closedAt,
          counts,
        ],
      );
    else if (added.length === 0 && earlier.closedAt?.getTime() !== round.closedAt?.getTime())
      await tx.query(
        "UPDATE proposal_rounds SET closed_at = $4, counts = $5 WHERE org_id = $1 AND proposal_id = $2 AND number = $3",
        [orgId, after.id, round.number, round.closedAt, counts],
      );
    if (added.length === 0) continue;
    await appendResponses(tx, orgId, after.id, round, added, heldBefore, rowUpdated ? null : rowUpdate);
    rowUpdated = true;
  }
  return rowUpdated;
}

/**
 * The part of a statement that appends a round's new responses to its history, counts them on the round
 * and makes each member's last one current (`$1` is the organisation, `$2` the proposal, the eleven
 * parameters of `responseColumns` start at `$first`), on the condition `guard` when there is one.
 */
const recordResponsesSql = (first: number, guard = "TRUE") => {
  const $ = (offset: number) => `$${first + offset}`;
  return `history AS (
       INSERT INTO proposal_responses (org_id, proposal_id, round, position, member_id, response, at)
       SELECT $1, $2, ${$(0)}, * FROM unnest(${$(1)}::int[], ${$(2)}::uuid[], ${$(3)}::jsonb[], ${$(4)}::timestamptz[])
       WHERE ${guard}),
     counted AS (
       UPDATE proposal_rounds
       SET closed_at = ${$(5)}, counts = ${$(6)}, responses_count = responses_count + cardinality(${$(1)}::int[])
       WHERE org_id = $1 AND proposal_id = $2 AND number = ${$(0)} AND ${guard}),
     current_responses AS (
       INSERT INTO proposal_current_responses (org_id, proposal_id, round, member_id, position, response, at)
       SELECT $1, $2, ${$(0)}, * FROM unnest(${$(7)}::uuid[], ${$(8)}::int[], ${$(9)}::jsonb[], ${$(10)}::timestamptz[])
       WHERE ${guard}
       ON CONFLICT (org_id, proposal_id, round, member_id)
       DO UPDATE SET position = excluded.position, response = excluded.response, at = excluded.at)`;
};

/**
 * The eleven parameters of `recordResponsesSql`. The responses after the `heldBefore` a round already
 * holds are numbered on from there; a member who answered twice among them has both kept and the later
 * one current.
 */
function responseColumns(round: DecisionRound, added: DecisionRound["responses"], heldBefore: number) {
  const lastOf = new Map(
    added.map((r, i) => [r.memberId as string, { response: r, position: heldBefore + i }]),
  );
  const current = [...lastOf.values()];
  return [
    round.number,
    added.map((_, i) => heldBefore + i),
    added.map((r) => r.memberId),
    added.map((r) => json(r.response)),
    added.map((r) => r.at),
    round.closedAt,
    round.method === "vote" ? json(round.counts) : null,
    current.map((c) => c.response.memberId),
    current.map((c) => c.position),
    current.map((c) => json(c.response.response)),
    current.map((c) => c.response.at),
  ];
}

/**
 * Appends a round's new responses and, when `rowUpdate` is given, updates the proposal's row — one
 * statement, so a batch of two hundred responses costs one round trip.
 */
async function appendResponses(
  tx: Queryable,
  orgId: string,
  proposalId: string,
  round: DecisionRound,
  added: DecisionRound["responses"],
  heldBefore: number,
  rowUpdate: ProposalRowUpdate | null,
) {
  await tx.query(
    `WITH ${recordResponsesSql(3)},
     proposal AS (
       UPDATE proposals SET state = $14, phase_entered_at = $15, phase_deadline = $16, updated_at = $17
       WHERE $18 AND org_id = $1 AND id = $2)
     SELECT 1`,
    [
      orgId,
      proposalId,
      ...responseColumns(round, added, heldBefore),
      rowUpdate?.state ?? null,
      rowUpdate?.enteredAt ?? null,
      rowUpdate?.deadline ?? null,
      rowUpdate?.updatedAt ?? null,
      rowUpdate !== null,
    ],
  );
}

/** What a writer knows of a proposal and its organisation's log without holding a lock on either. */
export interface UnlockedWrite {
  /** The copy the responses were added to, and the revision it was stored at. */
  stored: StoredProposal;
  revision: number;
  /** The proposal with the batch's responses added (nothing else changed: see `asReloaded`). */
  after: Proposal;
  /** The log's head the entries were chained onto, and the entries. */
  head: LogHead;
  entries: readonly LogEntry[];
  now: Date;
}

/**
 * Records responses in one statement that is its own transaction, with no lock held beforehand: on the
 * condition that the proposal is still at the copy's revision and the log still ends at the head the
 * entries were chained onto. Both are checked under the rows' locks (a writer that got there first makes
 * the check fail, not wait and overwrite), the proposal before the head as in every other transaction.
 * Null when a condition failed: then nothing but the proposal's revision (and when it was touched) moved,
 * and the caller writes the batch the locking way. Only a batch that adds responses to one open round
 * goes this way.
 */
export async function recordResponsesUnlocked(
  db: Queryable,
  orgId: string,
  write: UnlockedWrite,
): Promise<ProposalLock | null> {
  const before = write.stored.proposal;
  const changed = write.after.rounds.filter(
    (round, i) => round.responses.length > (before.rounds[i]?.responses.length ?? 0),
  );
  const round = changed[0];
  if (changed.length !== 1 || !round) return null;
  const added = round.responses.slice(before.rounds.find((r) => r.number === round.number)?.responses.length);
  const last = write.entries.at(-1);
  if (!last) return null;
  const newHead = { seq: last.seq, hash: last.hash };
  const { rows } = await db.query<{
    revision: number | null;
    facilitator_ids: MemberId[];
    appended: boolean;
  }>(
    `WITH locked AS (
       UPDATE proposals p SET revision = revision + 1, updated_at = $3
       WHERE org_id = $1 AND id = $2 AND revision = $4
       RETURNING revision, ${FACILITATORS("p.circle_id")} AS facilitator_ids),
     head AS (
       UPDATE log_heads SET seq = $25, hash = $26
       WHERE org_id = $1 AND seq = $5 AND hash = $6 AND EXISTS (SELECT 1 FROM locked)
       RETURNING seq),
     ${recordResponsesSql(7, "EXISTS (SELECT 1 FROM head)")},
     appended AS (${insertEntriesSql(18, "EXISTS (SELECT 1 FROM head)")})
     SELECT locked.revision, locked.facilitator_ids, EXISTS (SELECT 1 FROM head) AS appended,
       CASE WHEN EXISTS (SELECT 1 FROM head) THEN pg_notify($27, $28) END
     FROM locked`,
    [
      orgId,
      before.id,
      write.now,
      write.revision,
      write.head.seq,
      write.head.hash,
      ...responseColumns(round, added, write.stored.responsesCount.get(round.number) ?? 0),
      ...entryColumns(write.entries),
      newHead.seq,
      newHead.hash,
      LOG_CHANNEL,
      appendNotice(orgId, newHead),
    ],
  );
  const row = rows[0];
  if (!row?.appended || row.revision === null) return null;
  return { revision: row.revision, facilitatorIds: row.facilitator_ids };
}

async function saveObjections(tx: Queryable, orgId: string, before: Proposal, after: Proposal) {
  const known = new Map(before.objections.map((o) => [o.id, o]));
  for (const [position, objection] of after.objections.entries()) {
    const earlier = known.get(objection.id);
    const resolution = objection.resolution;
    const resolutionFields = resolution
      ? (({ resolvedBy: _by, at: _at, ...rest }) => rest)(resolution)
      : null;
    if (!earlier)
      await tx.query(
        `INSERT INTO objections (org_id, id, proposal_id, round, version, member_id, reason, suggested_amendment,
           raised_at, resolution, resolved_by, resolved_at, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          orgId,
          objection.id,
          after.id,
          objection.round,
          objection.version,
          objection.memberId,
          objection.reason,
          objection.suggestedAmendment,
          objection.raisedAt,
          resolutionFields ? json(resolutionFields) : null,
          resolution?.resolvedBy ?? null,
          resolution?.at ?? null,
          position,
        ],
      );
    else if (!earlier.resolution && resolution)
      await tx.query(
        `UPDATE objections SET resolution = $3, resolved_by = $4, resolved_at = $5 WHERE org_id = $1 AND id = $2`,
        [orgId, objection.id, json(resolutionFields), resolution.resolvedBy, resolution.at],
      );
  }
}

/**
 * Records the decision. A decision adopted by a review replaces the one reviewed (or retires it), and a
 * decision that grants a voting mandate gives the circle that mandate.
 */
async function insertDecision(tx: Queryable, orgId: string, decision: Decision) {
  const retires = decision.review?.intent === "retire";
  await tx.query(
    `INSERT INTO decisions (org_id, proposal_id, circle_id, method, version, text, adopted_at, review_months, review_at,
       term_shortened_by, concerns, measures, tally, advice, grants_mandate, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      orgId,
      decision.proposalId,
      decision.circleId,
      decision.method,
      decision.version,
      decision.text,
      decision.adoptedAt,
      decision.reviewMonths,
      decision.reviewAt,
      json(decision.termShortenedBy),
      json(decision.concerns),
      json(decision.measures),
      decision.tally ? json(decision.tally) : null,
      decision.advice ? json(decision.advice) : null,
      decision.grantsMandate ? json(decision.grantsMandate) : null,
      retires ? "retired" : "active",
    ],
  );
  if (decision.review)
    await tx.query(
      `UPDATE decisions SET status = $3, reviewed_by = $4, reviewed_at = $5
       WHERE org_id = $1 AND proposal_id = $2 AND status = 'active'`,
      [
        orgId,
        decision.review.of,
        retires ? "retired" : "superseded",
        decision.proposalId,
        decision.adoptedAt,
      ],
    );
  const mandate = decision.grantsMandate;
  if (mandate)
    await tx.query(
      `INSERT INTO voting_mandates (org_id, circle_id, decision_class, consented_in, threshold, secret, quorum, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (org_id, circle_id, decision_class) DO UPDATE SET consented_in = excluded.consented_in,
         threshold = excluded.threshold, secret = excluded.secret, quorum = excluded.quorum, created_at = excluded.created_at`,
      [
        orgId,
        decision.circleId,
        mandate.decisionClass,
        mandate.consentedIn,
        json(mandate.threshold),
        mandate.secret,
        json(mandate.quorum),
        decision.adoptedAt,
      ],
    );
  return applyProposalEffects(tx, orgId, decision);
}
