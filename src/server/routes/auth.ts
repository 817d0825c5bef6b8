import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { createApiToken, listApiTokens, logIn, logOut, revokeApiToken, signUp } from "../../app/accounts.js";
import type { AppContext } from "../../app/context.js";
import { listOrgsOf } from "../../app/orgs.js";
import type { ServerConfig } from "../app.js";
import { clearSessionCookie, requireAuth, SESSION_COOKIE, setSessionCookie } from "../plugins/auth.js";
import { presentToken, presentUser } from "../presenters/user.js";
import { Body, Id, ShortText } from "../schemas.js";

const Email = Type.String({ format: "email", maxLength: 254 });
const Password = Type.String({ minLength: 1, maxLength: 200 });

const SignUpBody = Body({ email: Email, name: ShortText(100), password: Password });
const LogInBody = Body({ email: Email, password: Password });
const TokenBody = Body({ name: ShortText(100) });

export async function authRoutes(api: FastifyInstance, ctx: AppContext, config: ServerConfig) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const limited = { rateLimit: { max: config.authRateLimit, timeWindow: 60_000 } };
  const tags = ["auth"];

  r.post(
    "/auth/signup",
    { config: limited, schema: { tags, summary: "Create an account and log in", body: SignUpBody } },
    async (request, reply) => {
      const { user, session } = await signUp(ctx, request.body);
      setSessionCookie(request, reply, session);
      return reply.status(201).send({ user: presentUser(user), csrfToken: session.csrfToken, orgs: [] });
    },
  );

  r.post(
    "/auth/login",
    { config: limited, schema: { tags, summary: "Log in with email and password", body: LogInBody } },
    async (request, reply) => {
      const { user, session } = await logIn(ctx, request.body);
      setSessionCookie(request, reply, session);
      return { user: presentUser(user), csrfToken: session.csrfToken, orgs: await listOrgsOf(ctx, user.id) };
    },
  );

  r.post("/auth/logout", { schema: { tags, summary: "End this session" } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await logOut(ctx, token);
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  r.get(
    "/auth/me",
    { schema: { tags, summary: "Who am I, my organisations, my CSRF token" } },
    async (request) => {
      const auth = requireAuth(request);
      return {
        user: presentUser(auth.user),
        csrfToken: auth.csrfToken,
        via: auth.via,
        orgs: await listOrgsOf(ctx, auth.user.id),
      };
    },
  );

  r.get(
    "/auth/tokens",
    { schema: { tags, summary: "My API tokens (never their secrets)" } },
    async (request) => {
      const auth = requireAuth(request);
      return { tokens: (await listApiTokens(ctx, auth.user.id)).map(presentToken) };
    },
  );

  r.post(
    "/auth/tokens",
    {
      schema: {
        tags,
        summary: "Create an API token; the secret is shown only in this response",
        body: TokenBody,
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const { token, secret } = await createApiToken(ctx, auth.user.id, request.body.name);
      return reply.status(201).send({ token: presentToken(token), secret });
    },
  );

  r.delete(
    "/auth/tokens/:tokenId",
    { schema: { tags, summary: "Revoke an API token", params: Type.Object({ tokenId: Id }) } },
    async (request, reply) => {
      const auth = requireAuth(request);
      await revokeApiToken(ctx, auth.user.id, request.params.tokenId);
      return reply.status(204).send();
    },
  );
}
