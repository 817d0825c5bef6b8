import type { Viewer } from "../access.js";
import { conflict, forbidden, invalid, notFound } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { ProposalCommand, ProposalEvent, ProposalEventType, ResponseInput } from "./commands.js";
import { type Decision, describeDecision } from "./decision.js";
import type { ObjectionId, ProposalId } from "./ids.js";
import { assertAdvisers, notAdvised } from "./methods/advice.js";
import { consensusResponse } from "./methods/consensus.js";
import { assertVotingRules, castVote, mandateFor, NO_VOTES, type VotingMandate } from "./methods/vote.js";
import { checkResolution, type Objection } from "./objections.js";
import { roundVerdict } from "./outcome.js";
import { canPropose, type Request, refusal } from "./permissions.js";
import {
  advisersOf,
  type ConsensusRound,
  type ConsentResponse,
  type ConsentRound,
  currentRound,
  currentVersion,
  type DecisionMethod,
  type DecisionRound,
  type MandateGrant,
  type Proposal,
  REVIEW_MONTHS_MAX,
  requireText,
  type VersionKind,
  type VoteRound,
  votingMandate,
} from "./proposal.js";
import { assertQuorumRule, DEFAULT_QUORUM, type QuorumRule } from "./quorum.js";
import { assertDeadline, assertParticipants } from "./round.js";
import type { ProposalState } from "./states.js";

/** A proposal after a command, and what happened, for the governance log. */
export interface Transition {
  proposal: Proposal;
  events: ProposalEvent[];
}

export interface NewProposal {
  id: ProposalId;
  circleId: CircleId;
  author: Viewer;
  facilitatorIds: readonly MemberId[];
  title: string;
  text: string;
  quorum?: QuorumRule;
  /** Months from adoption to review; the organisation's default unless the author sets another. */
  reviewMonths: number;
  /** How it is decided (consent unless chosen otherwise); a vote names its class of decisions. */
  method?: MethodChoice;
  /** The circle's voting mandates, loaded by the caller: a vote needs one for its class of decisions. */
  mandates?: readonly VotingMandate[];
  grantsMandate?: MandateGrant | null;
  review?: Proposal["review"];
}

/** The method as the author chooses it; a vote's mandate is looked up from its class of decisions. */
export type MethodChoice =
  | { kind: "consent" }
  | { kind: "consensus" }
  | { kind: "advice"; advisers: readonly MemberId[] }
  | { kind: "vote"; decisionClass: string };

const iso = (date: Date | null) => date?.toISOString() ?? null;

const event = (
  type: ProposalEventType,
  proposal: Proposal,
  payload: Record<string, unknown>,
): ProposalEvent => ({
  type,
  payload: { proposalId: proposal.id, ...payload },
});

/** The chosen method, checked: advisers named properly, and a vote only under the circle's mandate for it. */
function decisionMethod(input: NewProposal): DecisionMethod {
  const choice = input.method ?? { kind: "consent" };
  switch (choice.kind) {
    case "consent":
    case "consensus":
      return { kind: choice.kind };
    case "advice":
      assertAdvisers(choice.advisers, input.author.memberId);
      return { kind: "advice", advisers: [...choice.advisers] };
    case "vote": {
      const mandate = mandateFor(choice.decisionClass, input.mandates ?? []);
      return { kind: "vote", decisionClass: mandate.decisionClass, mandate };
    }
  }
}

/** A voting mandate is granted only by consent, so a circle never votes itself the right to vote. */
function mandateGrant(grant: MandateGrant | null | undefined, method: DecisionMethod): MandateGrant | null {
  if (!grant) return null;
  if (method.kind !== "consent")
    throw invalid("Only a proposal decided by consent grants a voting mandate", { field: "grantsMandate" });
  assertVotingRules(grant);
  return {
    ...grant,
    decisionClass: requireText(grant.decisionClass, "grantsMandate.decisionClass", "A class of decisions"),
  };
}

/** The method as the log records it: the mandate itself is on the record of the decision that granted it. */
function methodPayload(method: DecisionMethod) {
  switch (method.kind) {
    case "consent":
    case "consensus":
      return { kind: method.kind };
    case "advice":
      return { kind: method.kind, advisers: method.advisers };
    case "vote":
      return { kind: method.kind, decisionClass: method.decisionClass };
  }
}

