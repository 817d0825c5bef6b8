import type { OrgAccess } from "../access.js";
import { type AssignmentShape, isActiveAt } from "../assignments.js";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import type { SkillLevel } from "../roles.js";

/** A role coming up for rotation, with everything the ranking needs to know about it. */
export interface RotationRole {
  id: RoleId;
  circleId: CircleId;
  name: string;
  requiredSkills: readonly SkillLevel[];
  maxConsecutiveTerms: number | null;
  /** Every assignment of this role so far, shadows included. */
  assignments: readonly AssignmentShape[];
}

/** One of a member's assignments, in any role. `leadership`: whether that role counts as leadership (`countsAsLeadership`). */
export interface MemberAssignment extends Pick<AssignmentShape, "startsAt" | "endsAt" | "shadow"> {
  roleId: RoleId;
  leadership: boolean;
}

/** A member who might take a rotating role. */
export interface RotationCandidate {
  memberId: MemberId;
  access: OrgAccess;
  /** The circles the member belongs to now. */
  circleIds: readonly CircleId[];
  skills: readonly SkillLevel[];
  interests: readonly string[];
  /** Hours a week still free (the caller may subtract hours already promised); null when not stated. */
  hoursAvailable: number | null;
  /** The member's assignments in every role, shadows included. */
  assignments: readonly MemberAssignment[];
}

export type ScoreFactor = "skill" | "interest" | "recency" | "load" | "hours" | "shadowing" | "term_limit";

export interface ScorePart {
  factor: ScoreFactor;
  points: number;
  reason: string;
}

export type IneligibilityCode = "not_in_circle" | "observer" | "term_limit" | "no_hours";

export interface Ineligibility {
  code: IneligibilityCode;
  reason: string;
}

export interface CandidateScore {
  memberId: MemberId;
  eligible: boolean;
  ineligibility: Ineligibility[];
  total: number;
  parts: ScorePart[];
}

// Points per factor. A met skill, a stated interest and having shadowed weigh the same; recency, load and
// hours favour members who lead less now, so leadership spreads.
const SKILL_MET = 10;
const SKILL_PARTLY = 5;
const INTEREST = 10;
const RECENCY_CAP_MONTHS = 12;
const LOAD_FREE = 10;
const LOAD_PER_ROLE = 5;
const HOURS_PER_POINT = 2;
const HOURS_CAP = 5;
const SHADOWED = 10;

/** What the score needs to know about a member at `now`, worked out once per member. */
export interface CandidateFacts {
  candidate: RotationCandidate;
  skillLevels: ReadonlyMap<string, number>;
  interestWords: readonly (readonly string[])[];
  rolesHeldNow: number;
  leadsNow: boolean;
  /** Whole months since the member's last leadership role ended; null when they never led. */
  monthsSinceLed: number | null;
}

/** What the score needs to know about a role at `now`, worked out once per role. */
export interface RoleFacts {
  role: RotationRole;
  required: readonly { skill: string; key: string; level: number }[];
  /** The role's name and each required skill, as words, for matching interests. */
  subjects: readonly (readonly string[])[];
  subjectWords: ReadonlySet<string>;
  /** Who held the role's latest terms, and for how many terms in a row. */
  runHolder: MemberId | null;
  runLength: number;
  /** The year each member last shadowed the role. */
  shadowedIn: ReadonlyMap<MemberId, number>;
}

const skillKey = (skill: string) => skill.trim().toLowerCase();
const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
const started = (assignment: Pick<AssignmentShape, "startsAt">, now: Date) =>
  assignment.startsAt.getTime() <= now.getTime();
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
export const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whole calendar months from `from` to `to` (UTC), never negative. */
function wholeMonthsBetween(from: Date, to: Date) {
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
  const intoMonth = (date: Date) => date.getTime() - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return Math.max(0, intoMonth(to) < intoMonth(from) ? months - 1 : months);
}

export function candidateFacts(candidate: RotationCandidate, now: Date): CandidateFacts {
  let rolesHeldNow = 0;
  let leadsNow = false;
  let lastLedUntil: number | null = null;
  for (const assignment of candidate.assignments) {
    if (assignment.shadow || !started(assignment, now)) continue;
    const active = isActiveAt(assignment, now);
    if (active) rolesHeldNow++;
    if (!assignment.leadership) continue;
    if (active) leadsNow = true;
    else if (assignment.endsAt !== null)
      lastLedUntil = Math.max(lastLedUntil ?? 0, assignment.endsAt.getTime());
  }
  return {
    candidate,
    skillLevels: new Map(candidate.skills.map((s) => [skillKey(s.skill), s.level])),
    interestWords: candidate.interests.map(wordsOf),
    rolesHeldNow,
    leadsNow,
    monthsSinceLed: lastLedUntil === null ? null : wholeMonthsBetween(new Date(lastLedUntil), now),
  };
}

