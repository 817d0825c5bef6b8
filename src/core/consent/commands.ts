import type { Viewer } from "../access.js";
import type { MemberId } from "../ids.js";
import type { ObjectionId, QuestionId } from "./ids.js";
import type { VoteChoice } from "./methods/vote.js";
import type { Resolution } from "./objections.js";

/**
 * A response as a participant gives it, of the kinds of the running round's method. In a consent round
 * an objection carries its reason and, if they have one, an amendment; in a consensus round a block
 * carries its reason; in a vote, the choice.
 */
export type ResponseInput =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; objectionId: ObjectionId; reason: string; suggestedAmendment?: string | null }
  | { kind: "agree" }
  | { kind: "stand_aside"; reason?: string | null }
  | { kind: "block"; reason: string }
  | { kind: "vote"; choice: VoteChoice };

/**
 * What someone asks of a proposal. Ids of new records come in with the command; `decide` may come from
 * no one (the system closing a round at its deadline), since its result does not depend on who asks.
 */
export type ProposalCommand =
  | { type: "present"; actor: Viewer; deadline?: Date | null }
  | { type: "advance"; actor: Viewer; deadline?: Date | null }
  | { type: "askQuestion"; actor: Viewer; questionId: QuestionId; text: string }
  | { type: "answerQuestion"; actor: Viewer; questionId: QuestionId; text: string }
  | { type: "react"; actor: Viewer; text: string }
  | { type: "amend"; actor: Viewer; text: string }
  | { type: "openConsentRound"; actor: Viewer; participants: readonly MemberId[]; deadline?: Date | null }
  | { type: "respond"; actor: Viewer; response: ResponseInput }
  | { type: "resolveObjection"; actor: Viewer; objectionId: ObjectionId; resolution: Resolution }
  | { type: "giveAdvice"; actor: Viewer; adviserId: MemberId; text: string }
  | { type: "decideAfterAdvice"; actor: Viewer; outcome: "proceed" | "abandon"; rationale: string }
  | { type: "withdraw"; actor: Viewer }
  | { type: "decide"; actor: Viewer | null };

export type ProposalCommandType = ProposalCommand["type"];

export const PROPOSAL_EVENT_TYPES = [
  "proposal.created",
  "proposal.presented",
  "proposal.advanced",
  "proposal.question_asked",
  "proposal.question_answered",
  "proposal.reacted",
  "proposal.amended",
  "proposal.round_opened",
  "proposal.responded",
  "proposal.round_closed",
  "proposal.adopted",
  "proposal.withdrawn",
  "proposal.advice_given",
  "proposal.advice_decided",
  "objection.raised",
  "objection.resolved",
] as const;
export type ProposalEventType = (typeof PROPOSAL_EVENT_TYPES)[number];

/** What happened, for the governance log: ids and the fields that changed, JSON-safe (times as ISO strings). */
export interface ProposalEvent {
  type: ProposalEventType;
  payload: Record<string, unknown>;
}
