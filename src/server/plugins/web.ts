import { existsSync } from "node:fs";
import staticFiles from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * Serves the built single-page app; any non-API path that is not a file gets index.html so client-side
 * routes survive a reload. API paths that match nothing get the JSON 404.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string | undefined) {
  const serveApp = webDir !== undefined && existsSync(`${webDir}/index.html`);
  if (serveApp) await app.register(staticFiles, { root: webDir, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith("/api/") || request.url === "/healthz";
    if (serveApp && !isApi && request.method === "GET") return reply.sendFile("index.html");
    return reply.status(404).send({
      error: {
        code: "not_found",
        message: `No route ${request.method} ${request.url.split("?")[0]}`,
        details: {},
      },
    });
  });
}
