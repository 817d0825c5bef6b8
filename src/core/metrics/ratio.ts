import { invalid } from "../errors.js";

/**
 * A share kept with its two counts, so a reading can say "12 of 20" as well as "60 %". `share` is null
 * when there was nothing to count (`of` is 0): no data is not the same as 0 %.
 */
export interface Ratio {
  count: number;
  of: number;
  share: number | null;
}

export function ratio(count: number, of: number): Ratio {
  if (!Number.isFinite(count) || !Number.isFinite(of) || count < 0 || count > of)
    throw invalid("A ratio counts between 0 and all of what it is taken of", { count, of });
  return { count, of, share: of === 0 ? null : count / of };
}

/** Adds up part-counts (e.g. responses of many rounds) into one ratio of the totals. */
export function ratioOfTotals<T>(items: readonly T[], count: (item: T) => number, of: (item: T) => number) {
  let counted = 0;
  let total = 0;
  for (const item of items) {
    const part = ratio(count(item), of(item));
    counted += part.count;
    total += part.of;
  }
  return ratio(counted, total);
}
