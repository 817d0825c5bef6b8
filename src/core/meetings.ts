import { canWrite, takesPartIn, type Viewer } from "./access.js";
import type { ProposalId } from "./consent/ids.js";
import { requireText } from "./consent/proposal.js";
import { conflict, forbidden, invalid } from "./errors.js";
import type { Brand, CircleId, MemberId } from "./ids.js";
import { invalidTransition, notAllowed, type Refusal } from "./refusal.js";
import type { SelectionId } from "./selection/ids.js";

export type MeetingId = Brand<string, "MeetingId">;

/** A meeting is scheduled, then opened by whoever runs it, then closed; a closed meeting is a record. */
export const MEETING_STATES = ["scheduled", "open", "closed"] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

export const AGENDA_ITEM_KINDS = ["proposal", "selection", "report", "open_item"] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

/**
 * One point of the agenda. A proposal or selection item links to the real one, which runs live in the
 * meeting through its own process: the agenda holds the link, never a copy.
 */
export type AgendaItem =
  | { kind: "proposal"; proposalId: ProposalId; title: string; notes: string }
  | { kind: "selection"; selectionId: SelectionId; title: string; notes: string }
  | { kind: "report" | "open_item"; title: string; notes: string };

/** The agenda as it comes in: each kind's link is checked, not trusted. */
export interface AgendaItemInput {
  kind: AgendaItemKind;
  proposalId?: string | undefined;
  selectionId?: string | undefined;
  title: string;
  notes?: string | undefined;
}

/** Whether a member was there, and who said so (themself, or whoever runs the meeting). */
export interface AttendanceMark {
  memberId: MemberId;
  present: boolean;
  markedBy: MemberId;
  at: Date;
}

/** The check-in and check-out rounds: each attendee gives one short entry. */
export const MEETING_ROUNDS = ["checkIn", "checkOut"] as const;
export type MeetingRound = (typeof MEETING_ROUNDS)[number];

export interface RoundEntry {
  memberId: MemberId;
  text: string;
  at: Date;
}

export interface Minutes {
  text: string;
  by: MemberId;
  at: Date;
}

export interface Evaluation {
  memberId: MemberId;
  /** 1 (poor) to 5 (excellent). */
  rating: number;
  comment: string;
  at: Date;
}

export interface Meeting {
  id: MeetingId;
  circleId: CircleId;
  /** Who scheduled it; runs it beside the circle's facilitators. */
  convenerId: MemberId;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  agenda: readonly AgendaItem[];
  state: MeetingState;
  scheduledAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
  /** One mark per member: the latest. */
  attendance: readonly AttendanceMark[];
  checkIns: readonly RoundEntry[];
  checkOuts: readonly RoundEntry[];
  minutes: Minutes | null;
  evaluations: readonly Evaluation[];
  /** Holders of the circle's facilitator role when the meeting is read (loaded, never stored). */
  facilitatorIds: readonly MemberId[];
  /** Who takes part in the circle when the meeting is read: the possible attendees (loaded, never stored). */
  participantIds: readonly MemberId[];
}

export const MEETING_EVENT_TYPES = [
  "meeting.scheduled",
  "meeting.updated",
  "meeting.opened",
  "meeting.closed",
  "meeting.attendance_marked",
  "meeting.checked_in",
  "meeting.checked_out",
  "meeting.minutes_recorded",
  "meeting.evaluated",
] as const;
export type MeetingEventType = (typeof MEETING_EVENT_TYPES)[number];

/** What happened, for the governance log; every event names the meeting and its circle. */
export interface MeetingEvent {
  type: MeetingEventType;
  payload: Record<string, unknown>;
}

export interface MeetingTransition {
  meeting: Meeting;
  events: MeetingEvent[];
}

export const MAX_AGENDA_ITEMS = 50;
/** Longer than a retreat of several days is a mistake, not a meeting. */
export const MAX_MEETING_DAYS = 7;
export const RATINGS = { min: 1, max: 5 } as const;

