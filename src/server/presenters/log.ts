import type { ChainVerdict } from "../../core/log.js";
import type { ReadableLogEntry } from "../../db/log.js";

/** One governance log entry as it leaves the server, in the log listing and on the realtime stream alike. */
export const presentLogEntry = (entry: ReadableLogEntry) => ({
  seq: entry.seq,
  type: entry.type,
  actor: entry.actor,
  actorName: entry.actorName,
  payload: entry.payload,
  at: entry.at.toISOString(),
  hash: entry.hash,
  prevHash: entry.prevHash,
});

/** The outcome of recomputing the chain: its length and head, or the first entry that breaks it and why. */
export const presentLogVerdict = (verdict: ChainVerdict) =>
  verdict.ok
    ? { ok: true, entries: verdict.entries, headHash: verdict.headHash }
    : { ok: false, entries: verdict.entries, brokenSeq: verdict.brokenSeq, reason: verdict.reason };
