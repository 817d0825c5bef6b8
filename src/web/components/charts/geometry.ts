/** The small amount of arithmetic the charts need: scales, tick values, SVG point lists and a ring layout. */

export interface Point {
  x: number;
  y: number;
}

/** Maps a value of `domain` linearly onto `range` (either may run backwards, as an SVG y axis does). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/**
 * Round tick values from 0 up to at least `max`, about `count` steps of 1, 2 or 5 times a power of ten
 * (whole numbers only: the charts count members and decisions). The last tick is the axis's top.
 */
export function countTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power);
  const ticks = [0];
  while ((ticks.at(-1) ?? 0) < max) ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}

/** The `points` attribute of an SVG polyline or polygon, to a tenth of a pixel. */
export const svgPoints = (points: readonly Point[]) =>
  points.map(({ x, y }) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");

/**
 * Which of `count` evenly spaced labels to show so that neighbours are at least `minGap` pixels apart
 * over `width`: every `step`-th, counted back from the last so the newest is always labelled.
 */
export function labelEvery(count: number, width: number, minGap: number): (index: number) => boolean {
  const gap = count > 1 ? width / (count - 1) : width;
  const step = Math.max(1, Math.ceil(minGap / gap));
  return (index) => (count - 1 - index) % step === 0;
}

/**
 * `count` points evenly around a circle, the first at the top and going clockwise. `side` says which way
 * a label at that point should run so it reads away from the ring.
 */
export function ringLayout(count: number, center: Point, radius: number) {
  return Array.from({ length: count }, (_, index) => {
    const angle = (2 * Math.PI * index) / count - Math.PI / 2;
    const cos = Math.cos(angle);
    return {
      x: center.x + radius * cos,
      y: center.y + radius * Math.sin(angle),
      angle,
      side: Math.abs(cos) < 1e-9 ? ("middle" as const) : cos > 0 ? ("start" as const) : ("end" as const),
    };
  });
}
