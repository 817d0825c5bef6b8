import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import {
  integratedByAmendmentShare,
  medianTimeToDecision,
  objectionRate,
  overdueReviews,
} from "./decision-health.js";

describe("medianTimeToDecision", () => {
  it("takes the middle value, or the mean of the middle two", () => {
    // Sorted [1, 3, 5] → 3. Sorted [1, 3, 4, 10] → (3 + 4) / 2 = 3.5.
    expect(medianTimeToDecision([5, 1, 3])).toBe(3);
    expect(medianTimeToDecision([4, 1, 10, 3])).toBe(3.5);
    expect(medianTimeToDecision([])).toBeNull();
  });

  it("refuses negative durations", () => {
    expect(() => medianTimeToDecision([2, -1])).toThrow(DomainError);
  });
});

describe("objectionRate", () => {
  it("is objections out of responses over all rounds", () => {
    // (1 + 2) / (10 + 5) = 3 / 15 = 0.2.
    expect(
      objectionRate([
        { responses: 10, objections: 1 },
        { responses: 5, objections: 2 },
      ]),
    ).toEqual({ count: 3, of: 15, share: 0.2 });
  });
});

describe("integratedByAmendmentShare", () => {
  it("counts amendments out of resolved objections, open ones left out", () => {
    // Resolved: 3 + 1 + 1 + 2 + 1 = 8; by amendment 3: 3 / 8 = 0.375. The 4 open ones wait.
    expect(
      integratedByAmendmentShare({
        open: 4,
        amendment: 3,
        shorter_term: 1,
        measure: 1,
        withdrawn: 2,
        overruled: 1,
      }),
    ).toEqual({ count: 3, of: 8, share: 0.375 });
    expect(integratedByAmendmentShare({ open: 2 })).toEqual({ count: 0, of: 0, share: null });
  });

  it("refuses counts that are not whole numbers of 0 or more", () => {
    expect(() => integratedByAmendmentShare({ amendment: -1 })).toThrow(DomainError);
    expect(() => integratedByAmendmentShare({ measure: 1.5 })).toThrow(DomainError);
  });
});

describe("overdueReviews", () => {
  it("counts decisions whose review date has come", () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const decisions = ["2026-02-01T00:00:00Z", "2026-03-01T10:00:00Z", "2026-03-02T00:00:00Z"].map((iso) => ({
      reviewAt: new Date(iso),
    }));
    // Due on Feb 1 and exactly now; March 2 is still ahead.
    expect(overdueReviews(decisions, now)).toBe(2);
  });
});
