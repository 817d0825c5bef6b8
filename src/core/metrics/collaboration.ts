import type { CircleId, MemberId } from "../ids.js";
import { compareIds } from "../rotation/score.js";
import { type Ratio, ratio } from "./ratio.js";

/** A member of the graph with the circles they belong to. */
export interface CollaboratorCircles {
  memberId: MemberId;
  circleIds: readonly CircleId[];
}

/** A piece of shared work — a proposal, a cycle, a mentorship — and the members who worked on it. */
export interface SharedWork {
  memberIds: readonly MemberId[];
}

/** An unordered pair of members who worked together (`a` sorts before `b`). */
export interface Tie {
  a: MemberId;
  b: MemberId;
  /** How many pieces of work they shared. */
  weight: number;
  /** The two share no circle: the tie reaches across the organisation's structure. */
  crossesCircles: boolean;
}

export interface CollaborationGraph {
  ties: Tie[];
  /** Ties per member (how many others each worked with), every member listed, isolated ones with 0. */
  degrees: { memberId: MemberId; degree: number }[];
  /** Ties out of the n(n − 1)/2 possible pairs of members. */
  density: Ratio;
  /** Ties between members who share no circle, out of all ties. */
  crossCircleShare: Ratio;
}

/**
 * The co-participation graph: two members are tied when they worked on the same proposal, cycle or
 * mentorship. The members given are the nodes (pass the active members, so those who worked with no one
 * count towards the possible pairs); people in the work who are not among them are left out.
 */
export function collaborationGraph(
  members: readonly CollaboratorCircles[],
  work: readonly SharedWork[],
): CollaborationGraph {
  const circlesOf = new Map(members.map((member) => [member.memberId, new Set(member.circleIds)]));
  const weights = new Map<string, { a: MemberId; b: MemberId; weight: number }>();
  for (const piece of work) {
    const people = [...new Set(piece.memberIds)].filter((id) => circlesOf.has(id)).sort(compareIds);
    for (let i = 0; i < people.length; i++)
      for (let j = i + 1; j < people.length; j++) {
        const a = people[i] as MemberId;
        const b = people[j] as MemberId;
        // JSON of the pair is a key no member id can fake, whatever characters ids contain.
        const key = JSON.stringify([a, b]);
        const tie = weights.get(key) ?? { a, b, weight: 0 };
        tie.weight++;
        weights.set(key, tie);
      }
  }
  const ties = [...weights.values()]
    .map((tie) => ({ ...tie, crossesCircles: !shareACircle(circlesOf.get(tie.a), circlesOf.get(tie.b)) }))
    .sort((x, y) => compareIds(x.a, y.a) || compareIds(x.b, y.b));
  const degree = new Map<MemberId, number>([...circlesOf.keys()].map((id) => [id, 0]));
  for (const tie of ties) {
    degree.set(tie.a, (degree.get(tie.a) ?? 0) + 1);
    degree.set(tie.b, (degree.get(tie.b) ?? 0) + 1);
  }
  const n = circlesOf.size;
  return {
    ties,
    degrees: [...degree]
      .map(([memberId, count]) => ({ memberId, degree: count }))
      .sort((x, y) => compareIds(x.memberId, y.memberId)),
    density: ratio(ties.length, (n * (n - 1)) / 2),
    crossCircleShare: ratio(ties.filter((tie) => tie.crossesCircles).length, ties.length),
  };
}

function shareACircle(left: ReadonlySet<CircleId> | undefined, right: ReadonlySet<CircleId> | undefined) {
  if (!left || !right) return false;
  for (const circleId of left) if (right.has(circleId)) return true;
  return false;
}
