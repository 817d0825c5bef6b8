import { queryOptions } from "@tanstack/react-query";
import * as api from "./api-people.js";

// Keys sit under ["org", slug, "circles" | "members"] on purpose: live updates (live.ts) refresh those
// prefixes on every structural log entry, so roles and terms (under circles) and profiles and
// invitations (under members) stay current without a list of their own.

export const circleQuery = (slug: string, circleId: string) =>
  queryOptions({
    queryKey: ["org", slug, "circles", "detail", circleId],
    queryFn: () => api.getCircle(slug, circleId),
  });

export const roleQuery = (slug: string, roleId: string) =>
  queryOptions({
    queryKey: ["org", slug, "circles", "role", roleId],
    queryFn: () => api.getRole(slug, roleId),
  });

export const assignmentsQuery = (slug: string, roleId: string) =>
  queryOptions({
    queryKey: ["org", slug, "circles", "role", roleId, "assignments"],
    queryFn: () => api.listAssignments(slug, roleId),
  });

export const candidatesQuery = (slug: string, roleId: string) =>
  queryOptions({
    queryKey: ["org", slug, "circles", "role", roleId, "candidates"],
    queryFn: () => api.getCandidates(slug, roleId),
  });

export const memberQuery = (slug: string, memberId: string) =>
  queryOptions({
    queryKey: ["org", slug, "members", "detail", memberId],
    queryFn: () => api.getMember(slug, memberId),
  });

export const leadershipHistoryQuery = (slug: string, memberId: string) =>
  queryOptions({
    queryKey: ["org", slug, "members", "detail", memberId, "history"],
    queryFn: () => api.leadershipHistory(slug, memberId),
  });

export const memberSearchQuery = (slug: string, search: api.MemberSearch) =>
  queryOptions({
    queryKey: ["org", slug, "members", "search", search],
    queryFn: () => api.searchMembers(slug, search),
  });

export const invitationsQuery = (slug: string) =>
  queryOptions({
    queryKey: ["org", slug, "members", "invitations"],
    queryFn: () => api.listInvitations(slug),
  });

/** The same key as the organisation frame's query (the same resource), read with its settings. */
export const orgDetailQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug], queryFn: () => api.getOrgDetail(slug) });

export const invitationPreviewQuery = (token: string) =>
  queryOptions({ queryKey: ["invitation", token], queryFn: () => api.previewInvitation(token) });
