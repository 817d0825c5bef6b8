import { canWrite, type Viewer } from "./access.js";
import { requireText } from "./consent/proposal.js";
import { conflict, DomainError, forbidden, invalid } from "./errors.js";
import type { Brand, MemberId } from "./ids.js";
import type { MemberProfile } from "./members.js";
import type { Refusal } from "./refusal.js";
import { compareIds } from "./rotation/score.js";

export type MentorshipId = Brand<string, "MentorshipId">;
export type CheckInId = Brand<string, "CheckInId">;

export interface CheckIn {
  id: CheckInId;
  by: MemberId;
  text: string;
  at: Date;
}

/** A mentor and a mentee working on skills the mentee wants to grow, with goals and check-ins along the way. */
export interface Mentorship {
  id: MentorshipId;
  mentorId: MemberId;
  menteeId: MemberId;
  skills: readonly string[];
  goals: readonly string[];
  checkIns: readonly CheckIn[];
  startedAt: Date;
  ended: { by: MemberId; at: Date } | null;
}

export type MentorshipState = "active" | "ended";

export const mentorshipState = (mentorship: Mentorship): MentorshipState =>
  mentorship.ended ? "ended" : "active";

export const MENTORSHIP_EVENT_TYPES = [
  "mentorship.started",
  "mentorship.checked_in",
  "mentorship.ended",
] as const;
export type MentorshipEventType = (typeof MENTORSHIP_EVENT_TYPES)[number];

export interface MentorshipEvent {
  type: MentorshipEventType;
  payload: Record<string, unknown>;
}

export interface MentorshipTransition {
  mentorship: Mentorship;
  events: MentorshipEvent[];
}

const key = (topic: string) => topic.trim().toLowerCase();

/** Entries of a list, trimmed, each named once. */
function cleanList(entries: readonly string[], field: string, what: string): string[] {
  const seen = new Set<string>();
  return entries.map((entry) => {
    const cleaned = requireText(entry, field, what);
    if (seen.has(key(cleaned))) throw invalid(`"${cleaned}" is listed twice`, { field, entry: cleaned });
    seen.add(key(cleaned));
    return cleaned;
  });
}

const isParty = (viewer: Viewer, mentorship: Pick<Mentorship, "mentorId" | "menteeId">) =>
  viewer.memberId === mentorship.mentorId || viewer.memberId === mentorship.menteeId;

type MentorshipRequest = { type: "checkIn" | "end"; actor: Viewer };

/** Why a request may not be made, or null when it may: only the pair act on their mentorship, while it runs. */
function mentorshipRefusal(mentorship: Mentorship, request: MentorshipRequest): Refusal | null {
  if (mentorship.ended)
    return () =>
      new DomainError("invalid_transition", "This mentorship has ended", {
        command: request.type,
        endedAt: mentorship.ended?.at.toISOString(),
      });
  if (!canWrite(request.actor) || !isParty(request.actor, mentorship))
    return () =>
      forbidden(
        request.type === "checkIn"
          ? "check in on someone else's mentorship"
          : "end someone else's mentorship",
      );
  return null;
}

function check(mentorship: Mentorship, request: MentorshipRequest) {
  const refused = mentorshipRefusal(mentorship, request);
  if (refused) throw refused();
}

const event = (type: MentorshipEventType, mentorship: Mentorship, payload: Record<string, unknown>) => ({
  type,
  payload: {
    mentorshipId: mentorship.id,
    mentorId: mentorship.mentorId,
    menteeId: mentorship.menteeId,
    ...payload,
  },
});

/** The mentor or the mentee starts a mentorship around at least one skill; nobody mentors themselves. */
export function startMentorship(
  input: {
    id: MentorshipId;
    actor: Viewer;
    mentorId: MemberId;
    menteeId: MemberId;
    skills: readonly string[];
    goals: readonly string[];
  },
  now: Date,
): MentorshipTransition {
  if (!canWrite(input.actor) || !isParty(input.actor, input))
    throw forbidden("start a mentorship you are not part of");
  if (input.mentorId === input.menteeId)
    throw invalid("A mentor and a mentee are two people", { fields: ["mentorId", "menteeId"] });
  const mentorship: Mentorship = {
    id: input.id,
    mentorId: input.mentorId,
    menteeId: input.menteeId,
    skills: cleanList(input.skills, "skills", "A skill"),
    goals: cleanList(input.goals, "goals", "A goal"),
    checkIns: [],
    startedAt: now,
    ended: null,
  };
  if (mentorship.skills.length === 0)
    throw invalid("A mentorship names a skill to grow", { field: "skills" });
  return {
    mentorship,
    events: [
      event("mentorship.started", mentorship, {
        startedBy: input.actor.memberId,
        skills: mentorship.skills,
        goals: mentorship.goals,
      }),
    ],
  };
}

