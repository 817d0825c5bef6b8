import { invalid } from "../errors.js";
import type { MemberId } from "../ids.js";

/** One response given in a round; every response is kept, and a member's latest one is what counts. */
export interface RoundResponse<R> {
  memberId: MemberId;
  response: R;
  at: Date;
}

/**
 * A round of responses among a fixed set of participants (consent, consensus). The participants are
 * fixed when the round opens, so someone joining the circle midway does not move the quorum.
 */
export interface Round<R> {
  eligible: readonly MemberId[];
  openedAt: Date;
  deadline: Date | null;
  responses: readonly RoundResponse<R>[];
}

/** Checks a deadline given for a phase or round: a real date after `now`, or none. */
export function assertDeadline(deadline: Date | null | undefined, now: Date): Date | null {
  if (deadline === undefined || deadline === null) return null;
  if (Number.isNaN(deadline.getTime()) || deadline.getTime() <= now.getTime())
    throw invalid("A deadline lies in the future", { field: "deadline" });
  return deadline;
}

/** The participants of a new round: at least one, each named once. */
export function assertParticipants(participants: readonly MemberId[]) {
  if (participants.length === 0) throw invalid("A round needs participants", { field: "participants" });
  if (new Set(participants).size !== participants.length)
    throw invalid("Each participant is named once", { field: "participants" });
}

export const pastDeadline = (deadline: Date | null, now: Date) =>
  deadline !== null && now.getTime() >= deadline.getTime();

/** Each member's latest response, once: a member who changes their mind is counted by the last word. */
export function latestResponses<R>(round: Pick<Round<R>, "responses">): Map<MemberId, RoundResponse<R>> {
  const latest = new Map<MemberId, RoundResponse<R>>();
  for (const response of round.responses) latest.set(response.memberId, response);
  return latest;
}

/** Whether every participant has responded (silence from anyone keeps the round waiting). */
export const everyoneResponded = <R>(round: Round<R>) => {
  const latest = latestResponses(round);
  return round.eligible.every((memberId) => latest.has(memberId));
};

/** A round can be closed once every participant has responded or its deadline has passed. */
export const readyToClose = <R>(round: Round<R>, now: Date) =>
  everyoneResponded(round) || pastDeadline(round.deadline, now);
