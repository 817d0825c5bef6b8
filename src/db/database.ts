import { PGlite, types } from "@electric-sql/pglite";
import pg from "pg";

/** Something that runs SQL: the database itself, or one open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

/**
 * The one storage interface the rest of the code sees. Both drivers speak the same SQL; the differences
 * (single in-process connection vs. a pool; how LISTEN works) stay in this file.
 */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `work` in one transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Calls `onPayload` for each NOTIFY on `channel` (delivered after the notifying transaction commits). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const int8AsNumber = (value: string) => Number(value);

/** Rows returned, or rows changed for a statement without RETURNING (PGlite reports 0 affected for a SELECT). */
const rowCountOf = (result: { rows: unknown[]; affectedRows?: number }) =>
  result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0);

class PgliteDatabase implements Database {
  readonly kind = "pglite";
  constructor(private readonly pglite: PGlite) {}

  async query<Row>(sql: string, params: readonly unknown[] = []) {
    const result = await this.pglite.query<Row>(sql, params as unknown[]);
    return { rows: result.rows, rowCount: rowCountOf(result) };
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) =>
      work({
        async query<Row>(sql: string, params: readonly unknown[] = []) {
          const result = await tx.query<Row>(sql, params as unknown[]);
          return { rows: result.rows, rowCount: rowCountOf(result) };
        },
      }),
    );
  }

  async exec(sql: string) {
    await this.pglite.exec(sql);
  }

  async listen(channel: string, onPayload: (payload: string) => void) {
    const unlisten = await this.pglite.listen(channel, onPayload);
    return () => unlisten();
  }

  close() {
    return this.pglite.close();
  }
}

/** How many distinct statements are prepared on each connection; any beyond are parsed each time. */
const PREPARED_MAX = 1000;

/**
 * Names for the statements the code sends, so that each connection parses and plans a statement once
 * and then only binds it. The code's SQL is a fixed set of texts (values travel as parameters), so the
 * set stays small; the cap keeps a surprise from growing every connection's memory without end.
 */
class PreparedStatements {
  private readonly names = new Map<string, string>();

  private made = 0;

  named(sql: string, params: readonly unknown[]): pg.QueryConfig {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < PREPARED_MAX) {
      name = `p${this.made++}`;
      this.names.set(sql, name);
    }
    return { text: sql, values: params as unknown[], ...(name === undefined ? {} : { name }) };
  }

  /**
   * Whether `error` says a prepared statement no longer fits the schema (a migration changed the columns
   * of a `SELECT *` since it was prepared); if so its name is dropped, and its next use prepares it again.
   */
  outdated(error: unknown, sql: string) {
    const stale = (error as { code?: string }).code === "0A000" && /cached plan/.test(String(error));
    if (stale) this.names.delete(sql);
    return stale;
  }
}

class PostgresDatabase implements Database {
  readonly kind = "postgres";
  private readonly statements = new PreparedStatements();
  private readonly stopListening = new Set<() => Promise<void>>();
  constructor(
    private readonly pool: pg.Pool,
    private readonly clientConfig: pg.ClientConfig,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []) {
    const run = () => this.pool.query(this.statements.named(sql, params));
    // Outside a transaction a statement prepared before a migration is simply prepared again.
    const result = await run().catch((error: unknown) => {
      if (this.statements.outdated(error, sql)) return run();
      throw error;
    });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const statements = this.statements;
    // The client sends queued statements in order, so the work's first statement need not wait for BEGIN's
    // answer before being queued; a failed BEGIN fails that statement too, and is reported here.
    const begun = client.query("BEGIN");
    begun.catch(() => {});
    try {
      const result = await work({
        async query<Row>(sql: string, params: readonly unknown[] = []) {
          // Inside one the transaction is aborted by then: it fails, and the statement is prepared afresh.
          const r = await client.query(statements.named(sql, params)).catch((error: unknown) => {
            statements.outdated(error, sql);
            throw error;
          });
          return { rows: r.rows as Row[], rowCount: r.rowCount ?? r.rows.length };
        },
      });
      await begun;
      // PostgreSQL answers COMMIT on a transaction that a failed statement aborted with ROLLBACK, not an
      // error: the work must not be reported as done.
      const committed = await client.query("COMMIT");
      if (committed.command === "ROLLBACK") throw new Error("The transaction was rolled back, not committed");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string) {
    await this.pool.query(sql);
  }

  /**
   * LISTEN needs a connection of its own that stays open; a pooled one would be handed to others. If the
   * connection drops, it is re-established with back-off (subscribers re-read the log on their heartbeat,
   * so nothing committed meanwhile is lost).
   */
  async listen(channel: string, onPayload: (payload: string) => void) {
    let stopped = false;
    let client: pg.Client | undefined;
    const connect = async (): Promise<void> => {
      const next = new pg.Client(this.clientConfig);
      next.on("notification", (message) => {
        if (message.channel === channel) onPayload(message.payload ?? "");
      });
      next.on("error", () => reconnect(next));
      next.on("end", () => reconnect(next));
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      client = next;
    };
    const reconnect = (broken: pg.Client, delayMs = 500) => {
      if (stopped || client !== broken) return;
      client = undefined;
      broken.end().catch(() => {});
      setTimeout(() => {
        if (stopped) return;
        connect().catch(() => {
          client = broken;
          reconnect(broken, Math.min(delayMs * 2, 10_000));
        });
      }, delayMs).unref();
    };
    await connect();
    const stop = async () => {
      stopped = true;
      this.stopListening.delete(stop);
      await client?.end().catch(() => {});
    };
    this.stopListening.add(stop);
    return stop;
  }

  async close() {
    await Promise.all([...this.stopListening].map((stop) => stop()));
    await this.pool.end();
  }
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; undefined keeps everything in memory (tests). */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (tests give each file its own). */
  schema?: string | undefined;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    pg.types.setTypeParser(pg.types.builtins.INT8, int8AsNumber);
    const clientConfig: pg.ClientConfig = {
      connectionString: options.databaseUrl,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    };
    const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 20 });
    pool.on("error", () => {});
    return new PostgresDatabase(pool, clientConfig);
  }
  const pglite = new PGlite(options.dataDir, { parsers: { [types.INT8]: int8AsNumber } });
  await pglite.waitReady;
  return new PgliteDatabase(pglite);
}

/** True when an error is PostgreSQL's unique violation (23505), whichever driver raised it. */
export const isUniqueViolation = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
