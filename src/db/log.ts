import { createHash } from "node:crypto";
import { GENESIS_HASH, type LogEntry, logDigestInput, verifyChain } from "../core/log.js";
import type { Queryable } from "./database.js";

export const sha256 = (input: string) => createHash("sha256").update(input).digest("hex");

/** The channel on which a committed append is announced to every server process. */
export const LOG_CHANNEL = "polyphony_log";

interface LogRow {
  org_id: string;
  seq: number;
  type: string;
  actor: string | null;
  payload: Record<string, unknown>;
  at: Date;
  prev_hash: string;
  hash: string;
}

const toEntry = (row: LogRow): LogEntry => ({
  orgId: row.org_id,
  seq: row.seq,
  type: row.type,
  actor: row.actor,
  payload: row.payload,
  at: row.at,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export async function startLog(tx: Queryable, orgId: string) {
  await tx.query("INSERT INTO log_heads (org_id, seq, hash) VALUES ($1, 0, $2)", [orgId, GENESIS_HASH]);
}

export interface NewLogEntry {
  type: string;
  actor: string | null;
  payload: Record<string, unknown>;
}

/**
 * Appends entries to an organisation's log inside the caller's transaction. The head row is locked, so
 * concurrent writers queue here and the chain never forks; the NOTIFY is delivered only on commit.
 */
export async function appendLog(tx: Queryable, orgId: string, at: Date, entries: readonly NewLogEntry[]) {
  const head = await tx.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM log_heads WHERE org_id = $1 FOR UPDATE",
    [orgId],
  );
  const current = head.rows[0];
  if (!current) throw new Error(`No log head for organisation ${orgId}`);
  let { seq, hash } = current;
  const written: LogEntry[] = [];
  for (const entry of entries) {
    const unsigned = {
      orgId,
      seq: seq + 1,
      type: entry.type,
      actor: entry.actor,
      payload: entry.payload,
      at,
      prevHash: hash,
    };
    const signed: LogEntry = { ...unsigned, hash: sha256(logDigestInput(unsigned)) };
    await tx.query(
      `INSERT INTO log_entries (org_id, seq, type, actor, payload, at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        orgId,
        signed.seq,
        signed.type,
        signed.actor,
        JSON.stringify(signed.payload),
        at,
        signed.prevHash,
        signed.hash,
      ],
    );
    written.push(signed);
    seq = signed.seq;
    hash = signed.hash;
  }
  await tx.query("UPDATE log_heads SET seq = $2, hash = $3 WHERE org_id = $1", [orgId, seq, hash]);
  await tx.query("SELECT pg_notify($1, $2)", [LOG_CHANNEL, `${orgId}:${seq}`]);
  return written;
}

export async function readLog(
  db: Queryable,
  orgId: string,
  options: { afterSeq?: number; limit?: number } = {},
) {
  const result = await db.query<LogRow>(
    `SELECT org_id, seq, type, actor, payload, at, prev_hash, hash FROM log_entries
     WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [orgId, options.afterSeq ?? 0, options.limit ?? 1000],
  );
  return result.rows.map(toEntry);
}

export async function logHeadSeq(db: Queryable, orgId: string) {
  const result = await db.query<{ seq: number }>("SELECT seq FROM log_heads WHERE org_id = $1", [orgId]);
  return result.rows[0]?.seq ?? 0;
}

/** Recomputes the whole chain, page by page, and names the first broken entry. */
export async function verifyOrgLog(db: Queryable, orgId: string) {
  const pageSize = 5000;
  const entries: LogEntry[] = [];
  for (let after = 0; ; ) {
    const page = await readLog(db, orgId, { afterSeq: after, limit: pageSize });
    entries.push(...page);
    if (page.length < pageSize) break;
    after = page[page.length - 1]?.seq ?? after;
  }
  const verdict = verifyChain(entries, sha256);
  const headSeq = await logHeadSeq(db, orgId);
  if (verdict.ok && headSeq !== verdict.entries)
    return {
      ok: false as const,
      entries: verdict.entries,
      brokenSeq: verdict.entries + 1,
      reason: "gap" as const,
    };
  return verdict;
}
