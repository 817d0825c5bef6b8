import type { ObjectionId } from "../consent/ids.js";
import type { ConsentResponse, Phase } from "../consent/proposal.js";
import type { QuorumRule } from "../consent/quorum.js";
import type { Round } from "../consent/round.js";
import { invalid } from "../errors.js";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import type { SelectionId } from "./ids.js";
import type { SelectionState } from "./states.js";

/** Leadership comes back to the group: a term lasts from one day to five years. */
export const TERM_DAYS_MAX = 5 * 366;

const DAY_MS = 86_400_000;

/** The role's description and term as the circle consented to them in the describing step. */
export interface SelectionTerm {
  days: number;
  description: string | null;
}

/**
 * One member's nomination of one eligible person (themselves allowed), with a reason. Those given in the
 * nominating round stay hidden until it closes; changes made after the reveal are open to all.
 */
export interface Nomination {
  nominatorId: MemberId;
  nomineeId: MemberId;
  reason: string;
  at: Date;
  round: "nominating" | "changing";
}

/** The facilitator's proposal of a nominee. Every proposal is kept; the last one is in play. */
export interface NomineeProposal {
  number: number;
  nomineeId: MemberId;
  reasons: string;
  termDays: number;
  proposedBy: MemberId;
  at: Date;
}

/** A consent round on one proposal of a nominee, for the term in force when it opened. */
export interface SelectionRound extends Round<ConsentResponse> {
  number: number;
  proposal: number;
  nomineeId: MemberId;
  termDays: number;
  closedAt: Date | null;
}

/**
 * How an objection to a nominee is resolved: integrated by a shorter term, withdrawn by its author, or
 * superseded when the facilitator proposes another nominee instead.
 */
export type SelectionResolution =
  | { outcome: "integrated"; by: "shorter_term"; termDays: number }
  | { outcome: "withdrawn" }
  | { outcome: "superseded" };

/** An objection raised in a consent round on a nominee; it lives on its own and is never deleted. */
export interface SelectionObjection {
  id: ObjectionId;
  proposal: number;
  round: number;
  memberId: MemberId;
  reason: string;
  raisedAt: Date;
  resolution: (SelectionResolution & { resolvedBy: MemberId; at: Date }) | null;
}

/** The result of an election: who holds the role, from when until when. */
export interface SelectionOutcome {
  memberId: MemberId;
  termDays: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * A sociocratic selection of a role holder, as plain data: the use-case loads it, `transition` moves
 * it, the use-case persists the result and logs the events.
 */
export interface Selection {
  id: SelectionId;
  roleId: RoleId;
  circleId: CircleId;
  startedBy: MemberId;
  /**
   * Who holds the circle's facilitator role now. Not part of the selection's record: the loader fills it
   * each time, so a new facilitator takes over a running selection.
   */
  facilitatorIds: readonly MemberId[];
  /** Who may nominate, be nominated and respond: fixed when the selection starts (circle members and double links). */
  participants: readonly MemberId[];
  state: SelectionState;
  phase: Phase;
  quorum: QuorumRule;
  term: SelectionTerm;
  qualifications: readonly string[];
  nominations: readonly Nomination[];
  revealedAt: Date | null;
  proposals: readonly NomineeProposal[];
  rounds: readonly SelectionRound[];
  objections: readonly SelectionObjection[];
  outcome: SelectionOutcome | null;
  createdAt: Date;
}

/** Checks a term given in days: a whole number from 1 to `max`. */
export function assertTermDays(termDays: number, field: string, max = TERM_DAYS_MAX) {
  if (!Number.isInteger(termDays) || termDays < 1 || termDays > max)
    throw invalid(`A term is a whole number of days from 1 to ${max}`, { field, max });
}

/** The proposal in play, if the facilitator has made one. */
export const currentProposal = (selection: Selection): NomineeProposal | null =>
  selection.proposals.at(-1) ?? null;

/** The latest consent round, if one has been opened. */
export const currentRound = (selection: Selection): SelectionRound | null => selection.rounds.at(-1) ?? null;

export const openObjections = (selection: Pick<Selection, "objections">) =>
  selection.objections.filter((objection) => objection.resolution === null);

/** The term of the proposal in play, shortened by any objection to it integrated by a shorter term. */
export function termInForce(selection: Selection): number | null {
  const proposal = currentProposal(selection);
  if (!proposal) return null;
  let days = proposal.termDays;
  for (const objection of selection.objections) {
    const resolution = objection.resolution;
    if (
      objection.proposal === proposal.number &&
      resolution?.outcome === "integrated" &&
      resolution.by === "shorter_term"
    )
      days = Math.min(days, resolution.termDays);
  }
  return days;
}

/** The term an election starts at `startsAt`: whole days of 24 hours. */
export const electedFor = (memberId: MemberId, termDays: number, startsAt: Date): SelectionOutcome => ({
  memberId,
  termDays,
  startsAt,
  endsAt: new Date(startsAt.getTime() + termDays * DAY_MS),
});
