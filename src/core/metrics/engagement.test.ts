import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import type { MemberId } from "../ids.js";
import { activeMembers, attendanceRate, type MemberActivity, responseRate } from "./engagement.js";

describe("responseRate", () => {
  it("adds up responses over eligible members across rounds, so large rounds weigh more", () => {
    // (8 + 1) / (10 + 4) = 9 / 14 — not the mean of 80 % and 25 %.
    expect(
      responseRate([
        { eligible: 10, responded: 8 },
        { eligible: 4, responded: 1 },
      ]),
    ).toEqual({ count: 9, of: 14, share: 9 / 14 });
  });

  it("has no share without rounds, and refuses more responses than eligible members", () => {
    expect(responseRate([])).toEqual({ count: 0, of: 0, share: null });
    expect(() => responseRate([{ eligible: 3, responded: 4 }])).toThrow(DomainError);
    expect(() => responseRate([{ eligible: 3, responded: -1 }])).toThrow(DomainError);
  });
});

describe("attendanceRate", () => {
  it("adds up attendances over expected attendances", () => {
    // (5 + 7 + 0) / (6 + 8 + 6) = 12 / 20 = 0.6.
    expect(
      attendanceRate([
        { expected: 6, attended: 5 },
        { expected: 8, attended: 7 },
        { expected: 6, attended: 0 },
      ]),
    ).toEqual({ count: 12, of: 20, share: 0.6 });
  });
});

describe("activeMembers", () => {
  const now = new Date("2026-03-01T10:00:00Z");
  const activity = (memberId: string, lastActiveAt: string | null): MemberActivity => ({
    memberId: memberId as MemberId,
    lastActiveAt: lastActiveAt === null ? null : new Date(lastActiveAt),
  });

  it("counts members active in the last 30 days, both ends included", () => {
    // 30 days before now is 2026-01-30T10:00Z. Ann (yesterday) and Ben (exactly then) count; Cat (a
    // millisecond earlier), Dan (never) and Eve (after now) do not: 2 of 5.
    const members = [
      activity("ann", "2026-02-28T10:00:00Z"),
      activity("ben", "2026-01-30T10:00:00Z"),
      activity("cat", "2026-01-30T09:59:59.999Z"),
      activity("dan", null),
      activity("eve", "2026-03-01T10:00:00.001Z"),
    ];
    expect(activeMembers(members, now)).toEqual({ count: 2, of: 5, share: 0.4 });
    // Over 60 days Cat counts too: 3 of 5.
    expect(activeMembers(members, now, 60).count).toBe(3);
  });

  it("refuses a period of no days", () => {
    expect(() => activeMembers([], now, 0)).toThrow(DomainError);
  });
});
