import { describe, expect, it } from "vitest";
import {
  periodPhrase,
  readActiveMembers,
  readAttendance,
  readCapacity,
  readChangedHands,
  readConcentration,
  readConsecutiveTerms,
  readCrossCircleTies,
  readDensity,
  readFirstTimeLeaders,
  readIntegratedByAmendment,
  readMedianTimeToDecision,
  readObjectionRate,
  readOverdueReviews,
  readReach,
  readResponseRate,
  readRolesPastTerm,
} from "./plain-reading.js";
import { ratio } from "./ratio.js";
import { type MetricWindow, windowEndingAt } from "./window.js";

const now = new Date("2026-03-01T10:00:00Z");
const year = windowEndingAt(now);

describe("plain readings", () => {
  it("name the period", () => {
    expect(periodPhrase(year)).toBe("in the last year");
    expect(periodPhrase(windowEndingAt(now, 90))).toBe("in the last 90 days");
    const uneven: MetricWindow = { from: new Date("2026-01-01T12:00:00Z"), to: now };
    expect(periodPhrase(uneven)).toBe("from 2026-01-01 to 2026-03-01");
  });

  it("read leadership reach and concentration", () => {
    expect(readReach(ratio(12, 20), year)).toBe("12 of 20 members led something in the last year");
    expect(readReach(ratio(1, 1), year)).toBe("1 of 1 member led something in the last year");
    expect(readReach(ratio(0, 0), year)).toBe("There were no active members in the last year");
    expect(readConcentration({ gini: 0.625, topTenPercentShare: 0.48, lorenz: [] })).toBe(
      "The top 10 % held 48 % of leadership-days (Gini 0.63, where 0 is shared evenly)",
    );
    expect(readConcentration({ gini: 0, topTenPercentShare: 0, lorenz: [] })).toBe(
      "No one held a leadership role",
    );
  });

  it("read capacity and first-time leaders", () => {
    const series = [
      { month: "2026-01", at: new Date("2026-02-01T00:00:00Z"), leaders: 29 },
      { month: "2026-02", at: new Date("2026-03-01T00:00:00Z"), leaders: 34 },
    ];
    expect(readCapacity(series)).toBe("34 members have ever held leadership, 29 at the end of 2026-01");
    expect(readCapacity([{ month: "2026-01", at: new Date("2026-02-01T00:00:00Z"), leaders: 1 }])).toBe(
      "1 member has ever held leadership",
    );
    expect(
      readFirstTimeLeaders([
        { quarter: "2025-Q2", firstTimeLeaders: 6 },
        { quarter: "2026-Q1", firstTimeLeaders: 3 },
      ]),
    ).toBe("3 members led for the first time in 2026-Q1, 9 since 2025-Q2");
  });

  it("read engagement", () => {
    expect(readResponseRate(ratio(170, 200))).toBe(
      "Members gave 170 of 200 responses asked of them in consent rounds and elections (85 %)",
    );
    expect(readResponseRate(ratio(0, 0))).toBe("No consent rounds or elections asked for responses");
    expect(readAttendance(ratio(40, 50))).toBe("Meetings were attended by 40 of 50 expected members (80 %)");
    expect(readActiveMembers(ratio(18, 25))).toBe("18 of 25 members were active in the last 30 days");
    expect(readActiveMembers(ratio(1, 25))).toBe("1 of 25 members was active in the last 30 days");
  });

  it("read collaboration", () => {
    expect(readCrossCircleTies({ crossCircleShare: ratio(21, 50) })).toBe(
      "21 of 50 working ties cross circles (42 %)",
    );
    expect(readCrossCircleTies({ crossCircleShare: ratio(1, 3) })).toBe(
      "1 of 3 working ties crosses circles (33 %)",
    );
    expect(readCrossCircleTies({ crossCircleShare: ratio(0, 0) })).toBe("No two members worked together");
    expect(readDensity({ density: ratio(55, 450) })).toBe(
      "Members worked together in 12 % of the possible pairs (55 of 450)",
    );
  });

  it("read decision health", () => {
    expect(readMedianTimeToDecision(9.4)).toBe("Half of the decisions were made within 9 days");
    expect(readMedianTimeToDecision(0.3)).toBe("Half of the decisions were made within a day");
    expect(readMedianTimeToDecision(null)).toBe("No decisions were made");
    expect(readObjectionRate(ratio(4, 50))).toBe("4 of 50 responses were objections (8 %)");
    expect(readObjectionRate(ratio(1, 50))).toBe("1 of 50 responses was an objection (2 %)");
    expect(readIntegratedByAmendment(ratio(5, 8))).toBe(
      "5 of 8 resolved objections were integrated by amending the proposal",
    );
    expect(readOverdueReviews(3)).toBe("3 decisions are overdue for review");
    expect(readOverdueReviews(1)).toBe("1 decision is overdue for review");
    expect(readOverdueReviews(0)).toBe("No decision is overdue for review");
    expect(readRolesPastTerm(2)).toBe("2 roles are past their term");
    expect(readRolesPastTerm(0)).toBe("No role is past its term");
  });

  it("read rotation health", () => {
    expect(readChangedHands({ changedHands: ratio(7, 10) }, year)).toBe(
      "7 of 10 elected or rotating roles changed hands in the last year",
    );
    expect(readConsecutiveTerms({ meanConsecutiveTerms: 1.25 })).toBe(
      "Holders of elected and rotating roles have served 1.3 terms in a row on average",
    );
    expect(readConsecutiveTerms({ meanConsecutiveTerms: null })).toBe(
      "No elected or rotating roles are held",
    );
  });
});
