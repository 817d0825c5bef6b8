import { invalid } from "../errors.js";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import {
  type CandidateFacts,
  type CandidateScore,
  candidateFacts,
  compareIds,
  explainScore,
  type IneligibilityCode,
  ineligibilityOf,
  isEligible,
  type RoleFacts,
  type RotationCandidate,
  type RotationRole,
  roleFacts,
  scoreTotal,
} from "./score.js";
import { solveSparseAssignment } from "./sparse-assignment.js";

export interface RotationPlanOptions {
  /**
   * The most new roles one member may take in this plan (default 1). Above 1, a member takes a second
   * role only where nobody else can.
   */
  loadCap?: number;
}

export interface PlannedAssignment {
  roleId: RoleId;
  memberId: MemberId;
  score: CandidateScore;
  /** How many roles this member takes in the whole plan. */
  memberNewRoles: number;
}

export type UnfilledReason = "no_eligible_member" | "members_needed_elsewhere";

export interface UnfilledRole {
  roleId: RoleId;
  reason: UnfilledReason;
  explanation: string;
  eligibleMembers: number;
}

export interface RotationPlan {
  /** By role id. */
  assignments: PlannedAssignment[];
  /** By role id. */
  unfilled: UnfilledRole[];
  totalScore: number;
}

const INELIGIBLE_LABELS: Record<Exclude<IneligibilityCode, "not_in_circle">, [string, string]> = {
  observer: ["observer", "observers"],
  term_limit: ["at the term limit", "at the term limit"],
  no_hours: ["with no hours left", "with no hours left"],
};

/**
 * Fills every given role (the caller passes those due for rotation) at once, optimally rather than greedily: as many roles as possible get a holder,
 * each member takes at most `loadCap` of them (and more than one only where nobody else can), and the
 * total score is the highest such a plan can have. Only eligible members of each role's circle are
 * considered, so the problem stays sparse however large the organisation. The same input (in any order)
 * gives the same plan.
 */
export function planRotation(
  roles: readonly RotationRole[],
  candidates: readonly RotationCandidate[],
  now: Date,
  options: RotationPlanOptions = {},
): RotationPlan {
  const loadCap = options.loadCap ?? 1;
  if (!Number.isInteger(loadCap) || loadCap < 1)
    throw invalid("The load cap is a whole number of at least 1", { field: "loadCap" });
  const sortedRoles = [...roles].sort((a, b) => compareIds(a.id, b.id));
  const sortedCandidates = [...candidates].sort((a, b) => compareIds(a.memberId, b.memberId));
  assertUnique(
    sortedRoles.map((r) => r.id),
    "role",
  );
  assertUnique(
    sortedCandidates.map((c) => c.memberId),
    "member",
  );

  const members = sortedCandidates.map((c) => candidateFacts(c, now));
  const byCircle = new Map<CircleId, number[]>();
  members.forEach((member, index) => {
    for (const circleId of new Set(member.candidate.circleIds)) {
      const list = byCircle.get(circleId);
      if (list) list.push(index);
      else byCircle.set(circleId, [index]);
    }
  });

  const facts = sortedRoles.map((role) => roleFacts(role, now));
  const optionStart = new Int32Array(facts.length + 1);
  const optionMember: number[] = [];
  const optionGain: number[] = [];
  for (let index = 0; index < facts.length; index++) {
    const role = facts[index] as RoleFacts;
    for (const member of byCircle.get(role.role.circleId) ?? []) {
      const candidate = members[member] as CandidateFacts;
      if (!isEligible(role, candidate)) continue;
      optionMember.push(member);
      optionGain.push(scoreTotal(role, candidate));
    }
    optionStart[index + 1] = optionMember.length;
  }

  const chosen = solveSparseAssignment({
    roleCount: facts.length,
    memberCount: members.length,
    optionStart,
    optionMember: Int32Array.from(optionMember),
    optionGain: Float64Array.from(optionGain),
    capacity: loadCap,
  });

  const newRoles = new Map<number, number>();
  for (const member of chosen) if (member >= 0) newRoles.set(member, (newRoles.get(member) ?? 0) + 1);

  const plan: RotationPlan = { assignments: [], unfilled: [], totalScore: 0 };
  facts.forEach((role, index) => {
    const member = chosen[index] as number;
    if (member >= 0) {
      const score = explainScore(role, members[member] as CandidateFacts);
      plan.assignments.push({
        roleId: role.role.id,
        memberId: score.memberId,
        score,
        memberNewRoles: newRoles.get(member) ?? 1,
      });
      plan.totalScore += score.total;
      return;
    }
    const circle = byCircle.get(role.role.circleId) ?? [];
    const eligibleMembers = (optionStart[index + 1] as number) - (optionStart[index] as number);
    plan.unfilled.push(
      eligibleMembers === 0
        ? {
            roleId: role.role.id,
            reason: "no_eligible_member",
            explanation: nobodyEligible(
              circle.map((m) => ineligibilityOf(role, members[m] as CandidateFacts)),
            ),
            eligibleMembers,
          }
        : {
            roleId: role.role.id,
            reason: "members_needed_elsewhere",
            explanation:
              `${eligibleMembers === 1 ? "The one eligible member is" : `All ${eligibleMembers} eligible members are`} planned for other roles` +
              (loadCap === 1
                ? "; a load cap above 1 would let someone take a second role"
                : `, up to the load cap of ${loadCap}`),
            eligibleMembers,
          },
    );
  });
  return plan;
}

function assertUnique(ids: readonly string[], what: string) {
  for (let i = 1; i < ids.length; i++)
    if (ids[i] === ids[i - 1]) throw invalid(`The same ${what} is listed twice`, { id: ids[i] });
}

function nobodyEligible(circle: readonly { code: IneligibilityCode }[][]) {
  if (circle.length === 0) return "The circle has no members";
  const counts = new Map<Exclude<IneligibilityCode, "not_in_circle">, number>();
  for (const reasons of circle)
    for (const { code } of reasons)
      if (code !== "not_in_circle") counts.set(code, (counts.get(code) ?? 0) + 1);
  const why = [...counts].map(([code, count]) => `${count} ${INELIGIBLE_LABELS[code][count === 1 ? 0 : 1]}`);
  const whom =
    circle.length === 1 ? "The circle's only member" : `None of the circle's ${circle.length} members`;
  return `${whom} can take it: ${why.join(", ")}`;
}
