import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import type { MemberId } from "../ids.js";
import { gini, leadershipConcentration, lorenzCurve, topShare } from "./concentration.js";

/** The definition itself, Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄), in O(n²), to check the sorted formula against. */
function giniByDefinition(values: number[]) {
  const n = values.length;
  const total = values.reduce((sum, value) => sum + value, 0);
  if (n === 0 || total === 0) return 0;
  let differences = 0;
  for (const x of values) for (const y of values) differences += Math.abs(x - y);
  return differences / (2 * n * n * (total / n));
}

const amounts = fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 40 });
const someAmounts = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 });

describe("gini", () => {
  it("gives 0.625 for [0, 0, 10, 30] leadership-days", () => {
    // Unordered pairs: 0–0 → 0, 0–10 → 10 (twice), 0–30 → 30 (twice), 10–30 → 20: sum 100, both orders 200.
    // n = 4, x̄ = 40 / 4 = 10: 2 · 16 · 10 = 320. 200 / 320 = 0.625.
    expect(gini([0, 0, 10, 30])).toBe(0.625);
    expect(gini([30, 0, 10, 0])).toBe(0.625);
  });

  it("gives 0.25 for [1, 2, 3, 4]", () => {
    // Pairs: 1, 2, 3, 1, 2, 1 → 10, both orders 20. x̄ = 2.5: 2 · 16 · 2.5 = 80. 20 / 80 = 0.25.
    expect(gini([4, 3, 2, 1])).toBe(0.25);
  });

  it("reaches 1 − 1/n when one member holds everything", () => {
    // [0, 0, 0, 5]: pairs 5 three times → 15, both orders 30. x̄ = 1.25: 2 · 16 · 1.25 = 40. 30 / 40 = 0.75.
    expect(gini([0, 0, 0, 5])).toBe(0.75);
  });

  it("is 0 for no values, all zeros, one value and equal values", () => {
    expect(gini([])).toBe(0);
    expect(gini([0, 0, 0])).toBe(0);
    expect(gini([7])).toBe(0);
    expect(gini([3, 3, 3])).toBe(0);
  });

  it("refuses negative or non-finite amounts", () => {
    expect(() => gini([1, -1])).toThrow(DomainError);
    expect(() => gini([Number.NaN])).toThrow(DomainError);
    expect(() => gini([Number.POSITIVE_INFINITY])).toThrow(DomainError);
  });

  it("equals the double-sum definition", () => {
    fc.assert(
      fc.property(amounts, (values) => {
        expect(gini(values)).toBeCloseTo(giniByDefinition(values), 12);
      }),
    );
  });

  it("lies between 0 and 1 − 1/n", () => {
    fc.assert(
      fc.property(someAmounts, (values) => {
        const g = gini(values);
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThanOrEqual(1 - 1 / values.length + 1e-12);
      }),
    );
  });

  it("does not depend on the order of the members", () => {
    const withShuffle = amounts.chain((values) =>
      fc.tuple(
        fc.constant(values),
        fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }),
      ),
    );
    fc.assert(
      fc.property(withShuffle, ([values, shuffled]) => {
        expect(gini(shuffled)).toBeCloseTo(gini(values), 12);
      }),
    );
  });

  it("does not depend on the unit (scaling every amount)", () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 1, max: 1000 }), (values, factor) => {
        expect(gini(values.map((value) => value * factor))).toBeCloseTo(gini(values), 12);
      }),
    );
  });

  it("is 0 when everyone holds the same", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (value, n) => {
          expect(gini(Array(n).fill(value))).toBeCloseTo(0, 12);
        },
      ),
    );
  });

  it("is one minus twice the area under the Lorenz curve", () => {
    fc.assert(
      fc.property(someAmounts, (values) => {
        const curve = lorenzCurve(values);
        let area = 0;
        for (let k = 1; k < curve.length; k++) {
          const [left, right] = [curve[k - 1], curve[k]];
          if (left && right) area += ((right.population - left.population) * (left.share + right.share)) / 2;
        }
        expect(gini(values)).toBeCloseTo(1 - 2 * area, 12);
      }),
    );
  });
});

