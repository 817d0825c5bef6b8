import type { Viewer } from "../core/access.js";
import { invalid, notFound } from "../core/errors.js";
import type { MemberId } from "../core/ids.js";
import type { MemberProfile } from "../core/members.js";
import {
  type CheckInId,
  checkIn,
  endMentorship,
  type MentorSuggestion,
  type Mentorship,
  type MentorshipEvent,
  type MentorshipId,
  type MentorshipState,
  type MentorshipTransition,
  startMentorship,
  suggestMentors,
} from "../core/mentorship.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";
import { type Stored, storedDate } from "./json-document.js";
import type { Org } from "./orgs.js";

// Storage: the core's `Mentorship` as a jsonb document, check-ins included; the columns beside it are
// what lists search by.

type MentorshipDocument = Stored<Mentorship>;

const reviveMentorship = (document: MentorshipDocument): Mentorship => ({
  ...document,
  checkIns: document.checkIns.map((c) => ({ ...c, at: storedDate(c.at) })),
  startedAt: storedDate(document.startedAt),
  ended: document.ended && { ...document.ended, at: storedDate(document.ended.at) },
});

async function loadMentorship(db: Queryable, orgId: string, mentorshipId: string, lock = false) {
  const { rows } = await db.query<{ document: MentorshipDocument }>(
    `SELECT document FROM mentorships WHERE org_id = $1 AND id = $2 ${lock ? "FOR UPDATE" : ""}`,
    [orgId, mentorshipId],
  );
  const row = rows[0];
  if (!row) throw notFound("Mentorship", mentorshipId);
  return reviveMentorship(row.document);
}

const logAll = (log: CommandScope["log"], actor: Viewer, events: readonly MentorshipEvent[]) => {
  for (const event of events) log({ type: event.type, actor: actor.memberId, payload: event.payload });
};

/** Both of the pair check in, so both are active members who may write (observers never do). */
async function assertCanPair(tx: Queryable, orgId: string, mentorship: Mentorship) {
  const { rows } = await tx.query<{ id: MemberId }>(
    `SELECT id FROM members WHERE org_id = $1 AND id = ANY($2::uuid[]) AND archived_at IS NULL
       AND access <> 'observer'`,
    [orgId, [mentorship.mentorId, mentorship.menteeId]],
  );
  for (const field of ["mentorId", "menteeId"] as const)
    if (!rows.some((r) => r.id === mentorship[field]))
      throw invalid("A mentor and a mentee are active members who are not observers", { field });
}

export interface StartMentorshipInput {
  mentorId: string;
  menteeId: string;
  skills: readonly string[];
  goals?: readonly string[] | undefined;
}

/** The mentor or the mentee starts a mentorship around skills to grow. */
export async function beginMentorship(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: StartMentorshipInput,
) {
  const id = ctx.newId() as MentorshipId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const { mentorship, events } = startMentorship(
      {
        id,
        actor: viewer,
        mentorId: input.mentorId as MemberId,
        menteeId: input.menteeId as MemberId,
        skills: input.skills,
        goals: input.goals ?? [],
      },
      now,
    );
    await assertCanPair(tx, org.id, mentorship);
    await tx.query(
      `INSERT INTO mentorships (org_id, id, mentor_id, mentee_id, started_at, ended_at, document, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, NULL, $6::jsonb, $5, $5)`,
      [org.id, mentorship.id, mentorship.mentorId, mentorship.menteeId, now, JSON.stringify(mentorship)],
    );
    logAll(log, viewer, events);
    return mentorship;
  });
  return result;
}

