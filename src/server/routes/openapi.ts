import type { FastifyInstance } from "fastify";

export function openapiRoute(api: FastifyInstance) {
  api.get("/openapi.json", { schema: { hide: true } }, async () => api.swagger());
}
