import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import Fastify from "fastify";
import { signUp } from "../src/app/accounts.js";
import { createCircle } from "../src/app/circles.js";
import { type AppContext, systemContext } from "../src/app/context.js";
import { acceptInvitation, createInvitation } from "../src/app/invitations.js";
import { createOrg } from "../src/app/orgs.js";
import type { Viewer } from "../src/core/access.js";
import type { MemberId } from "../src/core/ids.js";
import { type Database, openDatabase } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { buildServer, defaultServerConfig } from "../src/server/app.js";
import { CSRF_HEADER, SESSION_COOKIE } from "../src/server/plugins/auth.js";
import { type HttpRequest, type LoadResult, runHttpLoad, runWorkers } from "./load.js";

export type Driver = "postgres" | "pglite";

const CLIENTS = 50;
/** Operations per measurement (the same for all three); BENCH_REQUESTS overrides it. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const WARM_UP = Math.max(CLIENTS, Math.round(REQUESTS / 10));
/**
 * The three measurements take turns this many times (BENCH_ROUNDS overrides it) and each reports its
 * median run: on a shared two-core machine one run can be a third slower than the next, and taking turns
 * exposes all three to the same spells.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const PASSWORD = "bench-password-2026";
const TARGET = { fullStackVsBareRoute: 1.0, p99Ms: 50 };

/** Alternates the two answers a member gives, so each request changes their response. */
const answer = (index: number) =>
  index % 2 === 0
    ? { kind: "consent" as const, concern: null }
    : { kind: "consent_with_concern" as const, concern: "watch the budget" };

const BENCH_ROWS = `CREATE TABLE bench_rows (
  id uuid PRIMARY KEY,
  member_id text NOT NULL,
  kind text NOT NULL,
  concern text,
  recorded_at timestamptz NOT NULL
)`;
const INSERT_BENCH_ROW =
  "INSERT INTO bench_rows (id, member_id, kind, concern, recorded_at) VALUES ($1, $2, $3, $4, $5)";

interface BenchStore {
  db: Database;
  description: string;
  close: () => Promise<void>;
}

/** A migrated database that holds nothing else: PGlite in memory, or a PostgreSQL schema dropped afterwards. */
async function openBenchStore(driver: Driver): Promise<BenchStore> {
  if (driver === "pglite") {
    const db = await openDatabase({});
    await migrate(db);
    return { db, description: "PGlite (in memory)", close: () => db.close() };
  }
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const shownUrl = new URL(databaseUrl);
  shownUrl.password = "";
  const admin = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    await admin.query("SELECT 1");
  } catch (error) {
    await admin.close();
    throw new Error(
      `PostgreSQL is not reachable at ${shownUrl} (${error instanceof Error ? error.message : error}). ` +
        "Set DATABASE_URL, or run the PGlite entry alone: npm run bench consent-responses.pglite",
    );
  }
  const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = await openDatabase({ databaseUrl, schema });
  const close = async () => {
    await db.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  };
  try {
    await migrate(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { db, description: `PostgreSQL ${shownUrl}, schema ${schema}`, close };
}

const countRows = async (db: Database, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);

/** A load that can be measured repeatedly: `total` operations, with what they produced. */
type Measure<R extends LoadResult> = (total: number) => Promise<R>;

/** Baseline 1: single-row inserts straight from this process through the same driver and pool. */
function rawInserts(db: Database): Measure<LoadResult> {
  return (total) =>
    runWorkers({
      workers: CLIENTS,
      total,
      operation: (index) => {
        const { kind, concern } = answer(index);
        return db.query(INSERT_BENCH_ROW, [
          randomUUID(),
          `member-${index % CLIENTS}`,
          kind,
          concern,
          new Date(),
        ]);
      },
    });
}

/** Baseline 2: a bare Fastify route (no plugins, no schema) doing one INSERT per request. */
async function openBareRoute(db: Database) {
  const bare = Fastify();
  bare.post("/rows", async (request, reply) => {
    const body = request.body as { memberId: string; kind: string; concern?: string };
    const id = randomUUID();
    await db.query(INSERT_BENCH_ROW, [id, body.memberId, body.kind, body.concern ?? null, new Date()]);
    return reply.code(201).send({ id });
  });
  let lastResponseAt = 0;
  bare.addHook("onResponse", async () => {
    lastResponseAt = performance.now();
  });
  const url = await bare.listen({ host: "127.0.0.1", port: 0 });
  const measure: Measure<LoadResult & { rowsInserted: number }> = async (total) => {
    const before = await countRows(db, "SELECT count(*) AS n FROM bench_rows");
    const result = await runHttpLoad({
      url,
      connections: CLIENTS,
      total,
      lastResponseAt: () => lastResponseAt,
      requestsFor: (connection) =>
        [0, 1].map((index) => ({
          method: "POST",
          path: "/rows",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ memberId: `member-${connection}`, ...answer(index) }),
        })),
    });
    return {
      ...result,
      rowsInserted: (await countRows(db, "SELECT count(*) AS n FROM bench_rows")) - before,
    };
  };
  return { measure, close: () => bare.close() };
}

