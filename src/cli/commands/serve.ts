import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Command } from "commander";
import { systemContext } from "../../app/context.js";
import { demoExists, seedDemoIntoEmptyStore } from "../../app/demo.js";
import { migrate } from "../../db/migrate.js";
import { buildServer, defaultServerConfig } from "../../server/app.js";
import { openStore, parsePort, readConfig } from "../config.js";
import { printDemoAccounts } from "./seed-demo.js";

/** How long open connections get to finish after SIGINT or SIGTERM before the process quits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export function configureServeCommand(program: Command) {
  program
    .command("serve")
    .description("Serve the API and the web app; migrates first and seeds the demo into an empty store")
    .option("--port <port>", "port to listen on (default: PORT or 3000)")
    .option("--host <address>", "address to listen on (default: HOST or 127.0.0.1)")
    .option("--no-demo", "do not seed the demo organisation into an empty store")
    .action(async (options: { port?: string; host?: string; demo: boolean }) => {
      const config = readConfig();
      const port = options.port === undefined ? config.port : parsePort(options.port);
      const host = options.host ?? config.host;
      const store = await openStore(config);
      const ctx = systemContext(store.db);
      let server: Awaited<ReturnType<typeof buildServer>> | undefined;
      try {
        await migrate(store.db);
        const seeded = options.demo ? await seedDemoIntoEmptyStore(ctx) : { seeded: false };
        if (seeded.seeded) console.log("The store was empty: seeded the demo organisation.");
        server = await buildServer(ctx, { ...defaultServerConfig, webDir: config.webDir, logger: true });
        await server.listen({ port, host });
      } catch (error) {
        await server?.close();
        await store.close();
        throw error;
      }
      const running = server;
      const { port: boundPort } = running.server.address() as AddressInfo;
      console.log(`\nPolyphony is running at ${urlOf(host, boundPort)} (data: ${store.location})`);
      if (!existsSync(`${config.webDir}/index.html`))
        console.log('The web app is not built ("npm run build"); the API is at /api/v1.');
      if (await demoExists(store.db)) printDemoAccounts();

      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        console.log(`${signal}: finishing open requests and closing.`);
        setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
        await running.close();
        await store.close();
      };
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(signal));
    });
}

function urlOf(host: string, port: number) {
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
