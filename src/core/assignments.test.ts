import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Viewer } from "./access.js";
import {
  assertDirectAssignment,
  assertEndChange,
  assertNotAlreadyHolding,
  assignmentPeriod,
  assignmentPermissions,
  isActiveAt,
  termEnd,
} from "./assignments.js";
import { DomainError } from "./errors.js";
import type { CircleId, MemberId } from "./ids.js";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const ada = "ada" as MemberId;
const codeOf = (fn: () => void) => {
  try {
    fn();
    return "ok";
  } catch (error) {
    return error instanceof DomainError ? error.code : "other";
  }
};

describe("terms", () => {
  it("holds an assignment from its start up to, not including, its end", () => {
    const held = { startsAt: day(0), endsAt: day(10) };
    expect(isActiveAt(held, day(0))).toBe(true);
    expect(isActiveAt(held, day(9))).toBe(true);
    expect(isActiveAt(held, day(10))).toBe(false);
    expect(isActiveAt({ startsAt: day(5), endsAt: null }, day(4))).toBe(false);
  });

  it("tells a term still to come from one held and one over", () => {
    const held = { startsAt: day(5), endsAt: day(10) };
    expect([4, 5, 9, 10].map((n) => assignmentPeriod(held, day(n)))).toEqual([
      "upcoming",
      "current",
      "current",
      "ended",
    ]);
    expect(assignmentPeriod({ startsAt: day(5), endsAt: null }, day(500))).toBe("current");
  });

  it("ends a term the given number of days after it starts, or never for a role without a term", () => {
    expect(termEnd(day(0), 365)).toEqual(day(365));
    expect(termEnd(day(0), null)).toBeNull();
  });
});

describe("recording an assignment by hand", () => {
  const base = { startsAt: day(0), endsAt: day(30), fillingPolicy: "election" as const };

  it("accepts appointments and founding holders, and leaves elections, rotations and crises to their process", () => {
    expect(codeOf(() => assertDirectAssignment({ ...base, source: "appointment" }))).toBe("ok");
    expect(codeOf(() => assertDirectAssignment({ ...base, source: "founding" }))).toBe("ok");
    for (const source of ["election", "rotation", "crisis"] as const)
      expect(codeOf(() => assertDirectAssignment({ ...base, source }))).toBe("validation_failed");
  });

  it("wants an end after the start, and always an end for an elected role", () => {
    expect(codeOf(() => assertDirectAssignment({ ...base, source: "appointment", endsAt: day(0) }))).toBe(
      "validation_failed",
    );
    expect(codeOf(() => assertDirectAssignment({ ...base, source: "appointment", endsAt: null }))).toBe(
      "validation_failed",
    );
    expect(
      codeOf(() =>
        assertDirectAssignment({
          ...base,
          source: "appointment",
          endsAt: null,
          fillingPolicy: "appointment",
        }),
      ),
    ).toBe("ok");
  });

  it("refuses a second holding by the same member exactly when the periods overlap", () => {
    const period = fc
      .tuple(fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }))
      .map(([start, length]) => ({
        startsAt: day(start),
        endsAt: length === null ? null : day(start + length),
      }));
    fc.assert(
      fc.property(period, period, (held, wanted) => {
        const overlaps =
          (held.endsAt === null || held.endsAt > wanted.startsAt) &&
          (wanted.endsAt === null || wanted.endsAt > held.startsAt);
        const existing = [{ memberId: ada, shadow: false, ...held }];
        expect(
          codeOf(() => assertNotAlreadyHolding(existing, { memberId: ada, shadow: false, ...wanted })),
        ).toBe(overlaps ? "conflict" : "ok");
      }),
    );
  });

  it("lets a member shadow a role and other members hold it at the same time", () => {
    const existing = [{ memberId: ada, shadow: false, startsAt: day(0), endsAt: null }];
    expect(
      codeOf(() =>
        assertNotAlreadyHolding(existing, { memberId: ada, shadow: true, startsAt: day(1), endsAt: null }),
      ),
    ).toBe("ok");
    expect(
      codeOf(() =>
        assertNotAlreadyHolding(existing, {
          memberId: "bo" as MemberId,
          shadow: false,
          startsAt: day(1),
          endsAt: null,
        }),
      ),
    ).toBe("ok");
  });
});

describe("changing an assignment's end", () => {
  const now = day(10);
  const elected = { source: "election" as const, startsAt: day(0), endsAt: day(365) };
  const appointed = { source: "appointment" as const, startsAt: day(0), endsAt: day(365) };

  it("lets any term end early", () => {
    expect(codeOf(() => assertEndChange(elected, "election", now, now))).toBe("ok");
    expect(codeOf(() => assertEndChange(appointed, "appointment", day(100), now))).toBe("ok");
  });

  it("never extends a term that came from an election, a rotation or a crisis", () => {
    expect(codeOf(() => assertEndChange(elected, "election", day(400), now))).toBe("conflict");
    expect(codeOf(() => assertEndChange({ ...elected, source: "crisis" }, "appointment", null, now))).toBe(
      "conflict",
    );
    expect(codeOf(() => assertEndChange(appointed, "appointment", day(400), now))).toBe("ok");
  });

  it("keeps an ended assignment as it was and an end after the start", () => {
    expect(codeOf(() => assertEndChange({ ...appointed, endsAt: day(5) }, "appointment", day(20), now))).toBe(
      "conflict",
    );
    expect(codeOf(() => assertEndChange(appointed, "appointment", day(0), now))).toBe("validation_failed");
    expect(codeOf(() => assertEndChange(appointed, "election", null, now))).toBe("validation_failed");
  });
});

describe("assignment permissions", () => {
  const circleId = "c1" as CircleId;
  const role = { circleId, kind: "custom" as const, archivedAt: null, fillingPolicy: "appointment" as const };
  const viewer = (access: Viewer["access"], circles: CircleId[] = [], memberId = "m1"): Viewer => ({
    memberId: memberId as MemberId,
    access,
    circleIds: new Set(circles),
  });

  it("lets the circle end a term and the holder write handover notes", () => {
    const held = { memberId: "m1" as MemberId, endsAt: day(30) };
    expect(assignmentPermissions(viewer("member", [circleId]), role, held, day(10))).toEqual({
      end: true,
      writeHandoverNotes: true,
    });
    expect(assignmentPermissions(viewer("member"), role, held, day(10))).toEqual({
      end: false,
      writeHandoverNotes: true,
    });
    expect(assignmentPermissions(viewer("member", [], "m2"), role, held, day(10))).toEqual({
      end: false,
      writeHandoverNotes: false,
    });
    expect(assignmentPermissions(viewer("admin"), role, held, day(30)).end).toBe(false);
  });
});
