/**
 * The one way the web app talks to the server: JSON in and out, the session cookie sent by the browser,
 * the CSRF token echoed on every write, and every failure turned into an ApiError with a readable message.
 */

export type Access = "admin" | "member" | "observer";
export type CircleKind = "circle" | "committee" | "council" | "community_of_practice";
export type FillingPolicy = "election" | "rotation" | "appointment";

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Membership {
  id: string;
  slug: string;
  name: string;
  access: Access;
  memberId: string;
}

export interface Session {
  user: User;
  csrfToken: string;
  orgs: Membership[];
}

export interface Org {
  id: string;
  slug: string;
  name: string;
  purpose: string;
  me: { memberId: string; access: Access };
  can: Record<string, boolean>;
}

export interface Holder {
  assignmentId: string;
  memberId: string;
  name: string;
  startsAt: string;
  endsAt: string | null;
  shadow: boolean;
  source: string;
}

export interface Role {
  id: string;
  name: string;
  kind: string;
  leadership: boolean;
  fillingPolicy: FillingPolicy;
  termDays: number | null;
  holders: Holder[];
}

export interface Circle {
  id: string;
  name: string;
  kind: CircleKind;
  parentId: string | null;
  aim: string;
  domain: string;
  mandate: string;
  sunsetAt: string | null;
  memberCount: number;
  roles: Role[];
  can: Record<string, boolean>;
}

export interface Member {
  id: string;
  name: string;
  access: Access;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Held in memory only: the session cookie is HttpOnly, and the token comes back from /auth/me after a reload. */
let csrfToken: string | null = null;

const fallbackMessage = (status: number) =>
  status >= 500
    ? "Something went wrong on the server. Please try again in a moment."
    : `The request could not be completed (status ${status}).`;

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.message === "string" && typeof error.code === "string")
    return new ApiError(
      response.status,
      error.code,
      error.message,
      (error.details ?? {}) as Record<string, unknown>,
    );
  return new ApiError(response.status, "unexpected", fallbackMessage(response.status));
}

/** One call to the API; every typed helper (here and in the feature modules) goes through it. */
export async function request<T>(method: string, path: string, body?: unknown, isRetry = false): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: "same-origin",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, "network", "Polyphony could not be reached. Check your connection and try again.");
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  const error = await toApiError(response);
  // The token in memory can be stale (another tab logged in again); fetch the current one and retry once.
  if (!isRetry && error.details.reason === "csrf") {
    await getSession();
    return request(method, path, body, true);
  }
  throw error;
}

const remember = (session: Session) => {
  csrfToken = session.csrfToken;
  return session;
};

/** The signed-in user and their organisations, or null when nobody is logged in. */
export async function getSession(): Promise<Session | null> {
  try {
    return remember(await request<Session>("GET", "/auth/me"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      csrfToken = null;
      return null;
    }
    throw error;
  }
}

export const signUp = async (input: { name: string; email: string; password: string }) =>
  remember(await request<Session>("POST", "/auth/signup", input));

export const logIn = async (input: { email: string; password: string }) =>
  remember(await request<Session>("POST", "/auth/login", input));

export async function logOut() {
  await request<void>("POST", "/auth/logout");
  csrfToken = null;
}

export const createOrg = (input: { name: string; purpose?: string }) => request<Org>("POST", "/orgs", input);

export const orgPath = (org: string) => `/orgs/${encodeURIComponent(org)}`;

export const getOrg = (org: string) => request<Org>("GET", orgPath(org));

export const listCircles = async (org: string) =>
  (await request<{ circles: Circle[] }>("GET", `${orgPath(org)}/circles`)).circles;

/** The largest page the server gives; the overview says so when an organisation is bigger. */
const MEMBERS_PAGE = 500;

export async function listMembers(org: string) {
  const page = await request<{ members: Member[]; total?: number }>(
    "GET",
    `${orgPath(org)}/members?limit=${MEMBERS_PAGE}`,
  );
  return { members: page.members, total: page.total ?? page.members.length };
}

// Proposals, decisions, attention and the governance log. The shapes follow src/server/presenters.

export type ProposalState =
  | "draft"
  | "presented"
  | "clarifying"
  | "reactions"
  | "consent_round"
  | "objections_open"
  | "integrating"
  | "advice"
  | "adopted"
  | "withdrawn"
  | "lapsed"
  | "blocked"
  | "rejected";

export type MethodKind = "consent" | "consensus" | "advice" | "vote";

export type ProposalMethod =
  | { kind: "consent" | "consensus" }
  | { kind: "advice"; advisers: string[] }
  | { kind: "vote"; decisionClass: string; secret: boolean };

export type VoteChoice = "yes" | "no" | "abstain";

/** What a member may say in a round, by method. */
export type ResponseInput =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; reason: string; suggestedAmendment?: string | null }
  | { kind: "agree" }
  | { kind: "stand_aside"; reason?: string | null }
  | { kind: "block"; reason: string }
  | { kind: "vote"; choice: VoteChoice };

