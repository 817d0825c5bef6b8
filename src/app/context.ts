import { randomUUID } from "node:crypto";
import type { LogEntry } from "../core/log.js";
import type { Database, Queryable } from "../db/database.js";
import { appendLog, type NewLogEntry } from "../db/log.js";

/** Everything a use-case needs from the outside world, injected so tests control time and ids. */
export interface AppContext {
  db: Database;
  /** The one way to read the clock. */
  now: () => Date;
  /** The one way to make an id (UUIDs in production, a counter in tests when wanted). */
  newId: () => string;
}

/** The context of a running process (server, CLI): the real clock and random UUIDs. Nothing else reads the clock. */
export const systemContext = (db: Database): AppContext => ({ db, now: () => new Date(), newId: randomUUID });

export interface CommandScope {
  tx: Queryable;
  now: Date;
  /** Queues a log entry; all queued entries are appended at the end of the same transaction. */
  log: (entry: NewLogEntry) => void;
}

/**
 * Runs one write: `work` reads and writes inside a transaction and queues log entries; the entries are
 * appended to the organisation's chain before commit. The NOTIFY issued by the append reaches
 * subscribers (SSE) in every process once the transaction commits.
 */
export async function runCommand<T>(
  ctx: AppContext,
  orgId: string,
  work: (scope: CommandScope) => Promise<T>,
): Promise<{ result: T; entries: LogEntry[] }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const queued: NewLogEntry[] = [];
    const result = await work({ tx, now, log: (entry) => queued.push(entry) });
    const entries = queued.length > 0 ? await appendLog(tx, orgId, now, queued) : [];
    return { result, entries };
  });
}
