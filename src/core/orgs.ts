import { invalid } from "./errors.js";

/** Organisation-wide defaults; circles and processes read them. */
export interface OrgSettings {
  /** Longest crisis authority a circle may grant, in days. */
  crisisMaxDays: number;
  /** Default months until an adopted decision comes up for review. */
  decisionReviewMonths: number;
  /** Days an invitation link stays valid. */
  invitationDays: number;
  /** Whether observers may read proposals and rounds of circles they are not in. */
  observersReadCircles: boolean;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  crisisMaxDays: 14,
  decisionReviewMonths: 6,
  invitationDays: 14,
  observersReadCircles: true,
};

export function mergeSettings(current: Partial<OrgSettings>, change: Partial<OrgSettings>): OrgSettings {
  const merged = { ...DEFAULT_ORG_SETTINGS, ...current, ...change };
  if (merged.crisisMaxDays < 1 || merged.crisisMaxDays > 90)
    throw invalid("Crisis authority may last 1 to 90 days at most", { field: "settings.crisisMaxDays" });
  if (merged.decisionReviewMonths < 1 || merged.decisionReviewMonths > 60)
    throw invalid("Review decisions within 1 to 60 months", { field: "settings.decisionReviewMonths" });
  if (merged.invitationDays < 1 || merged.invitationDays > 90)
    throw invalid("Invitations last 1 to 90 days", { field: "settings.invitationDays" });
  return merged;
}

/** A URL-safe slug from a name: "Orpheus Chamber Orchestra" → "orpheus-chamber-orchestra". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug === "" ? "org" : slug;
}

/** Slugs that look like UUIDs would be ambiguous with ids in URLs. */
export const isUuidLike = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