/** Runs one command on a mentorship under its row lock: load, let the core decide, save and log. */
async function mentorshipCommand(
  ctx: AppContext,
  org: Org,
  actor: Viewer,
  mentorshipId: string,
  step: (mentorship: Mentorship, now: Date) => MentorshipTransition,
) {
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const { mentorship, events } = step(await loadMentorship(tx, org.id, mentorshipId, true), now);
    await tx.query(
      `UPDATE mentorships SET document = $3::jsonb, ended_at = $4, updated_at = $5 WHERE org_id = $1 AND id = $2`,
      [org.id, mentorship.id, JSON.stringify(mentorship), mentorship.ended?.at ?? null, now],
    );
    logAll(log, actor, events);
    return mentorship;
  });
  return result;
}

export const addCheckIn = (ctx: AppContext, org: Org, viewer: Viewer, mentorshipId: string, text: string) =>
  mentorshipCommand(ctx, org, viewer, mentorshipId, (mentorship, now) =>
    checkIn(mentorship, { actor: viewer, checkInId: ctx.newId() as CheckInId, text }, now),
  );

export const finishMentorship = (ctx: AppContext, org: Org, viewer: Viewer, mentorshipId: string) =>
  mentorshipCommand(ctx, org, viewer, mentorshipId, (mentorship, now) =>
    endMentorship(mentorship, viewer, now),
  );

// Reads: who mentors whom, and in what, is open to the organisation; the presenter keeps the check-ins
// to the pair.

export const readMentorship = (db: Queryable, org: Org, mentorshipId: string) =>
  loadMentorship(db, org.id, mentorshipId);

export interface MentorshipFilter {
  /** Mentorships this member is the mentor or the mentee of. */
  memberId?: string | undefined;
  state?: MentorshipState | undefined;
  limit: number;
  offset: number;
}

/** Running mentorships first, then the ended ones; the most recently started first within each. */
export async function listMentorships(db: Queryable, org: Org, filter: MentorshipFilter) {
  const { rows } = await db.query<{ document: MentorshipDocument }>(
    `SELECT document FROM mentorships
     WHERE org_id = $1 AND ($2::uuid IS NULL OR mentor_id = $2 OR mentee_id = $2)
       AND ($3::text IS NULL OR (ended_at IS NULL) = ($3 = 'active'))
     ORDER BY ended_at IS NOT NULL, started_at DESC, id LIMIT $4 OFFSET $5`,
    [org.id, filter.memberId ?? null, filter.state ?? null, filter.limit + 1, filter.offset],
  );
  return {
    mentorships: rows.slice(0, filter.limit).map((row) => reviveMentorship(row.document)),
    hasMore: rows.length > filter.limit,
  };
}

interface ProfileRow {
  id: MemberId;
  name: string;
  skills: MemberProfile["skills"];
  mentoring_offered: string[];
  mentoring_wanted: string[];
}

export interface MentorSuggestions {
  mentee: { id: MemberId; wanted: string[] };
  suggestions: MentorSuggestion[];
  names: ReadonlyMap<string, string>;
}

/**
 * Who could mentor the mentee, best first (the core's `suggestMentors`), from the profiles of the
 * organisation's active members who may write, with their names.
 */
export async function mentorSuggestions(
  db: Queryable,
  org: Org,
  menteeId: string,
): Promise<MentorSuggestions> {
  const { rows } = await db.query<ProfileRow>(
    `SELECT id, name, skills, mentoring_offered, mentoring_wanted FROM members
     WHERE org_id = $1 AND archived_at IS NULL AND (access <> 'observer' OR id = $2)`,
    [org.id, menteeId],
  );
  const mentee = rows.find((row) => row.id === menteeId);
  if (!mentee) throw notFound("Member", menteeId);
  const names = new Map(rows.map((row) => [row.id as string, row.name]));
  const suggestions = suggestMentors(
    { memberId: mentee.id, profile: { mentoringWanted: mentee.mentoring_wanted } },
    rows.map((row) => ({
      memberId: row.id,
      profile: { skills: row.skills, mentoringOffered: row.mentoring_offered },
    })),
  );
  return { mentee: { id: mentee.id, wanted: mentee.mentoring_wanted }, suggestions, names };
}
