export const CRISIS_EVENT_TYPES = [
  "crisis.granted",
  "crisis.ratified",
  "crisis.extended",
  "crisis.decision_recorded",
  "crisis.released",
  "crisis.ended",
  "crisis.decision_resolved",
] as const;
export type CrisisEventType = (typeof CRISIS_EVENT_TYPES)[number];

/** What happened, for the governance log: ids and the fields that changed, JSON-safe (times as ISO strings). */
export interface CrisisEvent {
  type: CrisisEventType;
  payload: Record<string, unknown>;
}