/** The mentor or the mentee notes how it is going. */
export function checkIn(
  mentorship: Mentorship,
  input: { actor: Viewer; checkInId: CheckInId; text: string },
  now: Date,
): MentorshipTransition {
  check(mentorship, { type: "checkIn", actor: input.actor });
  if (mentorship.checkIns.some((c) => c.id === input.checkInId))
    throw conflict("This check-in has already been recorded", { checkInId: input.checkInId });
  const entry: CheckIn = {
    id: input.checkInId,
    by: input.actor.memberId,
    text: requireText(input.text, "text", "A check-in"),
    at: now,
  };
  const checkedIn = { ...mentorship, checkIns: [...mentorship.checkIns, entry] };
  // The log says that the pair met, not what they said: check-ins stay between mentor and mentee.
  return {
    mentorship: checkedIn,
    events: [event("mentorship.checked_in", checkedIn, { checkInId: entry.id, by: entry.by })],
  };
}

/** Either of the pair ends the mentorship. */
export function endMentorship(mentorship: Mentorship, actor: Viewer, now: Date): MentorshipTransition {
  check(mentorship, { type: "end", actor });
  const ended = { ...mentorship, ended: { by: actor.memberId, at: now } };
  return { mentorship: ended, events: [event("mentorship.ended", ended, { by: actor.memberId })] };
}

/**
 * The `can` object of a mentorship. Who mentors whom, and in what, is open to the organisation (it feeds
 * the collaboration picture); the check-ins are for the pair alone, admins included.
 */
export function mentorshipPermissions(viewer: Viewer, mentorship: Mentorship) {
  const may = (type: MentorshipRequest["type"]) =>
    mentorshipRefusal(mentorship, { type, actor: viewer }) === null;
  return {
    readCheckIns: isParty(viewer, mentorship),
    checkIn: may("checkIn"),
    end: may("end"),
  };
}

/** A member who could be asked to mentor: their profile as it is kept. */
export interface MentorCandidate {
  memberId: MemberId;
  profile: Pick<MemberProfile, "skills" | "mentoringOffered">;
}

/** Skill level from which a member can teach a skill even without having offered to. */
export const TEACHING_LEVEL = 4;

/** One skill the mentee wants that the candidate can help with, and why. */
export interface MentorMatch {
  skill: string;
  /** The candidate listed it among the mentoring they offer. */
  offered: boolean;
  /** The candidate's level in the skill, when they list it. */
  level: number | null;
}

export interface MentorSuggestion {
  memberId: MemberId;
  matches: MentorMatch[];
}

/**
 * Members who could mentor the mentee, best first. A candidate matches a skill the mentee wants mentoring
 * in when they offer mentoring in it or hold it at level 4 or more. Ranked by how many wanted skills they
 * match, then how many of those they offered, then their summed levels, then id, so the order is stable
 * and every place can be explained by its matches.
 */
export function suggestMentors(
  mentee: { memberId: MemberId; profile: Pick<MemberProfile, "mentoringWanted"> },
  candidates: readonly MentorCandidate[],
): MentorSuggestion[] {
  const suggestions: MentorSuggestion[] = [];
  for (const candidate of candidates) {
    if (candidate.memberId === mentee.memberId) continue;
    const offered = new Set(candidate.profile.mentoringOffered.map(key));
    const levels = new Map(candidate.profile.skills.map((s) => [key(s.skill), s.level]));
    const matches = mentee.profile.mentoringWanted.flatMap((skill): MentorMatch[] => {
      const match = { skill, offered: offered.has(key(skill)), level: levels.get(key(skill)) ?? null };
      return match.offered || (match.level ?? 0) >= TEACHING_LEVEL ? [match] : [];
    });
    if (matches.length > 0) suggestions.push({ memberId: candidate.memberId, matches });
  }
  const offeredCount = (s: MentorSuggestion) => s.matches.filter((m) => m.offered).length;
  const levelSum = (s: MentorSuggestion) => s.matches.reduce((sum, m) => sum + (m.level ?? 0), 0);
  return suggestions.sort(
    (a, b) =>
      b.matches.length - a.matches.length ||
      offeredCount(b) - offeredCount(a) ||
      levelSum(b) - levelSum(a) ||
      compareIds(a.memberId, b.memberId),
  );
}