/** A new draft, written by someone who takes part in the circle. Only its author sees it move until presented. */
export function draftProposal(input: NewProposal, now: Date): Transition {
  if (!canPropose(input.author, input.circleId)) throw forbidden("make a proposal in this circle");
  const quorum = input.quorum ?? DEFAULT_QUORUM;
  assertQuorumRule(quorum);
  if (
    !Number.isInteger(input.reviewMonths) ||
    input.reviewMonths < 1 ||
    input.reviewMonths > REVIEW_MONTHS_MAX
  )
    throw invalid(`A decision is reviewed within 1 to ${REVIEW_MONTHS_MAX} months`, {
      field: "reviewMonths",
    });
  const method = decisionMethod(input);
  const proposal: Proposal = {
    id: input.id,
    circleId: input.circleId,
    authorId: input.author.memberId,
    facilitatorIds: input.facilitatorIds,
    method,
    review: input.review ?? null,
    grantsMandate: mandateGrant(input.grantsMandate, method),
    title: requireText(input.title, "title", "A title"),
    state: "draft",
    phase: { enteredAt: now, deadline: null },
    quorum,
    reviewMonths: input.reviewMonths,
    versions: [
      {
        number: 1,
        text: requireText(input.text, "text", "The text"),
        kind: "original",
        by: input.author.memberId,
        at: now,
      },
    ],
    questions: [],
    reactions: [],
    rounds: [],
    objections: [],
    advice: [],
    decision: null,
    createdAt: now,
  };
  return {
    proposal,
    events: [
      keptToAuthor(proposal)(
        event("proposal.created", proposal, {
          circleId: proposal.circleId,
          authorId: proposal.authorId,
          title: proposal.title,
          method: methodPayload(method),
          grantsMandate: proposal.grantsMandate,
          review: proposal.review,
          quorum,
          reviewMonths: proposal.reviewMonths,
        }),
      ),
    ],
  };
}

function objectionOf(proposal: Proposal, objectionId: ObjectionId): Objection {
  const objection = proposal.objections.find((o) => o.id === objectionId);
  if (!objection) throw notFound("Objection", objectionId);
  return objection;
}

/** The round a consent_round proposal is in; the state guarantees there is one. */
function runningRound(proposal: Proposal): DecisionRound {
  const round = currentRound(proposal);
  if (!round) throw new Error(`Proposal ${proposal.id} has no round`);
  return round;
}

const withRound = (proposal: Proposal, round: DecisionRound): Proposal => ({
  ...proposal,
  rounds: [...proposal.rounds.slice(0, -1), round],
});

function requestOf(proposal: Proposal, command: ProposalCommand): Request {
  if (command.type !== "resolveObjection") return command;
  const objection = objectionOf(proposal, command.objectionId);
  return { type: command.type, actor: command.actor, objection, outcome: command.resolution.outcome };
}

/**
 * Moves a proposal through its decision process: throws `invalid_transition` when the proposal's state
 * (or a deadline) does not allow the command, `forbidden` when the actor may not give it, and
 * `validation_failed` for bad input; it never changes the proposal it is given.
 */
export function transition(proposal: Proposal, command: ProposalCommand, now: Date): Transition {
  const refused = refusal(proposal, requestOf(proposal, command), now);
  if (refused) throw refused();
  const moved = apply(proposal, command, now);
  return proposal.state === "draft" ? { ...moved, events: moved.events.map(keptToAuthor(proposal)) } : moved;
}

/**
 * A draft is its author's own work until it is presented: what happens to it meanwhile (its creation,
 * the author's revisions, withdrawing it) is marked so that the log shows it to the author alone
 * (core/visibility.ts). Presenting it is the first public step, and says what it is.
 */
const keptToAuthor =
  (proposal: Proposal) =>
  (event: ProposalEvent): ProposalEvent =>
    event.type === "proposal.presented"
      ? event
      : { ...event, payload: { ...event.payload, draft: true, authorId: proposal.authorId } };

