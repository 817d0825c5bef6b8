import type { Viewer } from "../../core/access.js";
import {
  activeAt,
  type Crisis,
  type CrisisDecision,
  countdown,
  crisisState,
  endedAt,
  endReason,
  ratificationDeadline,
} from "../../core/crisis/crisis.js";
import { crisisPermissions } from "../../core/crisis/permissions.js";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Where a crisis decision stands: in force while the authority lasts, then awaiting the circle's consent. */
function ratificationStatus(decision: CrisisDecision, ended: boolean) {
  if (decision.resolution) return decision.resolution.outcome;
  return ended ? "awaiting_ratification" : "in_force";
}

/**
 * A crisis as every member sees it. `endsAt` is when the authority ends (or ended) — its end time, or
 * earlier on release or when an expedited grant goes unratified — so the banner's countdown needs nothing
 * else; `grantedUntil` is the end time as granted or last extended.
 */
export function presentCrisis(crisis: Crisis, viewer: Viewer, now: Date) {
  const ended = now.getTime() >= endedAt(crisis).getTime();
  return {
    id: crisis.id,
    circleId: crisis.circleId,
    holderId: crisis.holderId,
    scope: crisis.scope,
    grant: crisis.grant,
    grantedAt: crisis.grantedAt.toISOString(),
    grantedUntil: crisis.endsAt.toISOString(),
    ratifyBy: iso(ratificationDeadline(crisis)),
    ratification: crisis.ratification && {
      proposalId: crisis.ratification.proposalId,
      at: crisis.ratification.at.toISOString(),
    },
    extensions: crisis.extensions.map((e) => ({
      proposalId: e.proposalId,
      previousEndsAt: e.previousEndsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      at: e.at.toISOString(),
    })),
    release: crisis.release && { by: crisis.release.by, at: crisis.release.at.toISOString() },
    state: crisisState(crisis, now),
    activeNow: activeAt(crisis, now),
    endsAt: endedAt(crisis).toISOString(),
    endReason: ended ? endReason(crisis) : null,
    countdownMs: countdown(crisis, now),
    endNotedAt: iso(crisis.endNotedAt),
    decisions: crisis.decisions.map((d) => ({
      id: d.id,
      text: d.text,
      by: d.by,
      at: d.at.toISOString(),
      status: ratificationStatus(d, ended),
      resolution: d.resolution && {
        outcome: d.resolution.outcome,
        proposalId: d.resolution.proposalId,
        at: d.resolution.at.toISOString(),
      },
    })),
    can: crisisPermissions(viewer, crisis, now),
  };
}
