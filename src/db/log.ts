import { createHash } from "node:crypto";
import { type ChainVerdict, GENESIS_HASH, type LogEntry, logDigestInput, verifyChain } from "../core/log.js";
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

/** Where an organisation's log ends: the last entry's sequence number and hash. */
export interface LogHead {
  seq: number;
  hash: string;
}

/** Signs `entries` onto the chain after `head`: the entries as they will be stored, and the new head. */
export function chainEntries(orgId: string, head: LogHead, at: Date, entries: readonly NewLogEntry[]) {
  let { seq, hash } = head;
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
    written.push(signed);
    seq = signed.seq;
    hash = signed.hash;
  }
  return { written, head: { seq, hash } };
}

/**
 * The part of a statement that stores chained entries (`$1` is the organisation, the entries' columns are
 * seven parameters from `$first`), kept to the rows where `guard` holds when there is one.
 */
export const insertEntriesSql = (first: number, guard = "TRUE") =>
  `INSERT INTO log_entries (org_id, seq, type, actor, payload, at, prev_hash, hash)
   SELECT $1, * FROM unnest($${first}::bigint[], $${first + 1}::text[], $${first + 2}::uuid[], $${first + 3}::jsonb[],
     $${first + 4}::timestamptz[], $${first + 5}::text[], $${first + 6}::text[]) WHERE ${guard}`;

/** The seven parameters of `insertEntriesSql`, in order. */
export const entryColumns = (written: readonly LogEntry[]) => [
  written.map((e) => e.seq),
  written.map((e) => e.type),
  written.map((e) => e.actor),
  written.map((e) => JSON.stringify(e.payload)),
  written.map((e) => e.at),
  written.map((e) => e.prevHash),
  written.map((e) => e.hash),
];

/** What announces an append to every server process (the NOTIFY is delivered on commit). */
export const appendNotice = (orgId: string, head: LogHead) => `${orgId}:${head.seq}`;

/**
 * Appends entries to an organisation's log inside the caller's transaction. The head row is locked, so
 * concurrent writers queue here and the chain never forks; the NOTIFY is delivered only on commit.
 */
export async function appendLog(tx: Queryable, orgId: string, at: Date, entries: readonly NewLogEntry[]) {
  const locked = await tx.query<LogHead>("SELECT seq, hash FROM log_heads WHERE org_id = $1 FOR UPDATE", [
    orgId,
  ]);
  const current = locked.rows[0];
  if (!current) throw new Error(`No log head for organisation ${orgId}`);
  const { written, head } = chainEntries(orgId, current, at, entries);
  // One statement appends the whole batch, moves the head and announces it (delivered on commit).
  await tx.query(
    `WITH appended AS (${insertEntriesSql(2)}),
     head AS (UPDATE log_heads SET seq = $9, hash = $10 WHERE org_id = $1)
     SELECT pg_notify($11, $12)`,
    [orgId, ...entryColumns(written), head.seq, head.hash, LOG_CHANNEL, appendNotice(orgId, head)],
  );
  return written;
}

export interface LogRange {
  /** Entries after this sequence number (default 0: from the start). */
  afterSeq?: number;
  /** Entries up to and including this sequence number (default: to the head). */
  upToSeq?: number;
  limit?: number;
}

const LOG_COLUMNS = "e.org_id, e.seq, e.type, e.actor, e.payload, e.at, e.prev_hash, e.hash";

const rangeParams = (orgId: string, range: LogRange) => [
  orgId,
  range.afterSeq ?? 0,
  range.upToSeq ?? Number.MAX_SAFE_INTEGER,
  range.limit ?? 1000,
];

export async function readLog(db: Queryable, orgId: string, range: LogRange = {}) {
  const result = await db.query<LogRow>(
    `SELECT ${LOG_COLUMNS} FROM log_entries e
     WHERE e.org_id = $1 AND e.seq > $2 AND e.seq <= $3 ORDER BY e.seq LIMIT $4`,
    rangeParams(orgId, range),
  );
  return result.rows.map(toEntry);
}

