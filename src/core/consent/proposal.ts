import { invalid } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { Decision } from "./decision.js";
import type { ObjectionId, ProposalId, QuestionId } from "./ids.js";
import type { Objection } from "./objections.js";
import type { QuorumRule } from "./quorum.js";
import type { Round } from "./round.js";
import type { ProposalState } from "./states.js";

/**
 * How a version came about: the original text, the author's revision of a draft, a friendly amendment
 * adopted during reactions, or an amendment that integrates objections.
 */
export type VersionKind = "original" | "revision" | "friendly" | "integration";

/** One version of the proposal's text. Every version is kept; the last one is the text in play. */
export interface Version {
  number: number;
  text: string;
  kind: VersionKind;
  by: MemberId;
  at: Date;
}

/** A clarifying question: to understand the proposal, not to give an opinion. The author answers. */
export interface Question {
  id: QuestionId;
  askedBy: MemberId;
  text: string;
  askedAt: Date;
  answer: { by: MemberId; text: string; at: Date } | null;
}

/** A member's short reaction before the consent round; a member's later reaction replaces their earlier one. */
export interface Reaction {
  memberId: MemberId;
  text: string;
  at: Date;
}

/**
 * A response in a consent round. Consent with a concern still consents and records the concern for the
 * review; an objection is a record of its own (see objections.ts) that the response points to.
 */
export type ConsentResponse =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; objectionId: ObjectionId };

export type ConsentResponseKind = ConsentResponse["kind"];

/** A consent round on one version of the text. Responses belong to the round (and so the version) they were given in. */
export interface ConsentRound extends Round<ConsentResponse> {
  number: number;
  version: number;
  closedAt: Date | null;
}

/** When the current state began and until when it runs (a consent round's deadline is also its round's). */
export interface Phase {
  enteredAt: Date;
  deadline: Date | null;
}

/**
 * A proposal decided by consent, as plain data: the use-case loads it, `transition` moves it, the
 * use-case persists the result and logs the events.
 */
export interface Proposal {
  id: ProposalId;
  circleId: CircleId;
  authorId: MemberId;
  /**
   * Who holds the circle's facilitator role now. Not part of the proposal's record: the loader fills it
   * each time, so a new facilitator takes over a running proposal.
   */
  facilitatorIds: readonly MemberId[];
  /** The decision under review, when this proposal reviews an earlier one. */
  reviewOf: ProposalId | null;
  title: string;
  state: ProposalState;
  phase: Phase;
  quorum: QuorumRule;
  /** Months from adoption to review, unless an objection was integrated by shortening the term. */
  reviewMonths: number;
  versions: readonly Version[];
  questions: readonly Question[];
  reactions: readonly Reaction[];
  rounds: readonly ConsentRound[];
  objections: readonly Objection[];
  decision: Decision | null;
  createdAt: Date;
}

export const REVIEW_MONTHS_MAX = 60;

export function currentVersion(proposal: Proposal): Version {
  const version = proposal.versions.at(-1);
  if (!version) throw new Error(`Proposal ${proposal.id} has no text`);
  return version;
}

/** The latest consent round, if one has been opened. */
export const currentRound = (proposal: Proposal): ConsentRound | null => proposal.rounds.at(-1) ?? null;

/** Free text the process needs (a reason, a concern, an answer): trimmed, and not blank. */
export function requireText(value: string, field: string, what: string): string {
  const text = value.trim();
  if (text === "") throw invalid(`${what} cannot be blank`, { field });
  return text;
}
