import { isAdmin, type OrgAccess, type Viewer } from "./access.js";
import { conflict, invalid } from "./errors.js";
import type { MemberId } from "./ids.js";
import { assertSkillLevels, type SkillLevel } from "./roles.js";

/** A member's "personal power": what they can do, care about, have time for, and want to learn or teach. */
export interface MemberProfile {
  skills: SkillLevel[];
  interests: string[];
  hoursAvailable: number | null;
  mentoringOffered: string[];
  mentoringWanted: string[];
}

export const HOURS_PER_WEEK_MAX = 168;

const LIST_FIELDS = ["interests", "mentoringOffered", "mentoringWanted"] as const;

/** A profile names each skill once with a level from 1 to 5, lists each topic once, and fits in a week. */
export function assertProfile(profile: Partial<MemberProfile>) {
  if (profile.skills) assertSkillLevels(profile.skills, "skills");
  for (const field of LIST_FIELDS) {
    const seen = new Set<string>();
    for (const entry of profile[field] ?? []) {
      const key = entry.trim().toLowerCase();
      if (key === "") throw invalid("An entry needs a name", { field });
      if (seen.has(key)) throw invalid(`"${entry}" is listed twice`, { field, entry });
      seen.add(key);
    }
  }
  if (
    profile.hoursAvailable !== undefined &&
    profile.hoursAvailable !== null &&
    (profile.hoursAvailable < 0 || profile.hoursAvailable > HOURS_PER_WEEK_MAX)
  )
    throw invalid(`Hours available per week run from 0 to ${HOURS_PER_WEEK_MAX}`, {
      field: "hoursAvailable",
    });
}

/** The profile as it will be kept: names trimmed, then checked by `assertProfile`. */
export function cleanProfile(profile: Partial<MemberProfile>): Partial<MemberProfile> {
  const cleaned: Partial<MemberProfile> = { ...profile };
  if (profile.skills)
    cleaned.skills = profile.skills.map(({ skill, level }) => ({ skill: skill.trim(), level }));
  for (const field of LIST_FIELDS) {
    const list = profile[field];
    if (list) cleaned[field] = list.map((entry) => entry.trim());
  }
  assertProfile(cleaned);
  return cleaned;
}

/**
 * What a viewer may do with a member record: the member edits their own profile, an admin their access,
 * archives them, or invites a person to claim a record that has no account yet.
 */
export function memberPermissions(
  viewer: Viewer,
  member: { id: MemberId; archivedAt: Date | null; hasAccount: boolean },
) {
  const self = viewer.memberId === member.id;
  const active = member.archivedAt === null;
  return {
    updateProfile: active && self,
    changeAccess: active && isAdmin(viewer),
    archive: active && isAdmin(viewer) && !self,
    inviteToClaim: active && isAdmin(viewer) && !member.hasAccount,
  };
}

/**
 * An organisation always keeps at least one admin. Count only admins who can log in: a record without an
 * account cannot administer anything.
 */
export function assertKeepsAnAdmin(
  activeAdminCount: number,
  change: { from: OrgAccess; to: OrgAccess | "archived" },
) {
  if (change.from === "admin" && change.to !== "admin" && activeAdminCount <= 1)
    throw conflict("An organisation needs at least one admin", { activeAdmins: activeAdminCount });
}

export type InvitationState = "open" | "accepted" | "revoked" | "expired";

export interface InvitationShape {
  expiresAt: Date;
  revokedAt: Date | null;
  acceptedAt: Date | null;
}

/** An invitation can be accepted until it expires, is revoked or has been used. */
export function invitationState(invitation: InvitationShape, now: Date): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "open";
}

/** An admin may revoke an invitation while it is still open. */
export const invitationPermissions = (viewer: Viewer, invitation: InvitationShape, now: Date) => ({
  revoke: isAdmin(viewer) && invitationState(invitation, now) === "open",
});
