import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

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
interface AutocannonClient {
  setRequests(requests: HttpRequest[]): void;
}
interface AutocannonResult {
  non2xx: number;
  errors: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance extends EventEmitter {
  on(
    event: "response",
    listener: (client: AutocannonClient, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): this;
}
type Autocannon = (
  options: {
    url: string;
    connections: number;
    pipelining: number;
    amount: number;
    timeout: number;
    setupClient: (client: AutocannonClient) => void;
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/**
 * Sends `total` HTTP requests over `connections` keep-alive connections (pipelining 1) with autocannon.
 * Connection `i` cycles through `requestsFor(i)`, so each connection can act as a different user.
 * Latency percentiles cover the 2xx responses; `statusCodes` counts every response by status.
 */
export async function runHttpLoad(options: {
  url: string;
  connections: number;
  total: number;
  requestsFor: (connection: number) => HttpRequest[];
}): Promise<LoadResult & { statusCodes: Record<string, number> }> {
  const latencies: number[] = [];
  let connection = 0;
  const started = performance.now();
  // autocannon notices that `amount` is reached on its one-second tick; the run ends at the last response.
  let lastResponseAt = started;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        pipelining: 1,
        // A fixed amount (not a duration) so that no request is still in flight when the run ends.
        amount: options.total,
        timeout: 30,
        setupClient: (client) => client.setRequests(options.requestsFor(connection++)),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTimeMs) => {
      lastResponseAt = performance.now();
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
  });
  const seconds = (lastResponseAt - started) / 1000;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
  );
  return { ...summarise(latencies, result.non2xx + result.errors, seconds), statusCodes };
}
