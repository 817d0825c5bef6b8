import type { CircleId, MemberId } from "./ids.js";

/** Organisation access levels. Observers read and comment; they never respond or change anything. */
export const ORG_ACCESS = ["admin", "member", "observer"] as const;
export type OrgAccess = (typeof ORG_ACCESS)[number];

/** Who is asking, inside one organisation. */
export interface Viewer {
  memberId: MemberId;
  access: OrgAccess;
  /** Circles the viewer takes part in: as a member, or as the leader or delegate of a child circle. */
  circleIds: ReadonlySet<CircleId>;
}

export const isAdmin = (viewer: Viewer) => viewer.access === "admin";
export const canWrite = (viewer: Viewer) => viewer.access !== "observer";
export const takesPartIn = (viewer: Viewer, circleId: CircleId) =>
  canWrite(viewer) && viewer.circleIds.has(circleId);

/**
 * What a viewer may do with the organisation. An admin manages membership and settings; nothing here
 * lets anyone override a circle's own decisions.
 */
export function orgPermissions(viewer: Viewer) {
  return {
    update: isAdmin(viewer),
    invite: isAdmin(viewer),
    manageMembers: isAdmin(viewer),
    // Top-level circles are the organisation's; child circles belong to whoever takes part in the parent.
    createCircle: isAdmin(viewer) || (canWrite(viewer) && viewer.circleIds.size > 0),
    readLog: true,
    verifyLog: true,
  };
}
