import { invalid } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { Decision } from "./decision.js";
import type { ObjectionId, ProposalId, QuestionId } from "./ids.js";
import type { Advice } from "./methods/advice.js";
import type { ConsensusResponse } from "./methods/consensus.js";
import type { VoteChoice, VotingMandate } from "./methods/vote.js";
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

/**
 * How a proposal is decided, chosen when it is drafted. Consent is the default; consensus needs
 * everyone's agreement or standing aside; in the advice process the proposer decides after hearing
 * named advisers; a vote is open to a circle only for a class of decisions it has consented to vote on.
 */
export type DecisionMethod =
  | { kind: "consent" }
  | { kind: "consensus" }
  | { kind: "advice"; advisers: readonly MemberId[] }
  | { kind: "vote"; decisionClass: string; mandate: VotingMandate };
export type DecisionMethodKind = DecisionMethod["kind"];

/** A voting mandate as a proposal asks for it; the proposal that grants it is named once it is adopted. */
export type MandateGrant = Omit<VotingMandate, "consentedIn">;

/**
 * A round of a proposal on one version of its text. Responses belong to the round (and so the version)
 * they were given in.
 */
interface ProposalRound<M extends DecisionMethodKind, R> extends Round<R> {
  method: M;
  number: number;
  version: number;
  closedAt: Date | null;
}

export interface ConsentRound extends ProposalRound<"consent", ConsentResponse> {}
export interface ConsensusRound extends ProposalRound<"consensus", ConsensusResponse> {}

/** A member's vote as the round keeps it: a secret ballot records that the member voted, never what. */
export type Ballot = { kind: "ballot"; choice: VoteChoice } | { kind: "secret_ballot" };

/** A vote, one ballot per member; `counts` add up the choices, secret or not. */
export interface VoteRound extends ProposalRound<"vote", Ballot> {
  counts: Readonly<Record<VoteChoice, number>>;
}

export type DecisionRound = ConsentRound | ConsensusRound | VoteRound;

/** When the current state began and until when it runs (a consent round's deadline is also its round's). */
export interface Phase {
  enteredAt: Date;
  deadline: Date | null;
}

/**
 * A proposal, as plain data: the use-case loads it, `transition` moves it, the use-case persists the
 * result and logs the events.
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
  method: DecisionMethod;
  /** The decision under review and what this proposal means to do with it, when it reviews an earlier one. */
  review: { of: ProposalId; intent: "keep" | "amend" | "retire" } | null;
  /** A consent proposal that, once adopted, lets the circle decide one class of decisions by vote. */
  grantsMandate: MandateGrant | null;
  title: string;
  state: ProposalState;
  phase: Phase;
  quorum: QuorumRule;
  /** Months from adoption to review, unless an objection was integrated by shortening the term. */
  reviewMonths: number;
  versions: readonly Version[];
  questions: readonly Question[];
  reactions: readonly Reaction[];
  rounds: readonly DecisionRound[];
  objections: readonly Objection[];
  /** Advice given to the proposer (advice method only; empty otherwise). */
  advice: readonly Advice[];
  decision: Decision | null;
  createdAt: Date;
}

export const REVIEW_MONTHS_MAX = 60;

export function currentVersion(proposal: Proposal): Version {
  const version = proposal.versions.at(-1);
  if (!version) throw new Error(`Proposal ${proposal.id} has no text`);
  return version;
}

/** The latest round, if one has been opened. */
export const currentRound = (proposal: Proposal): DecisionRound | null => proposal.rounds.at(-1) ?? null;

/** The advisers an advice proposal names; other methods have none. */
export const advisersOf = (proposal: Proposal): readonly MemberId[] =>
  proposal.method.kind === "advice" ? proposal.method.advisers : [];

/** The mandate a vote proposal is decided under; only a vote proposal holds vote rounds. */
export function votingMandate(proposal: Proposal): VotingMandate {
  if (proposal.method.kind !== "vote") throw new Error(`Proposal ${proposal.id} is not decided by vote`);
  return proposal.method.mandate;
}

/** Free text the process needs (a reason, a concern, an answer): trimmed, and not blank. */
export function requireText(value: string, field: string, what: string): string {
  const text = value.trim();
  if (text === "") throw invalid(`${what} cannot be blank`, { field });
  return text;
}
