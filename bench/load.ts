import type { EventEmitter } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** What one measured load produced: successful operations, failures, throughput and latency. */
export interface LoadResult {
  /** Operations that succeeded (2xx for HTTP). */
  count: number;
  /** Operations that failed: thrown errors, non-2xx responses, connection errors and timeouts. */
  errors: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** The nearest-rank percentile of latencies sorted ascending. */
function percentile(sortedMs: readonly number[], p: number) {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1] as number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function summarise(latenciesMs: number[], errors: number, seconds: number): LoadResult {
  const sorted = latenciesMs.sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    seconds: round2(seconds),
    opsPerSecond: Math.round(sorted.length / seconds),
    p50Ms: round2(percentile(sorted, 50)),
    p99Ms: round2(percentile(sorted, 99)),
  };
}

/**
 * Runs `total` operations from `workers` concurrent async loops in this process (no HTTP) and times each.
 * A failing operation counts as an error; the first failure is kept so a broken setup is visible.
 */
export async function runWorkers(options: {
  workers: number;
  total: number;
  operation: (index: number) => Promise<unknown>;
}): Promise<LoadResult & { firstError?: string }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < options.total) {
      const index = next++;
      const started = performance.now();
      try {
        await options.operation(index);
        latencies.push(performance.now() - started);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.workers }, worker));
  const result = summarise(latencies, errors, (performance.now() - started) / 1000);
  return firstError === undefined ? result : { ...result, firstError };
}

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

// The parts of autocannon 9 used here. It ships no types, and the bench is type-checked with the rest.
interface AutocannonResult {
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number };
}
type Autocannon = (
  options: {
    url: string;
    connections: number;
    pipelining: number;
    amount: number;
    timeout: number;
    workers: number;
    setupClient: string;
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => EventEmitter;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/**
 * Sends `total` HTTP requests over `connections` keep-alive connections (pipelining 1) with autocannon,
 * from a worker thread so the load generator does not share the server's event loop. Connection `i`
 * cycles through `requestsFor(i)`, so each connection can act as a different user. autocannon notices
 * that the amount is reached only on its one-second tick, so the run is timed from the start to the
 * server's last response (`lastResponseAt`, taken by the caller in an onResponse hook).
 */
export async function runHttpLoad(options: {
  url: string;
  connections: number;
  total: number;
  requestsFor: (connection: number) => HttpRequest[];
  lastResponseAt: () => number;
}): Promise<LoadResult & { statusCodes: Record<string, number> }> {
  const folder = await mkdtemp(join(tmpdir(), "polyphony-bench-"));
  const file = join(folder, "connections.json");
  await writeFile(
    file,
    JSON.stringify(Array.from({ length: options.connections }, (_, i) => options.requestsFor(i))),
  );
  process.env.POLYPHONY_BENCH_CONNECTIONS = file;
  const started = performance.now();
  try {
    const result = await new Promise<AutocannonResult>((resolve, reject) => {
      autocannon(
        {
          url: options.url,
          connections: options.connections,
          pipelining: 1,
          // A fixed amount (not a duration) so that no request is still in flight when the run ends.
          amount: options.total,
          timeout: 30,
          workers: 1,
          setupClient: fileURLToPath(new URL("./autocannon-client.cjs", import.meta.url)),
        },
        (error, done) => (error ? reject(error) : resolve(done)),
      );
    });
    const seconds = (options.lastResponseAt() - started) / 1000;
    const statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
    );
    const ok = Object.entries(statusCodes)
      .filter(([status]) => status.startsWith("2"))
      .reduce((sum, [, count]) => sum + count, 0);
    return {
      count: ok,
      errors: result.non2xx + result.errors + result.timeouts,
      seconds: round2(seconds),
      opsPerSecond: Math.round(ok / seconds),
      p50Ms: round2(result.latency.p50),
      p99Ms: round2(result.latency.p99),
      statusCodes,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
