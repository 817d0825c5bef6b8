import type { Proposal } from "../../core/consent/proposal.js";
import type { Transition } from "../../core/consent/transition.js";
import { DomainError } from "../../core/errors.js";
import type { MemberId } from "../../core/ids.js";
import type { LogEntry } from "../../core/log.js";
import type { Queryable } from "../../db/database.js";
import { appendLog, chainEntries, type LogHead, type NewLogEntry } from "../../db/log.js";
import type { AppContext } from "../context.js";
import {
  asReloaded,
  loadProposal,
  lockProposal,
  recordResponsesUnlocked,
  type StoredProposal,
  saveProposal,
} from "./store.js";

/** One command on a proposal: given the proposal as it stands, the core's transition (or a refusal). */
export type ProposalStep = (proposal: Proposal, scope: { tx: Queryable; now: Date }) => Promise<Transition>;

export interface StepOptions {
  /**
   * The step reads nothing but the proposal, the clock and what its caller already holds — not the
   * database — so it may run on the writer's own copy of the proposal before anything is locked (a
   * response does; opening a round, which reads the circle's members, does not).
   */
  pure?: boolean;
}

export interface StepResult {
  /** The proposal right after this step (later steps of the same batch are not in it). */
  proposal: Proposal;
  entries: LogEntry[];
}

