import type { Viewer } from "../core/access.js";
import { governanceLimitedTo, readsCircleGovernance } from "../core/consent/reading.js";
import { invalid, notFound } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import {
  type AgendaItemInput,
  type AttendanceMark,
  agendaLinks,
  closeMeeting,
  type Evaluation,
  evaluateMeeting,
  type Meeting,
  type MeetingDetails,
  type MeetingId,
  type MeetingRound,
  type MeetingTransition,
  type Minutes,
  markAttendance,
  openMeeting,
  type RoundEntry,
  recordMinutes,
  scheduleMeeting,
  speakInRound,
  updateMeeting,
} from "../core/meetings.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";
import type { Org } from "./orgs.js";
import { circleParticipants, facilitatorsOf } from "./proposals/commands.js";

// Storage: the core's `Meeting` as a jsonb document, without who facilitates and who may attend (they
// are whoever holds the circle's facilitator role and takes part in the circle when it is read).

/** An entry of one of the meeting's lists as JSON stores it. */
type StoredEntry<T extends { at: Date }> = Omit<T, "at"> & { at: string };

type MeetingDocument = Omit<
  Meeting,
  | "facilitatorIds"
  | "participantIds"
  | "startsAt"
  | "endsAt"
  | "scheduledAt"
  | "openedAt"
  | "closedAt"
  | "attendance"
  | "checkIns"
  | "checkOuts"
  | "minutes"
  | "evaluations"
> & {
  startsAt: string;
  endsAt: string;
  scheduledAt: string;
  openedAt: string | null;
  closedAt: string | null;
  attendance: StoredEntry<AttendanceMark>[];
  checkIns: StoredEntry<RoundEntry>[];
  checkOuts: StoredEntry<RoundEntry>[];
  minutes: StoredEntry<Minutes> | null;
  evaluations: StoredEntry<Evaluation>[];
};

const date = (iso: string) => new Date(iso);
const dated = <T extends { at: string }>(entry: T) => ({ ...entry, at: date(entry.at) });

function reviveMeeting(document: MeetingDocument, people: CirclePeople): Meeting {
  return {
    ...document,
    startsAt: date(document.startsAt),
    endsAt: date(document.endsAt),
    scheduledAt: date(document.scheduledAt),
    openedAt: document.openedAt === null ? null : date(document.openedAt),
    closedAt: document.closedAt === null ? null : date(document.closedAt),
    attendance: document.attendance.map(dated),
    checkIns: document.checkIns.map(dated),
    checkOuts: document.checkOuts.map(dated),
    minutes: document.minutes && dated(document.minutes),
    evaluations: document.evaluations.map(dated),
    ...people,
  };
}

const documentOf = ({ facilitatorIds: _f, participantIds: _p, ...meeting }: Meeting) =>
  JSON.stringify(meeting);

interface CirclePeople {
  facilitatorIds: readonly MemberId[];
  participantIds: readonly MemberId[];
}

async function circlePeople(
  db: Queryable,
  orgId: string,
  circleId: string,
  now: Date,
): Promise<CirclePeople> {
  return {
    facilitatorIds: await facilitatorsOf(db, orgId, circleId, now),
    participantIds: await circleParticipants(db, orgId, circleId, now),
  };
}

interface MeetingRow {
  circle_id: CircleId;
  document: MeetingDocument;
}

/** Meetings with their circles' people, each circle's read once. */
async function withPeople(db: Queryable, orgId: string, rows: readonly MeetingRow[], now: Date) {
  const byCircle = new Map<string, CirclePeople>();
  const meetings: Meeting[] = [];
  for (const row of rows) {
    let people = byCircle.get(row.circle_id);
    if (!people) {
      people = await circlePeople(db, orgId, row.circle_id, now);
      byCircle.set(row.circle_id, people);
    }
    meetings.push(reviveMeeting(row.document, people));
  }
  return meetings;
}

async function loadMeeting(db: Queryable, orgId: string, meetingId: string, now: Date, lock = false) {
  const { rows } = await db.query<MeetingRow>(
    `SELECT circle_id, document FROM meetings WHERE org_id = $1 AND id = $2 ${lock ? "FOR UPDATE" : ""}`,
    [orgId, meetingId],
  );
  const row = rows[0];
  if (!row) throw notFound("Meeting", meetingId);
  return reviveMeeting(row.document, await circlePeople(db, orgId, row.circle_id, now));
}

