import { describe, expect, it } from "vitest";
import { addMonths, isDueForReview } from "./decision.js";

describe("a decision's review date", () => {
  it("falls the given number of calendar months later, on the month's last day when the day is missing", () => {
    expect(addMonths(new Date("2025-01-31T10:00:00Z"), 1)).toEqual(new Date("2025-02-28T10:00:00Z"));
    expect(addMonths(new Date("2024-01-31T10:00:00Z"), 1)).toEqual(new Date("2024-02-29T10:00:00Z"));
    expect(addMonths(new Date("2025-08-15T00:00:00Z"), 6)).toEqual(new Date("2026-02-15T00:00:00Z"));
    expect(addMonths(new Date("2025-12-31T23:59:00Z"), 12)).toEqual(new Date("2026-12-31T23:59:00Z"));
  });

  it("makes the decision due from that moment on", () => {
    const decision = { reviewAt: new Date("2025-07-01T00:00:00Z") };
    expect(isDueForReview(decision, new Date("2025-06-30T23:59:59Z"))).toBe(false);
    expect(isDueForReview(decision, new Date("2025-07-01T00:00:00Z"))).toBe(true);
  });
});
