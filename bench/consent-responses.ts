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

/** Runs a warm-up of the same load, then the measured one. */
async function warmThenMeasure<R extends LoadResult>(name: string, load: (total: number) => Promise<R>) {
  await load(WARM_UP);
  const result = await load(REQUESTS);
  console.log(`  ${name}: ${result.opsPerSecond} ops/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
  return result;
}

/** Baseline 1: single-row inserts straight from this process through the same driver and pool. */
async function measureRawInserts(db: Database) {
  await db.exec("TRUNCATE bench_rows");
  return warmThenMeasure("raw insert", (total) =>
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
    }),
  );
}

/** Baseline 2: a bare Fastify route (no plugins, no schema) doing one INSERT per request. */
async function measureBareRoute(db: Database) {
  await db.exec("TRUNCATE bench_rows");
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
  try {
    const result = await warmThenMeasure("bare route", (total) =>
      runHttpLoad({
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
      }),
    );
    return result;
  } finally {
    await bare.close();
  }
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
 */
async function measureFullStack(db: Database) {
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
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const { follower, reading } = await followEvents(base, org.id, founder.session);
    const responsesPath = `/api/v1/orgs/${org.id}/proposals/${proposal.id}/responses`;
    const load = (total: number) =>
      runHttpLoad({
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
    const responseRows = () =>
      countRows(db, "SELECT count(*) AS n FROM proposal_responses WHERE proposal_id = $1", [proposal.id]);
    const warmUp = await load(WARM_UP);
    const rowsBefore = await responseRows();
    const result = await load(REQUESTS);
    const recorded = (await responseRows()) - rowsBefore;
    console.log(`  full stack: ${result.opsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
    const published = warmUp.count + result.count;
    await waitFor(() => follower.received >= published, 10_000);
    follower.stop();
    await reading;
    return {
      ...result,
      setupSeconds: Math.round(setupSeconds * 10) / 10,
      check: {
        responseRowsRecorded: recorded,
        everyResponseRecordedOnce: recorded === result.count && result.errors === 0,
        sseEventsReceived: follower.received,
        sseEventsExpected: published,
      },
    };
  } finally {
    await server.close();
  }
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function printTable(rows: Record<string, LoadResult>) {
  const header = ["", "ops/s", "p50 ms", "p99 ms", "count", "errors"];
  const lines = Object.entries(rows).map(([name, r]) => [
    name,
    r.opsPerSecond,
    r.p50Ms,
    r.p99Ms,
    r.count,
    r.errors,
  ]);
  for (const line of [header, ...lines])
    console.log(
      line.map((cell, i) => String(cell)[i === 0 ? "padEnd" : "padStart"](i === 0 ? 12 : 9)).join(""),
    );
}

/**
 * Consent responses per second through the full HTTP stack with 50 concurrent members, against two
 * baselines on the same database and driver: raw single-row inserts, and a bare Fastify route doing one
 * INSERT per request. The target is ≥ 1.0 × the bare route at p99 < 50 ms.
 */
export async function benchConsentResponses(driver: Driver) {
  const store = await openBenchStore(driver);
  console.log(`consent-responses on ${store.description}: ${REQUESTS} operations each, ${CLIENTS} clients`);
  try {
    await store.db.exec(BENCH_ROWS);
    const rawInsert = await measureRawInserts(store.db);
    const bareRoute = await measureBareRoute(store.db);
    const bareRouteRows = await countRows(store.db, "SELECT count(*) AS n FROM bench_rows");
    const fullStack = await measureFullStack(store.db);
    printTable({ "raw insert": rawInsert, "bare route": bareRoute, "full stack": fullStack });
    const ratios = {
      fullStackVsBareRoute: ratio(fullStack.opsPerSecond, bareRoute.opsPerSecond),
      fullStackVsRawInsert: ratio(fullStack.opsPerSecond, rawInsert.opsPerSecond),
    };
    console.log(
      `  full stack vs bare route ${ratios.fullStackVsBareRoute}×, vs raw insert ${ratios.fullStackVsRawInsert}×`,
    );
    const valid =
      fullStack.check.everyResponseRecordedOnce &&
      bareRoute.errors === 0 &&
      bareRouteRows === WARM_UP + REQUESTS &&
      rawInsert.errors === 0;
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
      rawInsert,
      bareRoute: { ...bareRoute, rowsInserted: bareRouteRows },
      fullStack,
      ...ratios,
      target: {
        ...TARGET,
        met: ratios.fullStackVsBareRoute >= TARGET.fullStackVsBareRoute && fullStack.p99Ms < TARGET.p99Ms,
      },
      valid,
    };
  } finally {
    await store.close();
  }
}