async function insertMeeting(tx: Queryable, orgId: string, meeting: Meeting, now: Date) {
  await tx.query(
    `INSERT INTO meetings (org_id, id, circle_id, convener_id, state, starts_at, ends_at, document, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9)`,
    [
      orgId,
      meeting.id,
      meeting.circleId,
      meeting.convenerId,
      meeting.state,
      meeting.startsAt,
      meeting.endsAt,
      documentOf(meeting),
      now,
    ],
  );
}

async function saveMeeting(tx: Queryable, orgId: string, meeting: Meeting, now: Date) {
  await tx.query(
    `UPDATE meetings SET state = $3, starts_at = $4, ends_at = $5, document = $6::jsonb, updated_at = $7
     WHERE org_id = $1 AND id = $2`,
    [orgId, meeting.id, meeting.state, meeting.startsAt, meeting.endsAt, documentOf(meeting), now],
  );
}

async function assertActiveCircle(db: Queryable, orgId: string, circleId: string) {
  const { rows } = await db.query(
    "SELECT 1 FROM circles WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
    [orgId, circleId],
  );
  if (rows.length === 0) throw notFound("Circle", circleId);
}

/**
 * A proposal or selection on the agenda is one of the meeting's circle: it runs live in the meeting
 * through its own process, so it must be the circle's own.
 */
async function assertAgendaOfCircle(db: Queryable, orgId: string, meeting: Meeting) {
  const { proposalIds, selectionIds } = agendaLinks(meeting.agenda);
  const check = async (table: "proposals" | "selections", ids: readonly string[], kind: string) => {
    if (ids.length === 0) return;
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE org_id = $1 AND circle_id = $2 AND id = ANY($3::uuid[])`,
      [orgId, meeting.circleId, ids],
    );
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined)
      throw invalid(`The agenda names a ${kind} that is not one of the circle's`, {
        field: "agenda",
        [`${kind}Id`]: missing,
      });
  };
  await check("proposals", proposalIds, "proposal");
  await check("selections", selectionIds, "selection");
}

const logAll = (log: CommandScope["log"], actor: Viewer, { events }: MeetingTransition) => {
  for (const event of events) log({ type: event.type, actor: actor.memberId, payload: event.payload });
};

export interface ScheduleMeetingInput extends MeetingDetails {
  circleId: string;
}

/** Someone who takes part in a circle calls a meeting of it. */
export async function scheduleCircleMeeting(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: ScheduleMeetingInput,
) {
  const id = ctx.newId() as MeetingId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    await assertActiveCircle(tx, org.id, input.circleId);
    const circleId = input.circleId as CircleId;
    const transition = scheduleMeeting(
      { ...input, id, circleId, actor: viewer, ...(await circlePeople(tx, org.id, circleId, now)) },
      now,
    );
    await assertAgendaOfCircle(tx, org.id, transition.meeting);
    await insertMeeting(tx, org.id, transition.meeting, now);
    logAll(log, viewer, transition);
    return transition.meeting;
  });
  return result;
}

/**
 * Runs one command on a meeting: lock its row, load it, let the core decide, save and log, in one
 * transaction. A refusal rolls everything back; a step that returns no events writes nothing. A meeting
 * the viewer may not read is "not found", as on reading.
 */
async function meetingCommand(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  meetingId: string,
  step: (meeting: Meeting, scope: CommandScope) => Promise<MeetingTransition> | MeetingTransition,
) {
  const { result } = await runCommand(ctx, org.id, async (scope) => {
    const meeting = await loadMeeting(scope.tx, org.id, meetingId, scope.now, true);
    if (!readsCircleGovernance(viewer, meeting.circleId, org.settings)) throw notFound("Meeting", meetingId);
    const transition = await step(meeting, scope);
    if (transition.events.length === 0) return meeting;
    await saveMeeting(scope.tx, org.id, transition.meeting, scope.now);
    logAll(scope.log, viewer, transition);
    return transition.meeting;
  });
  return result;
}

export interface MeetingChange {
  title?: string | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  location?: string | undefined;
  agenda?: AgendaItemInput[] | undefined;
}