interface Member {
  memberId: MemberId;
  session: { token: string; csrfToken: string };
}

/**
 * The organisation of the full-stack run: a founder (author and facilitator, who never responds, so the
 * round stays open) and 50 members with accounts, all in one circle.
 */
async function setUpOrganisation(ctx: AppContext) {
  const founderAccount = await signUp(ctx, {
    email: "founder@bench.test",
    name: "Founder",
    password: PASSWORD,
  });
  const { org, memberId: founderId } = await createOrg(ctx, founderAccount.user.id, {
    name: "Bench Orchestra",
    founderName: "Founder",
  });
  const founderViewer: Viewer = { memberId: founderId as MemberId, access: "admin", circleIds: new Set() };
  const members: Member[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const account = await signUp(ctx, {
      email: `member${i}@bench.test`,
      name: `Member ${i}`,
      password: PASSWORD,
    });
    const { token } = await createInvitation(ctx, org, founderViewer, {});
    const { memberId } = await acceptInvitation(ctx, account.user, token);
    members.push({ memberId: memberId as MemberId, session: account.session });
  }
  const circle = await createCircle(ctx, org.id, founderViewer, {
    name: "Programme",
    kind: "circle",
    parentId: null,
    memberIds: [founderId, ...members.map((m) => m.memberId)],
  });
  return {
    org,
    circle,
    founder: { memberId: founderId as MemberId, session: founderAccount.session },
    members,
  };
}

const sessionHeaders = (session: Member["session"]) => ({
  cookie: `${SESSION_COOKIE}=${session.token}`,
  [CSRF_HEADER]: session.csrfToken,
});

