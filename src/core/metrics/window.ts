import { invalid } from "../errors.js";

export const DAY_MS = 86_400_000;

/** The default window of the leadership metrics: the last year. */
export const DEFAULT_WINDOW_DAYS = 365;

/** The stretch of time a metric looks at: from `from` up to (not including) `to`. */
export interface MetricWindow {
  from: Date;
  to: Date;
}

/** The window of `days` days that ends at `now`. */
export const windowEndingAt = (now: Date, days = DEFAULT_WINDOW_DAYS): MetricWindow => ({
  from: new Date(now.getTime() - days * DAY_MS),
  to: now,
});

export function assertWindow(window: MetricWindow) {
  if (!(window.from.getTime() < window.to.getTime()))
    throw invalid("A metric window ends after it starts", {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
    });
}

/** Length of the window in days (fractional where it is not a whole number of days). */
export const windowDays = (window: MetricWindow) => (window.to.getTime() - window.from.getTime()) / DAY_MS;

/** Whether an instant falls inside the window. */
export const inWindow = (at: Date, window: MetricWindow) =>
  window.from.getTime() <= at.getTime() && at.getTime() < window.to.getTime();