export function roleFacts(role: RotationRole, now: Date): RoleFacts {
  const terms = role.assignments
    .filter((a) => !a.shadow && started(a, now))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || compareIds(a.memberId, b.memberId));
  const runHolder = terms.at(-1)?.memberId ?? null;
  let runLength = 0;
  for (let i = terms.length - 1; i >= 0 && terms[i]?.memberId === runHolder; i--) runLength++;

  const shadowedIn = new Map<MemberId, number>();
  for (const a of role.assignments)
    if (a.shadow && started(a, now))
      shadowedIn.set(a.memberId, Math.max(shadowedIn.get(a.memberId) ?? 0, a.startsAt.getUTCFullYear()));

  const required = role.requiredSkills.map((s) => ({
    skill: s.skill,
    key: skillKey(s.skill),
    level: s.level,
  }));
  const subjects = [wordsOf(role.name), ...required.map((s) => wordsOf(s.skill))].filter((w) => w.length > 0);
  return {
    role,
    required,
    subjects,
    subjectWords: new Set(subjects.flat()),
    runHolder,
    runLength,
    shadowedIn,
  };
}

const consecutiveTerms = (role: RoleFacts, memberId: MemberId) =>
  role.runHolder === memberId ? role.runLength : 0;

const atTermLimit = (role: RoleFacts, memberId: MemberId) =>
  role.role.maxConsecutiveTerms !== null && consecutiveTerms(role, memberId) >= role.role.maxConsecutiveTerms;

const termLimitReason = (terms: number) =>
  `Has held this role for ${plural(terms, "consecutive term")}, the most allowed`;

const outsideCircle = (role: RoleFacts, member: CandidateFacts) =>
  !member.candidate.circleIds.includes(role.role.circleId);
const overHours = (member: CandidateFacts) =>
  member.candidate.hoursAvailable !== null && member.candidate.hoursAvailable < 0;

/**
 * A member may take a rotating role when they belong to its circle now, are not an observer, have not
 * reached the role's limit of consecutive terms, and are not over their available hours.
 */
export const isEligible = (role: RoleFacts, member: CandidateFacts) =>
  !outsideCircle(role, member) &&
  member.candidate.access !== "observer" &&
  !atTermLimit(role, member.candidate.memberId) &&
  !overHours(member);

/** Why a member may not take a rotating role: empty exactly when `isEligible` holds. */
export function ineligibilityOf(role: RoleFacts, member: CandidateFacts): Ineligibility[] {
  const found: Ineligibility[] = [];
  const { memberId, access } = member.candidate;
  if (outsideCircle(role, member))
    found.push({ code: "not_in_circle", reason: "Is not a member of the circle" });
  if (access === "observer") found.push({ code: "observer", reason: "Observers do not take roles" });
  if (atTermLimit(role, memberId))
    found.push({ code: "term_limit", reason: termLimitReason(consecutiveTerms(role, memberId)) });
  if (overHours(member)) found.push({ code: "no_hours", reason: "Has no hours left" });
  return found;
}

// One function per factor gives the points, so the plan's fast totals and the explained score agree.
const skillPoints = (level: number | undefined, asked: number) =>
  level === undefined ? 0 : level >= asked ? SKILL_MET : SKILL_PARTLY;

/** "budget" mentions the role "Budget keeper"; "running meetings well" mentions the skill "running meetings". */
function mentions(interest: readonly string[], subject: readonly string[]) {
  if (interest.length === 0) return false;
  let subjectInInterest = true;
  for (const word of subject) if (!interest.includes(word)) subjectInInterest = false;
  if (subjectInInterest) return true;
  for (const word of interest) if (!subject.includes(word)) return false;
  return true;
}

/** The index of the first interest that mentions the role or one of its skills, or null. */
function interestIn(role: RoleFacts, member: CandidateFacts): number | null {
  for (let i = 0; i < member.interestWords.length; i++) {
    const interest = member.interestWords[i] ?? [];
    // Either way round, a mention shares a word with the role: most interests fail this cheap test.
    let sharesAWord = false;
    for (const word of interest) if (role.subjectWords.has(word)) sharesAWord = true;
    if (!sharesAWord) continue;
    for (const subject of role.subjects) if (mentions(interest, subject)) return i;
  }
  return null;
}

