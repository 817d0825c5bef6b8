import { takesPartIn, type Viewer } from "./access.js";
import type { ProposalId } from "./consent/ids.js";
import { requireText } from "./consent/proposal.js";
import type { Crisis } from "./crisis/crisis.js";
import { conflict, forbidden, notFound } from "./errors.js";
import type { Brand, CircleId, MemberId } from "./ids.js";
import { invalidTransition, type Refusal } from "./refusal.js";

export type CycleId = Brand<string, "CycleId">;
export type CycleEntryId = Brand<string, "CycleEntryId">;
export type LessonId = Brand<string, "LessonId">;

/** One turn of action research on an initiative, in order. */
export const CYCLE_PHASES = ["plan", "act", "observe", "reflect"] as const;
export type CyclePhase = (typeof CYCLE_PHASES)[number];
export type CycleState = CyclePhase | "closed";

/** What was planned, done, seen or thought, in the phase it was recorded in. */
export interface CycleEntry {
  id: CycleEntryId;
  phase: CyclePhase;
  /** Null when the entry was taken from another record (a crisis under review), not written by someone. */
  by: MemberId | null;
  text: string;
  at: Date;
}

/** A lesson learnt while reflecting; it may start a proposal, linked here once it has. */
export interface Lesson {
  id: LessonId;
  by: MemberId;
  text: string;
  at: Date;
  proposalId: ProposalId | null;
}

/** A cycle opened by the circle on an initiative, or by the system on a crisis that has ended. */
export type CycleSubject = { kind: "initiative" } | { kind: "crisis"; crisisId: Crisis["id"] };

export interface Cycle {
  id: CycleId;
  circleId: CircleId;
  title: string;
  subject: CycleSubject;
  /** Null for a cycle the system opened (the reflection on a crisis). */
  openedBy: MemberId | null;
  openedAt: Date;
  phase: CyclePhase;
  /** When each phase reached so far was entered, in order. */
  phases: readonly { phase: CyclePhase; at: Date }[];
  entries: readonly CycleEntry[];
  lessons: readonly Lesson[];
  closed: { by: MemberId; at: Date } | null;
}

export const cycleState = (cycle: Cycle): CycleState => (cycle.closed ? "closed" : cycle.phase);

export const CYCLE_EVENT_TYPES = [
  "cycle.opened",
  "cycle.entry_added",
  "cycle.advanced",
  "cycle.lesson_added",
  "cycle.closed",
  "cycle.lesson_proposed",
] as const;
export type CycleEventType = (typeof CYCLE_EVENT_TYPES)[number];

export interface CycleEvent {
  type: CycleEventType;
  payload: Record<string, unknown>;
}

export interface CycleTransition {
  cycle: Cycle;
  events: CycleEvent[];
}

const event = (type: CycleEventType, cycle: Cycle, payload: Record<string, unknown> = {}): CycleEvent => ({
  type,
  payload: { cycleId: cycle.id, circleId: cycle.circleId, ...payload },
});

const nextPhase = (phase: CyclePhase): CyclePhase | null =>
  CYCLE_PHASES[CYCLE_PHASES.indexOf(phase) + 1] ?? null;

export type CycleRequest =
  | { type: "addEntry"; actor: Viewer }
  | { type: "advance"; actor: Viewer; to: CyclePhase }
  | { type: "addLesson"; actor: Viewer }
  | { type: "close"; actor: Viewer }
  | { type: "proposeFromLesson"; actor: Viewer; lesson: Lesson };

/**
 * Why a request may not be made now, or null when it may: those who take part in the circle carry its
 * cycles; a phase is left only once something is recorded in it, lessons are drawn while reflecting,
 * and a cycle ends with at least one. The one place these rules live: the transitions enforce them and
 * `cyclePermissions` reports them.
 */
