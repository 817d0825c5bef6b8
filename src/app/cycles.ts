import type { Viewer } from "../core/access.js";
import type { ProposalId } from "../core/consent/ids.js";
import { governanceLimitedTo, readsCircleGovernance } from "../core/consent/reading.js";
import type { Crisis } from "../core/crisis/crisis.js";
import {
  addEntry,
  addLesson,
  advanceCycle,
  type Cycle,
  type CycleEntryId,
  type CycleId,
  type CyclePhase,
  type CycleState,
  type CycleTransition,
  closeCycle,
  cycleRefusal,
  cycleState,
  type LessonId,
  lessonOf,
  openCrisisReflection,
  openCycle,
  proposeFromLesson,
} from "../core/cycles.js";
import { notFound } from "../core/errors.js";
import type { CircleId } from "../core/ids.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";
import type { Org } from "./orgs.js";
import { createProposalWith } from "./proposals/commands.js";

// Storage: the core's `Cycle` as a jsonb document; `state` and `crisis_id` beside it for lists.

interface CycleDocument extends Omit<Cycle, "openedAt" | "phases" | "entries" | "lessons" | "closed"> {
  openedAt: string;
  phases: { phase: CyclePhase; at: string }[];
  entries: (Omit<Cycle["entries"][number], "at"> & { at: string })[];
  lessons: (Omit<Cycle["lessons"][number], "at"> & { at: string })[];
  closed: { by: NonNullable<Cycle["closed"]>["by"]; at: string } | null;
}

const date = (iso: string) => new Date(iso);

const reviveCycle = (document: CycleDocument): Cycle => ({
  ...document,
  openedAt: date(document.openedAt),
  phases: document.phases.map((p) => ({ ...p, at: date(p.at) })),
  entries: document.entries.map((e) => ({ ...e, at: date(e.at) })),
  lessons: document.lessons.map((l) => ({ ...l, at: date(l.at) })),
  closed: document.closed && { ...document.closed, at: date(document.closed.at) },
});

const crisisIdOf = (cycle: Cycle) => (cycle.subject.kind === "crisis" ? cycle.subject.crisisId : null);

async function loadCycle(db: Queryable, orgId: string, cycleId: string, lock = false) {
  const { rows } = await db.query<{ document: CycleDocument }>(
    `SELECT document FROM cycles WHERE org_id = $1 AND id = $2 ${lock ? "FOR UPDATE" : ""}`,
    [orgId, cycleId],
  );
  const row = rows[0];
  if (!row) throw notFound("Cycle", cycleId);
  return reviveCycle(row.document);
}

async function insertCycle(tx: Queryable, orgId: string, cycle: Cycle, now: Date) {
  await tx.query(
    `INSERT INTO cycles (org_id, id, circle_id, crisis_id, state, document, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7)`,
    [orgId, cycle.id, cycle.circleId, crisisIdOf(cycle), cycleState(cycle), JSON.stringify(cycle), now],
  );
}

async function saveCycle(tx: Queryable, orgId: string, cycle: Cycle, now: Date) {
  await tx.query(
    "UPDATE cycles SET state = $3, document = $4::jsonb, updated_at = $5 WHERE org_id = $1 AND id = $2",
    [orgId, cycle.id, cycleState(cycle), JSON.stringify(cycle), now],
  );
}

const logAll = (log: CommandScope["log"], actor: string | null, { events }: CycleTransition) => {
  for (const event of events) log({ type: event.type, actor, payload: event.payload });
};

async function assertActiveCircle(db: Queryable, orgId: string, circleId: string) {
  const { rows } = await db.query(
    "SELECT 1 FROM circles WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
    [orgId, circleId],
  );
  if (rows.length === 0) throw notFound("Circle", circleId);
}

/** A circle the viewer may not read the governance of hides its cycles: they are "not found". */
function assertReads(org: Org, viewer: Viewer, cycle: Cycle) {
  if (!readsCircleGovernance(viewer, cycle.circleId, org.settings)) throw notFound("Cycle", cycle.id);
}

/** A circle opens a cycle on an initiative. */
export async function startCycle(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: { circleId: string; title: string },
) {
  const id = ctx.newId() as CycleId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    await assertActiveCircle(tx, org.id, input.circleId);
    const opened = openCycle(
      { id, circleId: input.circleId as CircleId, actor: viewer, title: input.title },
      now,
    );
    await insertCycle(tx, org.id, opened.cycle, now);
    logAll(log, viewer.memberId, opened);
    return opened.cycle;
  });
  return result;
}

/**
 * Opens the circle's reflection on a crisis whose end is being noted, in the transaction that notes it,
 * so authority visibly returns to the circle in the same step. Called once per crisis (the end is noted
 * once); the unique index on `crisis_id` holds that even so.
 */
