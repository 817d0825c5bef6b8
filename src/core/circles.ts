import { canWrite, isAdmin, takesPartIn, type Viewer } from "./access.js";
import { invalid } from "./errors.js";
import type { CircleId, MemberId } from "./ids.js";

/**
 * Circle kinds. A committee has a mandate and a sunset; a community of practice is open to join and
 * holds no domain authority.
 */
export const CIRCLE_KINDS = ["circle", "committee", "council", "community_of_practice"] as const;
export type CircleKind = (typeof CIRCLE_KINDS)[number];

export interface CircleShape {
  id: CircleId;
  kind: CircleKind;
  parentId: CircleId | null;
  domain: string;
  sunsetAt: Date | null;
  archivedAt: Date | null;
}

/** Roles that structure a circle: every circle has a facilitator; a linked child circle has a leader and a delegate. */
export type StructuralRoleKind = "facilitator" | "leader" | "delegate";

export interface StructuralRoleTemplate {
  kind: StructuralRoleKind;
  name: string;
  purpose: string;
  fillingPolicy: "election" | "appointment";
}

/** A child circle is double-linked to its parent unless it is a community of practice (cross-cutting). */
export const isDoubleLinked = (circle: Pick<CircleShape, "kind" | "parentId">) =>
  circle.parentId !== null && circle.kind !== "community_of_practice";

/**
 * The roles created with a circle. The leader is chosen by the parent circle, the delegate elected by the
 * child; both take part in the parent's decisions.
 */
export function structuralRolesFor(circle: Pick<CircleShape, "kind" | "parentId">): StructuralRoleTemplate[] {
  const roles: StructuralRoleTemplate[] = [
    {
      kind: "facilitator",
      name: "Facilitator",
      purpose: "Guides the circle's meetings and decision rounds so that every voice is heard.",
      fillingPolicy: "election",
    },
  ];
  if (isDoubleLinked(circle)) {
    roles.push(
      {
        kind: "leader",
        name: "Circle leader",
        purpose: "Carries the parent circle's aim into this circle; chosen by the parent circle.",
        fillingPolicy: "appointment",
      },
      {
        kind: "delegate",
        name: "Delegate",
        purpose: "Carries this circle's voice into the parent circle; elected by this circle.",
        fillingPolicy: "election",
      },
    );
  }
  return roles;
}

/** Validates the fields of a circle that depend on each other. */
export function assertCircleShape(circle: {
  kind: CircleKind;
  domain: string;
  sunsetAt: Date | null;
  mandate: string;
}) {
  if (circle.kind === "committee" && (circle.sunsetAt === null || circle.mandate.trim() === ""))
    throw invalid("A committee needs a mandate and a sunset date", { fields: ["mandate", "sunsetAt"] });
  if (circle.kind === "community_of_practice" && circle.domain.trim() !== "")
    throw invalid("A community of practice holds no domain", { fields: ["domain"] });
}

/** A circle may not become its own ancestor. `parentOf` walks the existing tree. */
export function assertNoCycle(
  circleId: CircleId,
  newParentId: CircleId | null,
  parentOf: (id: CircleId) => CircleId | null,
) {
  const seen = new Set<CircleId>();
  for (let at = newParentId; at !== null; at = parentOf(at)) {
    if (at === circleId || seen.has(at))
      throw invalid("A circle cannot be inside itself", { parentId: newParentId });
    seen.add(at);
  }
}

export interface LinkHolding {
  memberId: MemberId;
  /** The child circle whose leader or delegate role is held. */
  childCircleId: CircleId;
  childParentId: CircleId | null;
}

/**
 * The circles a member takes part in: those they are a member of, plus each parent circle where they
 * hold the leader or delegate role of a child circle (the double link).
 */
export function circlesTakenPartIn(memberCircleIds: Iterable<CircleId>, linkHoldings: Iterable<LinkHolding>) {
  const ids = new Set<CircleId>(memberCircleIds);
  for (const holding of linkHoldings) if (holding.childParentId) ids.add(holding.childParentId);
  return ids;
}

/** What a viewer may do with a circle. */
export function circlePermissions(
  viewer: Viewer,
  circle: Pick<CircleShape, "id" | "parentId" | "kind" | "archivedAt">,
) {
  const active = circle.archivedAt === null;
  const participant = takesPartIn(viewer, circle.id);
  const steward = participant || isAdmin(viewer);
  const parentSteward = isAdmin(viewer) || (circle.parentId !== null && takesPartIn(viewer, circle.parentId));
  return {
    update: active && steward,
    manageMembers: active && steward,
    createRole: active && steward,
    createChildCircle: active && steward,
    archive: active && parentSteward,
    join:
      active &&
      circle.kind === "community_of_practice" &&
      canWrite(viewer) &&
      !viewer.circleIds.has(circle.id),
  };
}

/** Creating a top-level circle is an organisation matter (admin); a child circle is its parent's. */
export function canCreateCircle(viewer: Viewer, parentId: CircleId | null) {
  if (isAdmin(viewer)) return true;
  return parentId !== null && takesPartIn(viewer, parentId);
}