function apply(proposal: Proposal, command: ProposalCommand, now: Date): Transition {
  switch (command.type) {
    case "present": {
      // An advice proposal goes straight to its advisers; the deadline is then the deadline for advice.
      const deadline = assertDeadline(command.deadline, now);
      const presented = enter(
        proposal,
        proposal.method.kind === "advice" ? "advice" : "presented",
        now,
        deadline,
      );
      return {
        proposal: presented,
        events: [
          event("proposal.presented", presented, {
            circleId: presented.circleId,
            title: presented.title,
            version: currentVersion(presented).number,
            state: presented.state,
            deadline: iso(deadline),
          }),
        ],
      };
    }
    case "advance": {
      const deadline = assertDeadline(command.deadline, now);
      const to = NEXT_PHASE[proposal.state];
      if (!to) throw new Error(`No next phase after ${proposal.state}`);
      const advanced = enter(proposal, to, now, deadline);
      return {
        proposal: advanced,
        events: [event("proposal.advanced", advanced, { from: proposal.state, to, deadline: iso(deadline) })],
      };
    }
    case "askQuestion": {
      if (proposal.questions.some((q) => q.id === command.questionId))
        throw conflict("This question has already been asked", { questionId: command.questionId });
      const question = {
        id: command.questionId,
        askedBy: command.actor.memberId,
        text: requireText(command.text, "text", "A question"),
        askedAt: now,
        answer: null,
      };
      const asked = { ...proposal, questions: [...proposal.questions, question] };
      return {
        proposal: asked,
        events: [
          event("proposal.question_asked", asked, {
            questionId: question.id,
            askedBy: question.askedBy,
            text: question.text,
          }),
        ],
      };
    }
    case "answerQuestion": {
      const question = proposal.questions.find((q) => q.id === command.questionId);
      if (!question) throw notFound("Question", command.questionId);
      if (question.answer !== null)
        throw conflict("This question has been answered", { questionId: question.id });
      const answer = {
        by: command.actor.memberId,
        text: requireText(command.text, "text", "An answer"),
        at: now,
      };
      const answered = {
        ...proposal,
        questions: proposal.questions.map((q) => (q.id === question.id ? { ...q, answer } : q)),
      };
      return {
        proposal: answered,
        events: [
          event("proposal.question_answered", answered, { questionId: question.id, text: answer.text }),
        ],
      };
    }
    case "react": {
      const reaction = {
        memberId: command.actor.memberId,
        text: requireText(command.text, "text", "A reaction"),
        at: now,
      };
      const reacted = {
        ...proposal,
        reactions: [...proposal.reactions.filter((r) => r.memberId !== reaction.memberId), reaction],
      };
      return {
        proposal: reacted,
        events: [event("proposal.reacted", reacted, { memberId: reaction.memberId, text: reaction.text })],
      };
    }
    case "amend":
      return amend(proposal, command.actor, command.text, now);
    case "openConsentRound": {
      assertParticipants(command.participants);
      const deadline = assertDeadline(command.deadline, now);
      const round = openRound(proposal, command.participants, deadline, now);
      const opened = {
        ...enter(proposal, "consent_round", now, deadline),
        rounds: [...proposal.rounds, round],
      };
      return {
        proposal: opened,
        events: [
          event("proposal.round_opened", opened, {
            round: round.number,
            method: round.method,
            version: round.version,
            participants: round.eligible,
            deadline: iso(deadline),
          }),
        ],
      };
    }
    case "respond":
      return respond(proposal, command.actor, command.response, now);
    case "decide":
      return closeRound(proposal, now, []);
    case "resolveObjection": {
      const objection = objectionOf(proposal, command.objectionId);
      const resolution = checkResolution(proposal, objection, command.resolution);
      const resolved = {
        ...proposal,
        objections: proposal.objections.map((o) =>
          o.id === objection.id
            ? { ...o, resolution: { ...resolution, resolvedBy: command.actor.memberId, at: now } }
            : o,
        ),
      };
      return {
        proposal: resolved,
        events: [
          event("objection.resolved", resolved, {
            objectionId: objection.id,
            resolvedBy: command.actor.memberId,
            ...resolution,
          }),
        ],
      };
    }
    case "giveAdvice": {
      const advice = {
        adviserId: command.adviserId,
        text: requireText(command.text, "text", "Advice"),
        recordedBy: command.actor.memberId,
        at: now,
      };
      const advised = { ...proposal, advice: [...proposal.advice, advice] };
      return {
        proposal: advised,
        events: [
          event("proposal.advice_given", advised, {
            adviserId: advice.adviserId,
            recordedBy: advice.recordedBy,
            text: advice.text,
          }),
        ],
      };
    }
    case "decideAfterAdvice":
      return decideAfterAdvice(proposal, command.actor, command.outcome, command.rationale, now);
    case "withdraw": {
      const withdrawn = {
        ...enter(proposal, "withdrawn", now, null),
        rounds: proposal.rounds.map((r) => (r.closedAt === null ? { ...r, closedAt: now } : r)),
      };
      return {
        proposal: withdrawn,
        events: [
          event("proposal.withdrawn", withdrawn, { from: proposal.state, by: command.actor.memberId }),
        ],
      };
    }
  }
}

const NEXT_PHASE: Partial<Record<ProposalState, ProposalState>> = {
  presented: "clarifying",
  clarifying: "reactions",
  objections_open: "integrating",
};

