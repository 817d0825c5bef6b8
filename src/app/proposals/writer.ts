import type { Proposal } from "../../core/consent/proposal.js";
import type { Transition } from "../../core/consent/transition.js";
import { DomainError } from "../../core/errors.js";
import type { LogEntry } from "../../core/log.js";
import type { Queryable } from "../../db/database.js";
import { appendLog } from "../../db/log.js";
import type { AppContext } from "../context.js";
import { loadProposal, saveProposal } from "./store.js";

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

/**
 * Group commit for proposals. Commands on one proposal queue here; whoever finds the queue idle drains
 * it, taking every command waiting at that moment into one transaction: lock the proposal's row, load
 * it once, run each command through the core in arrival order (a refused command fails alone), write
 * the difference once, append every log entry in one statement, commit once. Under load — two hundred
 * members responding at once — this turns hundreds of serialised transactions into a handful, and it
 * can neither lose a response nor count one twice: the row lock orders writers across processes, and
 * inside the process the queue does.
 */
class ProposalWriter {
  private readonly queues = new Map<string, Job[]>();

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
    for (;;) {
      const queue = this.queues.get(key) ?? [];
      if (queue.length === 0) {
        this.queues.delete(key);
        return;
      }
      const batch = queue.splice(0, BATCH_MAX);
      try {
        const outcomes = await this.runBatch(orgId, proposalId, batch);
        batch.forEach((job, i) => {
          const outcome = outcomes[i];
          if (outcome instanceof DomainError) job.reject(outcome);
          else if (outcome) job.resolve(outcome);
        });
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
    }
  }

  private runBatch(orgId: string, proposalId: string, batch: readonly Job[]) {
    const now = this.ctx.now();
    return this.ctx.db.transaction(async (tx) => {
      // Lock first, load after: a statement that waits for the lock still reads from the snapshot it began
      // with. The load is queued behind the lock on the same connection, so it starts once the lock is held.
      const locked = tx.query("SELECT 1 FROM proposals WHERE org_id = $1 AND id = $2 FOR UPDATE", [
        orgId,
        proposalId,
      ]);
      locked.catch(() => {});
      const stored = await loadProposal(tx, orgId, proposalId, { now }).catch(async (error: unknown) => {
        await locked; // a failed lock is the real reason the load failed
        throw error;
      });
      await locked;
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
      if (queued.length === 0) return outcomes;
      const consequences = await saveProposal(tx, orgId, stored, current, now);
      // A decision's consequences are logged right after the step that made it (the batch's last to change state).
      queued.push(...consequences);
      const deciding = steps.findLastIndex((step) => step.entryCount > 0);
      const decidingStep = steps[deciding];
      if (decidingStep) decidingStep.entryCount += consequences.length;
      const written = await appendLog(tx, orgId, now, queued);
      let next = 0;
      steps.forEach((step, i) => {
        const outcome = outcomes[i];
        if (outcome && !(outcome instanceof DomainError))
          outcome.entries = written.slice(next, next + step.entryCount);
        next += step.entryCount;
      });
      return outcomes;
    });
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