export type MeetingRequest =
  | { type: "update" | "open" | "close" | "recordMinutes" | "evaluate"; actor: Viewer }
  /** `self`: the actor marks their own attendance rather than someone else's. */
  | { type: "markAttendance"; actor: Viewer; self: boolean }
  | { type: "speak"; actor: Viewer; round: MeetingRound };

const STATE_WORDS: Readonly<Record<MeetingState, string>> = {
  scheduled: "has not been opened",
  open: "is open",
  closed: "is closed",
};

/** The circle's facilitators run its meetings, and so does the convener while they take part in the circle. */
export const runsMeeting = (viewer: Viewer, meeting: Meeting) =>
  canWrite(viewer) &&
  (meeting.facilitatorIds.includes(viewer.memberId) ||
    (viewer.memberId === meeting.convenerId && takesPartIn(viewer, meeting.circleId)));

/** Those who take part in the circle attend and speak; observers never do. */
export const mayAttend = (viewer: Viewer, meeting: Meeting) =>
  canWrite(viewer) && meeting.participantIds.includes(viewer.memberId);

export const wasPresent = (meeting: Meeting, memberId: MemberId) =>
  meeting.attendance.some((mark) => mark.memberId === memberId && mark.present);

export const attendeeIds = (meeting: Meeting) =>
  meeting.attendance.filter((mark) => mark.present).map((mark) => mark.memberId);

/**
 * Why a request may not be made now, or null when it may: the meeting's state first, then who asks.
 * The one place these rules live: the transitions enforce them and `meetingPermissions` reports them.
 */
export function meetingRefusal(meeting: Meeting, request: MeetingRequest): Refusal | null {
  const { state } = meeting;
  const details = { state, command: request.type };
  const unless = (states: readonly MeetingState[], message: string) =>
    states.includes(state)
      ? null
      : invalidTransition(`${message}: the meeting ${STATE_WORDS[state]}`, details);
  const runs = runsMeeting(request.actor, meeting);
  switch (request.type) {
    case "update":
      return (
        unless(["scheduled", "open"], "A closed meeting is a record") ??
        (runs ? null : notAllowed("change this meeting"))
      );
    case "open":
      return (
        unless(["scheduled"], "Only a scheduled meeting opens") ??
        (runs ? null : notAllowed("open this meeting"))
      );
    case "close":
      return (
        unless(["open"], "Only an open meeting closes") ?? (runs ? null : notAllowed("close this meeting"))
      );
    case "recordMinutes":
      // The minutes are often finished after the meeting; they are written once it has opened.
      return (
        unless(["open", "closed"], "Minutes are recorded once the meeting has opened") ??
        (runs ? null : notAllowed("record the minutes of this meeting"))
      );
    case "markAttendance": {
      const refused = unless(["open"], "Attendance is taken while the meeting is open");
      if (refused) return refused;
      const attendsThemself = request.self && mayAttend(request.actor, meeting);
      return attendsThemself || runs ? null : notAllowed("mark someone else's attendance");
    }
    case "speak":
      return (
        unless(["open"], "The rounds take place while the meeting is open") ??
        (mayAttend(request.actor, meeting) ? null : notAllowed("speak in this meeting's rounds"))
      );
    case "evaluate":
      if (state !== "closed") return invalidTransition("A meeting is evaluated once it has closed", details);
      if (!canWrite(request.actor) || !wasPresent(meeting, request.actor.memberId))
        return notAllowed("evaluate a meeting you did not attend");
      if (meeting.evaluations.some((e) => e.memberId === request.actor.memberId))
        return () => conflict("You have already evaluated this meeting", { meetingId: meeting.id });
      return null;
  }
}

function check(meeting: Meeting, request: MeetingRequest) {
  const refused = meetingRefusal(meeting, request);
  if (refused) throw refused();
}

const allowed = (meeting: Meeting, request: MeetingRequest) => meetingRefusal(meeting, request) === null;

