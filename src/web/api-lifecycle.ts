/**
 * How roles change hands and authority is held: elections (sociocratic selections), rotation, rotas and
 * crisis authority. The shapes follow src/server/presenters (selection, rotation, rota, crisis).
 */
import { orgPath, request } from "./api.js";

// Elections

export type ElectionState =
  | "describing"
  | "qualifying"
  | "nominating"
  | "changing"
  | "proposing"
  | "consent_round"
  | "integrating"
  | "elected"
  | "cancelled";

export interface Nomination {
  nominatorId: string;
  nomineeId: string;
  reason: string;
  at: string;
  round: "nominating" | "changing";
}

export interface NomineeProposal {
  number: number;
  nomineeId: string;
  reasons: string;
  termDays: number;
  proposedBy: string;
  at: string;
}

export type NomineeResponseInput =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; reason: string };

export type NomineeResponse =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; objectionId: string };

export interface ElectionTally {
  eligible: number;
  responded: number;
  noResponse: number;
  consent: number;
  consentWithConcern: number;
  object: number;
  quorumNeeded: number;
  quorumMet: boolean;
}

export interface ElectionRound {
  number: number;
  proposal: number;
  nomineeId: string;
  termDays: number;
  participants: string[];
  openedAt: string;
  deadline: string | null;
  closedAt: string | null;
  tally: ElectionTally;
  responses: (NomineeResponse & { memberId: string; at: string; current: boolean })[];
  myResponse: (NomineeResponse & { at: string }) | null;
}

export interface ElectionObjection {
  id: string;
  proposal: number;
  round: number;
  memberId: string;
  reason: string;
  raisedAt: string;
  resolution:
    | ((
        | { outcome: "integrated"; by: "shorter_term"; termDays: number }
        | { outcome: "withdrawn" }
        | { outcome: "superseded" }
      ) & { resolvedBy: string; at: string })
    | null;
  can: { withdraw: boolean; integrate: boolean };
}

export interface ElectionCan {
  agreeTerm: boolean;
  agreeQualifications: boolean;
  nominate: boolean;
  revealNominations: boolean;
  closeChanges: boolean;
  propose: boolean;
  openConsentRound: boolean;
  respond: boolean;
  decide: boolean;
  resolveObjections: boolean;
  cancel: boolean;
}

export interface Election {
  id: string;
  roleId: string;
  circleId: string;
  startedBy: string;
  facilitatorIds: string[];
  participants: string[];
  state: ElectionState;
  phase: { enteredAt: string; deadline: string | null };
  term: { days: number; description: string | null };
  qualifications: string[];
  /** Only the viewer's own until the reveal; everyone's, changes included, from then on. */
  nominations: Nomination[];
  revealedAt: string | null;
  nominationCounts: { nomineeId: string; count: number }[];
  proposal: NomineeProposal | null;
  proposals: NomineeProposal[];
  termInForce: number | null;
  round: ElectionRound | null;
  rounds: ElectionRound[];
  objections: ElectionObjection[];
  openObjections: number;
  outcome: { memberId: string; termDays: number; startsAt: string; endsAt: string } | null;
  createdAt: string;
  can: ElectionCan;
}

export type ElectionAdvance =
  | { to: "qualifying"; termDays?: number; description?: string | null; deadline?: string | null }
  | { to: "nominating"; qualifications?: string[]; deadline?: string | null }
  | { to: "changing"; deadline?: string | null }
  | { to: "proposing" }
  | { to: "consent_round"; deadline?: string | null }
  | { to: "decided" };

const electionsPath = (org: string, path = "") => `${orgPath(org)}/elections${path}`;

export const listElections = (org: string, filter: { circleId?: string } = {}) => {
  const query = new URLSearchParams({ limit: "100" });
  if (filter.circleId) query.set("circleId", filter.circleId);
  return request<{ elections: Election[]; hasMore: boolean }>("GET", `${electionsPath(org)}?${query}`);
};

export const getElection = (org: string, id: string) =>
  request<Election>("GET", electionsPath(org, `/${id}`));

export const startElection = (org: string, input: { roleId: string; termDays?: number }) =>
  request<Election>("POST", electionsPath(org), input);

export const advanceElection = (org: string, id: string, input: ElectionAdvance) =>
  request<Election>("POST", electionsPath(org, `/${id}/advance`), input);

