import type { AppContext } from "../app/context.js";
import { liveTally } from "../app/proposals/queries.js";

/** At most one tally update per proposal per window, however many members respond or watch. */
export const TALLY_WINDOW_MS = 250;

type Tally = Awaited<ReturnType<typeof liveTally>>;

/**
 * Tallies of busy rounds for the live stream, computed once per proposal per window and shared by
 * every watcher in the process: two hundred responses and fifty open screens cost a handful of reads.
 */
export class TallyCache {
  private readonly entries = new Map<string, { at: number; tally: Promise<Tally> }>();

  constructor(private readonly ctx: AppContext) {}

  get(orgId: string, proposalId: string): Promise<Tally> {
    const key = `${orgId}/${proposalId}`;
    // The window is elapsed time, like a timer's, not the domain's clock (which tests stop).
    const elapsed = performance.now();
    const cached = this.entries.get(key);
    if (cached && elapsed - cached.at < TALLY_WINDOW_MS) return cached.tally;
    const tally = liveTally(this.ctx.db, orgId, proposalId, this.ctx.now()).catch(() => null);
    this.entries.set(key, { at: elapsed, tally });
    if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value as string);
    return tally;
  }
}

/**
 * One watcher's tally updates: proposals whose responses arrived are marked, and at most once per window
 * each marked proposal's tally is sent as a `proposal.tally` event (no id: it is a view, not a log entry).
 */
export class TallyStream {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cache: TallyCache,
    private readonly orgId: string,
    private readonly send: (text: string) => void,
  ) {}

  mark(proposalId: string) {
    this.dirty.add(proposalId);
    this.timer ??= setTimeout(() => void this.flush(), TALLY_WINDOW_MS);
  }

  private async flush() {
    this.timer = null;
    const proposals = [...this.dirty];
    this.dirty.clear();
    for (const proposalId of proposals) {
      const tally = await this.cache.get(this.orgId, proposalId);
      if (tally) this.send(`event: proposal.tally\ndata: ${JSON.stringify(tally)}\n\n`);
    }
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