interface Job {
  actorId: string | null;
  step: ProposalStep;
  pure: boolean;
  resolve: (result: StepResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = StepResult | DomainError;

/** A batch's commands run through the core: each one's outcome, the log entries, the proposal after. */
interface BatchRun {
  outcomes: Outcome[];
  /** How many of `queued` each command made, in order. */
  entryCounts: number[];
  queued: NewLogEntry[];
  after: Proposal;
}

/** Enough to keep one transaction short while still sharing its commit among everyone waiting. */
const BATCH_MAX = 256;
/** How many recently written proposals a writer keeps (the oldest kept is dropped first). */
const KEPT_MAX = 500;

/**
 * Group commit for proposals. Commands on one proposal queue here; whoever finds the queue idle drains
 * it in batches, each batch every command waiting at that moment, run through the core in arrival order
 * (a refused command fails alone) and written at once — which turns the hundreds of serialised
 * transactions of a busy round into a handful.
 *
 * A batch is written one of two ways:
 * - **Unlocked**, in one statement: when every command is pure and the batch only adds responses, it
 *   runs on the copy of the proposal the writer kept from its last batch, chains its log entries onto
 *   the log head that batch left, and writes everything on the condition that neither has moved since.
 *   This is the busy path of a live round: one round trip per batch.
 * - **Locked**, otherwise (or when the condition failed): a transaction locks the proposal's row, loads
 *   it (or trusts the kept copy when its revision shows nobody wrote it since), applies the commands,
 *   writes the difference and appends to the log, which locks the head last.
 *
 * Neither can lose a response or count one twice: inside the process the queue orders the commands, and
 * across processes the row locks and the revision do.
 */
class ProposalWriter {
  private readonly queues = new Map<string, Job[]>();
  /**
   * The proposals this writer wrote last, as stored, with the revision they were stored at: while a round
   * is busy, each batch starts from the previous batch's result instead of loading the proposal again.
   */
  private readonly kept = new Map<string, { revision: number; stored: StoredProposal }>();
  /** Where each organisation's log ended after this writer's last append. */
  private readonly heads = new Map<string, LogHead>();
  /** Each organisation's unlocked write in flight: the next one chains onto the head it leaves. */
  private readonly appending = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: AppContext) {}

  submit(orgId: string, proposalId: string, actorId: string | null, step: ProposalStep, pure: boolean) {
    const key = `${orgId}/${proposalId}`;
    return new Promise<StepResult>((resolve, reject) => {
      const job = { actorId, step, pure, resolve, reject };
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(key, [job]);
      void this.drain(key, orgId, proposalId);
    });
  }

  private async drain(key: string, orgId: string, proposalId: string) {
    for (let jobs = this.takeBatch(key); jobs; jobs = this.takeBatch(key)) {
      try {
        const outcomes =
          (this.mayWriteUnlocked(key, orgId, jobs)
            ? await this.inTurn(orgId, () => this.writeUnlocked(key, orgId, jobs))
            : null) ?? (await this.writeLocked(key, orgId, proposalId, jobs));
        jobs.forEach((job, i) => {
          const outcome = outcomes[i] as Outcome;
          if (outcome instanceof DomainError) job.reject(outcome);
          else job.resolve(outcome);
        });
      } catch (error) {
        for (const job of jobs) job.reject(error);
      }
    }
  }

  /** The commands waiting on a proposal (up to BATCH_MAX), or null — and the queue gone — when none are. */
  private takeBatch(key: string) {
    const queue = this.queues.get(key) ?? [];
    if (queue.length > 0) return queue.splice(0, BATCH_MAX);
    this.queues.delete(key);
    return null;
  }

  /** Runs `write` after the organisation's unlocked write in flight, if any, has finished. */
  private async inTurn<T>(orgId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.appending.get(orgId);
    const mine = (previous ?? Promise.resolve()).then(write);
    const settled = mine.catch(() => {});
    this.appending.set(orgId, settled);
    try {
      return await mine;
    } finally {
      if (this.appending.get(orgId) === settled) this.appending.delete(orgId);
    }
  }

  /** Whether a batch can try the unlocked way: pure commands, and a kept copy and log head to start from. */
  private mayWriteUnlocked(key: string, orgId: string, jobs: readonly Job[]) {
    return this.kept.has(key) && this.heads.has(orgId) && jobs.every((job) => job.pure);
  }

  /** The unlocked way (see the class): the outcomes, or null when the batch must be written locked. */
  private async writeUnlocked(key: string, orgId: string, jobs: readonly Job[]) {
    const kept = this.kept.get(key);
    const head = this.heads.get(orgId);
    // Checked again: the write in flight before this one may have dropped them.
    if (!kept || !head) return null;
    const now = this.ctx.now();
    const run = await runSteps(jobs, kept.stored.proposal, this.ctx.db, now);
    const reloaded = asReloaded(kept.stored, run.after);
    // A batch of refusals alone is decided on the locked proposal, not on a copy that may be behind.
    if (!reloaded || run.queued.length === 0) return null;
    const chained = chainEntries(orgId, head, now, run.queued);
    const lock = await recordResponsesUnlocked(this.ctx.db, orgId, {
      stored: kept.stored,
      revision: kept.revision,
      after: run.after,
      head,
      entries: chained.written,
      now,
    }).catch((error: unknown) => {
      // Whether it was written is unknown (the connection may have dropped after the commit): start afresh.
      this.kept.delete(key);
      this.heads.delete(orgId);
      throw error;
    });
    if (!lock) {
      this.kept.delete(key);
      this.heads.delete(orgId);
      return null;
    }
    this.keep(key, lock.revision, withFacilitators(reloaded, lock.facilitatorIds));
    this.heads.set(orgId, chained.head);
    return settle(run, chained.written, lock.facilitatorIds);
  }

  /** The locked way (see the class). */
  private async writeLocked(key: string, orgId: string, proposalId: string, jobs: readonly Job[]) {
    const written = await this.ctx.db.transaction(async (tx) => {
      // Lock first, load after: a statement that waits for the lock still reads from the snapshot it began
      // with, so the proposal is read (or the kept copy trusted) only once the lock is held.
      const lock = await lockProposal(tx, orgId, proposalId, this.ctx.now());
      const now = this.ctx.now();
      const kept = this.kept.get(key);
      const stored =
        kept && kept.revision === lock.revision - 1
          ? withFacilitators(kept.stored, lock.facilitatorIds)
          : await loadProposal(tx, orgId, proposalId, { now });
      const run = await runSteps(jobs, stored.proposal, tx, now);
      if (run.queued.length === 0) return { run, revision: lock.revision, stored, entries: [] };
      let entries: LogEntry[];
      if (!stored.proposal.decision && run.after.decision) {
        const consequences = await saveProposal(tx, orgId, stored, run.after, now);
        // A decision's consequences are logged right after the step that made it (the batch's last to change state).
        run.queued.push(...consequences);
        const deciding = run.entryCounts.findLastIndex((count) => count > 0);
        run.entryCounts[deciding] = (run.entryCounts[deciding] ?? 0) + consequences.length;
        entries = await appendLog(tx, orgId, now, run.queued);
      } else {
        // Without a decision the log waits on nothing from the proposal's write: the statements go out
        // back to back.
        [, entries] = await Promise.all([
          saveProposal(tx, orgId, stored, run.after, now),
          appendLog(tx, orgId, now, run.queued),
        ]);
      }
      return { run, revision: lock.revision, stored: asReloaded(stored, run.after), entries };
    });
    // Kept only once committed: a batch rolled back leaves the proposal (and its revision) as it was.
    this.kept.delete(key);
    if (written.stored) this.keep(key, written.revision, written.stored);
    const last = written.entries.at(-1);
    if (last) this.heads.set(orgId, { seq: last.seq, hash: last.hash });
    return settle(written.run, written.entries, null);
  }

  private keep(key: string, revision: number, stored: StoredProposal) {
    this.kept.delete(key);
    this.kept.set(key, { revision, stored });
    if (this.kept.size > KEPT_MAX) this.kept.delete(this.kept.keys().next().value as string);
  }
}

/** Runs a batch's commands through the core in arrival order; a refusal fails its command alone. */
async function runSteps(jobs: readonly Job[], proposal: Proposal, tx: Queryable, now: Date) {
  const run: BatchRun = { outcomes: [], entryCounts: [], queued: [], after: proposal };
  for (const job of jobs) {
    try {
      const transition = await job.step(run.after, { tx, now });
      run.after = transition.proposal;
      for (const event of transition.events)
        run.queued.push({ type: event.type, actor: job.actorId, payload: event.payload });
      run.entryCounts.push(transition.events.length);
      run.outcomes.push({ proposal: run.after, entries: [] });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      run.entryCounts.push(0);
      run.outcomes.push(error);
    }
  }
  return run;
}

/** Hands each command its own log entries (and, when they were read afresh, who facilitates now). */
function settle(run: BatchRun, entries: readonly LogEntry[], facilitatorIds: readonly MemberId[] | null) {
  let next = 0;
  return run.outcomes.map((outcome, i) => {
    const count = run.entryCounts[i] ?? 0;
    const own = entries.slice(next, next + count);
    next += count;
    if (outcome instanceof DomainError) return outcome;
    const proposal = facilitatorIds ? { ...outcome.proposal, facilitatorIds } : outcome.proposal;
    return { proposal, entries: own };
  });
}

function withFacilitators(stored: StoredProposal, facilitatorIds: readonly MemberId[]): StoredProposal {
  return { ...stored, proposal: { ...stored.proposal, facilitatorIds } };
}

const writers = new WeakMap<AppContext, ProposalWriter>();

/**
 * Runs one command on a proposal through its database's writer. A refusal from the core rejects with
 * its DomainError and changes nothing; the other commands of the same batch are unaffected.
 */
export function writeProposal(
  ctx: AppContext,
  orgId: string,
  proposalId: string,
  actorId: string | null,
  step: ProposalStep,
  options: StepOptions = {},
): Promise<StepResult> {
  let writer = writers.get(ctx);
  if (!writer) {
    writer = new ProposalWriter(ctx);
    writers.set(ctx, writer);
  }
  return writer.submit(orgId, proposalId, actorId, step, options.pure ?? false);
}