export const nominate = (org: string, id: string, input: { nomineeId: string; reason: string }) =>
  request<Election>("POST", electionsPath(org, `/${id}/nominations`), input);

export const proposeNominee = (
  org: string,
  id: string,
  input: { nomineeId: string; reasons: string; termDays?: number },
) => request<Election>("POST", electionsPath(org, `/${id}/proposal`), input);

export const respondToNominee = (org: string, id: string, response: NomineeResponseInput) =>
  request<Election>("POST", electionsPath(org, `/${id}/responses`), response);

export const resolveElectionObjection = (
  org: string,
  id: string,
  objectionId: string,
  resolution: { outcome: "integrated"; by: "shorter_term"; termDays: number } | { outcome: "withdrawn" },
) => request<Election>("POST", electionsPath(org, `/${id}/objections/${objectionId}/resolve`), resolution);

export const cancelElection = (org: string, id: string) =>
  request<Election>("POST", electionsPath(org, `/${id}/cancel`));

// Rotation

export interface ScorePart {
  factor: "skill" | "interest" | "recency" | "load" | "hours" | "shadowing" | "term_limit";
  points: number;
  reason: string;
}

export interface Candidate {
  memberId: string;
  name: string | null;
  eligible: boolean;
  score: number;
  parts: ScorePart[];
  ineligibility: { code: string; reason: string }[];
}

export type RotationMode = "consent" | "automatic";

export interface Candidates {
  role: { id: string; name: string; circleId: string; circleName: string; rotationMode: RotationMode };
  ranked: Candidate[];
  ineligible: Candidate[];
}

export type RotationOutcome = {
  candidate: Candidate;
  ranking: Candidate[];
} & (
  | { mode: "consent"; proposal: { id: string; title: string; state: string } }
  | { mode: "automatic"; assignment: { id: string; name: string; startsAt: string; endsAt: string | null } }
);

/** Why a rotating role is due: its term ends soon, has ended with no one to follow, or nobody holds it. */
export type DueReason = "ending_soon" | "past_term" | "vacant";

export interface RotationPlan {
  dueRoles: number;
  totalScore: number;
  assignments: {
    roleId: string;
    roleName: string | null;
    circleId: string | null;
    circleName: string | null;
    due: DueReason | null;
    memberId: string;
    name: string | null;
    score: number;
    parts: ScorePart[];
    memberNewRoles: number;
  }[];
  unfilled: {
    roleId: string;
    roleName: string | null;
    circleId: string | null;
    circleName: string | null;
    due: DueReason | null;
    reason: "no_eligible_member" | "members_needed_elsewhere";
    explanation: string;
    eligibleMembers: string[];
  }[];
}

export interface DueTerm {
  roleId: string;
  roleName: string;
  circleId: string;
  circleName: string;
  fillingPolicy: string;
  assignmentId: string;
  memberId: string;
  name: string;
  endsAt: string;
  state: "ending_soon" | "past_term";
}

export const getCandidates = (org: string, roleId: string) =>
  request<Candidates>("GET", `${orgPath(org)}/roles/${roleId}/candidates`);

export const rotateRole = (org: string, roleId: string, input: { mode?: RotationMode } = {}) =>
  request<RotationOutcome>("POST", `${orgPath(org)}/roles/${roleId}/rotate`, input);

export const getRotationPlan = (org: string) => request<RotationPlan>("GET", `${orgPath(org)}/rotation/plan`);

export const getTermsDue = async (org: string) =>
  (await request<{ terms: DueTerm[] }>("GET", `${orgPath(org)}/terms/due`)).terms;

// Rotas

export interface RotaTurn {
  id: string;
  slotOf: string;
  memberId: string;
  at: string;
  skipped: boolean;
  swapId: string | null;
}

export interface RotaSwap {
  id: string;
  from: string;
  to: string;
  requestedAt: string;
  state: "pending" | "accepted" | "declined" | "cancelled";
  settledAt: string | null;
}

export interface Rota {
  id: string;
  circleId: string;
  roleId: string;
  order: string[];
  next: { slotOf: string; memberId: string; swapId: string | null };
  turns: RotaTurn[];
  swaps: RotaSwap[];
  can: {
    reorder: boolean;
    takeTurn: boolean;
    skip: boolean;
    requestSwap: boolean;
    /** The pending swaps the viewer may accept or decline. */
    answerSwaps: string[];
    /** The pending swaps the viewer may take back. */
    cancelSwaps: string[];
  };
}

