/** How the dashboard writes its numbers. */

/**
 * A share from 0 to 1 as a whole percent, spaced as the server's readings write it ("20 %", the space
 * unbreakable); a share of nothing (null) as a dash.
 */
export const formatShare = (share: number | null) =>
  share === null ? "–" : `${Math.round(share * 100)}\u00a0%`;

/** The Gini coefficient to two places, as the readings give it. */
export const formatGini = (gini: number) => gini.toFixed(2);

const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });

/** A calendar month of the API ("2026-03") as a short label ("Mar 26"). */
export function formatMonth(month: string) {
  const [year, index] = month.split("-").map(Number);
  if (year === undefined || index === undefined) return month;
  return monthFormat.format(new Date(Date.UTC(year, index - 1, 1)));
}

/** A calendar quarter of the API ("2026-Q1") as a label ("Q1 2026"). */
export const formatQuarter = (quarter: string) => quarter.replace(/^(\d{4})-(Q\d)$/, "$2 $1");
