import { canWrite, isAdmin, takesPartIn, type Viewer } from "./access.js";
import { conflict, invalid } from "./errors.js";
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
  leadership: true;
  termDays: number;
}

/** Structural roles come back to the circle every year, the leader's included. */
export const STRUCTURAL_TERM_DAYS = 365;

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
      leadership: true,
      termDays: STRUCTURAL_TERM_DAYS,
    },
  ];
  if (isDoubleLinked(circle)) {
    roles.push(
      {
        kind: "leader",
        name: "Circle leader",
        purpose: "Carries the parent circle's aim into this circle; chosen by the parent circle.",
        fillingPolicy: "appointment",
        leadership: true,
        termDays: STRUCTURAL_TERM_DAYS,
      },
      {
        kind: "delegate",
        name: "Delegate",
        purpose: "Carries this circle's voice into the parent circle; elected by this circle.",
        fillingPolicy: "election",
        leadership: true,
        termDays: STRUCTURAL_TERM_DAYS,
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

/** A sunset is a date still to come: a committee is not founded already finished. */
export function assertSunsetAhead(sunsetAt: Date, now: Date) {
  if (sunsetAt.getTime() <= now.getTime())
    throw invalid("The sunset date must be in the future", { field: "sunsetAt" });
}

/**
 * What moving a circle (or creating it) means for its structural roles: roles it now needs are created,
 * or restored if it had them before; leader and delegate roles it no longer needs are retired.
 */
export function reconcileStructuralRoles(
  existing: readonly { kind: StructuralRoleKind; archived: boolean }[],
  circle: Pick<CircleShape, "kind" | "parentId">,
) {
  const needed = structuralRolesFor(circle);
  const byKind = new Map(existing.map((role) => [role.kind, role]));
  return {
    create: needed.filter((template) => !byKind.has(template.kind)),
    restore: needed.filter((template) => byKind.get(template.kind)?.archived).map((t) => t.kind),
    retire: existing
      .filter((role) => !role.archived && !needed.some((template) => template.kind === role.kind))
      .map((role) => role.kind),
  };
}

/** A circle is archived only once its child circles are: work must not be orphaned. */
export function assertCanArchiveCircle(activeChildCount: number) {
  if (activeChildCount > 0)
    throw conflict("Archive or move this circle's child circles first", {
      activeChildCircles: activeChildCount,
    });
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
    // Proposals come from those who take part in the circle (an admin outside it does not decide for it).
    propose: active && participant,
    archive: active && parentSteward,
    // Where a circle sits is its parent's matter (the destination must also agree: canCreateCircle).
    move: active && parentSteward,
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

/** Circle stewards manage its membership; anyone may step out of a circle themselves. */
export function canRemoveCircleMember(
  viewer: Viewer,
  circle: Pick<CircleShape, "id" | "parentId" | "kind" | "archivedAt">,
  memberId: MemberId,
) {
  if (circlePermissions(viewer, circle).manageMembers) return true;
  return circle.archivedAt === null && canWrite(viewer) && viewer.memberId === memberId;
}
