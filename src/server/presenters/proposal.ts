import type { DecisionRecord } from "../../app/proposals/queries.js";
import type { Viewer } from "../../core/access.js";
import type { Decision } from "../../core/consent/decision.js";
import { isDueForReview } from "../../core/consent/decision.js";
import { objectionStatus, openObjections } from "../../core/consent/objections.js";
import { roundVerdict, visibleTally } from "../../core/consent/outcome.js";
import { objectionPermissions, permissionsFor } from "../../core/consent/permissions.js";
import {
  currentRound,
  currentVersion,
  type DecisionMethod,
  type DecisionRound,
  type Proposal,
} from "../../core/consent/proposal.js";
import { reviewRefusal } from "../../core/consent/reading.js";
import { latestResponses } from "../../core/consent/round.js";

const iso = (date: Date | null) => date?.toISOString() ?? null;

const presentMethod = (method: DecisionMethod) => {
  switch (method.kind) {
    case "vote":
      return {
        kind: method.kind,
        decisionClass: method.decisionClass,
        threshold: method.mandate.threshold,
        secret: method.mandate.secret,
        quorum: method.mandate.quorum,
        consentedIn: method.mandate.consentedIn,
      };
    case "advice":
      return { kind: method.kind, advisers: method.advisers };
    default:
      return { kind: method.kind };
  }
};

/**
 * A round as anyone who may read the proposal sees it. Every response is listed (latest marked
 * current); a secret ballot shows that someone voted, never what, and its counts only once closed.
 */
function presentRound(proposal: Proposal, round: DecisionRound, viewer: Viewer, now: Date) {
  const latest = latestResponses<unknown>(round);
  const mine = latest.get(viewer.memberId);
  const running = round === currentRound(proposal) && round.closedAt === null;
  return {
    number: round.number,
    method: round.method,
    version: round.version,
    participants: round.eligible,
    openedAt: round.openedAt.toISOString(),
    deadline: iso(round.deadline),
    closedAt: iso(round.closedAt),
    tally: visibleTally(proposal, round, now),
    /** What the round comes to now, even if no job has closed it at its deadline yet. */
    verdict: running && proposal.state === "consent_round" ? roundVerdict(proposal, now).outcome : null,
    responses: round.responses.map((r) => ({
      memberId: r.memberId,
      ...(r.response as object),
      at: r.at.toISOString(),
      current: latest.get(r.memberId) === r,
    })),
    myResponse: mine ? { ...(mine.response as object), at: mine.at.toISOString() } : null,
  };
}

export const presentDecision = (decision: Decision) => ({
  proposalId: decision.proposalId,
  circleId: decision.circleId,
  method: decision.method,
  version: decision.version,
  text: decision.text,
  adoptedAt: decision.adoptedAt.toISOString(),
  reviewMonths: decision.reviewMonths,
  reviewAt: decision.reviewAt.toISOString(),
  termShortenedBy: decision.termShortenedBy,
  concerns: decision.concerns,
  measures: decision.measures,
  tally: decision.tally,
  advice: decision.advice
    ? { ...decision.advice, given: decision.advice.given.map((a) => ({ ...a, at: a.at.toISOString() })) }
    : null,
  grantsMandate: decision.grantsMandate,
  review: decision.review,
});

/** A proposal with everything its reader needs to follow it and act: state, text, rounds, objections, `can`. */
export function presentProposal(proposal: Proposal, viewer: Viewer, now: Date) {
  const version = currentVersion(proposal);
  const round = currentRound(proposal);
  return {
    id: proposal.id,
    circleId: proposal.circleId,
    authorId: proposal.authorId,
    facilitatorIds: proposal.facilitatorIds,
    title: proposal.title,
    method: presentMethod(proposal.method),
    state: proposal.state,
    phase: { enteredAt: proposal.phase.enteredAt.toISOString(), deadline: iso(proposal.phase.deadline) },
    quorum: proposal.quorum,
    reviewMonths: proposal.reviewMonths,
    review: proposal.review,
    grantsMandate: proposal.grantsMandate,
    createdAt: proposal.createdAt.toISOString(),
    currentVersion: { ...version, at: version.at.toISOString() },
    versions: proposal.versions.map((v) => ({ ...v, at: v.at.toISOString() })),
    questions: proposal.questions.map((q) => ({
      id: q.id,
      askedBy: q.askedBy,
      text: q.text,
      askedAt: q.askedAt.toISOString(),
      answer: q.answer ? { ...q.answer, at: q.answer.at.toISOString() } : null,
    })),
    reactions: proposal.reactions.map((r) => ({ ...r, at: r.at.toISOString() })),
    round: round ? presentRound(proposal, round, viewer, now) : null,
    rounds: proposal.rounds.map((r) => presentRound(proposal, r, viewer, now)),
    objections: proposal.objections.map((o) => ({
      id: o.id,
      round: o.round,
      version: o.version,
      memberId: o.memberId,
      reason: o.reason,
      suggestedAmendment: o.suggestedAmendment,
      raisedAt: o.raisedAt.toISOString(),
      status: objectionStatus(o),
      resolution: o.resolution ? { ...o.resolution, at: o.resolution.at.toISOString() } : null,
      can: objectionPermissions(viewer, proposal, o, now),
    })),
    openObjections: openObjections(proposal).length,
    advice: proposal.advice.map((a) => ({ ...a, at: a.at.toISOString() })),
    decision: proposal.decision ? presentDecision(proposal.decision) : null,
    can: permissionsFor(viewer, proposal, now),
  };
}

/**
 * The answer to a response: what a responder needs to see it counted (their response, the round's
 * tally, the proposal's state and `can`) without the whole record, which matters when many respond at once.
 */
export function presentResponseReceipt(proposal: Proposal, viewer: Viewer, now: Date) {
  const round = currentRound(proposal);
  const mine = round ? latestResponses<unknown>(round).get(viewer.memberId) : undefined;
  return {
    proposalId: proposal.id,
    state: proposal.state,
    round: round
      ? {
          number: round.number,
          tally: visibleTally(proposal, round, now),
          closedAt: iso(round.closedAt),
        }
      : null,
    response: mine ? { ...(mine.response as object), at: mine.at.toISOString() } : null,
    openObjections: openObjections(proposal).length,
    can: permissionsFor(viewer, proposal, now),
  };
}

export const presentDecisionRecord = (record: DecisionRecord, viewer: Viewer, now: Date) => {
  const due = record.status === "active" && isDueForReview(record, now);
  return {
    ...presentDecision(record),
    title: record.title,
    circleName: record.circleName,
    status: record.status,
    dueForReview: due,
    reviewedBy: record.reviewedBy,
    openReview: record.openReview,
    can: { review: reviewRefusal(viewer, record, record.openReview, now) === null },
  };
};
