/**
 * Circles, roles, members, invitations and the organisation's settings, as the server presents them
 * (src/server/presenters/{circle,role,member,org,rotation}.ts).
 */
import { type Access, type Circle, type CircleKind, type Holder, type Org, orgPath, request } from "./api.js";

export interface SkillLevel {
  skill: string;
  level: number;
}

/** A member's "personal power": what they can do, care about, have time for, and want to teach or learn. */
export interface MemberProfile {
  skills: SkillLevel[];
  interests: string[];
  hoursAvailable: number | null;
  mentoringOffered: string[];
  mentoringWanted: string[];
}

export interface MemberCan {
  updateProfile: boolean;
  changeAccess: boolean;
  archive: boolean;
  inviteToClaim: boolean;
}

export interface MemberSummary {
  id: string;
  name: string;
  access: Access;
  hasAccount: boolean;
  skills: SkillLevel[];
  interests: string[];
  hoursAvailable: number | null;
  joinedAt: string;
  archivedAt: string | null;
  can: MemberCan;
}

export interface MemberDetail extends MemberSummary {
  profile: MemberProfile;
  circles: { id: string; name: string; kind: CircleKind; since: string }[];
  /** The roles held now (shadowing included). */
  assignments: {
    id: string;
    role: { id: string; name: string };
    circle: { id: string; name: string };
    source: string;
    since: string;
    until: string | null;
    shadow: boolean;
  }[];
}

export interface CircleDetail extends Circle {
  createdAt: string;
  archivedAt: string | null;
  members: { memberId: string; name: string; joinedAt: string }[];
  children: { id: string; name: string; kind: CircleKind }[];
  /** The double link of a child circle to its parent: who carries it each way. */
  link: { leader: Holder | null; delegate: Holder | null } | null;
}

export interface RoleDetail {
  id: string;
  circleId: string;
  circleName: string;
  kind: string;
  name: string;
  purpose: string;
  domain: string;
  accountabilities: string[];
  termDays: number | null;
  requiredSkills: SkillLevel[];
  qualifications: string[];
  leadership: boolean;
  fillingPolicy: "election" | "rotation" | "appointment";
  rotationMode: "consent" | "automatic";
  maxConsecutiveTerms: number | null;
  createdAt: string;
  archivedAt: string | null;
  holders: Holder[];
  can: { update: boolean; assign: boolean; archive: boolean };
}

export interface Assignment {
  id: string;
  memberId: string;
  name: string;
  startsAt: string;
  endsAt: string | null;
  source: string;
  shadow: boolean;
  handoverNotes: string;
  active: boolean;
  /** Where the term stands by the server's clock. */
  period: "upcoming" | "current" | "ended";
  can: { end: boolean; writeHandoverNotes: boolean };
}

/** One term in a member's leadership history, with the role and circle it was in. */
export interface HeldTerm extends Assignment {
  role: {
    id: string;
    name: string;
    leadership: boolean;
    circleId: string;
    circleName: string;
    archived: boolean;
  };
}

export interface Candidate {
  memberId: string;
  name: string | null;
  eligible: boolean;
  score: number;
  parts: { factor: string; points: number; reason: string }[];
  ineligibility: { code: string; reason: string }[];
}

export interface Candidates {
  ranked: Candidate[];
  ineligible: Candidate[];
}

export interface OrgSettings {
  crisisMaxDays: number;
  decisionReviewMonths: number;
  invitationDays: number;
  observersReadCircles: boolean;
}

export interface OrgDetail extends Org {
  settings: OrgSettings;
}

export type InvitationState = "open" | "accepted" | "revoked" | "expired";

export interface Invitation {
  id: string;
  access: Access;
  note: string;
  memberId: string | null;
  state: InvitationState;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
  revokedAt: string | null;
  can: { revoke: boolean };
}

export interface InvitationPreview {
  org: { name: string; purpose: string };
  access: Access;
  note: string;
  memberName: string | null;
  expiresAt: string;
  state: InvitationState;
}

const path = (org: string, rest: string) => `${orgPath(org)}${rest}`;
const id = encodeURIComponent;

export const getCircle = (org: string, circleId: string) =>
  request<CircleDetail>("GET", path(org, `/circles/${id(circleId)}`));

/** Joining a community of practice is adding oneself to it. */
export const joinCircle = (org: string, circleId: string, memberId: string) =>
  request<unknown>("POST", path(org, `/circles/${id(circleId)}/members`), { memberId });

export interface NewCircle {
  name: string;
  kind?: CircleKind;
  parentId?: string | null;
  aim?: string;
  domain?: string;
  memberIds?: string[];
}