const recencyPoints = (member: CandidateFacts) =>
  member.leadsNow ? 0 : Math.min(member.monthsSinceLed ?? RECENCY_CAP_MONTHS, RECENCY_CAP_MONTHS);

const loadPoints = (rolesHeldNow: number) => Math.max(0, LOAD_FREE - LOAD_PER_ROLE * rolesHeldNow);

const hoursPoints = (hours: number | null) =>
  hours === null || hours < 0 ? 0 : Math.min(HOURS_CAP, Math.floor(hours / HOURS_PER_POINT));

/** The score's total alone, without reasons: what the organisation-wide plan needs for every pair. */
export function scoreTotal(role: RoleFacts, member: CandidateFacts): number {
  let total = 0;
  for (const { key, level } of role.required) total += skillPoints(member.skillLevels.get(key), level);
  if (interestIn(role, member) !== null) total += INTEREST;
  total += recencyPoints(member) + loadPoints(member.rolesHeldNow);
  total += hoursPoints(member.candidate.hoursAvailable);
  if (role.shadowedIn.has(member.candidate.memberId)) total += SHADOWED;
  return total;
}

/** The score with a reason in plain words for every part. */
export function explainScore(role: RoleFacts, member: CandidateFacts): CandidateScore {
  const { candidate } = member;
  const parts: ScorePart[] = [];

  if (role.required.length === 0)
    parts.push({ factor: "skill", points: 0, reason: "The role asks for no particular skill" });
  for (const { skill, key, level: asked } of role.required) {
    const level = member.skillLevels.get(key);
    const points = skillPoints(level, asked);
    const reason =
      level === undefined
        ? `Missing ${skill} (asked: level ${asked})`
        : level >= asked
          ? `Has ${skill} at level ${level} (asked: ${asked})`
          : `Partly meets ${skill}: level ${level} of the ${asked} asked`;
    parts.push({ factor: "skill", points, reason });
  }

  const interest = interestIn(role, member);
  parts.push(
    interest === null
      ? {
          factor: "interest",
          points: 0,
          reason: "Has not named this role or its skills among their interests",
        }
      : { factor: "interest", points: INTEREST, reason: `Interested in "${candidate.interests[interest]}"` },
  );

  const months = member.monthsSinceLed;
  parts.push({
    factor: "recency",
    points: recencyPoints(member),
    reason: member.leadsNow
      ? "Holds a leadership role now"
      : months === null
        ? "Has never held a leadership role"
        : months === 0
          ? "Led something within the last month"
          : `Has not led anything for ${plural(months, "month")}`,
  });

  const held = member.rolesHeldNow;
  parts.push({
    factor: "load",
    points: loadPoints(held),
    reason: held === 0 ? "Holds no role now" : `Holds ${plural(held, "role")} now`,
  });

  const hours = candidate.hoursAvailable;
  parts.push({
    factor: "hours",
    points: hoursPoints(hours),
    reason:
      hours === null
        ? "Has not said how many hours they have"
        : hours < 0
          ? "Has no hours left"
          : hours === 0
            ? "Has no hours available"
            : `Has ${plural(hours, "hour")} a week available`,
  });

  const shadowYear = role.shadowedIn.get(candidate.memberId);
  parts.push(
    shadowYear === undefined
      ? { factor: "shadowing", points: 0, reason: "Has not shadowed this role" }
      : { factor: "shadowing", points: SHADOWED, reason: `Shadowed this role in ${shadowYear}` },
  );

  const terms = consecutiveTerms(role, candidate.memberId);
  const limit = role.role.maxConsecutiveTerms;
  if (terms > 0)
    parts.push({
      factor: "term_limit",
      points: 0,
      reason: atTermLimit(role, candidate.memberId)
        ? termLimitReason(terms)
        : `Has held this role for the last ${plural(terms, "term")}${limit === null ? "" : `; at most ${limit} in a row`}`,
    });

  const ineligibility = ineligibilityOf(role, member);
  return {
    memberId: candidate.memberId,
    eligible: ineligibility.length === 0,
    ineligibility,
    total: parts.reduce((sum, part) => sum + part.points, 0),
    parts,
  };
}

/**
 * How well a member fits a rotating role at `now`, explained: required skills (met, partly met or
 * missing), stated interest, time since they last led (longer scores more, up to a year), how many roles
 * they hold now, hours available, and whether they shadowed the role. A member at the role's limit of
 * consecutive terms is scored but not eligible.
 */
export const scoreCandidate = (role: RotationRole, candidate: RotationCandidate, now: Date) =>
  explainScore(roleFacts(role, now), candidateFacts(candidate, now));
