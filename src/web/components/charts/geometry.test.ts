import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countTicks, labelEvery, linearScale, ringLayout, svgPoints } from "./geometry.js";

describe("linearScale", () => {
  it("maps the ends of the domain onto the ends of the range, a backwards range included", () => {
    const y = linearScale([0, 1], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(1)).toBe(0);
    expect(y(0.25)).toBe(150);
  });

  it("maps an empty domain onto the start of the range", () => {
    expect(linearScale([3, 3], [10, 90])(3)).toBe(10);
  });
});

describe("countTicks", () => {
  it("counts in round steps from 0 to at least the maximum", () => {
    expect(countTicks(16)).toEqual([0, 5, 10, 15, 20]);
    expect(countTicks(10)).toEqual([0, 5, 10]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(480)).toEqual([0, 200, 400, 600]);
  });

  it("gives an axis of 0 to 1 when there is nothing to count", () => {
    expect(countTicks(0)).toEqual([0, 1]);
  });

  it("always reaches the maximum in whole, evenly spaced steps", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 8 }), (max, count) => {
        const ticks = countTicks(max, count);
        const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
        expect(ticks.at(-2)).toBeLessThan(max);
        expect(Number.isInteger(step) && step >= 1).toBe(true);
        expect(ticks).toEqual(ticks.map((_, i) => i * step));
      }),
    );
  });
});

describe("labelEvery", () => {
  it("labels every point when there is room, and the last one always", () => {
    const all = labelEvery(5, 400, 50);
    expect([0, 1, 2, 3, 4].map(all)).toEqual([true, true, true, true, true]);
    const some = labelEvery(13, 240, 50);
    expect(some(12)).toBe(true);
    expect(some(11)).toBe(false);
    expect(some(9)).toBe(true);
  });
});

describe("ringLayout", () => {
  it("starts at the top and goes clockwise, labels reading away from the ring", () => {
    const [top, right, bottom, left] = ringLayout(4, { x: 100, y: 100 }, 50);
    expect(top).toMatchObject({ side: "middle" });
    expect(top?.x).toBeCloseTo(100);
    expect(top?.y).toBeCloseTo(50);
    expect(right).toMatchObject({ side: "start" });
    expect(right?.x).toBeCloseTo(150);
    expect(bottom?.y).toBeCloseTo(150);
    expect(left).toMatchObject({ side: "end" });
  });
});

describe("svgPoints", () => {
  it("writes x,y pairs to a tenth of a pixel", () => {
    expect(
      svgPoints([
        { x: 0, y: 10 },
        { x: 1 / 3, y: 2.25 },
      ]),
    ).toBe("0.0,10.0 0.3,2.3");
  });
});
