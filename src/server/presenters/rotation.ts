import type { Candidates, DueTerm, PlanForOrg, RotationOutcome } from "../../app/rotation.js";
import type { CandidateScore } from "../../core/rotation/score.js";
import type { presentAssignment } from "./role.js";

type Names = ReadonlyMap<string, string>;

/** One member's score for a role: the total, each part with its reason, and why they may not take it. */
export const presentCandidate = (score: CandidateScore, names: Names) => ({
  memberId: score.memberId,
  name: names.get(score.memberId) ?? null,
  eligible: score.eligible,
  score: score.total,
  parts: score.parts,
  ineligibility: score.ineligibility,
});

/** The ranking for a role: eligible members best first, then those who may not take it, each with why. */
export const presentCandidates = ({ role, ranking, names }: Candidates) => ({
  role: {
    id: role.id,
    name: role.name,
    circleId: role.circleId,
    circleName: role.circleName,
    rotationMode: role.rotationMode,
  },
  ranked: ranking.ranked.map((s) => presentCandidate(s, names)),
  ineligible: ranking.ineligible.map((s) => presentCandidate(s, names)),
});

/** What a rotation did: the proposal put to the circle, or the term recorded; and who, and why. */
export const presentRotation = (
  outcome: RotationOutcome,
  assignment: ReturnType<typeof presentAssignment> | null,
) => ({
  mode: outcome.mode,
  ...(outcome.mode === "consent"
    ? { proposal: { id: outcome.proposal.id, title: outcome.proposal.title, state: outcome.proposal.state } }
    : { assignment }),
  candidate: presentCandidate(outcome.candidate, outcome.candidates.names),
  ranking: outcome.candidates.ranking.ranked.map((s) => presentCandidate(s, outcome.candidates.names)),
});

/** The organisation-wide plan: who would take each due role and why, and the roles left unfilled. */
export function presentPlan({ plan, due, names }: PlanForOrg) {
  const roles = new Map(due.map((d) => [d.role.id as string, d]));
  return {
    dueRoles: due.length,
    totalScore: plan.totalScore,
    assignments: plan.assignments.map((a) => {
      const dueRole = roles.get(a.roleId);
      return {
        roleId: a.roleId,
        roleName: dueRole?.role.name ?? null,
        circleId: dueRole?.role.circleId ?? null,
        circleName: dueRole?.role.circleName ?? null,
        due: dueRole?.reason ?? null,
        memberId: a.memberId,
        name: names.get(a.memberId) ?? null,
        score: a.score.total,
        parts: a.score.parts,
        memberNewRoles: a.memberNewRoles,
      };
    }),
    unfilled: plan.unfilled.map((u) => {
      const dueRole = roles.get(u.roleId);
      return {
        roleId: u.roleId,
        roleName: dueRole?.role.name ?? null,
        circleId: dueRole?.role.circleId ?? null,
        circleName: dueRole?.role.circleName ?? null,
        due: dueRole?.reason ?? null,
        reason: u.reason,
        explanation: u.explanation,
        eligibleMembers: u.eligibleMembers,
      };
    }),
  };
}

/** A term ending soon, or past its end with no one to follow (flagged). */
export const presentDueTerm = (term: DueTerm) => ({
  roleId: term.roleId,
  roleName: term.role.name,
  circleId: term.role.circleId,
  circleName: term.role.circleName,
  fillingPolicy: term.role.fillingPolicy,
  assignmentId: term.assignmentId,
  memberId: term.memberId,
  name: term.holderName,
  endsAt: term.endsAt.toISOString(),
  state: term.state,
});