/** The `can` object of a meeting for one viewer. */
export function meetingPermissions(viewer: Viewer, meeting: Meeting) {
  return {
    update: allowed(meeting, { type: "update", actor: viewer }),
    open: allowed(meeting, { type: "open", actor: viewer }),
    close: allowed(meeting, { type: "close", actor: viewer }),
    markOwnAttendance: allowed(meeting, { type: "markAttendance", actor: viewer, self: true }),
    markAttendance: allowed(meeting, { type: "markAttendance", actor: viewer, self: false }),
    checkIn: allowed(meeting, { type: "speak", actor: viewer, round: "checkIn" }),
    checkOut: allowed(meeting, { type: "speak", actor: viewer, round: "checkOut" }),
    recordMinutes: allowed(meeting, { type: "recordMinutes", actor: viewer }),
    evaluate: allowed(meeting, { type: "evaluate", actor: viewer }),
  };
}

const event = (
  type: MeetingEventType,
  meeting: Meeting,
  payload: Record<string, unknown> = {},
): MeetingEvent => ({
  type,
  payload: { meetingId: meeting.id, circleId: meeting.circleId, ...payload },
});

/**
 * The agenda as the meeting keeps it: texts trimmed, each title present, a link exactly where its kind
 * needs one, and no proposal or selection twice (it is one item however long it takes).
 */
export function normaliseAgenda(items: readonly AgendaItemInput[]): AgendaItem[] {
  if (items.length > MAX_AGENDA_ITEMS)
    throw invalid(`An agenda holds at most ${MAX_AGENDA_ITEMS} items`, { field: "agenda" });
  const linked = new Set<string>();
  return items.map((item, index) => {
    const field = `agenda/${index}`;
    const title = requireText(item.title, `${field}/title`, "An agenda item's title");
    const notes = (item.notes ?? "").trim();
    const wants = item.kind === "proposal" ? "proposalId" : item.kind === "selection" ? "selectionId" : null;
    for (const link of ["proposalId", "selectionId"] as const)
      if (link !== wants && item[link] !== undefined)
        throw invalid(`A ${item.kind} item does not link a ${link.replace("Id", "")}`, {
          field: `${field}/${link}`,
        });
    if (wants === null) return { kind: item.kind as "report" | "open_item", title, notes };
    const id = item[wants];
    if (id === undefined)
      throw invalid(`A ${item.kind} item names its ${item.kind}`, { field: `${field}/${wants}` });
    if (linked.has(id))
      throw invalid(`The ${item.kind} is already on the agenda`, { field: `${field}/${wants}` });
    linked.add(id);
    return wants === "proposalId"
      ? { kind: "proposal", proposalId: id as ProposalId, title, notes }
      : { kind: "selection", selectionId: id as SelectionId, title, notes };
  });
}

/** The proposals and selections an agenda links to (the app checks they belong to the meeting's circle). */
export const agendaLinks = (agenda: readonly AgendaItem[]) => ({
  proposalIds: agenda.flatMap((item) => (item.kind === "proposal" ? [item.proposalId] : [])),
  selectionIds: agenda.flatMap((item) => (item.kind === "selection" ? [item.selectionId] : [])),
});

function assertTimes(startsAt: Date, endsAt: Date) {
  if (Number.isNaN(startsAt.getTime())) throw invalid("The start is not a valid time", { field: "startsAt" });
  if (Number.isNaN(endsAt.getTime())) throw invalid("The end is not a valid time", { field: "endsAt" });
  if (endsAt.getTime() <= startsAt.getTime())
    throw invalid("A meeting ends after it starts", { field: "endsAt" });
  if (endsAt.getTime() - startsAt.getTime() > MAX_MEETING_DAYS * 86_400_000)
    throw invalid(`A meeting lasts at most ${MAX_MEETING_DAYS} days`, { field: "endsAt" });
}

export interface MeetingDetails {
  title: string;
  startsAt: Date;
  endsAt: Date;
  location?: string | undefined;
  agenda?: readonly AgendaItemInput[] | undefined;
}

