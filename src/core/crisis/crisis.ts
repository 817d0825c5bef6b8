import type { ProposalId } from "../consent/ids.js";
import { invalid } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { OrgSettings } from "../orgs.js";
import type { CrisisDecisionId, CrisisId } from "./ids.js";

/**
 * How the circle granted the authority: by a consent proposal it adopted, or by its expedited rule (two
 * of its current leadership-role holders at once), which the circle must then ratify by consent.
 */
export type CrisisGrant =
  | { by: "consent"; proposalId: ProposalId }
  | { by: "expedited"; grantedBy: readonly [MemberId, MemberId] };

/** How the circle judged a crisis decision by consent once the authority had ended. */
export interface CrisisDecisionResolution {
  outcome: "ratified" | "revoked";
  proposalId: ProposalId;
  at: Date;
}

/** A decision the holder took alone, within the scope, while the authority lasted. */
export interface CrisisDecision {
  id: CrisisDecisionId;
  text: string;
  by: MemberId;
  at: Date;
  /** Null until the circle ratifies or revokes it. */
  resolution: CrisisDecisionResolution | null;
}

export interface CrisisExtension {
  proposalId: ProposalId;
  previousEndsAt: Date;
  endsAt: Date;
  at: Date;
}

export interface Crisis {
  id: CrisisId;
  circleId: CircleId;
  holderId: MemberId;
  scope: string;
  /** The circle's facilitators now, as the app loads them: with the holder, they may release the authority. */
  facilitatorIds: readonly MemberId[];
  grant: CrisisGrant;
  grantedAt: Date;
  /** The end time as granted, or as last extended by consent. */
  endsAt: Date;
  /** The consent that ratified an expedited grant. */
  ratification: { proposalId: ProposalId; at: Date } | null;
  extensions: readonly CrisisExtension[];
  release: { by: MemberId; at: Date } | null;
  /** When the end was noted and a reflection asked for; the end itself never waits for this. */
  endNotedAt: Date | null;
  decisions: readonly CrisisDecision[];
}

/** An expedited grant lapses unless the circle ratifies it by consent within this many hours. */
export const RATIFY_WITHIN_HOURS = 72;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** When an expedited grant must have been ratified by; a grant by consent has no such deadline. */
export function ratificationDeadline(crisis: Pick<Crisis, "grant" | "grantedAt">): Date | null {
  if (crisis.grant.by !== "expedited") return null;
  return new Date(crisis.grantedAt.getTime() + RATIFY_WITHIN_HOURS * HOUR_MS);
}

export type CrisisEndReason = "released" | "expired" | "unratified";

/** The candidate ends of a crisis, in the order a tie is explained by. */
function possibleEnds(crisis: Crisis): { reason: CrisisEndReason; at: Date }[] {
  const ends: { reason: CrisisEndReason; at: Date }[] = [];
  if (crisis.release) ends.push({ reason: "released", at: crisis.release.at });
  ends.push({ reason: "expired", at: crisis.endsAt });
  const deadline = ratificationDeadline(crisis);
  if (deadline && crisis.ratification === null) ends.push({ reason: "unratified", at: deadline });
  return ends;
}

function firstEnd(crisis: Crisis) {
  return possibleEnds(crisis).reduce((first, end) => (end.at.getTime() < first.at.getTime() ? end : first));
}

/**
 * When the authority ends (or ended): its end time, an early release, or, for an expedited grant not yet
 * ratified, the ratification deadline, whichever comes first. Derived from the record, so no job is needed.
 */
export const endedAt = (crisis: Crisis): Date => firstEnd(crisis).at;

/** Why the authority ends at `endedAt`. */
export const endReason = (crisis: Crisis): CrisisEndReason => firstEnd(crisis).reason;

/** The authority holds from the grant up to (not including) the moment it ends. */
export const activeAt = (crisis: Crisis, now: Date) =>
  crisis.grantedAt.getTime() <= now.getTime() && now.getTime() < endedAt(crisis).getTime();

/** Milliseconds left for the banner; 0 once the authority has ended. */
export const countdown = (crisis: Crisis, now: Date) =>
  Math.max(0, endedAt(crisis).getTime() - now.getTime());

/** Once the authority has ended, the crisis decisions the circle has yet to ratify or revoke by consent. */
export const decisionsAwaitingRatification = (crisis: Crisis, now: Date): CrisisDecision[] =>
  now.getTime() < endedAt(crisis).getTime() ? [] : crisis.decisions.filter((d) => d.resolution === null);

export type CrisisState = "active" | "under_review" | "closed";

/**
 * Where a crisis stands at `now`: the authority is active; it has ended and decisions wait for the
 * circle's consent; or every decision has been judged and authority is back with the circle.
 */
export function crisisState(crisis: Crisis, now: Date): CrisisState {
  if (now.getTime() < endedAt(crisis).getTime()) return "active";
  return decisionsAwaitingRatification(crisis, now).length > 0 ? "under_review" : "closed";
}

/** The latest moment anything was recorded on the crisis; later commands may not come from before it. */
export function lastRecordedAt(crisis: Crisis): Date {
  const moments = [
    crisis.grantedAt,
    crisis.ratification?.at,
    crisis.release?.at,
    crisis.endNotedAt,
    ...crisis.extensions.map((e) => e.at),
    ...crisis.decisions.flatMap((d) => [d.at, d.resolution?.at]),
  ].filter((moment): moment is Date => moment instanceof Date);
  return new Date(Math.max(...moments.map((moment) => moment.getTime())));
}

/** A crisis end time lies after `now` and within the organisation's limit counted from `now`. */
export function assertCrisisEnd(endsAt: Date, now: Date, settings: Pick<OrgSettings, "crisisMaxDays">) {
  if (Number.isNaN(endsAt.getTime()) || endsAt.getTime() <= now.getTime())
    throw invalid("Crisis authority ends in the future", { field: "endsAt" });
  const latest = now.getTime() + settings.crisisMaxDays * DAY_MS;
  if (endsAt.getTime() > latest)
    throw invalid(`Crisis authority lasts at most ${settings.crisisMaxDays} days`, {
      field: "endsAt",
      crisisMaxDays: settings.crisisMaxDays,
      latest: new Date(latest).toISOString(),
    });
}