export function cycleRefusal(cycle: Cycle, request: CycleRequest): Refusal | null {
  const details = { command: request.type, state: cycleState(cycle) };
  if (!takesPartIn(request.actor, cycle.circleId)) return () => forbidden("work on this circle's cycles");
  if (request.type === "proposeFromLesson")
    return request.lesson.proposalId === null
      ? null
      : () =>
          conflict("This lesson has already started a proposal", { proposalId: request.lesson.proposalId });
  if (cycle.closed) return invalidTransition("This cycle is closed", details);
  switch (request.type) {
    case "addEntry":
      return null;
    case "advance":
      if (nextPhase(cycle.phase) !== request.to)
        return invalidTransition(`The cycle cannot move to ${request.to} while it is in ${cycle.phase}`, {
          ...details,
          to: request.to,
        });
      if (!cycle.entries.some((entry) => entry.phase === cycle.phase))
        return invalidTransition(`Record what happened in ${cycle.phase} before moving on`, details);
      return null;
    case "addLesson":
      return cycle.phase === "reflect"
        ? null
        : invalidTransition("Lessons are drawn in the reflect phase", details);
    case "close":
      if (cycle.phase !== "reflect") return invalidTransition("A cycle closes after reflecting", details);
      return cycle.lessons.length > 0
        ? null
        : invalidTransition("A cycle ends in at least one lesson learnt", details);
  }
}

function check(cycle: Cycle, request: CycleRequest) {
  const refused = cycleRefusal(cycle, request);
  if (refused) throw refused();
}

const allowed = (cycle: Cycle, request: CycleRequest) => cycleRefusal(cycle, request) === null;

/** The `can` object of a cycle. `advance` says whether the cycle may move on to its next phase now. */
export function cyclePermissions(viewer: Viewer, cycle: Cycle) {
  const next = nextPhase(cycle.phase);
  return {
    addEntry: allowed(cycle, { type: "addEntry", actor: viewer }),
    advance: next !== null && allowed(cycle, { type: "advance", actor: viewer, to: next }),
    addLesson: allowed(cycle, { type: "addLesson", actor: viewer }),
    close: allowed(cycle, { type: "close", actor: viewer }),
    proposeFromLessons: cycle.lessons.some((lesson) =>
      allowed(cycle, { type: "proposeFromLesson", actor: viewer, lesson }),
    ),
  };
}

/** A circle opens a cycle on an initiative; it starts by planning. */
export function openCycle(
  input: { id: CycleId; circleId: CircleId; actor: Viewer; title: string },
  now: Date,
): CycleTransition {
  if (!takesPartIn(input.actor, input.circleId)) throw forbidden("open a cycle in this circle");
  const cycle: Cycle = {
    id: input.id,
    circleId: input.circleId,
    title: requireText(input.title, "title", "A title"),
    subject: { kind: "initiative" },
    openedBy: input.actor.memberId,
    openedAt: now,
    phase: "plan",
    phases: [{ phase: "plan", at: now }],
    entries: [],
    lessons: [],
    closed: null,
  };
  return { cycle, events: [event("cycle.opened", cycle, { title: cycle.title, subject: cycle.subject })] };
}

const firstLine = (text: string) => {
  const line = text.split("\n")[0]?.trim() ?? "";
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};

/**
 * Once crisis authority has ended, authority returns to the circle, which reflects on the crisis. The
 * cycle starts from the record: the scope was the plan and the crisis decisions were the action (their
 * ids are reused, so the same crisis always gives the same entries), and the circle picks it up at
 * observing what came of it.
 */