export async function openCrisisReview(scope: CommandScope, orgId: string, crisis: Crisis, cycleId: string) {
  const opened = openCrisisReflection({ id: cycleId as CycleId, crisis }, scope.now);
  await insertCycle(scope.tx, orgId, opened.cycle, scope.now);
  logAll(scope.log, null, opened);
  return opened.cycle;
}

/** Runs one command on a cycle: lock its row, load it, let the core decide, save and log, in one transaction. */
async function cycleCommand(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  cycleId: string,
  step: (cycle: Cycle, now: Date) => CycleTransition,
) {
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const cycle = await loadCycle(tx, org.id, cycleId, true);
    assertReads(org, viewer, cycle);
    const transition = step(cycle, now);
    await saveCycle(tx, org.id, transition.cycle, now);
    logAll(log, viewer.memberId, transition);
    return transition.cycle;
  });
  return result;
}

export const addCycleEntry = (ctx: AppContext, org: Org, viewer: Viewer, cycleId: string, text: string) =>
  cycleCommand(ctx, org, viewer, cycleId, (cycle, now) =>
    addEntry(cycle, { actor: viewer, entryId: ctx.newId() as CycleEntryId, text }, now),
  );

export const advanceCyclePhase = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  cycleId: string,
  to: CyclePhase,
) => cycleCommand(ctx, org, viewer, cycleId, (cycle, now) => advanceCycle(cycle, { actor: viewer, to }, now));

export const addCycleLesson = (ctx: AppContext, org: Org, viewer: Viewer, cycleId: string, text: string) =>
  cycleCommand(ctx, org, viewer, cycleId, (cycle, now) =>
    addLesson(cycle, { actor: viewer, lessonId: ctx.newId() as LessonId, text }, now),
  );

export const closeReflectionCycle = (ctx: AppContext, org: Org, viewer: Viewer, cycleId: string) =>
  cycleCommand(ctx, org, viewer, cycleId, (cycle, now) => closeCycle(cycle, viewer, now));

/**
 * A lesson starts a proposal: a draft in the cycle's circle with the lesson as its text, linked from the
 * lesson, in one transaction. The cycle's row is locked first, so two people starting a proposal from
 * the same lesson at once draft one.
 */
export async function proposeLesson(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  cycleId: string,
  lessonId: string,
  input: { title?: string | undefined },
) {
  let cycle = await readCycle(ctx.db, org, viewer, cycleId);
  const lesson = lessonOf(cycle, lessonId);
  const proposal = await createProposalWith(
    ctx,
    org,
    viewer,
    { circleId: cycle.circleId, title: input.title ?? `Lesson from "${cycle.title}"`, text: lesson.text },
    {
      guard: async ({ tx }) => {
        cycle = await loadCycle(tx, org.id, cycleId, true);
        const refused = cycleRefusal(cycle, {
          type: "proposeFromLesson",
          actor: viewer,
          lesson: lessonOf(cycle, lessonId),
        });
        if (refused) throw refused();
      },
      after: async ({ tx, now, log }, drafted) => {
        const linked = proposeFromLesson(cycle, {
          actor: viewer,
          lessonId: lesson.id,
          proposalId: drafted.id as ProposalId,
        });
        await saveCycle(tx, org.id, linked.cycle, now);
        logAll(log, viewer.memberId, linked);
        cycle = linked.cycle;
      },
    },
  );
  return { cycle, proposalId: proposal.id };
}

// Reads: a cycle is circle governance, read by whoever reads the circle's proposals.

export async function readCycle(db: Queryable, org: Org, viewer: Viewer, cycleId: string) {
  const cycle = await loadCycle(db, org.id, cycleId);
  assertReads(org, viewer, cycle);
  return cycle;
}

export interface CycleFilter {
  circleId?: string | undefined;
  state?: CycleState | "open" | undefined;
  crisisId?: string | undefined;
  limit: number;
  offset: number;
}

/** Open cycles first, then closed ones; the most recently opened first within each. */
export async function listCycles(db: Queryable, org: Org, viewer: Viewer, filter: CycleFilter) {
  const limitedTo = governanceLimitedTo(viewer, org.settings);
  const { rows } = await db.query<{ document: CycleDocument }>(
    `SELECT document FROM cycles
     WHERE org_id = $1 AND ($2::uuid IS NULL OR circle_id = $2) AND ($3::uuid IS NULL OR crisis_id = $3)
       AND ($4::text IS NULL OR state = $4 OR ($4 = 'open' AND state <> 'closed'))
       AND ($5::uuid[] IS NULL OR circle_id = ANY($5::uuid[]))
     ORDER BY state = 'closed', created_at DESC, id LIMIT $6 OFFSET $7`,
    [
      org.id,
      filter.circleId ?? null,
      filter.crisisId ?? null,
      filter.state ?? null,
      limitedTo && [...limitedTo],
      filter.limit + 1,
      filter.offset,
    ],
  );
  return {
    cycles: rows.slice(0, filter.limit).map((row) => reviveCycle(row.document)),
    hasMore: rows.length > filter.limit,
  };
}
