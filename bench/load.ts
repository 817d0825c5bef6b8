import type { EventEmitter } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** Where the time went during a load: the CPU each party used, in cores (1 = one core all the time). */
export interface CpuUse {
  /** How busy this process's main thread (the server's event loop) was, 0 to 1. */
  mainThreadBusy: number;
  /** This process's threads together: the server, the load generator's worker, PGlite when it is the store. */
  processCores: number;
  /** The local PostgreSQL server's processes (null when there are none on this machine to read). */
  postgresCores: number | null;
}

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
  cpu: CpuUse;
}

/**
 * CPU seconds used by the PostgreSQL server's processes on this machine so far (Linux /proc: each
 * process's user and system time, and its reaped children's), or null when none can be read.
 */
function postgresCpuSeconds(): number | null {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // The process ended meanwhile.
    }
    if (!stat.includes("(postgres)")) continue;
    found = true;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    for (const i of [11, 12, 13, 14]) ticks += Number(fields[i] ?? 0);
  }
  return found ? ticks / CLOCK_TICKS_PER_SECOND : null;
}
/** Linux's USER_HZ, the unit of /proc's CPU times, on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Starts watching the CPU; the returned function reads what was used since, over `seconds`. */
function watchCpu() {
  const loop = performance.eventLoopUtilization();
  const process0 = process.cpuUsage();
  const postgres0 = postgresCpuSeconds();
  return (seconds: number): CpuUse => {
    const used = process.cpuUsage(process0);
    const postgres1 = postgresCpuSeconds();
    return {
      // Time spent working over the measured seconds (what the loop did after the last response is little).
      mainThreadBusy: round2(Math.min(1, performance.eventLoopUtilization(loop).active / 1000 / seconds)),
      processCores: round2((used.user + used.system) / 1e6 / seconds),
      postgresCores:
        postgres0 === null || postgres1 === null ? null : round2((postgres1 - postgres0) / seconds),
    };
  };
}

/** The nearest-rank percentile of latencies sorted ascending. */
function percentile(sortedMs: readonly number[], p: number) {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1] as number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function summarise(latenciesMs: number[], errors: number, seconds: number, cpu: CpuUse): LoadResult {
  const sorted = latenciesMs.sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    seconds: round2(seconds),
    opsPerSecond: Math.round(sorted.length / seconds),
    p50Ms: round2(percentile(sorted, 50)),
    p99Ms: round2(percentile(sorted, 99)),
    cpu,
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
  const cpuSince = watchCpu();
  await Promise.all(Array.from({ length: options.workers }, worker));
  const seconds = (performance.now() - started) / 1000;
  const result = summarise(latencies, errors, seconds, cpuSince(seconds));
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
  const cpuSince = watchCpu();
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
      cpu: cpuSince(seconds),
      statusCodes,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