describe("topShare", () => {
  it("takes the top 10 % as ⌈n / 10⌉ members, at least one", () => {
    // [0, 0, 10, 30]: ⌈0.4⌉ = 1 member, who holds 30 of 40 = 0.75.
    expect(topShare([0, 0, 10, 30])).toBe(0.75);
    // 1..30: ⌈3⌉ = 3 members exactly (30 × 0.1 in floating point would be 3.0000000000000004 → 4):
    // (28 + 29 + 30) / (30 · 31 / 2) = 87 / 465.
    const oneToThirty = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(topShare(oneToThirty)).toBe(87 / 465);
  });

  it("takes other percentages", () => {
    // Top 25 % of [1, 2, 3, 4] is one member: 4 / 10. Top 50 % of [0, 0, 10, 30] is two: 40 / 40.
    expect(topShare([1, 2, 3, 4], 25)).toBe(0.4);
    expect(topShare([0, 0, 10, 30], 50)).toBe(1);
    expect(topShare([1, 2, 3, 4], 100)).toBe(1);
  });

  it("is 0 for no values or all zeros, and refuses a percentage outside (0, 100]", () => {
    expect(topShare([])).toBe(0);
    expect(topShare([0, 0])).toBe(0);
    expect(() => topShare([1], 0)).toThrow(DomainError);
    expect(() => topShare([1], 101)).toThrow(DomainError);
  });

  it("grows with the percentage and never falls below the top's head count share", () => {
    fc.assert(
      fc.property(
        someAmounts.filter((values) => values.some((value) => value > 0)),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          expect(topShare(values, low)).toBeLessThanOrEqual(topShare(values, high) + 1e-12);
          const share = topShare(values, low);
          expect(share).toBeLessThanOrEqual(1 + 1e-12);
          expect(share).toBeGreaterThanOrEqual(
            Math.ceil((values.length * low) / 100) / values.length - 1e-12,
          );
        },
      ),
    );
  });
});

describe("lorenzCurve", () => {
  it("runs from (0, 0) to (1, 1), smallest first", () => {
    // Sorted [0, 0, 10, 30], total 40: running sums 0, 0, 10, 40.
    expect(lorenzCurve([30, 0, 10, 0])).toEqual([
      { population: 0, share: 0 },
      { population: 0.25, share: 0 },
      { population: 0.5, share: 0 },
      { population: 0.75, share: 0.25 },
      { population: 1, share: 1 },
    ]);
  });

  it("is the line of equality when no one holds anything, and a single point for no one", () => {
    expect(lorenzCurve([0, 0])).toEqual([
      { population: 0, share: 0 },
      { population: 0.5, share: 0.5 },
      { population: 1, share: 1 },
    ]);
    expect(lorenzCurve([])).toEqual([{ population: 0, share: 0 }]);
  });
});

describe("leadershipConcentration", () => {
  it("counts active members who did not lead as 0 and leaves out those no longer active", () => {
    const [ann, ben, cat, dan, zed] = ["ann", "ben", "cat", "dan", "zed"] as MemberId[];
    const days = new Map([
      [cat, 10],
      [dan, 30],
      [zed, 500],
    ]) as Map<MemberId, number>;
    // Active days are [0, 0, 10, 30]: Gini 0.625 (above), top 10 % = 1 member holding 30 / 40.
    const concentration = leadershipConcentration([ann, ben, cat, dan] as MemberId[], days);
    expect(concentration.gini).toBe(0.625);
    expect(concentration.topTenPercentShare).toBe(0.75);
    expect(concentration.lorenz.at(-2)).toEqual({ population: 0.75, share: 0.25 });
  });
});
