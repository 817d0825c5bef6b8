import { createHash, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { loadMetrics } from "../src/app/metrics.js";
import { type OrgRow, toOrg } from "../src/app/orgs.js";
import type { Viewer } from "../src/core/access.js";
import type { CircleId, MemberId } from "../src/core/ids.js";
import { type Database, openDatabase, type Queryable } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { presentMetrics } from "../src/server/presenters/metrics.js";

/**
 * `npm run bench metrics`: the leadership metrics of a synthetic organisation of 100,000 members, 2,000
 * circles, 20,000 roles with four years of terms, 10,000 proposals with their rounds and responses, a
 * year of meetings, and 10,000,000 governance log entries, on PostgreSQL. BENCH_METRICS_SCALE (e.g. 0.1)
 * shrinks everything for a quick run.
 *
 * The data is made by set-based SQL (INSERT … SELECT over generate_series), with ids derived from md5 so
 * every run builds the same organisation. The log entries are not hash-chained (prev_hash and hash are
 * empty): the metrics read who acted when, and this bench does not verify the chain.
 */
const SCALE = Number(process.env.BENCH_METRICS_SCALE ?? 1);
const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const NOW = new Date("2026-06-15T00:00:00Z");
const YEARS = 4;
const WARM_RUNS = 3;

const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const SIZE = {
  members: scaled(100_000),
  circles: scaled(2_000),
  rolesPerCircle: 10,
  proposals: scaled(10_000),
  logEntries: scaled(10_000_000),
  mentorships: scaled(5_000),
};

export async function benchMetrics(): Promise<Record<string, unknown>> {
  if (!(SCALE > 0 && SCALE <= 1)) throw new Error("BENCH_METRICS_SCALE is a number above 0, at most 1");
  const store = await openPostgres();
  if (!store) {
    const skipped =
      "PostgreSQL is not reachable (set DATABASE_URL); the metrics bench runs on PostgreSQL only";
    console.log(`Skipped: ${skipped}`);
    return { name: "metrics", skipped };
  }
  try {
    const setupStarted = performance.now();
    const setup = await generate(store.db);
    const setupSeconds = round((performance.now() - setupStarted) / 1000);
    const rows = await tableSizes(store.db);

    // A new pool, so the first call also pays for connecting and planning (the data itself was just
    // written, so PostgreSQL's and the system's caches hold much of it: this is not a cold disk).
    await store.db.close();
    const db = await openDatabase({ databaseUrl: store.databaseUrl, schema: store.schema });
    store.db = db;
    const timed = timingQueries(db);
    const orgRow = (await db.query<OrgRow>("SELECT * FROM orgs")).rows[0] as OrgRow;
    const org = toOrg(orgRow);
    const viewer: Viewer = { memberId: setup.adminId, access: "admin", circleIds: new Set<CircleId>() };
    const run = async (circleId: CircleId | null) => {
      timed.statements.length = 0;
      const started = performance.now();
      const metrics = await loadMetrics(timed.db, org, viewer, { windowDays: 365, circleId }, NOW);
      const body = JSON.stringify(presentMetrics(metrics));
      return {
        ms: round(performance.now() - started),
        bytes: body.length,
        statements: [...timed.statements],
        metrics,
      };
    };
    const cold = await run(null);
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push((await run(null)).ms);
    const circle = await run(setup.someCircleId);
    const { metrics } = cold;
    return {
      name: "metrics",
      driver: "postgres",
      scale: SCALE,
      organisation: { ...SIZE, roles: SIZE.circles * SIZE.rolesPerCircle, rows },
      setupSeconds,
      organisationMetrics: {
        coldMs: cold.ms,
        warmMs: warm,
        warmMedianMs: [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)],
        responseBytes: cold.bytes,
        slowestStatementsColdMs: cold.statements.sort((a, b) => b.ms - a.ms).slice(0, 5),
      },
      circleMetricsMs: circle.ms,
      sample: {
        activeMembers: metrics.members.length,
        reach: metrics.reach,
        gini: round(metrics.concentration.gini, 4),
        responseRate: metrics.engagement.responseRate,
        activeInLast30Days: metrics.engagement.activeMembers,
        ties: metrics.collaboration.ties.length,
        rolesPastTerm: metrics.rotationHealth.rolesPastTerm,
      },
      note:
        "Times are of loadMetrics + presentMetrics (the work of GET /orgs/{org}/metrics without HTTP), " +
        "window 365 days. The log is not hash-chained in this bench.",
    };
  } finally {
    await store.close();
  }
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Store {
  db: Database;
  databaseUrl: string;
  schema: string;
  close: () => Promise<void>;
}

/** A fresh schema on the PostgreSQL server, dropped afterwards; null when there is no server. */
async function openPostgres(): Promise<Store | null> {
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const admin = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    await admin.query("SELECT 1");
  } catch {
    await admin.close();
    return null;
  }
  const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const store: Store = {
    db: await openDatabase({ databaseUrl, schema }),
    databaseUrl,
    schema,
    close: async () => {
      await store.db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
  await migrate(store.db);
  return store;
}

/** A Queryable that notes how long each statement took (the first words of it, for the report). */
function timingQueries(db: Queryable) {
  const statements: { sql: string; ms: number }[] = [];
  const timed: Queryable = {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const started = performance.now();
      const result = await db.query<Row>(sql, params);
      statements.push({ sql: sql.replace(/\s+/g, " ").slice(0, 90), ms: round(performance.now() - started) });
      return result;
    },
  };
  return { db: timed, statements };
}

async function tableSizes(db: Queryable) {
  const tables = [
    "members",
    "circle_members",
    "roles",
    "assignments",
    "proposals",
    "proposal_responses",
    "log_entries",
  ];
  const sizes: Record<string, number> = {};
  for (const table of tables)
    sizes[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;
  return sizes;
}

/**
 * Builds the organisation. Member i (1…N) is md5('m' || i) and belongs to circle ((i − 1) mod C) + 1, and
 * to a second circle for a third of them; a circle's members are therefore j, j + C, j + 2C, ….
 */
async function generate(db: Database) {
  const { members: N, circles: C, rolesPerCircle: R, proposals: P, logEntries: L, mentorships: M } = SIZE;
  const perCircle = Math.floor(N / C);
  const orgId = randomUUID();
  const start = new Date(NOW.getTime() - YEARS * 365 * 86_400_000);
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    await db.query(sql, params);
    console.log(`  ${label}: ${round((performance.now() - started) / 1000)} s`);
  };
  await db.query("SET synchronous_commit = off");
  await step(
    "organisation",
    `WITH o AS (INSERT INTO orgs (id, slug, name, created_at) VALUES ($1, 'bench', 'Bench Org', $2))
     INSERT INTO log_heads (org_id, seq, hash) VALUES ($1, 0, '')`,
    [orgId, start],
  );
  await step(
    "members",
    `INSERT INTO members (org_id, id, name, access, joined_at)
     SELECT $1::uuid, md5('m' || i)::uuid, 'Member ' || i,
            CASE WHEN i = 1 THEN 'admin' WHEN i % 50 = 0 THEN 'observer' ELSE 'member' END,
            $3::timestamptz - interval '1 day'
     FROM generate_series(1, $2::int) i`,
    [orgId, N, start],
  );
  await step(
    "circles and memberships",
    `WITH c AS (
       INSERT INTO circles (org_id, id, name, kind, parent_id, created_at)
       SELECT $1::uuid, md5('c' || j)::uuid, 'Circle ' || j, 'circle',
              CASE WHEN j > 10 THEN md5('c' || (j % 10 + 1))::uuid END, $4
       FROM generate_series(1, $3::int) j)
     INSERT INTO circle_members (org_id, circle_id, member_id, joined_at)
     SELECT $1::uuid, md5('c' || ((i - 1) % $3 + 1))::uuid, md5('m' || i)::uuid, $4::timestamptz FROM generate_series(1, $2::int) i
     UNION ALL
     SELECT $1::uuid, md5('c' || ((i * 7) % $3 + 1))::uuid, md5('m' || i)::uuid, $4 FROM generate_series(1, $2::int) i
     WHERE i % 3 = 0 AND (i * 7) % $3 <> (i - 1) % $3`,
    [orgId, N, C, start],
  );
  // Per circle: a facilitator (rotating, half-year terms), a leader and a delegate (elected, yearly), a
  // secretary (rotating, yearly) and custom roles (appointed, held open-ended).
  await step(
    "roles",
    `INSERT INTO roles (org_id, id, circle_id, kind, name, leadership, filling_policy, term_days, created_at)
     SELECT $1::uuid, md5('r' || j || '-' || k)::uuid, md5('c' || j)::uuid,
            (ARRAY['facilitator', 'leader', 'delegate', 'secretary'])[k],
            (ARRAY['Facilitator', 'Leader', 'Delegate', 'Secretary'])[k], k <= 3,
            (ARRAY['rotation', 'election', 'election', 'rotation'])[k], (ARRAY[182, 365, 365, 365])[k], $3::timestamptz
     FROM generate_series(1, $2::int) j, generate_series(1, 4) k
     UNION ALL
     SELECT $1::uuid, md5('r' || j || '-' || k)::uuid, md5('c' || j)::uuid, 'custom', 'Role ' || k, k = 5,
            'appointment', NULL, $3::timestamptz
     FROM generate_series(1, $2::int) j, generate_series(5, $4::int) k`,
    [orgId, C, start, R],
  );
  // Terms run back from about now over four years, each held by one of the circle's members; one role in
  // fifty has its last term ended with no successor (past term). Appointed roles: two holders in turn.
  await step(
    "assignments",
    `WITH terms AS (
       SELECT j, k, t, (ARRAY[182, 365, 365, 365])[k] AS days
       FROM generate_series(1, $2::int) j, generate_series(1, 4) k,
            generate_series(0, (ARRAY[7, 3, 3, 3])[k]) t
       WHERE NOT (t = 0 AND hashint4(j * 31 + k) % 50 = 0))
     INSERT INTO assignments (org_id, id, role_id, member_id, starts_at, ends_at, source, shadow, created_at)
     SELECT $1::uuid, md5('a' || j || '-' || k || '-' || t)::uuid, md5('r' || j || '-' || k)::uuid,
            md5('m' || (j + $2 * (abs(hashint4(j * 1009 + k * 101 + t)) % $3)))::uuid,
            $4::timestamptz - (t + 1) * days * interval '1 day' + interval '20 days',
            $4::timestamptz - t * days * interval '1 day' + interval '20 days',
            CASE WHEN k = 1 OR k = 4 THEN 'rotation' ELSE 'election' END, false, $4::timestamptz
     FROM terms
     UNION ALL
     SELECT $1::uuid, md5('a' || j || '-' || k || '-' || h)::uuid, md5('r' || j || '-' || k)::uuid,
            md5('m' || (j + $2 * (abs(hashint4(j * 7 + k * 13 + h)) % $3)))::uuid,
            $4::timestamptz - (2 - h) * interval '700 days',
            CASE WHEN h = 0 THEN $4::timestamptz - interval '700 days' END, 'appointment', false, $4::timestamptz
     FROM generate_series(1, $2::int) j, generate_series(5, $5::int) k, generate_series(0, 1) h`,
    [orgId, C, perCircle, NOW, R],
  );
  // Proposals spread over the four years, each with one consent round of its circle's members, of whom
  // about two in five respond (one response in twenty an objection); every proposal is adopted.
  await step(
    "proposals and rounds",
    `WITH p AS (
       SELECT n, (n % $3) + 1 AS j, $5::timestamptz + (n::float8 / $2) * ($6::timestamptz - $5::timestamptz) AS at
       FROM generate_series(1, $2::int) n),
     proposals AS (
       INSERT INTO proposals (org_id, id, circle_id, author_id, title, method, state, phase_entered_at, quorum,
                              review_months, created_at, updated_at)
       SELECT $1::uuid, md5('p' || n)::uuid, md5('c' || j)::uuid, md5('m' || j)::uuid, 'Proposal ' || n,
              '{"kind":"consent"}', 'adopted', at + interval '5 days', '{"kind":"majority"}', 6, at,
              at + interval '5 days'
       FROM p)
     INSERT INTO proposal_rounds (org_id, proposal_id, number, method, version, participants, opened_at, closed_at)
     SELECT $1::uuid, md5('p' || n)::uuid, 1, 'consent', 1,
            (SELECT jsonb_agg(md5('m' || (j + $3 * m))::uuid) FROM generate_series(0, $4::int - 1) m),
            at + interval '1 day', at + interval '5 days'
     FROM p`,
    [orgId, P, C, perCircle, start, NOW],
  );
  await step(
    "responses",
    `WITH r AS (
       SELECT r.proposal_id, r.closed_at, e.member_id, e.position,
              CASE WHEN abs(hashint4(e.position::int * 7 + hashtext(r.proposal_id::text))) % 20 = 0
                   THEN '{"kind":"object"}' ELSE '{"kind":"consent"}' END::jsonb AS response
       FROM proposal_rounds r
       CROSS JOIN LATERAL jsonb_array_elements_text(r.participants) WITH ORDINALITY AS e(member_id, position)
       WHERE abs(hashint4(e.position::int * 131 + hashtext(r.proposal_id::text))) % 5 < 2),
     history AS (
       INSERT INTO proposal_responses (org_id, proposal_id, round, position, member_id, response, at)
       SELECT $1::uuid, proposal_id, 1, position, member_id::uuid, response, closed_at - interval '1 day' FROM r)
     INSERT INTO proposal_current_responses (org_id, proposal_id, round, member_id, position, response, at)
     SELECT $1::uuid, proposal_id, 1, member_id::uuid, position, response, closed_at - interval '1 day' FROM r`,
    [orgId],
  );
  await step(
    "objections and decisions",
    `WITH o AS (
       INSERT INTO objections (org_id, id, proposal_id, position, round, version, member_id, reason, raised_at,
                               resolution, resolved_by, resolved_at)
       SELECT $1::uuid, md5('o' || proposal_id || member_id)::uuid, proposal_id,
              row_number() OVER (PARTITION BY proposal_id ORDER BY position), 1, 1, member_id, 'A reason', at,
              (ARRAY['{"outcome":"integrated","by":"amendment","version":2}', '{"outcome":"withdrawn"}',
                     '{"outcome":"integrated","by":"measure","measure":"watch it"}'])[position % 3 + 1]::jsonb,
              member_id, at + interval '1 day'
       FROM proposal_current_responses WHERE org_id = $1 AND response ->> 'kind' = 'object')
     INSERT INTO decisions (org_id, proposal_id, circle_id, method, version, text, adopted_at, review_months,
                            review_at, status)
     SELECT $1::uuid, p.id, p.circle_id, 'consent', 1, p.title, p.updated_at, 6, p.updated_at + interval '6 months',
            CASE WHEN p.updated_at < $2::timestamptz - interval '1 year' THEN 'superseded' ELSE 'active' END
     FROM proposals p WHERE p.org_id = $1`,
    [orgId, NOW],
  );
  await step(
    "meetings (a year, monthly per circle)",
    `INSERT INTO meetings (org_id, id, circle_id, convener_id, state, starts_at, ends_at, document, created_at, updated_at)
     SELECT $1::uuid, md5('meeting' || j || '-' || mo)::uuid, md5('c' || j)::uuid, md5('m' || j)::uuid, 'closed', at,
            at + interval '2 hours',
            jsonb_build_object('attendance', (
              SELECT jsonb_agg(jsonb_build_object('memberId', md5('m' || (j + $3 * m))::uuid,
                                                  'present', abs(hashint4(j * 17 + m * 3 + mo)) % 4 <> 0))
              FROM generate_series(0, $4::int - 1) m)),
            at, at
     FROM generate_series(1, $3::int) j, generate_series(1, 12) mo,
          LATERAL (SELECT $2::timestamptz - mo * interval '30 days' AS at) t`,
    [orgId, NOW, C, perCircle],
  );
  await step(
    "mentorships",
    `INSERT INTO mentorships (org_id, id, mentor_id, mentee_id, started_at, ended_at, document, created_at, updated_at)
     SELECT $1::uuid, md5('mentorship' || n)::uuid, md5('m' || (n * 13 % $3 + 1))::uuid, md5('m' || (n * 29 % $3 + 1))::uuid,
            $4::timestamptz - (n % 700) * interval '1 day', NULL, '{}', $4, $4
     FROM generate_series(1, $2::int) n WHERE n * 13 % $3 <> n * 29 % $3`,
    [orgId, M, N, NOW],
  );
  // The log: entries evenly over four years by members at random, then the presentations of the
  // proposals. The activity index is dropped during the load and rebuilt after (a sort beats 10 M inserts).
  const activityIndex = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND indexname = 'log_entries_actor_idx'`,
  );
  const { name, definition } = activityIndex.rows[0] as { name: string; definition: string };
  await db.query(`DROP INDEX ${name}`);
  await step(
    `log entries (${L.toLocaleString("en")})`,
    `INSERT INTO log_entries (org_id, seq, type, actor, payload, at, prev_hash, hash)
     SELECT $1::uuid, s, (ARRAY['proposal.responded', 'proposal.reacted', 'member.updated', 'assignment.created',
                          'proposal.question_asked', 'circle.member_added'])[s % 6 + 1],
            md5('m' || (abs(hashint4(s)) % $3 + 1))::uuid, '{}',
            $4::timestamptz + (s::float8 / $2) * ($5::timestamptz - $4::timestamptz), '', ''
     FROM generate_series(1, $2::int) s`,
    [orgId, L, N, start, NOW],
  );
  await step(
    "log: proposal presentations",
    `INSERT INTO log_entries (org_id, seq, type, actor, payload, at, prev_hash, hash)
     SELECT $1::uuid, $2 + row_number() OVER (ORDER BY created_at), 'proposal.presented', author_id,
            jsonb_build_object('proposalId', id), created_at + interval '12 hours', '', ''
     FROM proposals WHERE org_id = $1`,
    [orgId, L],
  );
  await step("log: activity index", definition);
  await step("log head", "UPDATE log_heads SET seq = (SELECT max(seq) FROM log_entries WHERE org_id = $1)", [
    orgId,
  ]);
  await step("analyze", "ANALYZE");
  return { adminId: md5Uuid("m1") as MemberId, someCircleId: md5Uuid(`c${Math.min(42, C)}`) as CircleId };
}

/** PostgreSQL's md5(text)::uuid, for the ids the bench needs to know. */
const md5Uuid = (text: string) => {
  const hex = createHash("md5").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
