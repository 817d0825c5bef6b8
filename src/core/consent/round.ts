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

/**
 * Each round's latest responses, by its list of responses: a list is never changed (a new response makes a
 * new list), so what was worked out for it holds — and a busy round asks for it several times per response
 * (tally, closing, the receipt's `can`).
 */
const latestByList = new WeakMap<
  readonly RoundResponse<unknown>[],
  ReadonlyMap<MemberId, RoundResponse<unknown>>
>();

/** Each member's latest response, once: a member who changes their mind is counted by the last word. */
export function latestResponses<R>(
  round: Pick<Round<R>, "responses">,
): ReadonlyMap<MemberId, RoundResponse<R>> {
  let latest = latestByList.get(round.responses);
  if (!latest) {
    const byMember = new Map<MemberId, RoundResponse<R>>();
    for (const response of round.responses) byMember.set(response.memberId, response);
    latest = byMember;
    latestByList.set(round.responses, latest);
  }
  return latest as ReadonlyMap<MemberId, RoundResponse<R>>;
}

/** Whether every participant has responded (silence from anyone keeps the round waiting). */
export const everyoneResponded = <R>(round: Round<R>) => {
  const latest = latestResponses(round);
  return round.eligible.every((memberId) => latest.has(memberId));
};

/** A round can be closed once every participant has responded or its deadline has passed. */
export const readyToClose = <R>(round: Round<R>, now: Date) =>
  everyoneResponded(round) || pastDeadline(round.deadline, now);
