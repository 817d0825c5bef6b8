import { canonicalJson } from "./canonical-json.js";

/** One entry of an organisation's governance log, as stored. */
export interface LogEntry {
  orgId: string;
  seq: number;
  type: string;
  actor: string | null;
  payload: Record<string, unknown>;
  at: Date;
  prevHash: string;
  hash: string;
}

/** The hash of the entry before the first one. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * What is hashed for an entry: the previous hash followed by the canonical JSON of everything the entry
 * says. Hashing itself is I/O-free but lives outside the core (node:crypto), so it is injected.
 */
export function logDigestInput(entry: Omit<LogEntry, "hash">): string {
  const { orgId, seq, type, actor, payload, at, prevHash } = entry;
  return prevHash + canonicalJson({ orgId, seq, type, actor, payload, at });
}

export type Sha256 = (input: string) => string;

export type ChainVerdict =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; brokenSeq: number; reason: "hash_mismatch" | "prev_hash_mismatch" | "gap" };

/**
 * A log verifies when its entries are numbered 1, 2, 3… without gaps, each names the hash of the one
 * before, and each hash is the sha256 of its own content. The first entry that fails is named.
 */
export function verifyChain(
  entries: Iterable<LogEntry>,
  sha256: Sha256,
  /** Where a previous page ended, to verify a long log page by page. */
  resumeFrom: { entries: number; headHash: string } = { entries: 0, headHash: GENESIS_HASH },
): ChainVerdict {
  let expectedSeq = resumeFrom.entries + 1;
  let prevHash = resumeFrom.headHash;
  let count = resumeFrom.entries;
  for (const entry of entries) {
    count++;
    if (entry.seq !== expectedSeq)
      return { ok: false, entries: count, brokenSeq: expectedSeq, reason: "gap" };
    if (entry.prevHash !== prevHash)
      return { ok: false, entries: count, brokenSeq: entry.seq, reason: "prev_hash_mismatch" };
    if (sha256(logDigestInput(entry)) !== entry.hash)
      return { ok: false, entries: count, brokenSeq: entry.seq, reason: "hash_mismatch" };
    prevHash = entry.hash;
    expectedSeq++;
  }
  return { ok: true, entries: count, headHash: prevHash };
}