const VERSION_KIND: Partial<Record<ProposalState, VersionKind>> = {
  draft: "revision",
  reactions: "friendly",
  integrating: "integration",
};

function enter(proposal: Proposal, state: ProposalState, now: Date, deadline: Date | null): Proposal {
  return { ...proposal, state, phase: { enteredAt: now, deadline } };
}

/** A new version of the text; the earlier ones are kept. */
function amend(proposal: Proposal, actor: Viewer, text: string, now: Date): Transition {
  const kind = VERSION_KIND[proposal.state];
  if (!kind) throw new Error(`No amendment while ${proposal.state}`);
  const amendedText = requireText(text, "text", "The text");
  const previous = currentVersion(proposal);
  if (amendedText === previous.text)
    throw invalid("The amendment leaves the text as it is", { field: "text" });
  const version = { number: previous.number + 1, text: amendedText, kind, by: actor.memberId, at: now };
  const amended = { ...proposal, versions: [...proposal.versions, version] };
  return {
    proposal: amended,
    events: [event("proposal.amended", amended, { version: version.number, kind, by: actor.memberId })],
  };
}

/** A fresh round of the proposal's method on its current version, with no responses yet. */
function openRound(
  proposal: Proposal,
  participants: readonly MemberId[],
  deadline: Date | null,
  now: Date,
): DecisionRound {
  const round = {
    number: proposal.rounds.length + 1,
    version: currentVersion(proposal).number,
    eligible: [...participants],
    openedAt: now,
    deadline,
    responses: [],
    closedAt: null,
  };
  switch (proposal.method.kind) {
    case "consent":
    case "consensus":
      return { method: proposal.method.kind, ...round };
    case "vote":
      return { method: "vote", ...round, counts: NO_VOTES };
    case "advice":
      throw new Error("An advice proposal holds no round");
  }
}

const wrongKind = (input: ResponseInput, round: DecisionRound) =>
  invalid(`A "${input.kind}" response has no place in a ${round.method} round`, { field: "kind" });

/**
 * Records a participant's response in the running round, by the rules of its method. The round closes
 * as soon as its verdict is in: everyone has responded, or (consensus) someone blocked.
 */
function respond(proposal: Proposal, actor: Viewer, input: ResponseInput, now: Date): Transition {
  const round = runningRound(proposal);
  const recorded =
    round.method === "consent"
      ? respondByConsent(proposal, round, actor.memberId, input, now)
      : round.method === "consensus"
        ? respondByConsensus(proposal, round, actor.memberId, input, now)
        : respondByVote(proposal, round, actor.memberId, input, now);
  return roundVerdict(recorded.proposal, now).outcome === "open"
    ? recorded
    : closeRound(recorded.proposal, now, recorded.events);
}

/**
 * A consent response. The member's latest response is the one that counts: an objection they raised
 * earlier in this round is withdrawn when they respond again.
 */
function respondByConsent(
  proposal: Proposal,
  round: ConsentRound,
  memberId: MemberId,
  input: ResponseInput,
  now: Date,
): Transition {
  const events: ProposalEvent[] = [];
  let response: ConsentResponse;
  let raised: Objection | null = null;
  switch (input.kind) {
    case "consent":
      response = { kind: "consent" };
      break;
    case "consent_with_concern":
      response = {
        kind: "consent_with_concern",
        concern: requireText(input.concern, "concern", "A concern"),
      };
      break;
    case "object": {
      if (proposal.objections.some((o) => o.id === input.objectionId))
        throw conflict("This objection has already been raised", { objectionId: input.objectionId });
      const suggestion = input.suggestedAmendment?.trim() ?? "";
      raised = {
        id: input.objectionId,
        round: round.number,
        version: round.version,
        memberId,
        reason: requireText(
          input.reason,
          "reason",
          "An objection's reason (how it would harm the circle's aim)",
        ),
        suggestedAmendment: suggestion === "" ? null : suggestion,
        raisedAt: now,
        resolution: null,
      };
      response = { kind: "object", objectionId: raised.id };
      break;
    }
    default:
      throw wrongKind(input, round);
  }
  events.push(
    event("proposal.responded", proposal, {
      round: round.number,
      version: round.version,
      memberId,
      response: response.kind,
      ...(response.kind === "consent_with_concern" ? { concern: response.concern } : {}),
    }),
  );
  const objections = proposal.objections.map((o) => {
    if (o.round !== round.number || o.memberId !== memberId || o.resolution !== null) return o;
    events.push(
      event("objection.resolved", proposal, {
        objectionId: o.id,
        outcome: "withdrawn",
        resolvedBy: memberId,
        changedResponse: true,
      }),
    );
    return { ...o, resolution: { outcome: "withdrawn" as const, resolvedBy: memberId, at: now } };
  });
  if (raised) {
    objections.push(raised);
    events.push(
      event("objection.raised", proposal, {
        objectionId: raised.id,
        round: raised.round,
        version: raised.version,
        memberId,
        reason: raised.reason,
        suggestedAmendment: raised.suggestedAmendment,
      }),
    );
  }
  const responses = [...round.responses, { memberId, response, at: now }];
  return { proposal: { ...withRound(proposal, { ...round, responses }), objections }, events };
}

