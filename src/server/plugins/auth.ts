import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type Authenticated,
  authenticateSession,
  authenticateSessionIn,
  authenticateToken,
  SESSION_DAYS,
  type Session,
} from "../../app/accounts.js";
import type { AppContext } from "../../app/context.js";
import { loadViewer, type OrgViewer } from "../../app/viewer.js";
import { DomainError } from "../../core/errors.js";

export const SESSION_COOKIE = "polyphony_session";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    auth: Authenticated | null;
    /** For a route inside an organisation (`:org`), who the caller is there; see `orgViewerOf`. */
    orgViewer: (() => Promise<OrgViewer>) | null;
  }
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Signing up and logging in start a session; there is none to forge yet.
const CSRF_EXEMPT = new Set(["/api/v1/auth/signup", "/api/v1/auth/login"]);

/**
 * Who is calling: a session cookie (browsers) or `Authorization: Bearer` (CLI, integrations).
 * A cookie-authenticated write must echo the session's CSRF token in X-CSRF-Token.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest("auth", null);
  app.decorateRequest("orgViewer", null);
  app.addHook("preHandler", async (request) => {
    const orgRef = (request.params as { org?: unknown } | undefined)?.org;
    const inOrg = typeof orgRef === "string" ? orgRef : null;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const auth = match?.[1] ? await authenticateToken(ctx, match[1]) : null;
      if (!auth) throw new DomainError("unauthenticated", "The API token is not valid");
      request.auth = auth;
      if (inOrg) request.orgViewer = once(() => loadViewer(ctx.db, inOrg, auth.user.id, ctx.now()));
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    if (inOrg) {
      // Inside an organisation the session and the member are read together: one round trip, not two.
      const found = await authenticateSessionIn(ctx, cookie, inOrg, ctx.now());
      request.auth = found?.auth ?? null;
      const orgViewer = found?.orgViewer;
      if (orgViewer)
        request.orgViewer = () =>
          orgViewer instanceof Error ? Promise.reject(orgViewer) : Promise.resolve(orgViewer);
    } else request.auth = await authenticateSession(ctx, cookie);
    const path = request.routeOptions.url ?? request.url;
    if (request.auth && UNSAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(path)) {
      if (request.headers[CSRF_HEADER] !== request.auth.csrfToken)
        throw new DomainError("forbidden", "Missing or wrong CSRF token (send X-CSRF-Token from /auth/me)", {
          reason: "csrf",
        });
    }
  });
}

export function requireAuth(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new DomainError("unauthenticated", "Log in first");
  return request.auth;
}

/**
 * The organisation of the route's `:org` and who the caller is in it; "not found" when they are not an
 * active member (other organisations' existence is not revealed).
 */
export function orgViewerOf(request: FastifyRequest): Promise<OrgViewer> {
  requireAuth(request);
  if (!request.orgViewer) throw new Error(`The route ${request.routeOptions.url} has no :org`);
  return request.orgViewer();
}

/** A function that runs `load` on its first call and gives every call the same promise. */
function once<T>(load: () => Promise<T>) {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: Session) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}
