import type { Assignment } from "../../app/assignments.js";
import type { Circle, CircleDetail, CircleMember } from "../../app/circles.js";
import type { Role } from "../../app/roles.js";
import type { Viewer } from "../../core/access.js";
import { circlePermissions, isDoubleLinked } from "../../core/circles.js";
import { countsAsLeadership } from "../../core/roles.js";

export const presentHolder = (assignment: Assignment) => ({
  assignmentId: assignment.id,
  memberId: assignment.memberId,
  name: assignment.name,
  startsAt: assignment.startsAt.toISOString(),
  endsAt: assignment.endsAt?.toISOString() ?? null,
  shadow: assignment.shadow,
  source: assignment.source,
});

const presentRoleSummary = (role: Role) => ({
  id: role.id,
  name: role.name,
  kind: role.kind,
  leadership: countsAsLeadership(role),
  fillingPolicy: role.fillingPolicy,
  termDays: role.termDays,
  holders: role.holders.map(presentHolder),
});

export const presentCircle = (circle: Circle, viewer: Viewer) => ({
  id: circle.id,
  name: circle.name,
  kind: circle.kind,
  parentId: circle.parentId,
  aim: circle.aim,
  domain: circle.domain,
  mandate: circle.mandate,
  sunsetAt: circle.sunsetAt?.toISOString() ?? null,
  createdAt: circle.createdAt.toISOString(),
  archivedAt: circle.archivedAt?.toISOString() ?? null,
  memberCount: circle.memberCount,
  roles: circle.roles.map(presentRoleSummary),
  can: circlePermissions(viewer, circle),
});

export const presentCircleMember = (member: CircleMember) => ({
  memberId: member.memberId,
  name: member.name,
  joinedAt: member.joinedAt.toISOString(),
  leftAt: member.leftAt?.toISOString() ?? null,
});

/** The holder of a link role: the person, not a shadow learning beside them. */
const linkHolder = (circle: Circle, kind: "leader" | "delegate") => {
  const holder = circle.roles.find((role) => role.kind === kind)?.holders.find((a) => !a.shadow);
  return holder ? presentHolder(holder) : null;
};

export const presentCircleDetail = (circle: CircleDetail, viewer: Viewer) => ({
  ...presentCircle(circle, viewer),
  members: circle.members.map((m) => ({
    memberId: m.memberId,
    name: m.name,
    joinedAt: m.joinedAt.toISOString(),
  })),
  children: circle.children,
  link: isDoubleLinked(circle)
    ? { leader: linkHolder(circle, "leader"), delegate: linkHolder(circle, "delegate") }
    : null,
});
