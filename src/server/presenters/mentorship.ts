import type { MentorSuggestions } from "../../app/mentorships.js";
import type { Viewer } from "../../core/access.js";
import { type Mentorship, mentorshipPermissions, mentorshipState } from "../../core/mentorship.js";

/**
 * A mentorship as a member sees it. Who mentors whom, in what, and how often they met is open to the
 * organisation; what was said at the check-ins only the mentor and the mentee read (`checkIns` is null
 * for everyone else).
 */
export function presentMentorship(mentorship: Mentorship, viewer: Viewer) {
  const can = mentorshipPermissions(viewer, mentorship);
  return {
    id: mentorship.id,
    mentorId: mentorship.mentorId,
    menteeId: mentorship.menteeId,
    skills: mentorship.skills,
    goals: mentorship.goals,
    state: mentorshipState(mentorship),
    startedAt: mentorship.startedAt.toISOString(),
    ended: mentorship.ended && { by: mentorship.ended.by, at: mentorship.ended.at.toISOString() },
    checkInCount: mentorship.checkIns.length,
    checkIns: can.readCheckIns
      ? mentorship.checkIns.map((c) => ({ id: c.id, by: c.by, text: c.text, at: c.at.toISOString() }))
      : null,
    can,
  };
}

/** Members who could mentor the mentee, best first, each with the skills they match and why. */
export const presentSuggestions = ({ mentee, suggestions, names }: MentorSuggestions) => ({
  menteeId: mentee.id,
  wanted: mentee.wanted,
  suggestions: suggestions.map((s) => ({
    memberId: s.memberId,
    name: names.get(s.memberId) ?? "",
    matches: s.matches,
  })),
});