export interface NewMeeting extends MeetingDetails {
  id: MeetingId;
  circleId: CircleId;
  actor: Viewer;
  facilitatorIds: readonly MemberId[];
  participantIds: readonly MemberId[];
}

/** Anyone who takes part in a circle may call a meeting of it; they become its convener. */
export function scheduleMeeting(input: NewMeeting, now: Date): MeetingTransition {
  if (!takesPartIn(input.actor, input.circleId))
    throw forbidden("call a meeting of a circle you do not take part in");
  const title = requireText(input.title, "title", "The title");
  assertTimes(input.startsAt, input.endsAt);
  const meeting: Meeting = {
    id: input.id,
    circleId: input.circleId,
    convenerId: input.actor.memberId,
    title,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    location: (input.location ?? "").trim(),
    agenda: normaliseAgenda(input.agenda ?? []),
    state: "scheduled",
    scheduledAt: now,
    openedAt: null,
    closedAt: null,
    attendance: [],
    checkIns: [],
    checkOuts: [],
    minutes: null,
    evaluations: [],
    facilitatorIds: input.facilitatorIds,
    participantIds: input.participantIds,
  };
  const payload = {
    title,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    ...agendaLinks(meeting.agenda),
  };
  return { meeting, events: [event("meeting.scheduled", meeting, payload)] };
}

/**
 * Changes the title, time, place or agenda until the meeting closes. Only what differs is recorded; a
 * change that changes nothing writes nothing.
 */
export function updateMeeting(
  meeting: Meeting,
  actor: Viewer,
  change: Partial<MeetingDetails>,
): MeetingTransition {
  check(meeting, { type: "update", actor });
  const next: Meeting = {
    ...meeting,
    title: change.title === undefined ? meeting.title : requireText(change.title, "title", "The title"),
    startsAt: change.startsAt ?? meeting.startsAt,
    endsAt: change.endsAt ?? meeting.endsAt,
    location: change.location === undefined ? meeting.location : change.location.trim(),
    agenda: change.agenda === undefined ? meeting.agenda : normaliseAgenda(change.agenda),
  };
  assertTimes(next.startsAt, next.endsAt);
  const changed = [
    next.title !== meeting.title && "title",
    next.startsAt.getTime() !== meeting.startsAt.getTime() && "startsAt",
    next.endsAt.getTime() !== meeting.endsAt.getTime() && "endsAt",
    next.location !== meeting.location && "location",
    JSON.stringify(next.agenda) !== JSON.stringify(meeting.agenda) && "agenda",
  ].filter((field): field is string => field !== false);
  if (changed.length === 0) return { meeting, events: [] };
  return {
    meeting: next,
    events: [event("meeting.updated", next, { changed, ...agendaLinks(next.agenda) })],
  };
}

export function openMeeting(meeting: Meeting, actor: Viewer, now: Date): MeetingTransition {
  check(meeting, { type: "open", actor });
  const opened: Meeting = { ...meeting, state: "open", openedAt: now };
  return { meeting: opened, events: [event("meeting.opened", opened)] };
}

/** Closing ends the rounds and attendance and opens the evaluation to those who were there. */
export function closeMeeting(meeting: Meeting, actor: Viewer, now: Date): MeetingTransition {
  check(meeting, { type: "close", actor });
  const closed: Meeting = { ...meeting, state: "closed", closedAt: now };
  return { meeting: closed, events: [event("meeting.closed", closed, { attendeeIds: attendeeIds(closed) })] };
}

const withMark = (meeting: Meeting, mark: AttendanceMark): Meeting => ({
  ...meeting,
  attendance: [...meeting.attendance.filter((m) => m.memberId !== mark.memberId), mark],
});

/**
 * Marks a member present or absent while the meeting is open: each attendee marks themself, and whoever
 * runs the meeting marks anyone who takes part in the circle. The latest mark counts.
 */
