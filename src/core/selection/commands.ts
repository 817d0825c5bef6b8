import type { Viewer } from "../access.js";
import type { ObjectionId } from "../consent/ids.js";
import type { MemberId } from "../ids.js";
import type { SelectionResolution } from "./selection.js";

/** A response in a consent round on a nominee, as for a proposal; an objection carries its reason. */
export type SelectionResponseInput =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; objectionId: ObjectionId; reason: string };

/** How someone resolves an objection: supersession is the process's own doing when another nominee is proposed. */
export type ResolutionInput = Exclude<SelectionResolution, { outcome: "superseded" }>;

/**
 * What someone asks of a selection. `deadline` is the deadline of the phase the command opens; `decide`
 * may come from no one (the system closing a round at its deadline).
 */
export type SelectionCommand =
  | {
      type: "agreeTerm";
      actor: Viewer;
      termDays: number;
      description?: string | null;
      deadline?: Date | null;
    }
  | { type: "agreeQualifications"; actor: Viewer; qualifications: readonly string[]; deadline?: Date | null }
  | { type: "nominate"; actor: Viewer; nomineeId: MemberId; reason: string }
  | { type: "revealNominations"; actor: Viewer; deadline?: Date | null }
  | { type: "closeChanges"; actor: Viewer }
  | { type: "propose"; actor: Viewer; nomineeId: MemberId; reasons: string; termDays: number }
  | { type: "openConsentRound"; actor: Viewer; deadline?: Date | null }
  | { type: "respond"; actor: Viewer; response: SelectionResponseInput }
  | { type: "resolveObjection"; actor: Viewer; objectionId: ObjectionId; resolution: ResolutionInput }
  | { type: "cancel"; actor: Viewer }
  | { type: "decide"; actor: Viewer | null };

export type SelectionCommandType = SelectionCommand["type"];

/**
 * `selection.nominated` carries a secret (who nominated whom, and why): the log shows it to its nominator
 * only; everyone learns the nominations from `selection.revealed`.
 */
export const SELECTION_EVENT_TYPES = [
  "selection.started",
  "selection.term_agreed",
  "selection.qualifications_agreed",
  "selection.nominated",
  "selection.revealed",
  "selection.nomination_changed",
  "selection.changes_closed",
  "selection.proposed",
  "selection.round_opened",
  "selection.responded",
  "selection.objection_raised",
  "selection.objection_resolved",
  "selection.round_closed",
  "selection.elected",
  "selection.cancelled",
] as const;
export type SelectionEventType = (typeof SELECTION_EVENT_TYPES)[number];

/** What happened, for the governance log: ids and the fields that changed, JSON-safe (times as ISO strings). */
export interface SelectionEvent {
  type: SelectionEventType;
  payload: Record<string, unknown>;
}
