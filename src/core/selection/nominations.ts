import type { Viewer } from "../access.js";
import type { MemberId } from "../ids.js";
import type { Nomination, Selection } from "./selection.js";

/** Each nominator's latest nomination, once: a change after the reveal replaces the nomination it changes. */
export function currentNominations(selection: Pick<Selection, "nominations">): Nomination[] {
  const latest = new Map<MemberId, Nomination>();
  for (const nomination of selection.nominations) latest.set(nomination.nominatorId, nomination);
  return [...latest.values()];
}

/**
 * The nominations a viewer may see. Until the nomination round closes each one is the nominator's
 * secret, so a viewer sees only their own (a selection cancelled before the reveal never reveals them);
 * from the reveal on everyone who may read the selection sees them all, changes included.
 */
export function visibleNominations(selection: Selection, viewer: Viewer): Nomination[] {
  if (selection.revealedAt !== null) return [...selection.nominations];
  return selection.nominations.filter((nomination) => nomination.nominatorId === viewer.memberId);
}

export interface NominationCount {
  nomineeId: MemberId;
  count: number;
}

/**
 * How many current nominations each nominee has, most first (ties by id, so the order is stable).
 * Nothing is counted before the reveal: a count would give the secret nominations away.
 */
export function nominationCounts(selection: Selection): NominationCount[] {
  if (selection.revealedAt === null) return [];
  const counts = new Map<MemberId, number>();
  for (const { nomineeId } of currentNominations(selection))
    counts.set(nomineeId, (counts.get(nomineeId) ?? 0) + 1);
  return [...counts]
    .map(([nomineeId, count]) => ({ nomineeId, count }))
    .sort(
      (a, b) => b.count - a.count || (a.nomineeId < b.nomineeId ? -1 : a.nomineeId > b.nomineeId ? 1 : 0),
    );
}
