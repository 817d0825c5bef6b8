import type { Invitation, InvitationPreview } from "../../app/invitations.js";
import type { Member, MemberDetail } from "../../app/members.js";
import type { Viewer } from "../../core/access.js";
import { invitationPermissions, invitationState, memberPermissions } from "../../core/members.js";

/** A member as listed: who they are, their access, and what they bring. */
export const presentMemberSummary = (member: Member, viewer: Viewer) => ({
  id: member.id,
  name: member.name,
  access: member.access,
  hasAccount: member.hasAccount,
  skills: member.profile.skills,
  interests: member.profile.interests,
  hoursAvailable: member.profile.hoursAvailable,
  joinedAt: member.joinedAt.toISOString(),
  archivedAt: member.archivedAt?.toISOString() ?? null,
  can: memberPermissions(viewer, member),
});

/** A member's full profile, the circles they are in and the roles they hold now. */
export const presentMember = (member: MemberDetail, viewer: Viewer) => ({
  ...presentMemberSummary(member, viewer),
  profile: member.profile,
  circles: member.circles.map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    since: c.since.toISOString(),
  })),
  assignments: member.assignments.map((a) => ({
    id: a.id,
    role: { id: a.roleId, name: a.roleName },
    circle: { id: a.circleId, name: a.circleName },
    source: a.source,
    since: a.since.toISOString(),
    until: a.until?.toISOString() ?? null,
    shadow: a.shadow,
  })),
});

export const presentInvitation = (invitation: Invitation, viewer: Viewer, now: Date) => ({
  id: invitation.id,
  access: invitation.access,
  note: invitation.note,
  memberId: invitation.memberId,
  state: invitationState(invitation, now),
  createdBy: invitation.createdBy,
  createdAt: invitation.createdAt.toISOString(),
  expiresAt: invitation.expiresAt.toISOString(),
  acceptedBy: invitation.acceptedBy,
  acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
  revokedAt: invitation.revokedAt?.toISOString() ?? null,
  can: invitationPermissions(viewer, invitation, now),
});

export const presentInvitationPreview = (preview: InvitationPreview) => ({
  org: preview.org,
  access: preview.access,
  note: preview.note,
  memberName: preview.memberName,
  expiresAt: preview.expiresAt.toISOString(),
  state: preview.state,
});