/** A consensus response; the member's latest response is the one that counts. */
function respondByConsensus(
  proposal: Proposal,
  round: ConsensusRound,
  memberId: MemberId,
  input: ResponseInput,
  now: Date,
): Transition {
  if (input.kind !== "agree" && input.kind !== "stand_aside" && input.kind !== "block")
    throw wrongKind(input, round);
  const response = consensusResponse(input);
  const responses = [...round.responses, { memberId, response, at: now }];
  return {
    proposal: withRound(proposal, { ...round, responses }),
    events: [
      event("proposal.responded", proposal, {
        round: round.number,
        version: round.version,
        memberId,
        response: response.kind,
        ...(response.kind === "agree" ? {} : { reason: response.reason }),
      }),
    ],
  };
}

/** A vote, cast once. In a secret vote neither the round nor the log learns the choice, only that it was cast. */
function respondByVote(
  proposal: Proposal,
  round: VoteRound,
  memberId: MemberId,
  input: ResponseInput,
  now: Date,
): Transition {
  if (input.kind !== "vote") throw wrongKind(input, round);
  const { secret } = votingMandate(proposal);
  return {
    proposal: withRound(proposal, castVote(round, secret, memberId, input.choice, now)),
    events: [
      event("proposal.responded", proposal, {
        round: round.number,
        version: round.version,
        memberId,
        response: "vote",
        secret,
        ...(secret ? {} : { choice: input.choice }),
      }),
    ],
  };
}

/** Closes the running round with the outcome the rules give at `now`; on adoption the decision is made. */
function closeRound(proposal: Proposal, now: Date, events: ProposalEvent[]): Transition {
  const verdict = roundVerdict(proposal, now);
  if (verdict.outcome === "open") throw new Error("The round is still open");
  const round = { ...runningRound(proposal), closedAt: now };
  const closed = withRound(enter(proposal, verdict.outcome, now, null), round);
  const decision = verdict.outcome === "adopted" ? describeDecision(closed, now, { round }) : null;
  const decided = { ...closed, decision };
  return {
    proposal: decided,
    events: [
      ...events,
      event("proposal.round_closed", decided, {
        round: round.number,
        method: round.method,
        outcome: verdict.outcome,
        tally: verdict.tally,
      }),
      ...(decision ? [event("proposal.adopted", decided, { decision: decisionPayload(decision) })] : []),
    ],
  };
}

/**
 * The proposer's decision once the advisers are heard (or the deadline for advice passed): proceeding
 * adopts the proposal with the advice on its record; abandoning withdraws it.
 */
function decideAfterAdvice(
  proposal: Proposal,
  actor: Viewer,
  outcome: "proceed" | "abandon",
  rationale: string,
  now: Date,
): Transition {
  const reasoning = requireText(rationale, "rationale", "The reasoning of the decision");
  const decided = event("proposal.advice_decided", proposal, {
    outcome,
    rationale: reasoning,
    notAdvised: notAdvised(advisersOf(proposal), proposal.advice),
  });
  if (outcome === "abandon") {
    const withdrawn = enter(proposal, "withdrawn", now, null);
    return {
      proposal: withdrawn,
      events: [decided, event("proposal.withdrawn", withdrawn, { from: proposal.state, by: actor.memberId })],
    };
  }
  const adopted = enter(proposal, "adopted", now, null);
  const decision = describeDecision(adopted, now, { rationale: reasoning });
  return {
    proposal: { ...adopted, decision },
    events: [decided, event("proposal.adopted", adopted, { decision: decisionPayload(decision) })],
  };
}

const decisionPayload = (decision: Decision) => ({
  ...decision,
  adoptedAt: iso(decision.adoptedAt),
  reviewAt: iso(decision.reviewAt),
  advice: decision.advice && {
    ...decision.advice,
    given: decision.advice.given.map((advice) => ({ ...advice, at: iso(advice.at) })),
  },
});