/** A log entry as people read it: with the acting member's current name. */
export interface ReadableLogEntry extends LogEntry {
  actorName: string | null;
}

/** As `readLog`, with the name of each entry's actor. */
/** The newest entries before `beforeSeq` (default: the head), newest first, with actors' names. */
export async function readRecentLogForReaders(
  db: Queryable,
  orgId: string,
  range: { beforeSeq?: number | undefined; limit: number },
): Promise<ReadableLogEntry[]> {
  const result = await db.query<LogRow & { actor_name: string | null }>(
    `SELECT ${LOG_COLUMNS}, m.name AS actor_name FROM log_entries e
     LEFT JOIN members m ON m.org_id = e.org_id AND m.id = e.actor
     WHERE e.org_id = $1 AND e.seq < $2 ORDER BY e.seq DESC LIMIT $3`,
    [orgId, range.beforeSeq ?? Number.MAX_SAFE_INTEGER, range.limit],
  );
  return result.rows.map((row) => ({ ...toEntry(row), actorName: row.actor_name }));
}

export async function readLogForReaders(
  db: Queryable,
  orgId: string,
  range: LogRange = {},
): Promise<ReadableLogEntry[]> {
  const result = await db.query<LogRow & { actor_name: string | null }>(
    `SELECT ${LOG_COLUMNS}, m.name AS actor_name FROM log_entries e
     LEFT JOIN members m ON m.org_id = e.org_id AND m.id = e.actor
     WHERE e.org_id = $1 AND e.seq > $2 AND e.seq <= $3 ORDER BY e.seq LIMIT $4`,
    rangeParams(orgId, range),
  );
  return result.rows.map((row) => ({ ...toEntry(row), actorName: row.actor_name }));
}

export async function logHeadSeq(db: Queryable, orgId: string) {
  return (await logHead(db, orgId)).seq;
}

async function logHead(db: Queryable, orgId: string) {
  const result = await db.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM log_heads WHERE org_id = $1",
    [orgId],
  );
  return result.rows[0] ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Recomputes the chain up to the head, page by page, and names the first broken entry. The head is read
 * first: appends commit in sequence order, so every entry up to it is there, and entries appended
 * meanwhile are left for the next verification rather than mistaken for a break.
 */
export async function verifyOrgLog(db: Queryable, orgId: string): Promise<ChainVerdict> {
  const head = await logHead(db, orgId);
  const pageSize = 5000;
  let verdict: ChainVerdict = { ok: true, entries: 0, headHash: GENESIS_HASH };
  for (let after = 0; after < head.seq; ) {
    const page = await readLog(db, orgId, { afterSeq: after, upToSeq: head.seq, limit: pageSize });
    verdict = verifyChain(page, sha256, verdict);
    if (!verdict.ok) return verdict;
    if (page.length < pageSize) break;
    after = page[page.length - 1]?.seq ?? after;
  }
  if (verdict.entries !== head.seq)
    return { ok: false, entries: verdict.entries, brokenSeq: verdict.entries + 1, reason: "gap" };
  if (verdict.headHash !== head.hash)
    return { ok: false, entries: verdict.entries, brokenSeq: head.seq, reason: "hash_mismatch" };
  if (await hasEntriesBeyondHead(db, orgId))
    return { ok: false, entries: verdict.entries, brokenSeq: head.seq + 1, reason: "gap" };
  return verdict;
}

/** An entry past the head was not written by `appendLog` (which moves the head in the same transaction). */
async function hasEntriesBeyondHead(db: Queryable, orgId: string) {
  const result = await db.query(
    `SELECT 1 FROM log_entries e LEFT JOIN log_heads h ON h.org_id = e.org_id
     WHERE e.org_id = $1 AND e.seq > COALESCE(h.seq, 0) LIMIT 1`,
    [orgId],
  );
  return result.rows.length > 0;
}
