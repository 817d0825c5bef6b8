import type { Viewer } from "../../core/access.js";
import { latestResponses } from "../../core/consent/round.js";
import { nominationCounts, visibleNominations } from "../../core/selection/nominations.js";
import { tallySelectionRound } from "../../core/selection/outcome.js";
import { objectionPermissions, permissionsFor } from "../../core/selection/permissions.js";
import {
  currentProposal,
  currentRound,
  type NomineeProposal,
  openObjections,
  type Selection,
  type SelectionRound,
  termInForce,
} from "../../core/selection/selection.js";

const iso = (date: Date | null) => date?.toISOString() ?? null;

const presentProposal = (proposal: NomineeProposal) => ({ ...proposal, at: proposal.at.toISOString() });

/** A consent round on a nominee as anyone who may read the selection sees it: responses are open. */
function presentRound(selection: Selection, round: SelectionRound, viewer: Viewer) {
  const latest = latestResponses(round);
  const mine = latest.get(viewer.memberId);
  return {
    number: round.number,
    proposal: round.proposal,
    nomineeId: round.nomineeId,
    termDays: round.termDays,
    participants: round.eligible,
    openedAt: round.openedAt.toISOString(),
    deadline: iso(round.deadline),
    closedAt: iso(round.closedAt),
    tally: tallySelectionRound(round, selection.quorum),
    responses: round.responses.map((r) => ({
      memberId: r.memberId,
      ...r.response,
      at: r.at.toISOString(),
      current: latest.get(r.memberId) === r,
    })),
    myResponse: mine ? { ...mine.response, at: mine.at.toISOString() } : null,
  };
}

/**
 * A selection with what its reader needs to follow it and act, `can` included. Nominations are only
 * those the viewer may see (their own until the reveal) and counts only appear from the reveal on:
 * nothing here tells anyone who nominated whom, or how many have, before then.
 */
export function presentSelection(selection: Selection, viewer: Viewer, now: Date) {
  const proposal = currentProposal(selection);
  const round = currentRound(selection);
  return {
    id: selection.id,
    roleId: selection.roleId,
    circleId: selection.circleId,
    startedBy: selection.startedBy,
    facilitatorIds: selection.facilitatorIds,
    participants: selection.participants,
    state: selection.state,
    phase: { enteredAt: selection.phase.enteredAt.toISOString(), deadline: iso(selection.phase.deadline) },
    quorum: selection.quorum,
    term: selection.term,
    qualifications: selection.qualifications,
    nominations: visibleNominations(selection, viewer).map((n) => ({ ...n, at: n.at.toISOString() })),
    revealedAt: iso(selection.revealedAt),
    nominationCounts: nominationCounts(selection),
    proposal: proposal ? presentProposal(proposal) : null,
    proposals: selection.proposals.map(presentProposal),
    termInForce: termInForce(selection),
    round: round ? presentRound(selection, round, viewer) : null,
    rounds: selection.rounds.map((r) => presentRound(selection, r, viewer)),
    objections: selection.objections.map((o) => ({
      id: o.id,
      proposal: o.proposal,
      round: o.round,
      memberId: o.memberId,
      reason: o.reason,
      raisedAt: o.raisedAt.toISOString(),
      resolution: o.resolution ? { ...o.resolution, at: o.resolution.at.toISOString() } : null,
      can: objectionPermissions(viewer, selection, o, now),
    })),
    openObjections: openObjections(selection).length,
    outcome: selection.outcome
      ? {
          ...selection.outcome,
          startsAt: selection.outcome.startsAt.toISOString(),
          endsAt: selection.outcome.endsAt.toISOString(),
        }
      : null,
    createdAt: selection.createdAt.toISOString(),
    can: permissionsFor(viewer, selection, now),
  };
}
