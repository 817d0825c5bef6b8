import { conflict, DomainError, invalid, notFound } from "../core/errors.js";
import { isUniqueViolation } from "../db/database.js";
import { batchedReads, perOwner } from "./batched-reads.js";
import type { AppContext } from "./context.js";
import { dummyPasswordHash, hashPassword, newSecret, passwordMatches, secretKey } from "./secrets.js";
import { type OrgViewer, orgRefColumns, toOrgViewer, type ViewerRow, viewerColumns } from "./viewer.js";

export const SESSION_DAYS = 30;
export const PASSWORD_MIN_LENGTH = 10;

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  created_at: Date;
  password_hash: string;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  createdAt: row.created_at,
});

export interface Session {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

async function startSession(ctx: AppContext, userId: string): Promise<Session> {
  const token = newSecret("ps_");
  const csrfToken = newSecret();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await ctx.db.query(
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    [secretKey(token), userId, csrfToken, now, expiresAt],
  );
  return { token, csrfToken, expiresAt };
}

export async function signUp(ctx: AppContext, input: { email: string; name: string; password: string }) {
  if (input.password.length < PASSWORD_MIN_LENGTH)
    throw invalid(`A password has at least ${PASSWORD_MIN_LENGTH} characters`, { field: "password" });
  const passwordHash = await hashPassword(input.password);
  const id = ctx.newId();
  try {
    await ctx.db.query(
      "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
      [id, input.email.trim(), input.name.trim(), passwordHash, ctx.now()],
    );
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("An account with this email exists; log in instead", { field: "email" });
    throw error;
  }
  const user: User = { id, email: input.email.trim(), name: input.name.trim(), createdAt: ctx.now() };
  return { user, session: await startSession(ctx, id) };
}

export async function logIn(ctx: AppContext, input: { email: string; password: string }) {
  const { rows } = await ctx.db.query<UserRow>("SELECT * FROM users WHERE lower(email) = lower($1)", [
    input.email.trim(),
  ]);
  const row = rows[0];
  const matches = await passwordMatches(row?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (!row || !matches) throw new DomainError("unauthenticated", "Email or password is wrong");
  return { user: toUser(row), session: await startSession(ctx, row.id) };
}

export async function logOut(ctx: AppContext, sessionToken: string) {
  await ctx.db.query("DELETE FROM sessions WHERE token_hash = $1", [secretKey(sessionToken)]);
}

export interface Authenticated {
  user: User;
  via: "session" | "token";
  /** Only for cookie sessions: the value a write must echo in X-CSRF-Token. */
  csrfToken: string | null;
}

const sessionReader = perOwner((ctx: AppContext) =>
  batchedReads<string, Authenticated | null>(
    async (tokens) => {
      const hashes = tokens.map(secretKey);
      const { rows } = await ctx.db.query<UserRow & { token_hash: string; csrf_token: string }>(
        `SELECT u.*, s.token_hash, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ANY($1::text[]) AND s.expires_at > $2`,
        [hashes, ctx.now()],
      );
      const byHash = new Map(rows.map((row) => [row.token_hash, row]));
      return hashes.map((hash) => {
        const row = byHash.get(hash);
        return row ? { user: toUser(row), via: "session" as const, csrfToken: row.csrf_token } : null;
      });
    },
    (token) => token,
  ),
);

/** The user behind a session token, if the session is live (read together with concurrent requests). */
export const authenticateSession = (ctx: AppContext, token: string): Promise<Authenticated | null> =>
  sessionReader(ctx).load(token);

/** A session's caller and, for a request inside an organisation, who they are in it (or why they are not). */
export interface AuthenticatedIn {
  auth: Authenticated;
  orgViewer: OrgViewer | Error;
}

interface SessionInKey {
  token: string;
  orgRef: string;
  now: Date;
}

/** Each wanted (session, organisation, moment): the session's user, and the viewer row when a member. */
const LOAD_SESSIONS_IN = `
WITH wanted AS (
  SELECT * FROM unnest($1::int[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[]) AS w(i, token_hash, org_id, slug, at))
SELECT w.i, s.csrf_token, u.id AS user_id, u.email AS user_email, u.name AS user_name, u.created_at AS user_created_at,
  v.*
FROM wanted w
JOIN sessions s ON s.token_hash = w.token_hash AND s.expires_at > w.at
JOIN users u ON u.id = s.user_id
LEFT JOIN LATERAL (
  SELECT ${viewerColumns("w.at")}
  FROM orgs o JOIN members m ON m.org_id = o.id AND m.user_id = u.id AND m.archived_at IS NULL
  WHERE o.id = w.org_id OR o.slug = w.slug) v ON TRUE`;

type SessionInRow = Partial<ViewerRow> & {
  i: number;
  csrf_token: string;
  user_id: string;
  user_email: string;
  user_name: string;
  user_created_at: Date;
};

const sessionInReader = perOwner((ctx: AppContext) =>
  batchedReads<SessionInKey, AuthenticatedIn | null>(
    async (keys) => {
      const refs = keys.map((k) => orgRefColumns(k.orgRef));
      const { rows } = await ctx.db.query<SessionInRow>(LOAD_SESSIONS_IN, [
        keys.map((_, i) => i),
        keys.map((k) => secretKey(k.token)),
        refs.map((ref) => ref.id),
        refs.map((ref) => ref.slug),
        keys.map((k) => k.now),
      ]);
      const byIndex = new Map(rows.map((row) => [row.i, row]));
      return keys.map((key, i) => {
        const row = byIndex.get(i);
        if (!row) return null;
        const user = {
          id: row.user_id,
          email: row.user_email,
          name: row.user_name,
          createdAt: row.user_created_at,
        };
        return {
          auth: { user, via: "session" as const, csrfToken: row.csrf_token },
          orgViewer: row.id ? toOrgViewer(row as ViewerRow) : notFound("Organisation", key.orgRef),
        };
      });
    },
    (key) => `${key.token} ${key.orgRef} ${key.now.getTime()}`,
  ),
);

/**
 * As `authenticateSession`, for a request inside an organisation: who the session's user is there comes
 * back from the same read, so a request costs one round trip before its work rather than two.
 */
export const authenticateSessionIn = (ctx: AppContext, token: string, orgRef: string, now: Date) =>
  sessionInReader(ctx).load({ token, orgRef, now });

export async function authenticateToken(ctx: AppContext, token: string): Promise<Authenticated | null> {
  const { rows } = await ctx.db.query<UserRow>(
    `UPDATE api_tokens t SET last_used_at = $2 FROM users u
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id
     RETURNING u.id, u.email, u.name, u.created_at, u.password_hash`,
    [secretKey(token), ctx.now()],
  );
  const row = rows[0];
  return row ? { user: toUser(row), via: "token", csrfToken: null } : null;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Creates an API token; the secret is returned once and only its hash is kept. */
export async function createApiToken(ctx: AppContext, userId: string, name: string) {
  const secret = newSecret("pt_");
  const id = ctx.newId();
  const now = ctx.now();
  await ctx.db.query(
    "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    [id, userId, name.trim(), secretKey(secret), now],
  );
  const token: ApiToken = { id, name: name.trim(), createdAt: now, lastUsedAt: null, revokedAt: null };
  return { token, secret };
}

export async function listApiTokens(ctx: AppContext, userId: string): Promise<ApiToken[]> {
  const { rows } = await ctx.db.query<{
    id: string;
    name: string;
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  }>(
    "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

export async function revokeApiToken(ctx: AppContext, userId: string, tokenId: string) {
  const { rowCount } = await ctx.db.query(
    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND user_id = $2",
    [tokenId, userId, ctx.now()],
  );
  if (rowCount === 0) throw new DomainError("not_found", "Token not found", { id: tokenId });
}
