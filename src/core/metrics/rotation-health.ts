import { compareIds } from "../rotation/score.js";
import { consecutiveTerms, type RoleTerms, type TermAssignment, termEndOf, termsDue } from "../terms.js";
import { type Ratio, ratio } from "./ratio.js";
import { assertWindow, inWindow, type MetricWindow } from "./window.js";

/**
 * Rotation health — DESIGN §4 names it without defining it, so here it is, over the elected and rotating
 * roles held at some time in the window (appointed roles are not meant to move):
 * - `changedHands`: how many of those roles passed to a different member in the window — a term that
 *   began in the window followed a term of someone else. A re-election of the same holder is no change.
 * - `meanConsecutiveTerms`: how many terms in a row the latest holder of each such role has held, on
 *   average (1 is full rotation; a rising number is leadership settling in).
 * - `rolesPastTerm`: roles whose term ended at the end of the window with no one lined up to follow.
 */
export interface RotationHealth {
  changedHands: Ratio;
  meanConsecutiveTerms: number | null;
  rolesPastTerm: number;
}

const isRotating = (terms: RoleTerms) => terms.role.fillingPolicy !== "appointment";

/** The role's terms (shadows aside) that had begun by `until`, in the order they began. */
function termsBegunBy(terms: RoleTerms, until: Date): TermAssignment[] {
  return terms.assignments
    .filter((a) => !a.shadow && a.startsAt.getTime() < until.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || compareIds(a.id, b.id));
}

/**
 * How many roles have a term past its end at `now` with no one lined up to follow (see `termStatus`); only
 * elected and rotating roles can be.
 */
export const rolesPastTerm = (roles: readonly RoleTerms[], now: Date) =>
  new Set(termsDue(roles, now).flatMap((due) => (due.state === "past_term" ? [due.roleId] : []))).size;

/** Whether one of the terms that began in the window followed a term of someone else. */
const changedHandsIn = (terms: readonly TermAssignment[], window: MetricWindow) =>
  terms.some(
    (term, i) => i > 0 && inWindow(term.startsAt, window) && terms[i - 1]?.memberId !== term.memberId,
  );

/** Rotation health of the elected and rotating roles over the window (see `RotationHealth`). */
export function rotationHealth(roles: readonly RoleTerms[], window: MetricWindow): RotationHealth {
  assertWindow(window);
  let held = 0;
  let changed = 0;
  let consecutive = 0;
  for (const terms of roles) {
    if (!isRotating(terms)) continue;
    const begun = termsBegunBy(terms, window.to);
    const heldInWindow = begun.some((term) => {
      const end = termEndOf(terms.role, term);
      return end === null || end.getTime() > window.from.getTime();
    });
    const latest = begun.at(-1);
    if (!heldInWindow || !latest) continue;
    held++;
    if (changedHandsIn(begun, window)) changed++;
    consecutive += consecutiveTerms(begun, latest.memberId);
  }
  return {
    changedHands: ratio(changed, held),
    meanConsecutiveTerms: held === 0 ? null : consecutive / held,
    rolesPastTerm: rolesPastTerm(roles, window.to),
  };
}
