import type { Viewer } from "../../core/access.js";
import { type AgendaItem, averageRating, type Meeting, meetingPermissions } from "../../core/meetings.js";

const iso = (date: Date | null) => date?.toISOString() ?? null;
const dated = <T extends { at: Date }>(entry: T) => ({ ...entry, at: entry.at.toISOString() });

/**
 * A proposal or selection item points at the real one: the meeting page follows `href` to the existing
 * proposal and election endpoints, which show it live. The agenda copies nothing of it.
 */
function presentAgendaItem(item: AgendaItem, orgId: string) {
  const base = `/api/v1/orgs/${orgId}`;
  switch (item.kind) {
    case "proposal":
      return { ...item, selectionId: null, href: `${base}/proposals/${item.proposalId}` };
    case "selection":
      return { ...item, proposalId: null, href: `${base}/elections/${item.selectionId}` };
    default:
      return { ...item, proposalId: null, selectionId: null, href: null };
  }
}

/** A meeting as anyone who may read its circle's governance sees it, with what the viewer may do. */
export function presentMeeting(meeting: Meeting, viewer: Viewer, orgId: string) {
  return {
    id: meeting.id,
    circleId: meeting.circleId,
    convenerId: meeting.convenerId,
    title: meeting.title,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    location: meeting.location,
    state: meeting.state,
    scheduledAt: meeting.scheduledAt.toISOString(),
    openedAt: iso(meeting.openedAt),
    closedAt: iso(meeting.closedAt),
    agenda: meeting.agenda.map((item) => presentAgendaItem(item, orgId)),
    facilitatorIds: meeting.facilitatorIds,
    attendance: meeting.attendance.map(dated),
    checkIns: meeting.checkIns.map(dated),
    checkOuts: meeting.checkOuts.map(dated),
    minutes: meeting.minutes && dated(meeting.minutes),
    evaluations: meeting.evaluations.map(dated),
    averageRating: averageRating(meeting),
    ics: `/api/v1/orgs/${orgId}/meetings/${meeting.id}.ics`,
    can: meetingPermissions(viewer, meeting),
  };
}