/** Calls the API as `session`; a failure stops the bench with the server's answer. */
async function callApi<T>(
  base: string,
  session: Member["session"],
  method: "POST",
  path: string,
  body: unknown,
) {
  const response = await fetch(base + path, {
    method,
    headers: { ...sessionHeaders(session), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Setup failed: ${method} ${path} → ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Keeps one SSE reader on the organisation's events and counts the events it receives. */
async function followEvents(base: string, orgId: string, session: Member["session"]) {
  const stop = new AbortController();
  const response = await fetch(`${base}/api/v1/orgs/${orgId}/events`, {
    headers: sessionHeaders(session),
    signal: stop.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`Setup failed: the event stream answered ${response.status}`);
  const follower = { received: 0, stop: () => stop.abort() };
  const decoder = new TextDecoder();
  let pending = "";
  const reader = response.body.getReader();
  const reading = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      pending += decoder.decode(chunk.value, { stream: true });
      const events = pending.split("\n\n");
      pending = events.pop() ?? "";
      follower.received += events.filter((event) => event.startsWith("id: ")).length;
    }
  })().catch((error: unknown) => {
    if (!stop.signal.aborted) throw error;
  });
  return { follower, reading };
}

/** Waits until `done()` holds or `ms` pass (the stream delivers after each commit, slightly behind). */
async function waitFor(done: () => boolean, ms: number) {
  for (const until = performance.now() + ms; !done() && performance.now() < until; )
    await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * The measured path: Polyphony's own server (session auth, CSRF, validation, the consent rules, the
 * response row, the log append, the SSE publish), each of the 50 connections one member of the round.
 * One SSE reader follows the organisation throughout; `close` says whether it received every event.
 */
async function openFullStack(db: Database) {
  const ctx = systemContext(db);
  const setupStarted = performance.now();
  const { org, circle, founder, members } = await setUpOrganisation(ctx);
  const server = await buildServer(ctx, defaultServerConfig);
  let lastResponseAt = 0;
  server.addHook("onResponse", async () => {
    lastResponseAt = performance.now();
  });
  const base = await server.listen({ host: "127.0.0.1", port: 0 });
  try {
    const proposal = await callApi<{ id: string }>(
      base,
      founder.session,
      "POST",
      `/api/v1/orgs/${org.id}/proposals`,
      {
        circleId: circle.id,
        title: "Move the spring concert to May",
        text: "The hall is booked in April; May is free and cheaper.",
      },
    );
    for (const to of ["presented", "clarifying", "reactions", "consent_round"])
      await callApi(
        base,
        founder.session,
        "POST",
        `/api/v1/orgs/${org.id}/proposals/${proposal.id}/advance`,
        { to },
      );
    const setupSeconds = Math.round((performance.now() - setupStarted) / 100) / 10;
    const { follower, reading } = await followEvents(base, org.id, founder.session);
    const responsesPath = `/api/v1/orgs/${org.id}/proposals/${proposal.id}/responses`;
    const responseRows = () =>
      countRows(db, "SELECT count(*) AS n FROM proposal_responses WHERE proposal_id = $1", [proposal.id]);
    let published = 0;
    const measure = async (total: number) => {
      const before = await responseRows();
      const result = await runHttpLoad({
        url: base,
        connections: CLIENTS,
        total,
        lastResponseAt: () => lastResponseAt,
        requestsFor: (connection): HttpRequest[] =>
          [0, 1].map((index) => {
            const { kind, concern } = answer(index);
            return {
              method: "POST",
              path: responsesPath,
              headers: {
                ...sessionHeaders((members[connection] as Member).session),
                "content-type": "application/json",
              },
              body: JSON.stringify(concern === null ? { kind } : { kind, concern }),
            };
          }),
      });
      published += result.count;
      const recorded = (await responseRows()) - before;
      return { ...result, responseRowsRecorded: recorded };
    };
    /** Stops the server once the SSE reader has had every event published (or ten seconds passed). */
    const close = async () => {
      await waitFor(() => follower.received >= published, 10_000);
      follower.stop();
      await reading;
      await server.close();
      return { sseEventsReceived: follower.received, sseEventsExpected: published };
    };
    return { setupSeconds, measure, close };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The run with the median throughput (the middle one of an odd number; the lower middle otherwise). */
function medianRun<R extends LoadResult>(runs: readonly R[]): R {
  const sorted = [...runs].sort((a, b) => a.opsPerSecond - b.opsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)] as R;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

const describeRun = (name: string, r: LoadResult) =>
  `  ${name.padEnd(11)} ${String(r.opsPerSecond).padStart(6)}/s  p50 ${String(r.p50Ms).padStart(6)} ms  p99 ${String(r.p99Ms).padStart(6)} ms  ` +
  `main thread ${Math.round(r.cpu.mainThreadBusy * 100)}% busy, process ${r.cpu.processCores} cores, PostgreSQL ${r.cpu.postgresCores ?? "–"} cores`;

/**
 * Consent responses per second through the full HTTP stack with 50 concurrent members, against two
 * baselines on the same database and driver: raw single-row inserts, and a bare Fastify route doing one
 * INSERT per request. The target is ≥ 1.0 × the bare route at p99 < 50 ms.
 */
export async function benchConsentResponses(driver: Driver) {
  const store = await openBenchStore(driver);
  console.log(
    `consent-responses on ${store.description}: ${ROUNDS} rounds of ${REQUESTS} operations each, ${CLIENTS} clients`,
  );
  try {
    await store.db.exec(BENCH_ROWS);
    const raw = rawInserts(store.db);
    const bare = await openBareRoute(store.db);
    const full = await openFullStack(store.db).catch(async (error: unknown) => {
      await bare.close();
      throw error;
    });
    const runs = {
      rawInsert: [] as LoadResult[],
      bareRoute: [] as Awaited<ReturnType<typeof bare.measure>>[],
      fullStack: [] as Awaited<ReturnType<typeof full.measure>>[],
    };
    let sse: Awaited<ReturnType<typeof full.close>>;
    try {
      await raw(WARM_UP);
      await bare.measure(WARM_UP);
      await full.measure(WARM_UP);
      for (let round = 1; round <= ROUNDS; round++) {
        console.log(`round ${round}`);
        for (const [name, measure] of [
          ["rawInsert", raw],
          ["bareRoute", bare.measure],
          ["fullStack", full.measure],
        ] as const) {
          const result = await measure(REQUESTS);
          runs[name].push(result as never);
          console.log(describeRun(name, result));
        }
      }
    } finally {
      await bare.close();
      sse = await full.close();
    }
    const rawInsert = medianRun(runs.rawInsert);
    const bareRoute = medianRun(runs.bareRoute);
    const fullStack = medianRun(runs.fullStack);
    const ratios = {
      fullStackVsBareRoute: ratio(fullStack.opsPerSecond, bareRoute.opsPerSecond),
      fullStackVsRawInsert: ratio(fullStack.opsPerSecond, rawInsert.opsPerSecond),
    };
    console.log("medians");
    for (const [name, r] of Object.entries({ rawInsert, bareRoute, fullStack }))
      console.log(describeRun(name, r));
    console.log(
      `  full stack vs bare route ${ratios.fullStackVsBareRoute}×, vs raw insert ${ratios.fullStackVsRawInsert}×`,
    );
    const check = {
      everyResponseRecordedOnce: runs.fullStack.every(
        (r) => r.errors === 0 && r.responseRowsRecorded === r.count,
      ),
      everyBareRouteRowInserted: runs.bareRoute.every((r) => r.errors === 0 && r.rowsInserted === r.count),
      noRawInsertFailed: runs.rawInsert.every((r) => r.errors === 0),
      ...sse,
    };
    const valid =
      check.everyResponseRecordedOnce &&
      check.everyBareRouteRowInserted &&
      check.noRawInsertFailed &&
      sse.sseEventsReceived === sse.sseEventsExpected;
    if (!valid) {
      console.error("  The run is not valid: a request failed or was not recorded exactly once (see check).");
      process.exitCode = 1;
    }
    return {
      name: `consent-responses.${driver}`,
      driver: store.db.kind,
      clients: CLIENTS,
      requestsPerMeasurement: REQUESTS,
      warmUpRequests: WARM_UP,
      rounds: ROUNDS,
      rawInsert,
      bareRoute,
      fullStack: { ...fullStack, setupSeconds: full.setupSeconds },
      ...ratios,
      target: {
        ...TARGET,
        met: ratios.fullStackVsBareRoute >= TARGET.fullStackVsBareRoute && fullStack.p99Ms < TARGET.p99Ms,
      },
      check,
      valid,
      runs,
    };
  } finally {
    await store.close();
  }
}
