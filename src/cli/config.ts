import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { conflict, invalid } from "../core/errors.js";
import { type Database, openDatabase } from "../db/database.js";

/** What the environment says about where Polyphony runs and keeps its data. */
export interface CliConfig {
  port: number;
  host: string;
  /** PostgreSQL connection string; without it the embedded PGlite store in `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The built web app (served when present). */
  webDir: string;
}

export const ENVIRONMENT_HELP = `
Environment:
  PORT                port to listen on (default 3000)
  HOST                address to listen on (default 127.0.0.1, this machine only;
                      set HOST=0.0.0.0 to accept connections from other machines)
  DATABASE_URL        PostgreSQL connection string; without it, data is kept in an
                      embedded PostgreSQL (PGlite) under POLYPHONY_DATA_DIR
  POLYPHONY_DATA_DIR  folder of the embedded store (default ./data)
  LOG_LEVEL           server log level (default info)`;

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return {
    port: parsePort(env.PORT ?? "3000"),
    host: env.HOST || "127.0.0.1",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.POLYPHONY_DATA_DIR || "data"),
    webDir: fileURLToPath(new URL("../../dist/web", import.meta.url)),
  };
}

export function parsePort(value: string) {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw invalid(`"${value}" is not a port number (0 to 65535)`);
  return port;
}

export interface Store {
  db: Database;
  /** Where the data is, for messages. */
  location: string;
  close: () => Promise<void>;
}

/**
 * Opens the configured store. `existing` refuses to create an empty one (a mistyped data folder would
 * otherwise look like an organisation-less store).
 */
export async function openStore(config: CliConfig, options: { existing?: boolean } = {}): Promise<Store> {
  if (config.databaseUrl) {
    const db = await openDatabase({ databaseUrl: config.databaseUrl });
    const location = new URL(config.databaseUrl).host || "PostgreSQL";
    if (options.existing) await assertHasSchema(db, location).catch(closeAndThrow(db));
    return { db, location, close: () => db.close() };
  }
  const pgliteDir = join(config.dataDir, "pglite");
  if (options.existing && !existsSync(pgliteDir))
    throw invalid(`There is no Polyphony data in ${config.dataDir} (set POLYPHONY_DATA_DIR or DATABASE_URL)`);
  await mkdir(config.dataDir, { recursive: true });
  const unlock = lockDataDir(config.dataDir);
  try {
    const db = await openDatabase({ dataDir: pgliteDir });
    if (options.existing) await assertHasSchema(db, config.dataDir).catch(closeAndThrow(db));
    return {
      db,
      location: config.dataDir,
      close: async () => {
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Runs `work` against the store and closes it, whatever happens. */
export async function withStore<T>(
  config: CliConfig,
  options: { existing?: boolean },
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const store = await openStore(config, options);
  try {
    return await work(store.db);
  } finally {
    await store.close();
  }
}

const closeAndThrow = (db: Database) => async (error: unknown) => {
  await db.close();
  throw error;
};

async function assertHasSchema(db: Database, location: string) {
  const { rows } = await db.query<{ found: string | null }>("SELECT to_regclass('log_heads')::text AS found");
  if (!rows[0]?.found)
    throw invalid(`The database at ${location} has no Polyphony tables; run "polyphony migrate"`);
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it. A pid
 * file keeps the folder to one process; a file left by a process that died is taken over.
 */
function lockDataDir(dataDir: string) {
  const lockFile = join(dataDir, "polyphony.pid");
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(readFileSync(lockFile, "utf8"));
    if (isRunning(holder))
      throw conflict(
        `The data folder ${dataDir} is in use by process ${holder}; stop it first (or use the API while it runs)`,
      );
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isRunning(pid: number) {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
