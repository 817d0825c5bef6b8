import { canWrite, type Viewer } from "../../access.js";
import { DomainError, forbidden, invalid } from "../../errors.js";
import type { CircleId, MemberId } from "../../ids.js";
import { canPropose } from "../permissions.js";
import { requireText } from "../proposal.js";
import { assertDeadline, pastDeadline } from "../round.js";

/** Advice from a named adviser, given by them or recorded by the proposer from a conversation. */
export interface Advice {
  adviserId: MemberId;
  text: string;
  recordedBy: MemberId;
  at: Date;
}

/** The proposer's decision, carrying all the advice it was made with and who gave none. */
export interface AdviceDecision {
  outcome: "proceed" | "abandon";
  rationale: string;
  decidedAt: Date;
  advice: Advice[];
  notAdvised: MemberId[];
}

/**
 * The advice process: the proposer asks named advisers, their advice is recorded, then the proposer
 * decides. It is the proposer's decision, but it cannot be made without asking, and the advice stays with it.
 */
export interface AdviceProcess {
  circleId: CircleId;
  proposerId: MemberId;
  advisers: readonly MemberId[];
  askedAt: Date;
  deadline: Date | null;
  advice: readonly Advice[];
  decision: AdviceDecision | null;
}

export function askForAdvice(
  input: { circleId: CircleId; proposer: Viewer; advisers: readonly MemberId[]; deadline: Date | null },
  now: Date,
): AdviceProcess {
  if (!canPropose(input.proposer, input.circleId)) throw forbidden("start an advice process in this circle");
  const advisers = new Set(input.advisers);
  if (advisers.size === 0) throw invalid("Name at least one adviser", { field: "advisers" });
  if (advisers.size !== input.advisers.length)
    throw invalid("Each adviser is named once", { field: "advisers" });
  if (advisers.has(input.proposer.memberId))
    throw invalid("The proposer asks others for advice", { field: "advisers" });
  return {
    circleId: input.circleId,
    proposerId: input.proposer.memberId,
    advisers: [...input.advisers],
    askedAt: now,
    deadline: assertDeadline(input.deadline, now),
    advice: [],
    decision: null,
  };
}

const decided = () => new DomainError("invalid_transition", "The proposer has already decided", {});

/** Whether the proposer may decide: every adviser has given advice, or the deadline for advice has passed. */
export const adviceComplete = (adviceProcess: AdviceProcess, now: Date) =>
  adviceProcess.advisers.every((id) => adviceProcess.advice.some((a) => a.adviserId === id)) ||
  pastDeadline(adviceProcess.deadline, now);

export function advicePermissions(viewer: Viewer, adviceProcess: AdviceProcess, now: Date) {
  const open = adviceProcess.decision === null && canWrite(viewer);
  const isProposer = viewer.memberId === adviceProcess.proposerId;
  return {
    recordAdvice: open && (isProposer || adviceProcess.advisers.includes(viewer.memberId)),
    decide: open && isProposer && adviceComplete(adviceProcess, now),
  };
}

/** Advice is given by a named adviser, or recorded for them by the proposer, until the proposer decides. */
export function recordAdvice(
  adviceProcess: AdviceProcess,
  actor: Viewer,
  input: { adviserId: MemberId; text: string },
  now: Date,
): AdviceProcess {
  if (adviceProcess.decision) throw decided();
  if (!canWrite(actor) || (actor.memberId !== input.adviserId && actor.memberId !== adviceProcess.proposerId))
    throw forbidden("record advice for someone else");
  if (!adviceProcess.advisers.includes(input.adviserId))
    throw invalid("Advice is recorded from the named advisers", { field: "adviserId" });
  const advice = {
    adviserId: input.adviserId,
    text: requireText(input.text, "text", "Advice"),
    recordedBy: actor.memberId,
    at: now,
  };
  return { ...adviceProcess, advice: [...adviceProcess.advice, advice] };
}

/** The proposer decides once every adviser has been heard or the deadline has passed; the decision carries the advice. */
export function decideAfterAdvice(
  adviceProcess: AdviceProcess,
  actor: Viewer,
  input: { outcome: AdviceDecision["outcome"]; rationale: string },
  now: Date,
): AdviceProcess {
  if (adviceProcess.decision) throw decided();
  if (!canWrite(actor) || actor.memberId !== adviceProcess.proposerId)
    throw forbidden("decide in someone else's advice adviceProcess");
  if (!adviceComplete(adviceProcess, now))
    throw new DomainError(
      "invalid_transition",
      "Every adviser is heard before the decision, unless the deadline has passed",
      {
        waitingFor: adviceProcess.advisers.filter(
          (id) => !adviceProcess.advice.some((a) => a.adviserId === id),
        ),
      },
    );
  return {
    ...adviceProcess,
    decision: {
      outcome: input.outcome,
      rationale: requireText(input.rationale, "rationale", "The reasoning of the decision"),
      decidedAt: now,
      advice: [...adviceProcess.advice],
      notAdvised: adviceProcess.advisers.filter(
        (id) => !adviceProcess.advice.some((a) => a.adviserId === id),
      ),
    },
  };
}