export function openCrisisReflection(
  input: { id: CycleId; crisis: Pick<Crisis, "id" | "circleId" | "scope" | "grantedAt" | "decisions"> },
  now: Date,
): CycleTransition {
  const { crisis } = input;
  const cycle: Cycle = {
    id: input.id,
    circleId: crisis.circleId,
    title: `Reflection on the crisis: ${firstLine(crisis.scope)}`,
    subject: { kind: "crisis", crisisId: crisis.id },
    openedBy: null,
    openedAt: now,
    phase: "observe",
    phases: [
      { phase: "plan", at: crisis.grantedAt },
      { phase: "act", at: crisis.grantedAt },
      { phase: "observe", at: now },
    ],
    entries: [
      {
        id: crisis.id as string as CycleEntryId,
        phase: "plan",
        by: null,
        text: crisis.scope,
        at: crisis.grantedAt,
      },
      ...crisis.decisions.map(
        (decision): CycleEntry => ({
          id: decision.id as string as CycleEntryId,
          phase: "act",
          by: null,
          text: decision.text,
          at: decision.at,
        }),
      ),
    ],
    lessons: [],
    closed: null,
  };
  return { cycle, events: [event("cycle.opened", cycle, { title: cycle.title, subject: cycle.subject })] };
}

/** Records what was planned, done, seen or thought, in the cycle's current phase. */
export function addEntry(
  cycle: Cycle,
  input: { actor: Viewer; entryId: CycleEntryId; text: string },
  now: Date,
): CycleTransition {
  check(cycle, { type: "addEntry", actor: input.actor });
  const entry: CycleEntry = {
    id: input.entryId,
    phase: cycle.phase,
    by: input.actor.memberId,
    text: requireText(input.text, "text", "An entry"),
    at: now,
  };
  const next = { ...cycle, entries: [...cycle.entries, entry] };
  return {
    cycle: next,
    events: [event("cycle.entry_added", next, { entryId: entry.id, phase: entry.phase, text: entry.text })],
  };
}

/**
 * Moves the cycle to the phase named. Naming the target (not "next") makes a repeated request safe: the
 * second of two members asking for "act" finds the cycle there already and is refused.
 */
export function advanceCycle(
  cycle: Cycle,
  input: { actor: Viewer; to: CyclePhase },
  now: Date,
): CycleTransition {
  check(cycle, { type: "advance", ...input });
  const next = { ...cycle, phase: input.to, phases: [...cycle.phases, { phase: input.to, at: now }] };
  return { cycle: next, events: [event("cycle.advanced", next, { from: cycle.phase, to: input.to })] };
}

export function addLesson(
  cycle: Cycle,
  input: { actor: Viewer; lessonId: LessonId; text: string },
  now: Date,
): CycleTransition {
  check(cycle, { type: "addLesson", actor: input.actor });
  const lesson: Lesson = {
    id: input.lessonId,
    by: input.actor.memberId,
    text: requireText(input.text, "text", "A lesson"),
    at: now,
    proposalId: null,
  };
  const next = { ...cycle, lessons: [...cycle.lessons, lesson] };
  return {
    cycle: next,
    events: [event("cycle.lesson_added", next, { lessonId: lesson.id, text: lesson.text })],
  };
}

/** Ends the cycle once reflecting has drawn at least one lesson. */
export function closeCycle(cycle: Cycle, actor: Viewer, now: Date): CycleTransition {
  check(cycle, { type: "close", actor });
  const next = { ...cycle, closed: { by: actor.memberId, at: now } };
  return { cycle: next, events: [event("cycle.closed", next, { lessons: cycle.lessons.length })] };
}

export function lessonOf(cycle: Cycle, lessonId: string): Lesson {
  const lesson = cycle.lessons.find((l) => l.id === lessonId);
  if (!lesson) throw notFound("Lesson", lessonId);
  return lesson;
}

/** A lesson feeds a new proposal (drafted by the caller in the cycle's circle), once; the two are linked. */
export function proposeFromLesson(
  cycle: Cycle,
  input: { actor: Viewer; lessonId: LessonId; proposalId: ProposalId },
): CycleTransition {
  const lesson = lessonOf(cycle, input.lessonId);
  check(cycle, { type: "proposeFromLesson", actor: input.actor, lesson });
  const next = {
    ...cycle,
    lessons: cycle.lessons.map((l) => (l.id === lesson.id ? { ...l, proposalId: input.proposalId } : l)),
  };
  return {
    cycle: next,
    events: [event("cycle.lesson_proposed", next, { lessonId: lesson.id, proposalId: input.proposalId })],
  };
}
