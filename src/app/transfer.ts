import { conflict, invalid, notFound } from "../core/errors.js";
import { isUuidLike } from "../core/orgs.js";
import type { Queryable } from "../db/database.js";
import { verifyOrgLog } from "../db/log.js";
import type { AppContext } from "./context.js";

interface OrgTable {
  table: string;
  /** The column naming the organisation (default `org_id`). */
  orgColumn?: string;
  /** A column pointing at another row of the same table (`id`): parents are restored first. */
  parentColumn?: string;
}

/**
 * The tables that hold one organisation, each after the tables its foreign keys point to. A new
 * organisation table is one more line here (test/transfer.test.ts fails until it is listed).
 */
const ORG_TABLES: readonly OrgTable[] = [
  { table: "orgs", orgColumn: "id" },
  { table: "members" },
  { table: "invitations" },
  { table: "circles", parentColumn: "parent_id" },
  { table: "circle_members" },
  { table: "roles" },
  { table: "assignments" },
  { table: "term_notices" },
  { table: "proposals", parentColumn: "review_of" },
  { table: "proposal_effects" },
  { table: "crises" },
  { table: "meetings" },
  { table: "calendar_feeds" },
  { table: "rotas" },
  { table: "mentorships" },
  { table: "proposal_versions" },
  { table: "proposal_questions" },
  { table: "proposal_reactions" },
  { table: "proposal_rounds" },
  { table: "proposal_responses" },
  { table: "proposal_current_responses" },
  { table: "objections" },
  { table: "proposal_advice" },
  { table: "decisions" },
  { table: "voting_mandates" },
  { table: "selections" },
  { table: "cycles" },
  { table: "performance_reviews" },
  { table: "feedback_answers" },
  { table: "review_plans" },
  { table: "appreciations" },
  { table: "community_advice" },
  { table: "log_entries" },
  { table: "log_heads" },
];

/** The accounts of an organisation's members travel with it (with their password hashes: it is a backup). */
const USER_COLUMNS = ["id", "email", "name", "password_hash", "created_at"] as const;

export const EXPORT_FORMAT = "polyphony.org-export";
export const EXPORT_VERSION = 1;

type Row = Record<string, unknown>;

export interface OrgExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  org: { id: string; slug: string; name: string };
  users: Row[];
  /** Every row of the organisation, table by table, in primary-key order. */
  tables: Record<string, Row[]>;
}

/** One organisation, complete, as plain JSON-safe data; read from a single snapshot. */
export async function exportOrg(ctx: AppContext, orgRef: string): Promise<OrgExport> {
  return ctx.db.transaction(async (tx) => {
    // Every table read sees the same moment, even while the server keeps writing.
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    const column = isUuidLike(orgRef) ? "id" : "slug";
    const { rows } = await tx.query<{ id: string; slug: string; name: string }>(
      `SELECT id, slug, name FROM orgs WHERE ${column} = $1`,
      [orgRef],
    );
    const org = rows[0];
    if (!org) throw notFound(`Organisation "${orgRef}"`, orgRef);
    const tables: Record<string, Row[]> = {};
    for (const spec of ORG_TABLES) {
      const order = (await primaryKey(tx, spec.table)).map(quote).join(", ");
      const result = await tx.query<Row>(
        `SELECT * FROM ${quote(spec.table)} WHERE ${quote(spec.orgColumn ?? "org_id")} = $1 ORDER BY ${order}`,
        [org.id],
      );
      tables[spec.table] = result.rows.map(jsonSafe);
    }
    const users = await tx.query<Row>(
      `SELECT ${USER_COLUMNS.join(", ")} FROM users
       WHERE id IN (SELECT user_id FROM members WHERE org_id = $1) ORDER BY id`,
      [org.id],
    );
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: ctx.now().toISOString(),
      org,
      users: users.rows.map(jsonSafe),
      tables,
    };
  });
}

export interface ImportSummary {
  org: { id: string; slug: string; name: string };
  /** Rows restored per table (users: accounts created; existing ones are reused). */
  rows: Record<string, number>;
  logEntries: number;
}

/**
 * Restores an exported organisation into a store that does not hold it, in one transaction. Accounts
 * that exist with the same id are reused. The log chain is verified before commit: a file whose log
 * does not verify restores nothing.
 */
