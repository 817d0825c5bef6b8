import { canWrite, type Viewer } from "../../access.js";
import { invalid } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import { pastDeadline } from "../round.js";

/**
 * Advice from a named adviser, given by them or recorded by the proposer from a conversation. In the
 * advice process the proposer decides, but not without asking, and the advice stays with the decision.
 */
export interface Advice {
  adviserId: MemberId;
  text: string;
  recordedBy: MemberId;
  at: Date;
}

/** The advisers a proposer names: at least one, each once, and others than the proposer. */
export function assertAdvisers(advisers: readonly MemberId[], proposerId: MemberId) {
  const named = new Set(advisers);
  if (named.size === 0) throw invalid("Name at least one adviser", { field: "method.advisers" });
  if (named.size !== advisers.length)
    throw invalid("Each adviser is named once", { field: "method.advisers" });
  if (named.has(proposerId))
    throw invalid("The proposer asks others for advice", { field: "method.advisers" });
}

/** The named advisers who have not given advice (yet). */
export const notAdvised = (advisers: readonly MemberId[], advice: readonly Advice[]) =>
  advisers.filter((id) => !advice.some((a) => a.adviserId === id));

/** The proposer may decide once every adviser has given advice, or once the deadline for advice has passed. */
export const adviceComplete = (
  advisers: readonly MemberId[],
  advice: readonly Advice[],
  deadline: Date | null,
  now: Date,
) => notAdvised(advisers, advice).length === 0 || pastDeadline(deadline, now);

/** Advice is given by the adviser themself, or recorded for them by the proposer; observers give none. */
export const mayRecordAdvice = (actor: Viewer, proposerId: MemberId, adviserId: MemberId) =>
  canWrite(actor) && (actor.memberId === adviserId || actor.memberId === proposerId);
