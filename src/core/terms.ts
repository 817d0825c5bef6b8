import { type AssignmentShape, type AssignmentSource, termEnd } from "./assignments.js";
import { invalid } from "./errors.js";
import type { AssignmentId, MemberId, RoleId } from "./ids.js";
import type { RoleShape } from "./roles.js";
import { compareIds } from "./rotation/score.js";

/** Days before a term ends in which re-selection or rotation should be raised. */
export const ENDING_SOON_DAYS = 30;

const DAY_MS = 86_400_000;

export type TermRole = Pick<RoleShape, "fillingPolicy" | "termDays" | "maxConsecutiveTerms"> & { id: RoleId };

export interface TermAssignment extends AssignmentShape {
  id: AssignmentId;
  source: AssignmentSource;
}

/** A role with every assignment it has had, shadows included. */
export interface RoleTerms {
  role: TermRole;
  assignments: readonly TermAssignment[];
}

/**
 * Where one term stands at `now`: not begun; running; ending within the window (time to raise
 * re-selection or rotation); ended and handed on; or past term — an elected or rotating role whose term
 * ended with no one lined up to follow, which is flagged and never silently extended.
 */
export type TermState = "upcoming" | "running" | "ending_soon" | "ended" | "past_term";

/**
 * When a term ends. An elected or rotating term always ends: one recorded without an end (older data)
 * ends after the role's term length, so it cannot quietly run on.
 */
export function termEndOf(
  role: TermRole,
  assignment: Pick<TermAssignment, "startsAt" | "endsAt">,
): Date | null {
  if (assignment.endsAt !== null || role.fillingPolicy === "appointment") return assignment.endsAt;
  return termEnd(assignment.startsAt, role.termDays);
}

/** Terms of the role (shadows aside) in the order they began. */
function termsInOrder(assignments: readonly TermAssignment[]) {
  return assignments
    .filter((a) => !a.shadow)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || compareIds(a.id, b.id));
}

/** Whether someone (the same member re-selected included) holds a term of the role that begins after this one. */
const hasSuccessor = (terms: RoleTerms, assignment: TermAssignment) =>
  terms.assignments.some(
    (a) => !a.shadow && a.id !== assignment.id && a.startsAt.getTime() > assignment.startsAt.getTime(),
  );

/** The state of one term of a role at `now` (see `TermState`). */
export function termStatus(
  terms: RoleTerms,
  assignment: TermAssignment,
  now: Date,
  windowDays = ENDING_SOON_DAYS,
): TermState {
  if (now.getTime() < assignment.startsAt.getTime()) return "upcoming";
  const end = termEndOf(terms.role, assignment);
  if (end === null) return "running";
  if (now.getTime() < end.getTime())
    return end.getTime() - now.getTime() <= windowDays * DAY_MS ? "ending_soon" : "running";
  if (hasSuccessor(terms, assignment) || terms.role.fillingPolicy === "appointment") return "ended";
  return "past_term";
}

/**
 * How many terms in a row, counting back from the role's latest term, the member has held. Terms follow
 * the order they began; shadowing is learning, not holding, and does not count.
 */
export function consecutiveTerms(assignments: readonly TermAssignment[], memberId: MemberId): number {
  const terms = termsInOrder(assignments);
  let run = 0;
  for (let i = terms.length - 1; i >= 0 && terms[i]?.memberId === memberId; i--) run++;
  return run;
}

/** Throws when one more term for the member would go past the role's limit of consecutive terms. */
export function assertTermLimit(terms: RoleTerms, memberId: MemberId) {
  const limit = terms.role.maxConsecutiveTerms;
  if (limit === null) return;
  const held = consecutiveTerms(terms.assignments, memberId);
  if (held + 1 > limit)
    throw invalid(`This member has held the role for ${held} consecutive terms, the most allowed`, {
      memberId,
      roleId: terms.role.id,
      consecutiveTerms: held,
      maxConsecutiveTerms: limit,
    });
}

/** A term that needs the circle's attention. */
export interface TermDue {
  roleId: RoleId;
  assignmentId: AssignmentId;
  memberId: MemberId;
  state: "ending_soon" | "past_term";
  endsAt: Date;
}

/**
 * Terms that need attention at `now`: those past term, and those ending soon with no successor yet
 * (a successor already chosen needs nothing raised). Earliest end first, then by role and member.
 */
export function termsDue(roles: readonly RoleTerms[], now: Date, windowDays = ENDING_SOON_DAYS): TermDue[] {
  const due: TermDue[] = [];
  for (const terms of roles)
    for (const assignment of terms.assignments) {
      if (assignment.shadow || hasSuccessor(terms, assignment)) continue;
      const state = termStatus(terms, assignment, now, windowDays);
      const endsAt = termEndOf(terms.role, assignment);
      if ((state === "ending_soon" || state === "past_term") && endsAt)
        due.push({
          roleId: terms.role.id,
          assignmentId: assignment.id,
          memberId: assignment.memberId,
          state,
          endsAt,
        });
    }
  return due.sort(
    (a, b) =>
      a.endsAt.getTime() - b.endsAt.getTime() ||
      compareIds(a.roleId, b.roleId) ||
      compareIds(a.memberId, b.memberId),
  );
}
