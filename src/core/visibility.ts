import type { Viewer } from "./access.js";
import type { LogEntry } from "./log.js";

/**
 * What one viewer may see of one entry of their organisation's log: the entry itself, a copy whose
 * payload is redacted, or `null` for nothing at all.
 */
type VisibilityRule = <Entry extends LogEntry>(entry: Entry, viewer: Viewer) => Entry | null;

/** Governance is open by default: every member, observers included, reads every entry of their organisation. */
const openToMembers: VisibilityRule = (entry) => entry;

/**
 * Rules for entry types that carry secrets. Drafts, hidden nominations (until the nomination round closes), secret
 * ballots and private feedback register their rule here; the log endpoint and the realtime stream both
 * pass their entries through `entriesForViewer`, so a secret never travels to someone who may not read it.
 */
/** What happened to a proposal while it was a draft reaches its author alone (see consent/transition.ts). */
const draftWork: VisibilityRule = (entry, viewer) =>
  entry.payload.draft === true && entry.payload.authorId !== viewer.memberId ? null : entry;

const rulesByType: Readonly<Record<string, VisibilityRule>> = {
  "proposal.created": draftWork,
  "proposal.amended": draftWork,
  "proposal.withdrawn": draftWork,
  // Who nominated whom, and why, is the nominator's secret until the reveal; `selection.revealed` then
  // carries every nomination, so the entry itself never needs to reach anyone else.
  "selection.nominated": (entry, viewer) => (entry.payload.nominatorId === viewer.memberId ? entry : null),
};

/** What a member of the entry's organisation may see of it (see `VisibilityRule`). */
function entryForViewer<Entry extends LogEntry>(entry: Entry, viewer: Viewer): Entry | null {
  return (rulesByType[entry.type] ?? openToMembers)(entry, viewer);
}

/** Entries that record a circle's own governance: read as its proposals are (consent/reading.ts). */
const CIRCLE_GOVERNANCE = ["proposal.", "objection.", "selection.", "meeting.", "cycle."];

/**
 * For a viewer who reads the governance of some circles only (an observer, when the organisation keeps
 * circles to their members): those circles, and the circle each entry is about (null when unknown).
 */
export interface CircleReading {
  limitedTo: ReadonlySet<string>;
  circleOf: (entry: LogEntry) => string | null;
}

const readsCircleOf = (entry: LogEntry, reading: CircleReading) => {
  if (!CIRCLE_GOVERNANCE.some((prefix) => entry.type.startsWith(prefix))) return true;
  const circleId = reading.circleOf(entry);
  return circleId !== null && reading.limitedTo.has(circleId);
};

/** The entries a viewer may see, each as they may see it, in log order. */
export function entriesForViewer<Entry extends LogEntry>(
  entries: readonly Entry[],
  viewer: Viewer,
  circles?: CircleReading,
): Entry[] {
  return entries.flatMap((entry) =>
    circles && !readsCircleOf(entry, circles) ? [] : (entryForViewer(entry, viewer) ?? []),
  );
}
