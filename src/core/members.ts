import { isAdmin, type OrgAccess, type Viewer } from "./access.js";
import { conflict, invalid } from "./errors.js";
import type { MemberId } from "./ids.js";
import { assertSkillLevels, type SkillLevel } from "./roles.js";

export interface MemberProfile {
  skills: SkillLevel[];
  interests: string[];
  hoursAvailable: number | null;
  mentoringOffered: string[];
  mentoringWanted: string[];
}

export const HOURS_PER_WEEK_MAX = 168;

export function assertProfile(profile: Partial<MemberProfile>) {
  if (profile.skills) assertSkillLevels(profile.skills, "skills");
  if (
    profile.hoursAvailable !== undefined &&
    profile.hoursAvailable !== null &&
    (profile.hoursAvailable < 0 || profile.hoursAvailable > HOURS_PER_WEEK_MAX)
  )
    throw invalid(`Hours available per week run from 0 to ${HOURS_PER_WEEK_MAX}`, {
      field: "hoursAvailable",
    });
}

/** What a viewer may do with a member record: the member edits their own profile, an admin their access. */
export function memberPermissions(viewer: Viewer, member: { id: MemberId; archivedAt: Date | null }) {
  const self = viewer.memberId === member.id;
  const active = member.archivedAt === null;
  return {
    updateProfile: active && self,
    changeAccess: active && isAdmin(viewer),
    archive: active && isAdmin(viewer) && !self,
  };
}

/** An organisation always keeps at least one admin. */
export function assertKeepsAnAdmin(
  activeAdminCount: number,
  change: { from: OrgAccess; to: OrgAccess | "archived" },
) {
  if (change.from === "admin" && change.to !== "admin" && activeAdminCount <= 1)
    throw conflict("An organisation needs at least one admin", { activeAdmins: activeAdminCount });
}

/** An invitation can be accepted until it expires, is revoked or has been used. */
export function invitationState(
  invitation: { expiresAt: Date; revokedAt: Date | null; acceptedAt: Date | null },
  now: Date,
): "open" | "accepted" | "revoked" | "expired" {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "open";
}
