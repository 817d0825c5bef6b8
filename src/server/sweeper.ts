import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.js";
import { endCrisesPastTheirTime } from "../app/crises.js";
import { closeRoundsPastDeadline } from "../app/proposals/commands.js";
import { announceAllTermsDue } from "../app/rotation.js";
import { closeElectionRoundsPastDeadline } from "../app/selections/commands.js";

/** Terms change by the day: looking for those come due once a minute is plenty. */
const TERMS_EVERY_MS = 60_000;

/**
 * Records the transitions that time makes: a round (of a proposal or an election) whose deadline has
 * passed is closed (adopted, elected, lapsed, ...), a crisis authority past its end is noted as ended,
 * and terms that come due are announced; all of it is logged. Reads never wait for it — the rules decide from `now` — but the log and the
 * live screens should show the moment. Each sweep's writes are guarded by row locks, so several server
 * processes may sweep at once and each transition is still logged once.
 */
export function startSweeper(app: FastifyInstance, ctx: AppContext, everyMs: number) {
  let running: Promise<void> | null = null;
  let termsCheckedAt = Number.NEGATIVE_INFINITY;
  const sweep = () => {
    if (running) return;
    running = (async () => {
      const closed = (await closeRoundsPastDeadline(ctx)) + (await closeElectionRoundsPastDeadline(ctx));
      if (closed > 0) app.log.info({ closed }, "closed rounds past their deadline");
      const ended = await endCrisesPastTheirTime(ctx);
      if (ended > 0) app.log.info({ ended }, "noted the end of crisis authorities");
      if (performance.now() - termsCheckedAt >= TERMS_EVERY_MS) {
        termsCheckedAt = performance.now();
        const announced = await announceAllTermsDue(ctx);
        if (announced > 0) app.log.info({ announced }, "announced terms ending or past their end");
      }
    })()
      .catch((error: unknown) => app.log.error({ err: error }, "sweep failed"))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  app.addHook("onReady", async () => sweep());
  app.addHook("onClose", async () => {
    clearInterval(timer);
    await running;
  });
}
