import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../app/context.js";
import type { ServerConfig } from "../app.js";
import { authRoutes } from "./auth.js";
import { openapiRoute } from "./openapi.js";
import { orgRoutes } from "./orgs.js";

/** Every resource registers here, under /api/v1. */
export async function registerRoutes(api: FastifyInstance, ctx: AppContext, config: ServerConfig) {
  await authRoutes(api, ctx, config);
  await orgRoutes(api, ctx);
  openapiRoute(api);
}
