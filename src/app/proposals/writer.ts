import type { Proposal } from "../../core/consent/proposal.js";
import type { Transition } from "../../core/consent/transition.js";
import { DomainError } from "../../core/errors.js";
import type { LogEntry } from "../../core/log.js";
import type { Queryable } from "../../db/database.js";
import { appendLog } from "../../db/log.js";
import type { AppContext } from "../context.js";
import {
  asReloaded,
  loadProposal,
  lockProposal,
  type ProposalLock,
  type StoredProposal,
  saveProposal,
} from "./store.js";

/** One command on a proposal: given the proposal as it stands, the core's transition (or a refusal). */
export type ProposalStep = (proposal: Proposal, scope: { tx: Queryable; now: Date }) => Promise<Transition>;

export interface StepResult {
  /** The proposal right after this step (later steps of the same batch are not in it). */
  proposal: Proposal;
  entries: LogEntry[];
}

interface Job {
  actorId: string | null;
  step: ProposalStep;
  resolve: (result: StepResult) => void;
  reject: (error: unknown) => void;
}

/** Enough to keep one transaction short while still sharing its commit among everyone waiting. */
const BATCH_MAX = 256;
/** How many recently written proposals a writer keeps (the oldest kept is dropped first). */
const KEPT_MAX = 500;

/**
 * Group commit for proposals. Commands on one proposal queue here; whoever finds the queue idle drains
 * it in batches. A batch opens a transaction, locks the proposal's row, and only then takes every
 * command waiting at that moment; it loads the proposal once — or reuses the
 * previous batch's result when nobody wrote it since — runs each command through the core in arrival
 * order (a refused command fails alone), writes the difference once, appends every log entry in one
 * statement and commits once. The next batch opens as soon as this one has taken its commands, so it
 * waits for the lock inside the database rather than behind this process's work. Under load — two hundred
 * members responding at once — this turns hundreds of serialised transactions into a handful, and it
 * can neither lose a response nor count one twice: the row lock orders writers across processes, and
 * inside the process the queue does.
 */
class ProposalWriter {
  private readonly queues = new Map<string, Job[]>();
  /**
   * The proposals this writer wrote last, as stored, with the revision they were stored at: while a round
   * is busy, each batch starts from the previous batch's result instead of loading the proposal again.
   */
  private readonly kept = new Map<string, { revision: number; stored: StoredProposal }>();

  constructor(private readonly ctx: AppContext) {}

