import { canWrite, type Viewer } from "../access.js";
import { latestResponses, pastDeadline, readyToClose } from "../consent/round.js";
import { invalidTransition, notAllowed, type Refusal } from "../refusal.js";
import type { ResolutionInput, SelectionCommandType } from "./commands.js";
import {
  currentProposal,
  currentRound,
  openObjections,
  type Selection,
  type SelectionObjection,
  type SelectionRound,
} from "./selection.js";
import { isFinal, SELECTION_STATES, type SelectionState } from "./states.js";

/** The states in which each command is accepted; anything else is an invalid transition. */
const ACCEPTED_IN: Readonly<Record<SelectionCommandType, readonly SelectionState[]>> = {
  agreeTerm: ["describing"],
  agreeQualifications: ["qualifying"],
  nominate: ["nominating", "changing"],
  revealNominations: ["nominating"],
  closeChanges: ["changing"],
  propose: ["proposing", "consent_round", "integrating"],
  openConsentRound: ["proposing", "integrating"],
  respond: ["consent_round"],
  resolveObjection: ["integrating"],
  cancel: SELECTION_STATES.filter((state) => !isFinal(state)),
  decide: ["consent_round"],
};

const STATE_WORDS: Readonly<Record<SelectionState, string>> = {
  describing: "describing the role",
  qualifying: "naming qualifications",
  nominating: "taking nominations",
  changing: "taking changes of nomination",
  proposing: "waiting for a nominee to be proposed",
  consent_round: "in a consent round",
  integrating: "integrating objections",
  elected: "elected",
  cancelled: "cancelled",
};

const COMMAND_WORDS: Readonly<Record<SelectionCommandType, string>> = {
  agreeTerm: "record the term consented to",
  agreeQualifications: "record the qualifications consented to",
  nominate: "nominate someone",
  revealNominations: "close the nominations and reveal them",
  closeChanges: "close the change round",
  propose: "propose a nominee",
  openConsentRound: "open a consent round",
  respond: "respond to the nominee",
  resolveObjection: "resolve an objection",
  cancel: "cancel the selection",
  decide: "close the consent round",
};

/** The facilitator moves a selection between phases; where the circle has no facilitator, whoever started it does. */
function movesPhases(viewer: Viewer, selection: Selection): boolean {
  if (!canWrite(viewer)) return false;
  return selection.facilitatorIds.length > 0
    ? selection.facilitatorIds.includes(viewer.memberId)
    : viewer.memberId === selection.startedBy;
}

/** Nominating and responding are for the participants fixed at the start; observers never take part. */
const isParticipant = (viewer: Viewer, selection: Selection) =>
  canWrite(viewer) && selection.participants.includes(viewer.memberId);

/** The nominee answers last: once every other participant has responded, or the round's deadline has passed. */
function nomineeMayAnswer(round: SelectionRound, now: Date): boolean {
  const latest = latestResponses(round);
  const othersDone = round.eligible.every((memberId) => memberId === round.nomineeId || latest.has(memberId));
  return othersDone || pastDeadline(round.deadline, now);
}

/** What is being asked, with what the answer depends on: for an objection, which one and how it is resolved. */
export type Request =
  | { type: Exclude<SelectionCommandType, "decide" | "resolveObjection">; actor: Viewer }
  | { type: "decide"; actor: Viewer | null }
  | {
      type: "resolveObjection";
      actor: Viewer;
      objection: SelectionObjection;
      outcome: ResolutionInput["outcome"];
    };

/**
 * Why a request may not be made now, or null when it may: the selection's state, then who asks, then
 * time (deadlines) and the process's own conditions. The one place these rules live: `transition`
 * enforces them and `permissionsFor` reports them.
 */
export function refusal(selection: Selection, request: Request, now: Date): Refusal | null {
  const { state } = selection;
  const details = { state, command: request.type };
  if (!ACCEPTED_IN[request.type].includes(state))
    return invalidTransition(
      `Cannot ${COMMAND_WORDS[request.type]} while the selection is ${STATE_WORDS[state]}`,
      details,
    );
  switch (request.type) {
    case "agreeTerm":
    case "agreeQualifications":
    case "closeChanges":
    case "propose":
    case "cancel":
      return movesPhases(request.actor, selection) ? null : notAllowed(COMMAND_WORDS[request.type]);
    case "revealNominations":
      if (!movesPhases(request.actor, selection)) return notAllowed(COMMAND_WORDS.revealNominations);
      if (selection.nominations.length === 0)
        return invalidTransition("Nobody has nominated anyone yet", details);
      return null;
    case "openConsentRound":
      if (!movesPhases(request.actor, selection)) return notAllowed(COMMAND_WORDS.openConsentRound);
      if (!currentProposal(selection)) return invalidTransition("Propose a nominee first", details);
      if (openObjections(selection).length > 0)
        return invalidTransition("Resolve every open objection before a fresh consent round", details);
      return null;
    case "nominate":
      if (!isParticipant(request.actor, selection)) return notAllowed(COMMAND_WORDS.nominate);
      if (pastDeadline(selection.phase.deadline, now))
        return invalidTransition("This phase closed at its deadline", details);
      if (
        state === "changing" &&
        !selection.nominations.some((n) => n.nominatorId === request.actor.memberId)
      )
        return invalidTransition("Only a member who nominated someone may change their nomination", details);
      return null;
    case "respond": {
      const round = currentRound(selection);
      if (!round || round.closedAt !== null)
        return invalidTransition("The consent round has closed", details);
      if (!canWrite(request.actor) || !round.eligible.includes(request.actor.memberId))
        return notAllowed(COMMAND_WORDS.respond);
      if (request.actor.memberId === round.nomineeId)
        return nomineeMayAnswer(round, now)
          ? null
          : invalidTransition("The nominee answers last, once everyone else has responded", details);
      if (pastDeadline(round.deadline, now))
        return invalidTransition("The consent round has closed", details);
      return null;
    }
    case "decide": {
      if (request.actor !== null && !canWrite(request.actor)) return notAllowed(COMMAND_WORDS.decide);
      const round = currentRound(selection);
      if (!round || !readyToClose(round, now))
        return invalidTransition(
          "The consent round stays open until everyone has responded or its deadline passes",
          details,
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
      return movesPhases(request.actor, selection) ? null : notAllowed(COMMAND_WORDS.resolveObjection);
  }
}

const allowed = (selection: Selection, request: Request, now: Date) =>
  refusal(selection, request, now) === null;

/** What a viewer may do with one objection. */
export function objectionPermissions(
  viewer: Viewer,
  selection: Selection,
  objection: SelectionObjection,
  now: Date,
) {
  const may = (outcome: ResolutionInput["outcome"]) =>
    allowed(selection, { type: "resolveObjection", actor: viewer, objection, outcome }, now);
  return { withdraw: may("withdrawn"), integrate: may("integrated") };
}

/** The `can` object of a selection for one viewer. */
export function permissionsFor(viewer: Viewer, selection: Selection, now: Date) {
  const may = (type: Exclude<SelectionCommandType, "resolveObjection">) =>
    allowed(selection, { type, actor: viewer }, now);
  return {
    agreeTerm: may("agreeTerm"),
    agreeQualifications: may("agreeQualifications"),
    nominate: may("nominate"),
    revealNominations: may("revealNominations"),
    closeChanges: may("closeChanges"),
    propose: may("propose"),
    openConsentRound: may("openConsentRound"),
    respond: may("respond"),
    decide: may("decide"),
    resolveObjections: openObjections(selection).some(
      (objection) => objectionPermissions(viewer, selection, objection, now).integrate,
    ),
    cancel: may("cancel"),
  };
}
