import { takesPartIn, type Viewer } from "../access.js";
import type { ObjectionId } from "../consent/ids.js";
import type { ConsentResponse } from "../consent/proposal.js";
import { requireText } from "../consent/proposal.js";
import { assertQuorumRule, DEFAULT_QUORUM, type QuorumRule } from "../consent/quorum.js";
import { assertDeadline, assertParticipants } from "../consent/round.js";
import { conflict, forbidden, invalid, notFound } from "../errors.js";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import type {
  ResolutionInput,
  SelectionCommand,
  SelectionEvent,
  SelectionEventType,
  SelectionResponseInput,
} from "./commands.js";
import type { SelectionId } from "./ids.js";
import { currentNominations, nominationCounts } from "./nominations.js";
import { roundOutcome } from "./outcome.js";
import { type Request, refusal } from "./permissions.js";
import {
  assertTermDays,
  currentProposal,
  currentRound,
  electedFor,
  type Nomination,
  type NomineeProposal,
  type Selection,
  type SelectionObjection,
  type SelectionRound,
  termInForce,
} from "./selection.js";
import type { SelectionState } from "./states.js";

/** A selection after a command, and what happened, for the governance log. */
export interface SelectionTransition {
  selection: Selection;
  events: SelectionEvent[];
}

export interface NewSelection {
  id: SelectionId;
  roleId: RoleId;
  circleId: CircleId;
  startedBy: Viewer;
  facilitatorIds: readonly MemberId[];
  /** The circle's members plus the leader and delegates of its child circles, as the caller finds them now. */
  participants: readonly MemberId[];
  /** The role's term and description, to be reviewed and consented to in the describing step. */
  termDays: number;
  description: string | null;
  /** The qualifications kept with the role from its last selection, to start the qualifying step from. */
  qualifications?: readonly string[];
  quorum?: QuorumRule;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

const event = (
  type: SelectionEventType,
  selection: Selection,
  payload: Record<string, unknown>,
): SelectionEvent => ({ type, payload: { selectionId: selection.id, ...payload } });

const nominationPayload = (nomination: Nomination) => ({
  nominatorId: nomination.nominatorId,
  nomineeId: nomination.nomineeId,
  reason: nomination.reason,
  at: nomination.at.toISOString(),
});

/** Qualifications as a list: each named, trimmed, and once (case aside). */
function checkQualifications(qualifications: readonly string[]): string[] {
  const seen = new Set<string>();
  return qualifications.map((qualification) => {
    const name = requireText(qualification, "qualifications", "A qualification");
    const key = name.toLowerCase();
    if (seen.has(key))
      throw invalid(`"${name}" is listed twice`, { field: "qualifications", qualification: name });
    seen.add(key);
    return name;
  });
}

const optionalText = (value: string | null | undefined, field: string, what: string) =>
  value === null || value === undefined ? null : requireText(value, field, what);

/** A new selection for a role, started by someone who takes part in its circle, reviewing the role first. */
export function startSelection(input: NewSelection, now: Date): SelectionTransition {
  if (!takesPartIn(input.startedBy, input.circleId)) throw forbidden("start a selection in this circle");
  assertParticipants(input.participants);
  assertTermDays(input.termDays, "termDays");
  const quorum = input.quorum ?? DEFAULT_QUORUM;
  assertQuorumRule(quorum);
  const selection: Selection = {
    id: input.id,
    roleId: input.roleId,
    circleId: input.circleId,
    startedBy: input.startedBy.memberId,
    facilitatorIds: input.facilitatorIds,
    participants: [...input.participants],
    state: "describing",
    phase: { enteredAt: now, deadline: null },
    quorum,
    term: {
      days: input.termDays,
      description: optionalText(input.description, "description", "The role's description"),
    },
    qualifications: checkQualifications(input.qualifications ?? []),
    nominations: [],
    revealedAt: null,
    proposals: [],
    rounds: [],
    objections: [],
    outcome: null,
    createdAt: now,
  };
  return {
    selection,
    events: [
      event("selection.started", selection, {
        roleId: selection.roleId,
        circleId: selection.circleId,
        startedBy: selection.startedBy,
        participants: selection.participants,
        quorum,
        termDays: selection.term.days,
      }),
    ],
  };
}

function objectionOf(selection: Selection, objectionId: ObjectionId): SelectionObjection {
  const objection = selection.objections.find((o) => o.id === objectionId);
  if (!objection) throw notFound("Objection", objectionId);
  return objection;
}

function requestOf(selection: Selection, command: SelectionCommand): Request {
  if (command.type !== "resolveObjection") return command;
  const objection = objectionOf(selection, command.objectionId);
  return { type: command.type, actor: command.actor, objection, outcome: command.resolution.outcome };
}

/** The round a consent_round selection is in; the state guarantees there is one. */
function runningRound(selection: Selection): SelectionRound {
  const round = currentRound(selection);
  if (!round || round.closedAt !== null) throw new Error(`Selection ${selection.id} has no open round`);
  return round;
}

function enter(selection: Selection, state: SelectionState, now: Date, deadline: Date | null): Selection {
  return { ...selection, state, phase: { enteredAt: now, deadline } };
}

function assertEligible(selection: Selection, memberId: MemberId, field: string) {
  if (!selection.participants.includes(memberId))
    throw invalid("Only a participant of the selection can be nominated", { field });
}

/**
 * Moves a selection through the sociocratic selection process: throws `invalid_transition` when its
 * state (or a deadline) does not allow the command, `forbidden` when the actor may not give it, and
 * `validation_failed` for bad input; it never changes the selection it is given.
 */
export function transition(selection: Selection, command: SelectionCommand, now: Date): SelectionTransition {
  const refused = refusal(selection, requestOf(selection, command), now);
  if (refused) throw refused();
  switch (command.type) {
    case "agreeTerm": {
      assertTermDays(command.termDays, "termDays");
      const deadline = assertDeadline(command.deadline, now);
      const description =
        command.description === undefined
          ? selection.term.description
          : optionalText(command.description, "description", "The role's description");
      const agreed = {
        ...enter(selection, "qualifying", now, deadline),
        term: { days: command.termDays, description },
      };
      return {
        selection: agreed,
        events: [
          event("selection.term_agreed", agreed, {
            termDays: agreed.term.days,
            description,
            deadline: iso(deadline),
          }),
        ],
      };
    }
    case "agreeQualifications": {
      const qualifications = checkQualifications(command.qualifications);
      const deadline = assertDeadline(command.deadline, now);
      const agreed = { ...enter(selection, "nominating", now, deadline), qualifications };
      return {
        selection: agreed,
        events: [
          // Kept with the role for its next selection: the app writes them back to the role.
          event("selection.qualifications_agreed", agreed, {
            roleId: agreed.roleId,
            qualifications,
            deadline: iso(deadline),
          }),
        ],
      };
    }
    case "nominate":
      return nominate(selection, command.actor, command.nomineeId, command.reason, now);
    case "revealNominations": {
      const deadline = assertDeadline(command.deadline, now);
      const revealed = { ...enter(selection, "changing", now, deadline), revealedAt: now };
      return {
        selection: revealed,
        events: [
          event("selection.revealed", revealed, {
            nominations: revealed.nominations.map(nominationPayload),
            counts: nominationCounts(revealed),
            deadline: iso(deadline),
          }),
        ],
      };
    }
    case "closeChanges": {
      const closed = enter(selection, "proposing", now, null);
      return {
        selection: closed,
        events: [event("selection.changes_closed", closed, { counts: nominationCounts(closed) })],
      };
    }
    case "propose":
      return propose(selection, command.actor, command, now);
    case "openConsentRound": {
      const proposal = currentProposal(selection);
      const termDays = termInForce(selection);
      if (!proposal || termDays === null) throw new Error(`Selection ${selection.id} has no proposal`);
      const deadline = assertDeadline(command.deadline, now);
      const round: SelectionRound = {
        number: selection.rounds.length + 1,
        proposal: proposal.number,
        nomineeId: proposal.nomineeId,
        termDays,
        eligible: [...selection.participants],
        openedAt: now,
        deadline,
        responses: [],
        closedAt: null,
      };
      const opened = {
        ...enter(selection, "consent_round", now, deadline),
        rounds: [...selection.rounds, round],
      };
      return {
        selection: opened,
        events: [
          event("selection.round_opened", opened, {
            round: round.number,
            proposal: round.proposal,
            nomineeId: round.nomineeId,
            termDays,
            participants: round.eligible,
            deadline: iso(deadline),
          }),
        ],
      };
    }
    case "respond":
      return respond(selection, command.actor, command.response, now);
    case "decide":
      return closeRound(selection, now, []);
    case "resolveObjection":
      return resolveObjection(
        selection,
        command.actor,
        objectionOf(selection, command.objectionId),
        command.resolution,
        now,
      );
    case "cancel": {
      const cancelled = {
        ...enter(selection, "cancelled", now, null),
        rounds: selection.rounds.map((r) => (r.closedAt === null ? { ...r, closedAt: now } : r)),
      };
      return {
        selection: cancelled,
        events: [
          event("selection.cancelled", cancelled, { from: selection.state, by: command.actor.memberId }),
        ],
      };
    }
  }
}

/**
 * Records a nomination. In the nominating round a member's later nomination replaces their earlier one
 * and stays hidden; after the reveal it is a change of nomination, kept beside the original and open to all.
 */
function nominate(
  selection: Selection,
  actor: Viewer,
  nomineeId: MemberId,
  reason: string,
  now: Date,
): SelectionTransition {
  assertEligible(selection, nomineeId, "nomineeId");
  const nominatorId = actor.memberId;
  const nomination: Nomination = {
    nominatorId,
    nomineeId,
    reason: requireText(reason, "reason", "A nomination's reason"),
    at: now,
    round: selection.state === "changing" ? "changing" : "nominating",
  };
  if (nomination.round === "nominating") {
    const nominated = {
      ...selection,
      nominations: [...selection.nominations.filter((n) => n.nominatorId !== nominatorId), nomination],
    };
    return {
      selection: nominated,
      events: [
        event("selection.nominated", nominated, { nominatorId, nomineeId, reason: nomination.reason }),
      ],
    };
  }
  const previous = currentNominations(selection).find((n) => n.nominatorId === nominatorId);
  const changed = { ...selection, nominations: [...selection.nominations, nomination] };
  return {
    selection: changed,
    events: [
      event("selection.nomination_changed", changed, {
        nominatorId,
        from: previous?.nomineeId ?? null,
        nomineeId,
        reason: nomination.reason,
      }),
    ],
  };
}

/**
 * The facilitator proposes a nominee, normally from the strongest reasons rather than the most
 * nominations, for a term no longer than the one consented to. Proposing another nominee while a round
 * runs or objections wait closes that round and sets its objections aside: they were about someone else.
 */
function propose(
  selection: Selection,
  actor: Viewer,
  input: { nomineeId: MemberId; reasons: string; termDays: number },
  now: Date,
): SelectionTransition {
  assertEligible(selection, input.nomineeId, "nomineeId");
  assertTermDays(input.termDays, "termDays", selection.term.days);
  const proposal: NomineeProposal = {
    number: selection.proposals.length + 1,
    nomineeId: input.nomineeId,
    reasons: requireText(input.reasons, "reasons", "The reasons for a nominee"),
    termDays: input.termDays,
    proposedBy: actor.memberId,
    at: now,
  };
  const events: SelectionEvent[] = [];
  let rounds = selection.rounds;
  const round = currentRound(selection);
  if (selection.state === "consent_round" && round) {
    rounds = [...rounds.slice(0, -1), { ...round, closedAt: now }];
    events.push(
      event("selection.round_closed", selection, {
        round: round.number,
        outcome: "superseded",
        tally: roundOutcome(selection, round).tally,
      }),
    );
  }
  const objections = selection.objections.map((o) => {
    if (o.resolution !== null) return o;
    events.push(
      event("selection.objection_resolved", selection, {
        objectionId: o.id,
        outcome: "superseded",
        resolvedBy: actor.memberId,
      }),
    );
    return { ...o, resolution: { outcome: "superseded" as const, resolvedBy: actor.memberId, at: now } };
  });
  const proposed = {
    ...enter(selection, "proposing", now, null),
    rounds,
    objections,
    proposals: [...selection.proposals, proposal],
  };
  events.push(
    event("selection.proposed", proposed, {
      proposal: proposal.number,
      nomineeId: proposal.nomineeId,
      reasons: proposal.reasons,
      termDays: proposal.termDays,
      counts: nominationCounts(proposed),
    }),
  );
  return { selection: proposed, events };
}

/**
 * Records a participant's response in the running round. Their latest response counts: an objection they
 * raised earlier in this round is withdrawn when they respond again. The nominee answers last, so the
 * nominee's answer closes the round.
 */
function respond(
  selection: Selection,
  actor: Viewer,
  input: SelectionResponseInput,
  now: Date,
): SelectionTransition {
  const round = runningRound(selection);
  const memberId = actor.memberId;
  let response: ConsentResponse;
  let raised: SelectionObjection | null = null;
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
    case "object":
      if (selection.objections.some((o) => o.id === input.objectionId))
        throw conflict("This objection has already been raised", { objectionId: input.objectionId });
      raised = {
        id: input.objectionId,
        proposal: round.proposal,
        round: round.number,
        memberId,
        reason: requireText(input.reason, "reason", "An objection's reason"),
        raisedAt: now,
        resolution: null,
      };
      response = { kind: "object", objectionId: raised.id };
      break;
  }
  const events: SelectionEvent[] = [
    event("selection.responded", selection, {
      round: round.number,
      memberId,
      response: response.kind,
      ...(response.kind === "consent_with_concern" ? { concern: response.concern } : {}),
    }),
  ];
  const objections = selection.objections.map((o) => {
    if (o.round !== round.number || o.memberId !== memberId || o.resolution !== null) return o;
    events.push(
      event("selection.objection_resolved", selection, {
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
      event("selection.objection_raised", selection, {
        objectionId: raised.id,
        round: raised.round,
        memberId,
        reason: raised.reason,
      }),
    );
  }
  const updatedRound = { ...round, responses: [...round.responses, { memberId, response, at: now }] };
  const responded = { ...selection, objections, rounds: [...selection.rounds.slice(0, -1), updatedRound] };
  return memberId === round.nomineeId ? closeRound(responded, now, events) : { selection: responded, events };
}

const NEXT_STATE = { elected: "elected", integrating: "integrating", lapsed: "proposing" } as const;

/** Closes the running round with the outcome the rules give; on election the outcome names the holder and term. */
function closeRound(selection: Selection, now: Date, events: SelectionEvent[]): SelectionTransition {
  const round = { ...runningRound(selection), closedAt: now };
  const verdict = roundOutcome(selection, round);
  const outcome = verdict.outcome === "elected" ? electedFor(round.nomineeId, round.termDays, now) : null;
  const closed: Selection = {
    ...enter(selection, NEXT_STATE[verdict.outcome], now, null),
    rounds: [...selection.rounds.slice(0, -1), round],
    outcome,
  };
  return {
    selection: closed,
    events: [
      ...events,
      event("selection.round_closed", closed, {
        round: round.number,
        outcome: verdict.outcome,
        tally: verdict.tally,
      }),
      ...(outcome
        ? [
            // The app makes the assignment (source "election") and ends the previous holder's.
            event("selection.elected", closed, {
              roleId: closed.roleId,
              circleId: closed.circleId,
              memberId: outcome.memberId,
              termDays: outcome.termDays,
              startsAt: iso(outcome.startsAt),
              endsAt: iso(outcome.endsAt),
            }),
          ]
        : []),
    ],
  };
}

/**
 * Resolves an objection to the nominee: its author withdraws it, or the facilitator integrates it by a
 * term shorter than the one in force. A fresh round is then held on the shortened term.
 */
function resolveObjection(
  selection: Selection,
  actor: Viewer,
  objection: SelectionObjection,
  resolution: ResolutionInput,
  now: Date,
): SelectionTransition {
  if (resolution.outcome === "integrated") {
    const current = termInForce(selection) ?? selection.term.days;
    if (!Number.isInteger(resolution.termDays) || resolution.termDays < 1 || resolution.termDays >= current)
      throw invalid(`A shorter term is a whole number of days, less than the ${current} now in force`, {
        field: "termDays",
        current,
      });
  }
  const resolved = {
    ...selection,
    objections: selection.objections.map((o) =>
      o.id === objection.id
        ? { ...o, resolution: { ...resolution, resolvedBy: actor.memberId, at: now } }
        : o,
    ),
  };
  return {
    selection: resolved,
    events: [
      event("selection.objection_resolved", resolved, {
        objectionId: objection.id,
        resolvedBy: actor.memberId,
        ...resolution,
      }),
    ],
  };
}
