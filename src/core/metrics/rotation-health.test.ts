import { describe, expect, it } from "vitest";
import type { AssignmentId, MemberId, RoleId } from "../ids.js";
import type { FillingPolicy } from "../roles.js";
import type { RoleTerms, TermAssignment } from "../terms.js";
import { rolesPastTerm, rotationHealth } from "./rotation-health.js";
import type { MetricWindow } from "./window.js";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
/** March 2025 to March 2026: 365 days. */
const lastYear: MetricWindow = { from: day("2025-03-01"), to: day("2026-03-01") };

let counter = 0;
const term = (memberId: string, from: string, to: string | null, shadow = false): TermAssignment => ({
  id: `a-${++counter}` as AssignmentId,
  memberId: memberId as MemberId,
  startsAt: day(from),
  endsAt: to === null ? null : day(to),
  shadow,
  source: "election",
});
const role = (id: string, fillingPolicy: FillingPolicy, ...assignments: TermAssignment[]): RoleTerms => ({
  role: {
    id: id as RoleId,
    fillingPolicy,
    termDays: fillingPolicy === "appointment" ? null : 180,
    maxConsecutiveTerms: null,
  },
  assignments,
});

const roles = [
  // Handed ann → ben → ann, both handovers in the window: changed hands. Ann's latest run: 1 term.
  role(
    "facilitator",
    "rotation",
    term("ann", "2024-09-01", "2025-06-01"),
    term("ben", "2025-06-01", "2025-12-01"),
    term("ann", "2025-12-01", "2026-06-01"),
  ),
  // Cat re-elected as the window opens: no change, 2 terms in a row; the term ends with the window and no
  // one follows, so the role is past term.
  role(
    "delegate",
    "election",
    term("cat", "2024-03-01", "2025-03-01"),
    term("cat", "2025-03-01", "2026-03-01"),
  ),
  // Appointed roles are not meant to rotate: left out.
  role("treasurer", "appointment", term("dan", "2025-01-01", null)),
  // Eve → Fay in the window (Gus shadowing Fay is not a holder): changed hands. Fay: 1 term.
  role(
    "secretary",
    "election",
    term("eve", "2025-01-01", "2025-07-01"),
    term("fay", "2025-07-01", "2026-07-01"),
    term("gus", "2025-07-01", "2026-07-01", true),
  ),
  // Held only before the window: not counted as held, but still past term at the window's end.
  role("leader", "election", term("hal", "2023-01-01", "2024-01-01")),
  // Ivy's first term, with Jon lined up from the window's end: no change yet, not past term. Ivy: 1 term.
  role("host", "rotation", term("ivy", "2025-09-01", "2026-03-01"), term("jon", "2026-03-01", "2026-09-01")),
];

describe("rotationHealth", () => {
  it("measures hand-overs, consecutive terms and roles past term over elected and rotating roles", () => {
    // Held in the window: facilitator, delegate, secretary, host = 4. Changed hands: facilitator and
    // secretary = 2 of 4. Consecutive terms of the latest holders: 1 + 2 + 1 + 1 = 5, / 4 = 1.25.
    // Past term at Mar 1 2026: delegate and leader = 2.
    expect(rotationHealth(roles, lastYear)).toEqual({
      changedHands: { count: 2, of: 4, share: 0.5 },
      meanConsecutiveTerms: 1.25,
      rolesPastTerm: 2,
    });
  });

  it("has no shares without elected or rotating roles", () => {
    expect(rotationHealth([roles[2] as RoleTerms], lastYear)).toEqual({
      changedHands: { count: 0, of: 0, share: null },
      meanConsecutiveTerms: null,
      rolesPastTerm: 0,
    });
  });
});

describe("rolesPastTerm", () => {
  it("counts roles whose latest term ended with no one lined up to follow", () => {
    // Hal's first term was followed by his second; the second ended on Jan 1 2025 with no one after it.
    const leader = role(
      "leader",
      "election",
      term("hal", "2023-01-01", "2024-01-01"),
      term("hal", "2024-01-01", "2025-01-01"),
    );
    expect(rolesPastTerm([leader], day("2026-01-01"))).toBe(1);
    expect(rolesPastTerm([leader], day("2024-06-01"))).toBe(0);
  });
});
