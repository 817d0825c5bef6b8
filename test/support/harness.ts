import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { AppContext } from "../../src/app/context.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { buildServer, type ServerConfig } from "../../src/server/app.js";

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private current = new Date("2026-01-05T09:00:00.000Z")) {}
  now = () => new Date(this.current);
  set(at: Date | string) {
    this.current = new Date(at);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
  advanceDays(days: number) {
    this.advance(days * 86_400_000);
  }
}

/** Deterministic UUIDs (version 4 shape) so that failures reproduce. */
export function sequentialIds(prefix = 0) {
  let n = 0;
  return () => {
    n++;
    return `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
  };
}

/**
 * Opens a database for one test file: in-memory PGlite by default, or a schema of its own on the
 * PostgreSQL server named by DATABASE_URL. Tables are emptied before each test.
 */
export async function openTestDatabase(): Promise<{
  db: Database;
  schema?: string;
  drop: () => Promise<void>;
}> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const db = await openDatabase({});
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const schema = `test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = await openDatabase({ databaseUrl, poolSize: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openDatabase({ databaseUrl, schema, poolSize: 60 });
  await migrate(db);
  return {
    db,
    schema,
    drop: async () => {
      await db.close();
      const cleanup = await openDatabase({ databaseUrl, poolSize: 1 });
      await cleanup.exec(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.close();
    },
  };
}

export async function emptyAllTables(db: Database) {
  const { rows } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
  );
  if (rows.length > 0) await db.exec(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} CASCADE`);
}

export interface TestEnv {
  ctx: AppContext;
  clock: TestClock;
  db: Database;
  server: Awaited<ReturnType<typeof buildServer>>;
  schema: string | undefined;
}

export const testServerConfig: ServerConfig = { authRateLimit: 10_000, bodyLimit: 256 * 1024 };

/**
 * Sets up one database and server for a test file and empties the tables before each test.
 * Use the returned object's fields inside tests (they are filled in beforeAll).
 */
export function withTestEnv(config: Partial<ServerConfig> = {}): TestEnv {
  const env = {} as TestEnv;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const opened = await openTestDatabase();
    drop = opened.drop;
    env.db = opened.db;
    env.schema = opened.schema;
    env.clock = new TestClock();
    env.ctx = { db: opened.db, now: env.clock.now, newId: randomUUID };
    env.server = await buildServer(env.ctx, { ...testServerConfig, ...config });
    await env.server.ready();
  }, 60_000);
  beforeEach(async () => {
    await emptyAllTables(env.db);
    env.clock.set("2026-01-05T09:00:00.000Z");
  });
  afterAll(async () => {
    await env.server?.close();
    await drop();
  });
  return env;
}