export const changeMeeting = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  meetingId: string,
  change: MeetingChange,
) =>
  meetingCommand(ctx, org, viewer, meetingId, async (meeting, { tx }) => {
    const transition = updateMeeting(meeting, viewer, change);
    if (change.agenda !== undefined) await assertAgendaOfCircle(tx, org.id, transition.meeting);
    return transition;
  });

export const openCircleMeeting = (ctx: AppContext, org: Org, viewer: Viewer, meetingId: string) =>
  meetingCommand(ctx, org, viewer, meetingId, (meeting, { now }) => openMeeting(meeting, viewer, now));

export const closeCircleMeeting = (ctx: AppContext, org: Org, viewer: Viewer, meetingId: string) =>
  meetingCommand(ctx, org, viewer, meetingId, (meeting, { now }) => closeMeeting(meeting, viewer, now));

export const markMeetingAttendance = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  meetingId: string,
  input: { memberId: string; present: boolean },
) =>
  meetingCommand(ctx, org, viewer, meetingId, (meeting, { now }) =>
    markAttendance(
      meeting,
      { actor: viewer, memberId: input.memberId as MemberId, present: input.present },
      now,
    ),
  );

export const speakInMeetingRound = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  meetingId: string,
  round: MeetingRound,
  text: string,
) =>
  meetingCommand(ctx, org, viewer, meetingId, (meeting, { now }) =>
    speakInRound(meeting, { actor: viewer, round, text }, now),
  );

export const recordMeetingMinutes = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  meetingId: string,
  text: string,
) =>
  meetingCommand(ctx, org, viewer, meetingId, (meeting, { now }) =>
    recordMinutes(meeting, { actor: viewer, text }, now),
  );

export const evaluateCircleMeeting = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  meetingId: string,
  input: { rating: number; comment: string },
) =>
  meetingCommand(ctx, org, viewer, meetingId, (meeting, { now }) =>
    evaluateMeeting(meeting, { actor: viewer, ...input }, now),
  );

// Reads: a meeting is circle governance, open to the organisation (observers as the settings say).

/** Reads a meeting for a viewer; one they may not read is "not found". */
export async function readMeeting(db: Queryable, org: Org, viewer: Viewer, meetingId: string, now: Date) {
  const meeting = await loadMeeting(db, org.id, meetingId, now);
  if (!readsCircleGovernance(viewer, meeting.circleId, org.settings)) throw notFound("Meeting", meetingId);
  return meeting;
}

export interface MeetingFilter {
  circleId?: string | undefined;
  /** Meetings that end at or after this time. */
  from?: Date | undefined;
  /** Meetings that start before this time. */
  to?: Date | undefined;
  limit: number;
  offset: number;
}

/** Meetings the viewer may read, in the order they take place. */
export async function listMeetings(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  filter: MeetingFilter,
  now: Date,
) {
  const limitedTo = governanceLimitedTo(viewer, org.settings);
  const { rows } = await db.query<MeetingRow>(
    `SELECT circle_id, document FROM meetings
     WHERE org_id = $1 AND ($2::uuid IS NULL OR circle_id = $2) AND ($3::uuid[] IS NULL OR circle_id = ANY($3::uuid[]))
       AND ($4::timestamptz IS NULL OR ends_at >= $4) AND ($5::timestamptz IS NULL OR starts_at < $5)
     ORDER BY starts_at, id LIMIT $6 OFFSET $7`,
    [
      org.id,
      filter.circleId ?? null,
      limitedTo && [...limitedTo],
      filter.from ?? null,
      filter.to ?? null,
      filter.limit + 1,
      filter.offset,
    ],
  );
  const meetings = await withPeople(db, org.id, rows.slice(0, filter.limit), now);
  return { meetings, hasMore: rows.length > filter.limit };
}

/** Meetings of the given circles ending at or after `from`, for calendar feeds (no people needed). */
export async function meetingsOfCircles(
  db: Queryable,
  orgId: string,
  circleIds: readonly string[],
  from: Date,
) {
  const { rows } = await db.query<MeetingRow>(
    `SELECT circle_id, document FROM meetings
     WHERE org_id = $1 AND circle_id = ANY($2::uuid[]) AND ends_at >= $3 ORDER BY starts_at, id`,
    [orgId, [...circleIds], from],
  );
  const none = { facilitatorIds: [], participantIds: [] };
  return rows.map((row) => reviveMeeting(row.document, none));
}
