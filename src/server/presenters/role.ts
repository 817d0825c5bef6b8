import type { Assignment } from "../../app/assignments.js";
import type { Role } from "../../app/roles.js";
import type { Viewer } from "../../core/access.js";
import { assignmentPeriod, assignmentPermissions, isActiveAt } from "../../core/assignments.js";
import { countsAsLeadership, rolePermissions } from "../../core/roles.js";
import { presentHolder } from "./circle.js";

export const presentRole = (role: Role, viewer: Viewer) => ({
  id: role.id,
  circleId: role.circleId,
  circleName: role.circleName,
  kind: role.kind,
  name: role.name,
  purpose: role.purpose,
  domain: role.domain,
  accountabilities: role.accountabilities,
  termDays: role.termDays,
  requiredSkills: role.requiredSkills,
  qualifications: role.qualifications,
  leadership: countsAsLeadership(role),
  fillingPolicy: role.fillingPolicy,
  rotationMode: role.rotationMode,
  maxConsecutiveTerms: role.maxConsecutiveTerms,
  createdAt: role.createdAt.toISOString(),
  archivedAt: role.archivedAt?.toISOString() ?? null,
  holders: role.holders.map(presentHolder),
  can: rolePermissions(viewer, role),
});

export const presentAssignment = (assignment: Assignment, role: Role, viewer: Viewer, now: Date) => ({
  id: assignment.id,
  memberId: assignment.memberId,
  name: assignment.name,
  startsAt: assignment.startsAt.toISOString(),
  endsAt: assignment.endsAt?.toISOString() ?? null,
  source: assignment.source,
  shadow: assignment.shadow,
  handoverNotes: assignment.handoverNotes,
  active: isActiveAt(assignment, now),
  period: assignmentPeriod(assignment, now),
  can: assignmentPermissions(viewer, role, assignment, now),
});

/** One term of a member's leadership history: the assignment with the role and circle it is in. */
export const presentHeldTerm = (assignment: Assignment, role: Role, viewer: Viewer, now: Date) => ({
  ...presentAssignment(assignment, role, viewer, now),
  role: {
    id: role.id,
    name: role.name,
    leadership: role.leadership,
    circleId: role.circleId,
    circleName: role.circleName,
    archived: role.archivedAt !== null,
  },
});
