import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import type { MemberId } from "../ids.js";
import { type LeadershipAssignment, leadershipDays, reach } from "./leadership.js";
import { DAY_MS, type MetricWindow } from "./window.js";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
/** January 2026: 30 days from the 1st up to the 31st. */
const january: MetricWindow = { from: day("2026-01-01"), to: day("2026-01-31") };

const held = (
  memberId: string,
  from: string,
  to: string | null,
  fields: Partial<LeadershipAssignment> = {},
): LeadershipAssignment => ({
  memberId: memberId as MemberId,
  startsAt: day(from),
  endsAt: to === null ? null : day(to),
  shadow: false,
  leadership: true,
  ...fields,
});

describe("leadershipDays", () => {
  it("counts the days a member held at least one leadership role, overlaps once, cut to the window", () => {
    const days = leadershipDays(
      [
        // Ann: facilitator Dec 20 – Jan 11 (cut to Jan 1 – 11) and leader Jan 6 – 16 overlap: Jan 1 – 16 = 15,
        // then delegate Jan 20 – 25 = 5. 15 + 5 = 20.
        held("ann", "2025-12-20", "2026-01-11"),
        held("ann", "2026-01-06", "2026-01-16"),
        held("ann", "2026-01-20", "2026-01-25"),
        // Ben: from Jan 21 with no end, cut at Jan 31: 10.
        held("ben", "2026-01-21", null),
        // Eve: half a day.
        { ...held("eve", "2026-01-10", null), endsAt: new Date("2026-01-10T12:00:00Z") },
        // Cat shadows a leadership role and holds one that is not leadership: neither is leading.
        held("cat", "2026-01-01", "2026-01-31", { shadow: true }),
        held("cat", "2026-01-01", "2026-01-31", { leadership: false }),
        // Dan's term ends as the window opens; Fay's begins as it closes.
        held("dan", "2025-12-01", "2026-01-01"),
        held("fay", "2026-01-31", null),
      ],
      january,
    );
    expect([...days]).toEqual([
      ["ann", 20],
      ["ben", 10],
      ["eve", 0.5],
    ]);
  });

  it("refuses a window that ends before it starts", () => {
    expect(() => leadershipDays([], { from: january.to, to: january.from })).toThrow(DomainError);
  });

  it("never exceeds the window, nor falls below the longest single span", () => {
    const span = fc.record({
      start: fc.integer({ min: -10, max: 40 }),
      length: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(span, { minLength: 1, maxLength: 8 }), (spans) => {
        const assignments = spans.map(({ start, length }) => ({
          ...held("ann", "2026-01-01", null),
          startsAt: new Date(january.from.getTime() + start * DAY_MS),
          endsAt: new Date(january.from.getTime() + (start + length) * DAY_MS),
        }));
        const total = leadershipDays(assignments, january).get("ann" as MemberId) ?? 0;
        const longest = Math.max(
          ...spans.map(({ start, length }) => Math.max(0, Math.min(start + length, 30) - Math.max(start, 0))),
        );
        expect(total).toBeLessThanOrEqual(30);
        expect(total).toBeGreaterThanOrEqual(longest);
      }),
    );
  });
});

describe("reach", () => {
  it("is the share of active members who led; leaders no longer active are not counted", () => {
    // Active: ann, ben, cat, fay. Led: ann, ben, and eve (who left). 2 of 4.
    const active = ["ann", "ben", "cat", "fay"] as MemberId[];
    expect(reach(active, ["ann", "ben", "eve"] as MemberId[])).toEqual({ count: 2, of: 4, share: 0.5 });
  });

  it("takes the members of leadershipDays directly, and has no share without active members", () => {
    const days = leadershipDays([held("ann", "2026-01-05", null)], january);
    expect(reach(["ann", "ann", "ben"] as MemberId[], days.keys())).toEqual({ count: 1, of: 2, share: 0.5 });
    expect(reach([], days.keys())).toEqual({ count: 0, of: 0, share: null });
  });
});