  submit(orgId: string, proposalId: string, actorId: string | null, step: ProposalStep): Promise<StepResult> {
    const key = `${orgId}/${proposalId}`;
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      const job = { actorId, step, resolve, reject };
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(key, [job]);
      void this.drain(key, orgId, proposalId);
    });
  }

  private async drain(key: string, orgId: string, proposalId: string) {
    let previous: Promise<unknown> = Promise.resolve();
    for (;;) {
      let took!: (jobs: readonly Job[] | null) => void;
      const taken = new Promise<readonly Job[] | null>((resolve) => {
        took = resolve;
      });
      const running = this.runBatch(key, orgId, proposalId, previous, took);
      const jobs = await taken;
      if (!jobs) {
        await running.catch(() => {});
        return;
      }
      // The next batch opens its transaction now and waits for this one's row lock inside the database,
      // so it starts the moment this one commits, with whatever has queued up by then.
      previous = running.then(
        (outcomes) =>
          jobs.forEach((job, i) => {
            const outcome = outcomes[i];
            if (outcome instanceof DomainError) job.reject(outcome);
            else if (outcome) job.resolve(outcome);
          }),
        (error: unknown) => {
          for (const job of jobs) job.reject(error);
        },
      );
    }
  }

  /** The commands waiting on a proposal (up to BATCH_MAX), or null — and the queue gone — when none are. */
  private takeBatch(key: string) {
    const queue = this.queues.get(key) ?? [];
    if (queue.length > 0) return queue.splice(0, BATCH_MAX);
    this.queues.delete(key);
    return null;
  }

  /**
   * One batch: lock the proposal, wait for the batch before it to be done, then take the commands queued
   * by now (`took` hands them to the drain loop, or null when there are none and the batch ends empty).
   */
  private async runBatch(
    key: string,
    orgId: string,
    proposalId: string,
    previous: Promise<unknown>,
    took: (jobs: readonly Job[] | null) => void,
  ): Promise<(StepResult | DomainError)[]> {
    let taken = false;
    const take = () => {
      const jobs = this.takeBatch(key);
      taken = true;
      took(jobs);
      return jobs;
    };
    try {
      const { outcomes, after } = await this.ctx.db.transaction(async (tx) => {
        // Lock first, load after: a statement that waits for the lock still reads from the snapshot it began
        // with, so the proposal is read (or the kept copy trusted) only once the lock is held.
        const lock = await lockProposal(tx, orgId, proposalId, this.ctx.now());
        await previous;
        const kept = this.kept.get(key);
        const keptIsCurrent = kept !== undefined && kept.revision === lock.revision - 1;
        const batch = take();
        if (!batch)
          return { outcomes: [], after: keptIsCurrent ? { ...kept, revision: lock.revision } : null };
        const now = this.ctx.now();
        const stored: StoredProposal = keptIsCurrent
          ? { ...kept.stored, proposal: { ...kept.stored.proposal, facilitatorIds: lock.facilitatorIds } }
          : await loadProposal(tx, orgId, proposalId, { now });
        return this.apply(tx, orgId, batch, stored, lock, now);
      });
      // Kept only once committed: a batch rolled back leaves the proposal (and its revision) as it was.
      this.kept.delete(key);
      if (after) {
        this.kept.set(key, after);
        if (this.kept.size > KEPT_MAX) this.kept.delete(this.kept.keys().next().value as string);
      }
      return outcomes;
    } catch (error) {
      // Failing before it took its commands (the proposal is gone, the database is down), the batch takes
      // whatever is queued so that it fails with the same error instead of waiting for ever.
      if (!taken) take();
      throw error;
    }
  }

  /** Runs the batch's commands through the core in arrival order and writes what they did. */
  private async apply(
    tx: Queryable,
    orgId: string,
    batch: readonly Job[],
    stored: StoredProposal,
    lock: ProposalLock,
    now: Date,
  ) {
    let current = stored.proposal;
    const steps: { proposal: Proposal; entryCount: number }[] = [];
    const queued: { type: string; actor: string | null; payload: Record<string, unknown> }[] = [];
    const outcomes: (StepResult | DomainError)[] = [];
    for (const job of batch) {
      try {
        const transition = await job.step(current, { tx, now });
        current = transition.proposal;
        for (const event of transition.events)
          queued.push({ type: event.type, actor: job.actorId, payload: event.payload });
        steps.push({ proposal: current, entryCount: transition.events.length });
        outcomes.push({ proposal: current, entries: [] });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        steps.push({ proposal: current, entryCount: 0 });
        outcomes.push(error);
      }
    }
    if (queued.length === 0) return { outcomes, after: { revision: lock.revision, stored } };
    let written: LogEntry[];
    if (!stored.proposal.decision && current.decision) {
      const consequences = await saveProposal(tx, orgId, stored, current, now);
      // A decision's consequences are logged right after the step that made it (the batch's last to change state).
      queued.push(...consequences);
      const decidingStep = steps.findLast((step) => step.entryCount > 0);
      if (decidingStep) decidingStep.entryCount += consequences.length;
      written = await appendLog(tx, orgId, now, queued);
    } else {
      // Without a decision the log waits on nothing from the proposal's write, so their statements go
      // out back to back, each round trip saved is one the next batch does not wait for.
      [, written] = await Promise.all([
        saveProposal(tx, orgId, stored, current, now),
        appendLog(tx, orgId, now, queued),
      ]);
    }
    let next = 0;
    steps.forEach((step, i) => {
      const outcome = outcomes[i];
      if (outcome && !(outcome instanceof DomainError))
        outcome.entries = written.slice(next, next + step.entryCount);
      next += step.entryCount;
    });
    const reloaded = asReloaded(stored, current);
    return { outcomes, after: reloaded && { revision: lock.revision, stored: reloaded } };
  }
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
): Promise<StepResult> {
  let writer = writers.get(ctx);
  if (!writer) {
    writer = new ProposalWriter(ctx);
    writers.set(ctx, writer);
  }
  return writer.submit(orgId, proposalId, actorId, step);
}