export async function importOrg(ctx: AppContext, file: unknown): Promise<ImportSummary> {
  const data = readExport(file);
  const org = data.org;
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.query<{ id: string; slug: string }>(
      "SELECT id, slug FROM orgs WHERE id = $1 OR slug = $2",
      [org.id, org.slug],
    );
    if (existing.rows.length > 0)
      throw conflict(`This store already holds an organisation with the id or slug of "${org.name}"`, {
        id: org.id,
        slug: org.slug,
      });
    const rows: Record<string, number> = { users: await restoreUsers(tx, data.users) };
    for (const spec of ORG_TABLES) {
      const tableRows = data.tables[spec.table] ?? [];
      const orgColumn = spec.orgColumn ?? "org_id";
      if (tableRows.some((row) => row[orgColumn] !== org.id))
        throw invalid(`The file's ${spec.table} hold rows of another organisation`, { table: spec.table });
      const ordered = spec.parentColumn ? parentsFirst(tableRows, spec.parentColumn) : tableRows;
      await insertRows(tx, spec.table, ordered);
      rows[spec.table] = tableRows.length;
    }
    const verdict = await verifyOrgLog(tx, org.id);
    if (!verdict.ok)
      throw invalid(
        `The log in the file does not verify: entry ${verdict.brokenSeq} is broken (${verdict.reason}); nothing was imported`,
        { brokenSeq: verdict.brokenSeq, reason: verdict.reason },
      );
    return { org, rows, logEntries: verdict.entries };
  });
}

function readExport(file: unknown): OrgExport {
  const data = file as Partial<OrgExport> | null;
  if (typeof data !== "object" || data === null || data.format !== EXPORT_FORMAT)
    throw invalid("This is not a Polyphony organisation export");
  if (data.version !== EXPORT_VERSION)
    throw invalid(`Export version ${String(data.version)} is not supported (expected ${EXPORT_VERSION})`);
  const orgRow = data.tables?.orgs?.[0];
  if (!data.org || !orgRow || orgRow.id !== data.org.id || !Array.isArray(data.users))
    throw invalid("The export is incomplete: it needs the organisation, its users and its tables");
  const known = new Set(ORG_TABLES.map((spec) => spec.table));
  for (const [table, tableRows] of Object.entries(data.tables ?? {})) {
    if (!known.has(table))
      throw invalid(`The export holds a table this version does not know: ${table}`, { table });
    if (!Array.isArray(tableRows)) throw invalid(`The export's ${table} is not a list of rows`, { table });
  }
  return data as OrgExport;
}

async function restoreUsers(tx: Queryable, users: readonly Row[]) {
  let created = 0;
  for (const user of users) {
    const { rows } = await tx.query<{ id: string }>(
      "SELECT id FROM users WHERE id = $1 OR lower(email) = lower($2)",
      [user.id, user.email],
    );
    if (rows.some((r) => r.id === user.id)) continue;
    if (rows.length > 0)
      throw conflict(`Another account in this store uses the email ${String(user.email)}`, {
        email: user.email,
      });
    const picked = Object.fromEntries(USER_COLUMNS.map((column) => [column, user[column]]));
    await insertRows(tx, "users", [picked]);
    created++;
  }
  return created;
}

/** Inserts rows in batches; columns are checked against the table so a file cannot name arbitrary SQL. */
async function insertRows(tx: Queryable, table: string, rows: readonly Row[]) {
  if (rows.length === 0) return;
  const columnTypes = await columnTypesOf(tx, table);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const unknown = columns.filter((column) => !columnTypes.has(column));
  if (unknown.length > 0)
    throw invalid(`The export's ${table} has columns this version does not know: ${unknown.join(", ")}`, {
      table,
      columns: unknown,
    });
  const toParam = (column: string, value: unknown) =>
    columnTypes.get(column) === "jsonb" && value !== null && value !== undefined
      ? JSON.stringify(value)
      : value;
  // PostgreSQL takes at most 65535 parameters per statement.
  const batchSize = Math.max(1, Math.floor(30_000 / columns.length));
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = columns.map((column) => {
        params.push(toParam(column, row[column] ?? null));
        return `$${params.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    await tx.query(
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ${tuples.join(", ")}`,
      params,
    );
  }
}

async function columnTypesOf(db: Queryable, table: string) {
  const { rows } = await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

async function primaryKey(db: Queryable, table: string) {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT a.attname AS column_name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary
     ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** Orders rows so that each comes after the row (by `id`) its parent column names. */
function parentsFirst(rows: readonly Row[], parentColumn: string) {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ordered: Row[] = [];
  const placed = new Set<unknown>();
  const place = (row: Row, path: Set<unknown>) => {
    if (placed.has(row.id)) return;
    if (path.has(row.id)) throw invalid("The export's rows are their own ancestors", { id: row.id });
    const parent = byId.get(row[parentColumn]);
    if (parent) place(parent, new Set(path).add(row.id));
    placed.add(row.id);
    ordered.push(row);
  };
  for (const row of rows) place(row, new Set());
  return ordered;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** Dates become ISO strings; everything else the drivers return (numbers, booleans, parsed JSON) is JSON already. */
const jsonSafe = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
