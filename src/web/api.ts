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

async function request<T>(method: string, path: string, body?: unknown, isRetry = false): Promise<T> {
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

const orgPath = (org: string) => `/orgs/${encodeURIComponent(org)}`;

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