export type SwapAnswer = "accept" | "decline" | "cancel";

const rotasPath = (org: string, path = "") => `${orgPath(org)}/rotas${path}`;

export const listRotas = async (org: string) =>
  (await request<{ rotas: Rota[] }>("GET", `${rotasPath(org)}?limit=100`)).rotas;

export const startRota = (org: string, input: { roleId: string; order: string[] }) =>
  request<Rota>("POST", rotasPath(org), input);

export const takeRotaTurn = (org: string, id: string) =>
  request<Rota>("POST", rotasPath(org, `/${id}/turns`));

export const skipRotaTurn = (org: string, id: string) => request<Rota>("POST", rotasPath(org, `/${id}/skip`));

export const askRotaSwap = (org: string, id: string, withMember: string) =>
  request<Rota>("POST", rotasPath(org, `/${id}/swaps`), { with: withMember });

export const settleRotaSwap = (org: string, id: string, swapId: string, answer: SwapAnswer) =>
  request<Rota>("POST", rotasPath(org, `/${id}/swaps/${swapId}/${answer}`));

// Crises

export type CrisisState = "active" | "under_review" | "closed";

export type CrisisDecisionStatus = "in_force" | "awaiting_ratification" | "ratified" | "revoked";

export interface CrisisDecision {
  id: string;
  text: string;
  by: string;
  at: string;
  status: CrisisDecisionStatus;
  resolution: { outcome: "ratified" | "revoked"; proposalId: string; at: string } | null;
}

export interface Crisis {
  id: string;
  circleId: string;
  holderId: string;
  scope: string;
  grant: { by: "consent"; proposalId: string } | { by: "expedited"; grantedBy: [string, string] };
  grantedAt: string;
  grantedUntil: string;
  /** An expedited grant lapses unless the circle ratifies it by then. */
  ratifyBy: string | null;
  ratification: { proposalId: string; at: string } | null;
  extensions: { proposalId: string; previousEndsAt: string; endsAt: string; at: string }[];
  release: { by: string; at: string } | null;
  state: CrisisState;
  activeNow: boolean;
  /** When the authority ends or ended: its end time, or earlier on release or an unratified grant. */
  endsAt: string;
  endReason: "released" | "expired" | "unratified" | null;
  /** Milliseconds left by the server's clock when it answered; 0 once ended. */
  countdownMs: number;
  decisions: CrisisDecision[];
  can: {
    recordDecision: boolean;
    release: boolean;
    proposeRatification: boolean;
    proposeExtension: boolean;
    proposeDecisionReview: boolean;
  };
}

const crisesPath = (org: string, path = "") => `${orgPath(org)}/crises${path}`;

export const listCrises = async (org: string, state?: CrisisState) =>
  (
    await request<{ crises: Crisis[] }>(
      "GET",
      `${crisesPath(org)}?limit=100${state ? `&state=${state}` : ""}`,
    )
  ).crises;

export interface CrisisGrant {
  circleId: string;
  holderId: string;
  scope: string;
  endsAt: string;
  grant: Crisis["grant"];
}

export const grantCrisis = (org: string, input: CrisisGrant) =>
  request<Crisis>("POST", crisesPath(org), input);

export const getCrisis = (org: string, id: string) => request<Crisis>("GET", crisesPath(org, `/${id}`));

export const recordCrisisDecision = (org: string, id: string, text: string) =>
  request<Crisis>("POST", crisesPath(org, `/${id}/decisions`), { text });

export const releaseCrisis = (org: string, id: string) =>
  request<Crisis>("POST", crisesPath(org, `/${id}/release`));

export const ratifyCrisis = (org: string, id: string, proposalId: string) =>
  request<Crisis>("POST", crisesPath(org, `/${id}/ratify`), { proposalId });

export const extendCrisis = (org: string, id: string, input: { proposalId: string; endsAt: string }) =>
  request<Crisis>("POST", crisesPath(org, `/${id}/extend`), input);

export const resolveCrisisDecision = (
  org: string,
  id: string,
  decisionId: string,
  input: { outcome: "ratified" | "revoked"; proposalId: string },
) => request<Crisis>("POST", crisesPath(org, `/${id}/decisions/${decisionId}/resolve`), input);