export function markAttendance(
  meeting: Meeting,
  input: { actor: Viewer; memberId: MemberId; present: boolean },
  now: Date,
): MeetingTransition {
  check(meeting, {
    type: "markAttendance",
    actor: input.actor,
    self: input.memberId === input.actor.memberId,
  });
  if (!meeting.participantIds.includes(input.memberId))
    throw invalid("Only those who take part in the circle attend its meetings", { field: "memberId" });
  const current = meeting.attendance.find((m) => m.memberId === input.memberId);
  if (current?.present === input.present) return { meeting, events: [] };
  const marked = withMark(meeting, {
    memberId: input.memberId,
    present: input.present,
    markedBy: input.actor.memberId,
    at: now,
  });
  return {
    meeting: marked,
    events: [
      event("meeting.attendance_marked", marked, { memberId: input.memberId, present: input.present }),
    ],
  };
}

const ROUND_FIELD = { checkIn: "checkIns", checkOut: "checkOuts" } as const;
const ROUND_EVENT = { checkIn: "meeting.checked_in", checkOut: "meeting.checked_out" } as const;

/**
 * An attendee's entry in the check-in or check-out round. One entry per attendee per round: a second
 * replaces the first (people correct themselves; the round still holds one voice each). Speaking in a
 * round marks the speaker present.
 */
export function speakInRound(
  meeting: Meeting,
  input: { actor: Viewer; round: MeetingRound; text: string },
  now: Date,
): MeetingTransition {
  check(meeting, { type: "speak", actor: input.actor, round: input.round });
  const text = requireText(input.text, "text", "The entry");
  const memberId = input.actor.memberId;
  const field = ROUND_FIELD[input.round];
  const replaced = meeting[field].some((entry) => entry.memberId === memberId);
  let next: Meeting = {
    ...meeting,
    [field]: [...meeting[field].filter((entry) => entry.memberId !== memberId), { memberId, text, at: now }],
  };
  if (!wasPresent(next, memberId))
    next = withMark(next, { memberId, present: true, markedBy: memberId, at: now });
  return { meeting: next, events: [event(ROUND_EVENT[input.round], next, { memberId, replaced })] };
}

/** The minutes, written by whoever runs the meeting once it has opened; a new text replaces the last. */
export function recordMinutes(
  meeting: Meeting,
  input: { actor: Viewer; text: string },
  now: Date,
): MeetingTransition {
  check(meeting, { type: "recordMinutes", actor: input.actor });
  const text = requireText(input.text, "text", "The minutes");
  if (meeting.minutes?.text === text) return { meeting, events: [] };
  const next: Meeting = { ...meeting, minutes: { text, by: input.actor.memberId, at: now } };
  return { meeting: next, events: [event("meeting.minutes_recorded", next, { by: input.actor.memberId })] };
}

/** Each attendee rates a closed meeting once, from 1 to 5, with a short comment. */
export function evaluateMeeting(
  meeting: Meeting,
  input: { actor: Viewer; rating: number; comment: string },
  now: Date,
): MeetingTransition {
  check(meeting, { type: "evaluate", actor: input.actor });
  if (!Number.isInteger(input.rating) || input.rating < RATINGS.min || input.rating > RATINGS.max)
    throw invalid(`A rating is a whole number from ${RATINGS.min} to ${RATINGS.max}`, { field: "rating" });
  const memberId = input.actor.memberId;
  const evaluation: Evaluation = { memberId, rating: input.rating, comment: input.comment.trim(), at: now };
  const next: Meeting = { ...meeting, evaluations: [...meeting.evaluations, evaluation] };
  return { meeting: next, events: [event("meeting.evaluated", next, { memberId, rating: input.rating })] };
}

/** The mean rating of the evaluations so far, or null when there are none. */
export function averageRating(meeting: Pick<Meeting, "evaluations">): number | null {
  if (meeting.evaluations.length === 0) return null;
  return meeting.evaluations.reduce((sum, e) => sum + e.rating, 0) / meeting.evaluations.length;
}
