import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Database } from "../db/database.js";
import { LOG_CHANNEL, type ReadableLogEntry, readLogForReaders } from "../db/log.js";

const PAGE_SIZE = 200;
/**
 * While a follower is busy (entries keep arriving as it reads), it reads again this long after its last
 * read rather than at once: a live round then costs a read per few batches instead of one per batch, and
 * a person watching sees no difference. A lone entry is still read the moment it is announced.
 */
const BUSY_READ_INTERVAL_MS = 25;

interface LogFollowerHandlers {
  /** Receives the next committed entries in sequence order; the next page is read once it resolves. */
  deliver: (entries: ReadableLogEntry[]) => Promise<void>;
  /** Called once when following ends because the server closes or reading failed. */
  end: (error?: unknown) => void;
}

/**
 * One reader of one organisation's log, resuming after `lastSeq`. Wake-ups that arrive while it is reading
 * or delivering only mark it to read again, so it never reads concurrently with itself: entries reach it
 * once each and in order.
 */
class LogFollower {
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    readonly orgId: string,
    private lastSeq: number,
    private readonly handlers: LogFollowerHandlers,
    private readonly onStop: (follower: LogFollower) => void,
  ) {}

  /** Reads and delivers whatever was committed after the last delivered entry, up to `seq` when known. */
  wake(seq?: number) {
    if (this.stopped || (seq !== undefined && seq <= this.lastSeq)) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.catchUp()
      .catch((error: unknown) => this.end(error))
      .finally(() => {
        if (!this.readAgain) {
          this.reading = null;
          return;
        }
        this.readAgain = false;
        // Still marked as reading until the timer fires, so announcements meanwhile wait for it too.
        setTimeout(() => {
          this.reading = null;
          this.wake();
        }, BUSY_READ_INTERVAL_MS).unref();
      });
  }

  private async catchUp() {
    while (!this.stopped) {
      const page = await readLogForReaders(this.db, this.orgId, { afterSeq: this.lastSeq, limit: PAGE_SIZE });
      if (page.length === 0 || this.stopped) return;
      await this.handlers.deliver(page);
      this.lastSeq = page[page.length - 1]?.seq ?? this.lastSeq;
      if (page.length < PAGE_SIZE) return;
    }
  }

  /** Stops following at the reader's request (its client went away). */
  stop() {
    this.detach();
  }

  /** Stops following from this side (the server closes, or reading failed) and tells the reader. */
  end(error?: unknown) {
    if (this.detach()) this.handlers.end(error);
  }

  private detach() {
    if (this.stopped) return false;
    this.stopped = true;
    this.onStop(this);
    return true;
  }
}

/**
 * The per-process hub of the realtime stream: one LISTEN on the log channel, however many readers are
 * connected. A committed append in any server process notifies `<orgId>:<seq>`; the hub wakes that
 * organisation's followers, and each reads the new entries itself.
 */
export class LogHub {
  private readonly followersByOrg = new Map<string, Set<LogFollower>>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly db: Database) {}

  async start() {
    this.unlisten ??= await this.db.listen(LOG_CHANNEL, (payload) => {
      const [orgId, seq] = payload.split(":");
      if (orgId) this.wakeOrg(orgId, Number(seq));
    });
  }

  /** Follows an organisation's log after `afterSeq`; delivery starts at once with what is already there. */
  follow(orgId: string, afterSeq: number, handlers: LogFollowerHandlers) {
    const follower = new LogFollower(this.db, orgId, afterSeq, handlers, (stopped) => this.forget(stopped));
    const followers = this.followersByOrg.get(orgId) ?? new Set();
    followers.add(follower);
    this.followersByOrg.set(orgId, followers);
    follower.wake();
    return follower;
  }

  followerCount(orgId: string) {
    return this.followersByOrg.get(orgId)?.size ?? 0;
  }

  private wakeOrg(orgId: string, seq: number) {
    for (const follower of this.followersByOrg.get(orgId) ?? [])
      follower.wake(Number.isInteger(seq) ? seq : undefined);
  }

  private forget(follower: LogFollower) {
    const followers = this.followersByOrg.get(follower.orgId);
    followers?.delete(follower);
    if (followers?.size === 0) this.followersByOrg.delete(follower.orgId);
  }

  /** Ends every open stream, so the HTTP server can close. */
  closeFollowers() {
    for (const followers of [...this.followersByOrg.values()])
      for (const follower of [...followers]) follower.end();
  }

  async stop() {
    this.closeFollowers();
    await this.unlisten?.();
    this.unlisten = null;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    logHub: LogHub;
  }
}

/**
 * Starts the hub with the server and stops it on close. Open streams are ended before the HTTP server
 * closes (preClose), because an open stream would keep it from closing.
 */
export const realtime = fp(async (app: FastifyInstance, options: { db: Database }) => {
  const hub = new LogHub(options.db);
  app.decorate("logHub", hub);
  app.addHook("onReady", () => hub.start());
  app.addHook("preClose", async () => hub.closeFollowers());
  app.addHook("onClose", () => hub.stop());
});
