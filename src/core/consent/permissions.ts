import { canWrite, takesPartIn, type Viewer } from "../access.js";
import { conflict, invalid } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import { invalidTransition, notAllowed, type Refusal } from "../refusal.js";
import type { ProposalCommandType } from "./commands.js";
import { adviceComplete, mayRecordAdvice, notAdvised } from "./methods/advice.js";
import { hasVoted } from "./methods/vote.js";
import type { Objection, Resolution } from "./objections.js";
import { openObjections } from "./objections.js";
import { roundVerdict } from "./outcome.js";
import type { Proposal } from "./proposal.js";
import { advisersOf, currentRound } from "./proposal.js";
import { pastDeadline } from "./round.js";
import { isFinal, PROPOSAL_STATES, type ProposalState } from "./states.js";

/** The states in which each command is accepted; anything else is an invalid transition. */
const ACCEPTED_IN: Readonly<Record<ProposalCommandType, readonly ProposalState[]>> = {
  present: ["draft"],
  advance: ["presented", "clarifying", "objections_open"],
  askQuestion: ["clarifying"],
  answerQuestion: ["clarifying"],
  react: ["reactions"],
  amend: ["draft", "reactions", "integrating"],
  openConsentRound: ["reactions", "integrating"],
  respond: ["consent_round"],
  resolveObjection: ["objections_open", "integrating"],
  giveAdvice: ["advice"],
  decideAfterAdvice: ["advice"],
  withdraw: PROPOSAL_STATES.filter((state) => !isFinal(state)),
  decide: ["consent_round"],
};

const STATE_WORDS: Readonly<Record<ProposalState, string>> = {
  draft: "a draft",
  presented: "being presented",
  clarifying: "in clarifying questions",
  reactions: "in reactions",
  consent_round: "in its decision round",
  objections_open: "waiting with open objections",
  integrating: "integrating objections",
  advice: "with its advisers",
  adopted: "adopted",
  withdrawn: "withdrawn",
  lapsed: "lapsed",
  blocked: "blocked",
  rejected: "rejected",
};

const COMMAND_WORDS: Readonly<Record<ProposalCommandType, string>> = {
  present: "present the proposal",
  advance: "move the proposal to its next phase",
  askQuestion: "ask a clarifying question",
  answerQuestion: "answer a clarifying question",
  react: "react to the proposal",
  amend: "amend the proposal",
  openConsentRound: "open the decision round",
  respond: "respond to the proposal",
  resolveObjection: "resolve an objection",
  giveAdvice: "give advice on the proposal",
  decideAfterAdvice: "decide after advice",
  withdraw: "withdraw the proposal",
  decide: "close the decision round",
};

/** Proposing is for those who take part in the circle (members, and leaders or delegates of its child circles). */
export const canPropose = (viewer: Viewer, circleId: CircleId) => takesPartIn(viewer, circleId);

const isAuthor = (viewer: Viewer, proposal: Proposal) =>
  canWrite(viewer) && viewer.memberId === proposal.authorId;

/** The facilitator moves a proposal between phases; where the circle has no facilitator, its author does. */
function movesPhases(viewer: Viewer, proposal: Proposal): boolean {
  if (!canWrite(viewer)) return false;
  return proposal.facilitatorIds.length > 0
    ? proposal.facilitatorIds.includes(viewer.memberId)
    : viewer.memberId === proposal.authorId;
}

/**
 * What is being asked, with what the answer depends on: for an objection, which one and how it is
 * resolved; for advice, whose it is.
 */
export type Request =
  | { type: Exclude<ProposalCommandType, "decide" | "resolveObjection" | "giveAdvice">; actor: Viewer }
  | { type: "decide"; actor: Viewer | null }
  | { type: "giveAdvice"; actor: Viewer; adviserId: MemberId }
  | { type: "resolveObjection"; actor: Viewer; objection: Objection; outcome: Resolution["outcome"] };

/**
 * Why a request may not be made now, or null when it may: the proposal's state, then who asks, then
 * time (deadlines) and the process's own conditions. The one place these rules live: `transition`
 * enforces them and `permissionsFor` reports them.
 */
