import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import type { MemberId } from "../ids.js";
import {
  capacitySeries,
  type FirstLeadership,
  firstLeadershipStarts,
  firstTimeLeadersPerQuarter,
} from "./capacity.js";
import type { LeadershipAssignment } from "./leadership.js";

const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const first = (memberId: string, firstLedAt: string): FirstLeadership => ({
  memberId: memberId as MemberId,
  firstLedAt: at(firstLedAt),
});

const firstLeaders = [
  first("ann", "2025-06-01"),
  first("ben", "2026-01-20"),
  first("cat", "2026-02-28T23:00:00Z"),
  first("dan", "2026-04-05"),
  first("eve", "2026-05-01"),
];

describe("firstLeadershipStarts", () => {
  it("finds each member's earliest held leadership, shadowing and other roles aside", () => {
    const assignment = (memberId: string, startsAt: string, fields: Partial<LeadershipAssignment> = {}) => ({
      memberId: memberId as MemberId,
      startsAt: at(startsAt),
      endsAt: null,
      shadow: false,
      leadership: true,
      ...fields,
    });
    expect(
      firstLeadershipStarts([
        assignment("ben", "2025-05-01"),
        assignment("ann", "2025-03-01"),
        assignment("ben", "2025-02-01"),
        assignment("cat", "2024-01-01", { shadow: true }),
        assignment("cat", "2024-06-01", { leadership: false }),
        assignment("cat", "2025-04-01"),
      ]),
    ).toEqual([first("ben", "2025-02-01"), first("ann", "2025-03-01"), first("cat", "2025-04-01")]);
  });
});

describe("capacitySeries", () => {
  it("counts everyone who had ever led at each month end, the last month cut at the window's end", () => {
    // Window Jan 15 – Apr 10. Feb 1: ann (2025), ben (Jan 20) = 2. Mar 1: + cat (Feb 28) = 3. Apr 1: 3.
    // Apr 10: + dan (Apr 5) = 4. Eve (May) is after the window.
    const series = capacitySeries(firstLeaders, { from: at("2026-01-15"), to: at("2026-04-10") });
    expect(series).toEqual([
      { month: "2026-01", at: at("2026-02-01"), leaders: 2 },
      { month: "2026-02", at: at("2026-03-01"), leaders: 3 },
      { month: "2026-03", at: at("2026-04-01"), leaders: 3 },
      { month: "2026-04", at: at("2026-04-10"), leaders: 4 },
    ]);
  });

  it("crosses the year", () => {
    // Dec 15 – Jan 15: Jan 1 has ann only; Jan 15 has ann only (ben starts Jan 20).
    expect(
      capacitySeries(firstLeaders, { from: at("2025-12-15"), to: at("2026-01-15") }).map((p) => [
        p.month,
        p.leaders,
      ]),
    ).toEqual([
      ["2025-12", 1],
      ["2026-01", 1],
    ]);
  });

  it("refuses an empty window", () => {
    expect(() => capacitySeries([], { from: at("2026-01-01"), to: at("2026-01-01") })).toThrow(DomainError);
  });
});

describe("firstTimeLeadersPerQuarter", () => {
  it("counts first leaderships per calendar quarter, only the part of each quarter inside the window", () => {
    // Window Nov 1 2025 – Apr 10 2026. Q4 2025 from Nov 1: none (ann began in June, before the window).
    // Q1 2026: ben (Jan 20), cat (Feb 28) = 2. Q2 2026 up to Apr 10: dan (Apr 5) = 1; eve (May) is after.
    expect(
      firstTimeLeadersPerQuarter(firstLeaders, { from: at("2025-11-01"), to: at("2026-04-10") }),
    ).toEqual([
      { quarter: "2025-Q4", firstTimeLeaders: 0 },
      { quarter: "2026-Q1", firstTimeLeaders: 2 },
      { quarter: "2026-Q2", firstTimeLeaders: 1 },
    ]);
  });
});