/** A response as the round keeps it; a secret vote has no choice. */
export type RecordedResponse =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; objectionId: string }
  | { kind: "agree" }
  | { kind: "stand_aside"; reason: string | null }
  | { kind: "block"; reason: string }
  | { kind: "ballot"; choice: VoteChoice }
  | { kind: "secret_ballot" };

export type Tally =
  | {
      method: "consent";
      eligible: number;
      responded: number;
      noResponse: number;
      consent: number;
      consentWithConcern: number;
      object: number;
      quorumNeeded: number;
      quorumMet: boolean;
    }
  | {
      method: "consensus";
      eligible: number;
      responded: number;
      noResponse: number;
      agree: number;
      standAside: number;
      block: number;
      quorumNeeded: number;
      quorumMet: boolean;
    }
  | {
      method: "vote";
      eligible: number;
      voted: number;
      notVoted: number;
      quorumNeeded: number;
      quorumMet: boolean;
      counts: Record<VoteChoice, number> | null;
    };

export interface Round {
  number: number;
  method: "consent" | "consensus" | "vote";
  version: number;
  participants: string[];
  openedAt: string;
  deadline: string | null;
  closedAt: string | null;
  tally: Tally;
  verdict: string | null;
  responses: (RecordedResponse & { memberId: string; at: string; current: boolean })[];
  myResponse: (RecordedResponse & { at: string }) | null;
}

export interface Version {
  number: number;
  kind: "original" | "revision" | "friendly" | "integration";
  text: string;
  by: string;
  at: string;
}

export interface Objection {
  id: string;
  round: number;
  version: number;
  memberId: string;
  reason: string;
  suggestedAmendment: string | null;
  raisedAt: string;
  status: "open" | "integrated" | "withdrawn" | "overruled";
  resolution: {
    outcome: "integrated" | "withdrawn" | "overruled";
    by?: "amendment" | "shorter_term" | "measure";
    version?: number;
    reviewMonths?: number;
    measure?: string;
    circleConsent?: { consentedBy: string[]; record: string };
    at: string;
  } | null;
  can: { withdraw: boolean; integrate: boolean; overrule: boolean };
}

export interface Decision {
  proposalId: string;
  circleId: string;
  method: string;
  version: number;
  text: string;
  adoptedAt: string;
  reviewMonths: number;
  reviewAt: string;
  /** Objections integrated by an earlier review date. */
  termShortenedBy: string[];
  concerns: { memberId: string; concern: string }[];
  measures: { objectionId: string; memberId: string; measure: string }[];
  advice: {
    rationale: string;
    notAdvised: string[];
    given: { adviserId: string; text: string; at: string }[];
  } | null;
}

export interface ProposalCan {
  present: boolean;
  advance: boolean;
  askQuestion: boolean;
  answerQuestion: boolean;
  react: boolean;
  amend: boolean;
  openConsentRound: boolean;
  respond: boolean;
  decide: boolean;
  resolveObjections: boolean;
  giveAdvice: boolean;
  decideAfterAdvice: boolean;
  withdraw: boolean;
}

export interface Proposal {
  id: string;
  circleId: string;
  authorId: string;
  facilitatorIds: string[];
  title: string;
  method: ProposalMethod;
  state: ProposalState;
  phase: { enteredAt: string; deadline: string | null };
  reviewMonths: number;
  review: { of: string; intent: "keep" | "amend" | "retire" } | null;
  createdAt: string;
  currentVersion: Version;
  versions: Version[];
  questions: {
    id: string;
    askedBy: string;
    text: string;
    askedAt: string;
    answer: { by: string; text: string; at: string } | null;
  }[];
  reactions: { memberId: string; text: string; at: string }[];
  round: Round | null;
  rounds: Round[];
  objections: Objection[];
  openObjections: number;
  advice: { adviserId: string; text: string; at: string }[];
  decision: Decision | null;
  can: ProposalCan;
}

export interface ProposalFilter {
  states?: readonly ProposalState[];
  circleId?: string;
  needsMyResponse?: boolean;
}

export interface NewProposal {
  circleId: string;
  title: string;
  text: string;
  method?:
    | { kind: "consent" | "consensus" }
    | { kind: "advice"; advisers: string[] }
    | {
        kind: "vote";
        decisionClass: string;
      };
  reviewMonths?: number;
}

export type AdvanceTarget =
  | "presented"
  | "advice"
  | "clarifying"
  | "reactions"
  | "consent_round"
  | "integrating"
  | "withdrawn"
  | "decided";

