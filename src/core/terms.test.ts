import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import type { AssignmentId, MemberId, RoleId } from "./ids.js";
import type { FillingPolicy } from "./roles.js";
import {
  assertTermLimit,
  consecutiveTerms,
  type RoleTerms,
  type TermAssignment,
  termEndOf,
  termStatus,
  termsDue,
} from "./terms.js";

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);

const role = (fillingPolicy: FillingPolicy = "election", maxConsecutiveTerms: number | null = null) => ({
  id: `role-${fillingPolicy}` as RoleId,
  fillingPolicy,
  termDays: fillingPolicy === "appointment" ? null : 90,
  maxConsecutiveTerms,
});

let counter = 0;
function term(memberId: string, fromDay: number, toDay: number | null, shadow = false): TermAssignment {
  return {
    id: `a-${++counter}` as AssignmentId,
    memberId: memberId as MemberId,
    startsAt: at(fromDay),
    endsAt: toDay === null ? null : at(toDay),
    shadow,
    source: "election",
  };
}

const terms = (policy: FillingPolicy, ...assignments: TermAssignment[]): RoleTerms => ({
  role: role(policy),
  assignments,
});

describe("termStatus", () => {
  const ann = term("ann", 0, 90);

  it("runs, then ends soon within the window", () => {
    const only = terms("election", ann);
    expect(termStatus(only, ann, at(-1))).toBe("upcoming");
    expect(termStatus(only, ann, at(59))).toBe("running");
    expect(termStatus(only, ann, at(60))).toBe("ending_soon");
    expect(termStatus(only, ann, at(89.9))).toBe("ending_soon");
    expect(termStatus(only, ann, at(80), 7)).toBe("running");
  });

  it("flags an elected or rotating term that ended with no successor", () => {
    expect(termStatus(terms("election", ann), ann, at(90))).toBe("past_term");
    expect(termStatus(terms("rotation", ann), ann, at(200))).toBe("past_term");
    expect(termStatus(terms("appointment", ann), ann, at(90))).toBe("ended");
  });

  it("counts a successor already chosen, the same member re-selected included, and not a shadow", () => {
    expect(termStatus(terms("election", ann, term("ben", 95, 185)), ann, at(91))).toBe("ended");
    expect(termStatus(terms("election", ann, term("ann", 90, 180)), ann, at(91))).toBe("ended");
    expect(termStatus(terms("election", ann, term("ben", 30, null, true)), ann, at(91))).toBe("past_term");
  });

  it("never lets an elected term without a recorded end run on past the role's term length", () => {
    const open = term("ann", 0, null);
    expect(termEndOf(role("election"), open)).toEqual(at(90));
    expect(termStatus(terms("election", open), open, at(90))).toBe("past_term");
    expect(termStatus(terms("appointment", open), open, at(900))).toBe("running");
  });
});

describe("consecutiveTerms and the term limit", () => {
  const history = [term("ann", 0, 90), term("ben", 90, 180), term("ann", 180, 270), term("ann", 270, 360)];

  it("counts the member's latest run of terms, shadows aside", () => {
    expect(consecutiveTerms(history, "ann" as MemberId)).toBe(2);
    expect(consecutiveTerms(history, "ben" as MemberId)).toBe(0);
    expect(consecutiveTerms([...history, term("ben", 300, 360, true)], "ann" as MemberId)).toBe(2);
    expect(consecutiveTerms([...history].reverse(), "ann" as MemberId)).toBe(2);
    expect(consecutiveTerms([], "ann" as MemberId)).toBe(0);
  });

  it("refuses a term past the limit and allows one within it", () => {
    const limited = (max: number | null): RoleTerms => ({
      role: role("rotation", max),
      assignments: history,
    });
    const codeOf = (action: () => void) => {
      try {
        action();
        return "ok";
      } catch (error) {
        return error instanceof DomainError ? error.code : "thrown";
      }
    };
    expect(codeOf(() => assertTermLimit(limited(2), "ann" as MemberId))).toBe("validation_failed");
    expect(codeOf(() => assertTermLimit(limited(3), "ann" as MemberId))).toBe("ok");
    expect(codeOf(() => assertTermLimit(limited(1), "ben" as MemberId))).toBe("ok");
    expect(codeOf(() => assertTermLimit(limited(null), "ann" as MemberId))).toBe("ok");
  });

  it("never lets a member exceed the limit, whoever is put forward", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.constantFrom("ann", "ben", "cat"), { maxLength: 40 }),
        (max, candidates) => {
          const held: TermAssignment[] = [];
          const limited = (): RoleTerms => ({ role: role("rotation", max), assignments: held });
          candidates.forEach((name, i) => {
            try {
              assertTermLimit(limited(), name as MemberId);
            } catch (error) {
              if (error instanceof DomainError) return;
              throw error;
            }
            held.push(term(name, i * 90, (i + 1) * 90));
          });
          let run = 0;
          held.forEach((t, i) => {
            run = i > 0 && held[i - 1]?.memberId === t.memberId ? run + 1 : 1;
            expect(run).toBeLessThanOrEqual(max);
          });
        },
      ),
    );
  });
});

describe("termsDue", () => {
  it("lists past and ending terms without a successor, earliest end first", () => {
    const election = terms("election", term("ann", 0, 90), term("ben", 90, 200));
    const rotation = terms("rotation", term("cat", 10, 100), term("dan", 50, 120, true));
    const appointed = terms("appointment", term("eve", 0, 95));
    expect(termsDue([election, rotation, appointed], at(101))).toEqual([
      {
        roleId: "role-rotation",
        assignmentId: rotation.assignments[0]?.id,
        memberId: "cat",
        state: "past_term",
        endsAt: at(100),
      },
    ]);
    expect(termsDue([election, rotation, appointed], at(175)).map((d) => [d.memberId, d.state])).toEqual([
      ["cat", "past_term"],
      ["ben", "ending_soon"],
    ]);
    expect(termsDue([appointed], at(80)).map((d) => d.state)).toEqual(["ending_soon"]);
    expect(termsDue([appointed], at(100))).toEqual([]);
  });
});