export const createCircle = (org: string, input: NewCircle) =>
  request<CircleDetail>("POST", path(org, "/circles"), input);

export const addCircleMember = (org: string, circleId: string, memberId: string) =>
  request<unknown>("POST", path(org, `/circles/${id(circleId)}/members`), { memberId });

export interface NewRole {
  circleId: string;
  name: string;
  purpose?: string;
  domain?: string;
  accountabilities?: string[];
  termDays?: number | null;
  leadership?: boolean;
  fillingPolicy?: RoleDetail["fillingPolicy"];
}

export const createRole = (org: string, input: NewRole) =>
  request<RoleDetail>("POST", path(org, "/roles"), input);

/** An appointment by hand; with no end the server uses the role's term. */
export const appointToRole = (org: string, roleId: string, input: { memberId: string; endsAt?: string }) =>
  request<Assignment>("POST", path(org, `/roles/${id(roleId)}/assignments`), {
    ...input,
    source: "appointment",
  });

export const getRole = (org: string, roleId: string) =>
  request<RoleDetail>("GET", path(org, `/roles/${id(roleId)}`));

/** What a steward may change about a role (its kind stays; archiving is not an edit). */
export type RoleChange = Partial<
  Pick<
    RoleDetail,
    | "name"
    | "purpose"
    | "domain"
    | "accountabilities"
    | "termDays"
    | "requiredSkills"
    | "leadership"
    | "fillingPolicy"
    | "rotationMode"
    | "maxConsecutiveTerms"
  >
>;

export const updateRole = (org: string, roleId: string, change: RoleChange) =>
  request<RoleDetail>("PATCH", path(org, `/roles/${id(roleId)}`), change);

export const listAssignments = async (org: string, roleId: string) =>
  (await request<{ assignments: Assignment[] }>("GET", path(org, `/roles/${id(roleId)}/assignments`)))
    .assignments;

export const writeHandoverNotes = (
  org: string,
  roleId: string,
  assignmentId: string,
  handoverNotes: string,
) =>
  request<Assignment>("PATCH", path(org, `/roles/${id(roleId)}/assignments/${id(assignmentId)}`), {
    handoverNotes,
  });

export const getCandidates = (org: string, roleId: string) =>
  request<Candidates>("GET", path(org, `/roles/${id(roleId)}/candidates`));

export const getMember = (org: string, memberId: string) =>
  request<MemberDetail>("GET", path(org, `/members/${id(memberId)}`));

export type MemberChange = Partial<MemberProfile> & { name?: string; access?: Access };

export const updateMember = (org: string, memberId: string, change: MemberChange) =>
  request<MemberDetail>("PATCH", path(org, `/members/${id(memberId)}`), change);

export interface MemberSearch {
  q?: string;
  access?: Access;
}

export async function searchMembers(org: string, search: MemberSearch) {
  const query = new URLSearchParams({ limit: "500" });
  if (search.q) query.set("q", search.q);
  if (search.access) query.set("access", search.access);
  return request<{ members: MemberSummary[]; total: number; can: { add: boolean; invite: boolean } }>(
    "GET",
    path(org, `/members?${query}`),
  );
}

/** A member's leadership history: every term they held, hold or will hold, in any role, newest first. */
export const leadershipHistory = async (org: string, memberId: string) =>
  (await request<{ assignments: HeldTerm[] }>("GET", path(org, `/members/${memberId}/assignments`)))
    .assignments;

export const getOrgDetail = (org: string) => request<OrgDetail>("GET", orgPath(org));

export const updateOrg = (
  org: string,
  change: { name?: string; purpose?: string; settings?: Partial<OrgSettings> },
) => request<OrgDetail>("PATCH", orgPath(org), change);

export const listInvitations = async (org: string) =>
  (await request<{ invitations: Invitation[] }>("GET", path(org, "/invitations"))).invitations;

export const createInvitation = (org: string, input: { access: Access; note?: string }) =>
  request<{ invitation: Invitation; token: string; url: string }>("POST", path(org, "/invitations"), input);

export const revokeInvitation = (org: string, invitationId: string) =>
  request<Invitation>("POST", path(org, `/invitations/${id(invitationId)}/revoke`));

export const previewInvitation = (token: string) =>
  request<InvitationPreview>("GET", `/invitations/${id(token)}`);

export const acceptInvitation = (token: string) =>
  request<{ org: { id: string; slug: string; name: string }; member: MemberDetail }>(
    "POST",
    `/invitations/${id(token)}/accept`,
  );
