import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.js";
import { registerAuth } from "./plugins/auth.js";
import { errorResponseSchema, registerErrorHandling } from "./plugins/errors.js";
import { validatorCompiler } from "./plugins/validation.js";
import { registerWebApp } from "./plugins/web.js";
import { realtime } from "./realtime.js";
import { registerRoutes } from "./routes/index.js";
import { startSweeper } from "./sweeper.js";

export interface ServerConfig {
  /** Attempts per minute per client address on login and sign-up. */
  authRateLimit: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string | undefined;
  logger?: boolean;
  /** Trust X-Forwarded-* (behind a reverse proxy that terminates HTTPS). */
  trustProxy?: boolean;
  /** How often to record the transitions time makes (rounds past their deadline); off when absent. */
  sweepEveryMs?: number | undefined;
}

export const defaultServerConfig: ServerConfig = {
  authRateLimit: 10,
  bodyLimit: 256 * 1024,
  sweepEveryMs: 5_000,
};

export type Api = FastifyInstance;
export type TypedApi = ReturnType<FastifyInstance["withTypeProvider"]> & FastifyInstance;

const documentedErrors = Object.fromEntries(
  [400, 401, 403, 404, 409, 429].map((status) => [status, { description: "Error", ...errorResponseSchema }]),
);

export async function buildServer(ctx: AppContext, config: ServerConfig = defaultServerConfig) {
  const app = Fastify({
    logger: config.logger ? { level: process.env.LOG_LEVEL ?? "info" } : false,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Polyphony API",
        version: "1",
        description: "Distributed leadership: circles, roles, consent decisions, the governance log.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "polyphony_session" },
          token: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    // Every operation can fail the same documented way; the error shape is added to each here.
    transform: ({ schema, url }) => ({
      schema: { ...schema, response: { ...documentedErrors, ...(schema?.response as object | undefined) } },
      url,
    }),
  });
  registerAuth(app, ctx);
  await app.register(realtime, { db: ctx.db });
  await app.register(async (api) => registerRoutes(api, ctx, config), { prefix: "/api/v1" });
  app.get("/healthz", { schema: { hide: true } }, async () => {
    await ctx.db.query("SELECT 1");
    return { ok: true, storage: ctx.db.kind };
  });
  await registerWebApp(app, config.webDir);
  if (config.sweepEveryMs) startSweeper(app, ctx, config.sweepEveryMs);
  return app;
}
