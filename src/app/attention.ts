import type { Viewer } from "../core/access.js";
import { permissionsFor } from "../core/consent/permissions.js";
import type { Proposal } from "../core/consent/proposal.js";
import type { Queryable } from "../db/database.js";
import { crisisAttention } from "./crises.js";
import type { Org } from "./orgs.js";
import {
  listDecisions,
  proposalsFacilitatedBy,
  proposalsWaitingFor,
  proposalsWithQuestionsFor,
} from "./proposals/queries.js";
import { loadProposals } from "./proposals/store.js";
import { termAttention } from "./rotation.js";

export type AttentionKind =
  | "respond"
  | "advise"
  | "facilitate"
  | "answer_questions"
  | "review_decision"
  | "term_ending"
  | "term_past"
  | "ratify_crisis_grant"
  | "ratify_crisis_decision";

/** One thing that needs the viewer now, with what it is about (one of the ids) and until when. */
export interface AttentionItem {
  kind: AttentionKind;
  proposalId: string | null;
  decisionId: string | null;
  roleId: string | null;
  crisisId: string | null;
  circleId: string;
  title: string;
  /** What is asked, in a sentence. */
  reason: string;
  due: Date | null;
}

const FACILITATION_REASONS: Record<string, string> = {
  present: "Your draft is ready to present",
  advance: "Ready to move to its next phase",
  openConsentRound: "Ready for a round",
  decide: "Everyone has responded or the deadline has passed: close the round",
  resolveObjections: "Objections are waiting to be integrated",
};

/** What the facilitator (or author) can do next with a proposal, if anything. */
function facilitationReason(viewer: Viewer, proposal: Proposal, now: Date): string | null {
  if (proposal.state === "draft" && proposal.authorId !== viewer.memberId) return null;
  const can = permissionsFor(viewer, proposal, now);
  if (proposal.state === "consent_round") return can.decide ? (FACILITATION_REASONS.decide ?? null) : null;
  for (const action of ["present", "resolveObjections", "openConsentRound", "advance"] as const)
    if (can[action]) return FACILITATION_REASONS[action] ?? null;
  return null;
}

/**
 * What needs the viewer now: rounds waiting for their response or advice, proposals they facilitate
 * that can move, questions on their proposals to answer, decisions of their circles due for review,
 * terms in their circles ending soon or past their end, crisis grants and decisions to ratify.
 * Soonest deadline first; items without a deadline after.
 */
export async function attentionFor(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  now: Date,
): Promise<AttentionItem[]> {
  const [waiting, facilitated, questioned, due] = [
    await proposalsWaitingFor(db, org, viewer, now),
    await proposalsFacilitatedBy(db, org, viewer, now),
    await proposalsWithQuestionsFor(db, org, viewer),
    await listDecisions(
      db,
      org.id,
      { dueForReview: true, circleIds: [...viewer.circleIds], limit: 200, offset: 0 },
      now,
    ),
  ];
  const ids = [...new Set([...waiting, ...facilitated, ...questioned.map((q) => q.id)])];
  const byId = new Map((await loadProposals(db, org.id, ids, { now })).map((p) => [p.id as string, p]));
  const items: AttentionItem[] = [];
  const about = (proposal: Proposal) => ({
    proposalId: proposal.id,
    decisionId: null,
    roleId: null,
    crisisId: null,
    circleId: proposal.circleId,
    title: proposal.title,
    due: proposal.phase.deadline,
  });
  for (const id of waiting) {
    const proposal = byId.get(id);
    if (!proposal) continue;
    const advice = proposal.state === "advice";
    items.push({
      kind: advice ? "advise" : "respond",
      ...about(proposal),
      reason: advice ? "You are asked for advice" : "Your response is awaited in the round",
    });
  }
  for (const id of facilitated) {
    const proposal = byId.get(id);
    const reason = proposal && facilitationReason(viewer, proposal, now);
    if (proposal && reason) items.push({ kind: "facilitate", ...about(proposal), reason });
  }
  for (const { id, open_questions } of questioned) {
    const proposal = byId.get(id);
    if (!proposal) continue;
    const reason =
      open_questions === 1
        ? "A clarifying question waits for your answer"
        : `${open_questions} clarifying questions wait for your answer`;
    items.push({ kind: "answer_questions", ...about(proposal), reason });
  }
  for (const decision of due.decisions) {
    if (decision.openReview) continue;
    items.push({
      kind: "review_decision",
      proposalId: null,
      decisionId: decision.proposalId,
      roleId: null,
      crisisId: null,
      circleId: decision.circleId,
      title: decision.title,
      reason: "Due for review: keep, amend or retire it",
      due: decision.reviewAt,
    });
  }
  for (const term of await termAttention(db, org, viewer, now))
    items.push({ ...term, proposalId: null, decisionId: null, crisisId: null });
  for (const crisis of await crisisAttention(db, org, viewer, now))
    items.push({ ...crisis, proposalId: null, decisionId: null, roleId: null });
  return items.sort(
    (a, b) => (a.due?.getTime() ?? Number.POSITIVE_INFINITY) - (b.due?.getTime() ?? Number.POSITIVE_INFINITY),
  );
}
