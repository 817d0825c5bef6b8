/**
 * The leadership metrics (DESIGN §4) as the server presents them (src/server/presenters/metrics.ts), and
 * the addresses of their CSV exports.
 */
import { queryOptions } from "@tanstack/react-query";
import { orgPath, request } from "./api.js";

/** A share kept with its two counts; `share` is null when there was nothing to count. */
export interface Ratio {
  count: number;
  of: number;
  share: number | null;
}

export interface LorenzPoint {
  /** The share of members, fewest leadership-days first. */
  population: number;
  /** The share of all leadership-days they held. */
  share: number;
}

export interface CollaborationNode {
  memberId: string;
  name: string;
  degree: number;
}

export interface CollaborationTie {
  a: string;
  b: string;
  weight: number;
  crossesCircles: boolean;
}

export interface Metrics {
  window: { from: string; to: string; days: number };
  scope: { circleId: string | null; circleName: string | null };
  reach: Ratio & { reading: string };
  concentration: { gini: number; topTenPercentShare: number; lorenz: LorenzPoint[]; reading: string };
  capacity: {
    series: { month: string; at: string; leaders: number }[];
    firstTimeLeaders: { quarter: string; firstTimeLeaders: number }[];
    readings: { series: string; firstTimeLeaders: string };
  };
  engagement: {
    responseRate: Ratio;
    attendance: Ratio;
    activeMembers: Ratio;
    readings: { responseRate: string; attendance: string; activeMembers: string };
  };
  collaboration: {
    density: Ratio;
    crossCircleShare: Ratio;
    nodes: CollaborationNode[];
    ties: CollaborationTie[];
    totals: { nodes: number; ties: number };
    readings: { density: string; crossCircleShare: string };
  };
  decisionHealth: {
    decisionsMade: number;
    medianDaysToDecision: number | null;
    objectionRate: Ratio;
    integratedByAmendment: Ratio;
    overdueReviews: number;
    rolesPastTerm: number;
    readings: {
      medianDaysToDecision: string;
      objectionRate: string;
      integratedByAmendment: string;
      overdueReviews: string;
      rolesPastTerm: string;
    };
  };
  rotationHealth: {
    changedHands: Ratio;
    meanConsecutiveTerms: number | null;
    rolesPastTerm: number;
    readings: { changedHands: string; consecutiveTerms: string; rolesPastTerm: string };
  };
  /** Most leadership-days first; at most the server's list limit, `leadershipDaysTotal` counts them all. */
  leadershipDays: { memberId: string; name: string; days: number }[];
  leadershipDaysTotal: number;
}

/** What the metrics look at: days back from now, and the whole organisation (null) or one circle. */
export interface MetricsScope {
  windowDays: number;
  circleId: string | null;
}

const scopeQuery = ({ windowDays, circleId }: MetricsScope, extra: Record<string, string> = {}) =>
  new URLSearchParams({ windowDays: String(windowDays), ...(circleId ? { circleId } : {}), ...extra });

export const getMetrics = (org: string, scope: MetricsScope) =>
  request<Metrics>("GET", `${orgPath(org)}/metrics?${scopeQuery(scope)}`);

/** A download link: the browser sends the session cookie with it like any page request. */
export const metricsCsvUrl = (org: string, scope: MetricsScope, table: "metrics" | "leadershipDays") =>
  `/api/v1${orgPath(org)}/metrics.csv?${scopeQuery(scope, { table })}`;

/**
 * The metrics read the whole log of the window, so they are not refetched on every live event; a minute
 * old is fresh enough for a mirror that looks back months.
 */
export const metricsQuery = (slug: string, scope: MetricsScope) =>
  queryOptions({
    queryKey: ["org", slug, "metrics", scope],
    queryFn: () => getMetrics(slug, scope),
    staleTime: 60_000,
  });