export function refusal(proposal: Proposal, request: Request, now: Date): Refusal | null {
  const { state } = proposal;
  const details = { state, command: request.type };
  if (!ACCEPTED_IN[request.type].includes(state))
    return invalidTransition(
      `Cannot ${COMMAND_WORDS[request.type]} while it is ${STATE_WORDS[state]}`,
      details,
    );
  const round = currentRound(proposal);
  switch (request.type) {
    case "present":
      if (!isAuthor(request.actor, proposal) && !movesPhases(request.actor, proposal))
        return notAllowed(COMMAND_WORDS.present);
      return null;
    case "advance":
    case "openConsentRound":
      if (!movesPhases(request.actor, proposal)) return notAllowed(COMMAND_WORDS[request.type]);
      if (request.type === "openConsentRound" && openObjections(proposal).length > 0)
        return invalidTransition("Resolve every open objection before a fresh consent round", details);
      return null;
    case "askQuestion":
    case "react":
      // Questions and reactions are comments: anyone in the organisation, observers included, may give them.
      if (pastDeadline(proposal.phase.deadline, now))
        return invalidTransition(`This phase closed at its deadline`, details);
      return null;
    case "answerQuestion":
      return isAuthor(request.actor, proposal) ? null : notAllowed(COMMAND_WORDS.answerQuestion);
    case "amend": {
      const allowed =
        state === "draft" ? isAuthor(request.actor, proposal) : movesPhases(request.actor, proposal);
      return allowed ? null : notAllowed(COMMAND_WORDS.amend);
    }
    case "respond":
      if (!round || round.closedAt !== null || pastDeadline(round.deadline, now))
        return invalidTransition("The round has closed", details);
      if (!canWrite(request.actor) || !round.eligible.includes(request.actor.memberId))
        return notAllowed(COMMAND_WORDS.respond);
      // A vote is cast once: changing it would let a member vote again after seeing how others did.
      if (round.method === "vote" && hasVoted(round, request.actor.memberId))
        return () => conflict("You have already voted", { round: round.number });
      return null;
    case "decide":
      if (request.actor !== null && !canWrite(request.actor)) return notAllowed(COMMAND_WORDS.decide);
      if (roundVerdict(proposal, now).outcome === "open")
        return invalidTransition(
          "The round stays open until everyone has responded or its deadline passes",
          details,
        );
      return null;
    case "giveAdvice": {
      if (!mayRecordAdvice(request.actor, proposal.authorId, request.adviserId))
        return notAllowed("record advice for someone else");
      if (!advisersOf(proposal).includes(request.adviserId))
        // Someone not asked may not advise (403); the author naming someone not asked is a bad request (400).
        return request.adviserId === request.actor.memberId
          ? notAllowed("give advice on a proposal that did not ask you")
          : () => invalid("Advice is recorded from the named advisers", { field: "adviserId" });
      return null;
    }
    case "decideAfterAdvice": {
      if (!isAuthor(request.actor, proposal)) return notAllowed(COMMAND_WORDS.decideAfterAdvice);
      const advisers = advisersOf(proposal);
      if (!adviceComplete(advisers, proposal.advice, proposal.phase.deadline, now))
        return invalidTransition(
          "Every adviser is heard before the decision, unless the deadline has passed",
          {
            ...details,
            waitingFor: notAdvised(advisers, proposal.advice),
          },
        );
      return null;
    }
    case "resolveObjection":
      if (request.objection.resolution !== null)
        return invalidTransition("This objection has already been resolved", {
          ...details,
          objectionId: request.objection.id,
        });
      if (request.outcome === "withdrawn")
        return canWrite(request.actor) && request.actor.memberId === request.objection.memberId
          ? null
          : notAllowed("withdraw someone else's objection");
      if (!movesPhases(request.actor, proposal)) return notAllowed(COMMAND_WORDS.resolveObjection);
      if (state !== "integrating")
        return invalidTransition(
          "Objections are integrated or overruled once integration has begun",
          details,
        );
      return null;
    case "withdraw":
      return isAuthor(request.actor, proposal) || movesPhases(request.actor, proposal)
        ? null
        : notAllowed(COMMAND_WORDS.withdraw);
  }
}

const allowed = (proposal: Proposal, request: Request, now: Date) => refusal(proposal, request, now) === null;

/** Whether the viewer may respond in the running round now: a participant of it, never an observer. */
export const canRespond = (viewer: Viewer, proposal: Proposal, now: Date) =>
  allowed(proposal, { type: "respond", actor: viewer }, now);

/** Whether the viewer may move the proposal on to its next phase now (present it, advance it, open a round). */
export const canAdvance = (viewer: Viewer, proposal: Proposal, now: Date) =>
  (["present", "advance", "openConsentRound"] as const).some((type) =>
    allowed(proposal, { type, actor: viewer }, now),
  );

/** What a viewer may do with one objection. */
export function objectionPermissions(viewer: Viewer, proposal: Proposal, objection: Objection, now: Date) {
  const may = (outcome: Resolution["outcome"]) =>
    allowed(proposal, { type: "resolveObjection", actor: viewer, objection, outcome }, now);
  return { withdraw: may("withdrawn"), integrate: may("integrated"), overrule: may("overruled") };
}

/** The `can` object of a proposal for one viewer. */
export function permissionsFor(viewer: Viewer, proposal: Proposal, now: Date) {
  const may = (type: Exclude<ProposalCommandType, "resolveObjection" | "giveAdvice">) =>
    allowed(proposal, { type, actor: viewer }, now);
  return {
    present: may("present"),
    advance: may("advance"),
    askQuestion: may("askQuestion"),
    answerQuestion: may("answerQuestion"),
    react: may("react"),
    amend: may("amend"),
    openConsentRound: may("openConsentRound"),
    respond: may("respond"),
    decide: may("decide"),
    resolveObjections: openObjections(proposal).some(
      (objection) => objectionPermissions(viewer, proposal, objection, now).integrate,
    ),
    giveAdvice: advisersOf(proposal).some((adviserId) =>
      allowed(proposal, { type: "giveAdvice", actor: viewer, adviserId }, now),
    ),
    decideAfterAdvice: may("decideAfterAdvice"),
    withdraw: may("withdraw"),
  };
}