export type ObjectionResolution =
  | { outcome: "integrated"; by: "amendment"; version: number }
  | { outcome: "integrated"; by: "shorter_term"; reviewMonths: number }
  | { outcome: "integrated"; by: "measure"; measure: string }
  | { outcome: "withdrawn" }
  | { outcome: "overruled"; circleConsent: { consentedBy: string[]; record: string } };

export interface DiffPart {
  op: "equal" | "insert" | "delete";
  text: string;
}

export interface DecisionRecord extends Decision {
  title: string;
  circleName: string;
  status: "active" | "superseded" | "retired";
  dueForReview: boolean;
  openReview: string | null;
  can: { review: boolean };
}

export type AttentionKind = "respond" | "advise" | "facilitate" | "answer_questions" | "review_decision";

export interface AttentionItem {
  kind: AttentionKind | (string & {});
  proposalId: string | null;
  decisionId: string | null;
  circleId: string;
  title: string;
  reason: string;
  due: string | null;
}

export interface LogEntry {
  seq: number;
  type: string;
  actor: string | null;
  actorName: string | null;
  payload: Record<string, unknown>;
  at: string;
}

/** The live tally the event stream sends while members respond (a view, not a log entry). */
export interface TallyUpdate {
  proposalId: string;
  state: ProposalState;
  round: number;
  tally: Tally;
}

const proposalsPath = (org: string, path = "") => `${orgPath(org)}/proposals${path}`;

export async function listProposals(org: string, filter: ProposalFilter = {}) {
  const query = new URLSearchParams({ limit: "100" });
  if (filter.states?.length) query.set("state", filter.states.join(","));
  if (filter.circleId) query.set("circleId", filter.circleId);
  if (filter.needsMyResponse) query.set("needsMyResponse", "true");
  return request<{ proposals: Proposal[]; hasMore: boolean }>("GET", `${proposalsPath(org)}?${query}`);
}

export const getProposal = (org: string, id: string) =>
  request<Proposal>("GET", proposalsPath(org, `/${id}`));

export const createProposal = (org: string, input: NewProposal) =>
  request<Proposal>("POST", proposalsPath(org), input);

export const getDiff = (org: string, id: string, from: number, to: number) =>
  request<{ parts: DiffPart[] }>("GET", proposalsPath(org, `/${id}/diff?from=${from}&to=${to}`));

export const advanceProposal = (
  org: string,
  id: string,
  input: { to: AdvanceTarget; deadline?: string | null },
) => request<Proposal>("POST", proposalsPath(org, `/${id}/advance`), input);

export const askQuestion = (org: string, id: string, text: string) =>
  request<Proposal>("POST", proposalsPath(org, `/${id}/questions`), { text });

export const answerQuestion = (org: string, id: string, questionId: string, text: string) =>
  request<Proposal>("POST", proposalsPath(org, `/${id}/questions/${questionId}/answer`), { text });

export const react = (org: string, id: string, text: string) =>
  request<Proposal>("POST", proposalsPath(org, `/${id}/reactions`), { text });

export const amendProposal = (org: string, id: string, text: string) =>
  request<Proposal>("POST", proposalsPath(org, `/${id}/amendments`), { text });

export const respond = (org: string, id: string, response: ResponseInput) =>
  request<{ proposalId: string; state: ProposalState }>(
    "POST",
    proposalsPath(org, `/${id}/responses`),
    response,
  );

export const resolveObjection = (
  org: string,
  id: string,
  objectionId: string,
  resolution: ObjectionResolution,
) => request<Proposal>("POST", proposalsPath(org, `/${id}/objections/${objectionId}/resolve`), resolution);

export const giveAdvice = (org: string, id: string, text: string) =>
  request<Proposal>("POST", proposalsPath(org, `/${id}/advice`), { text });

export const decideAfterAdvice = (
  org: string,
  id: string,
  input: { outcome: "proceed" | "abandon"; rationale: string },
) => request<Proposal>("POST", proposalsPath(org, `/${id}/decision`), input);

export const listDecisions = async (org: string) =>
  (await request<{ decisions: DecisionRecord[] }>("GET", `${orgPath(org)}/decisions?limit=100`)).decisions;

export const reviewDecision = (org: string, decisionId: string, intent: "keep" | "amend" | "retire") =>
  request<Proposal>("POST", `${orgPath(org)}/decisions/${decisionId}/review`, { intent });

export const getAttention = async (org: string) =>
  (await request<{ items: AttentionItem[] }>("GET", `${orgPath(org)}/attention`)).items;

/** The newest entries of the governance log, newest first. */
export async function recentLog(org: string, count: number): Promise<LogEntry[]> {
  const page: { entries: LogEntry[] } = await request(
    "GET",
    `${orgPath(org)}/log?newestFirst=true&limit=${count}`,
  );
  return page.entries;
}

/** The address of the organisation's live event stream (Server-Sent Events, sent with the session cookie). */
export const eventsUrl = (org: string) => `/api/v1${orgPath(org)}/events`;
