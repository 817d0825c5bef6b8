import { CsvError, parse } from "csv-parse/sync";
import { ORG_ACCESS, type OrgAccess, orgPermissions, type Viewer } from "../core/access.js";
import { DomainError, forbidden, invalid } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import { cleanProfile, type MemberProfile } from "../core/members.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";

/**
 * Importing members from CSV. The first line names the columns, in any order and any case; only `name`
 * is required:
 *   name               the member's name
 *   email              optional: recognises someone already in the organisation (by their account's
 *                      email) or listed twice. It is not stored: Polyphony keeps emails on accounts only,
 *                      and the person gives theirs when they claim the record through an invitation.
 *   access             admin | member | observer (empty: member)
 *   skills             "Bookkeeping:3; Welding:2" — a name and a level from 1 to 5
 *   interests, mentoringOffered, mentoringWanted    topics separated by ";"
 *   hoursAvailable     hours per week, or empty
 *   circles            names of existing circles separated by ";" — the member joins them
 * Every member is a record without an account, as an admin adds one by hand. A file with any bad row
 * imports nothing: the report names every bad row with its line and all its problems. A name already
 * in the organisation is a bad row too, so importing the same file twice does not double everyone.
 */
export const IMPORT_COLUMNS = [
  "name",
  "email",
  "access",
  "skills",
  "interests",
  "mentoringOffered",
  "mentoringWanted",
  "hoursAvailable",
  "circles",
] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Most members one file brings in; a larger organisation imports in parts. */
export const IMPORT_ROWS_MAX = 5_000;
// The limits the members API puts on one member (src/server/routes/members.ts), checked here per row
// because a CSV cell is not seen by the request schema.
const NAME_MAX = 100;
const ENTRY_MAX = 80;
const ENTRIES_MAX = 50;

export interface BadRow {
  /** The line of the file on which the row ends (a quoted value may span lines). */
  line: number;
  problems: string[];
}

interface ImportRow {
  line: number;
  name: string;
  email: string | null;
  access: OrgAccess;
  profile: Partial<MemberProfile>;
  circles: { id: CircleId; name: string }[];
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  badRows: BadRow[];
  /** What was imported (or, in a dry run, what would be); empty when any row is bad. */
  members: {
    line: number;
    memberId: MemberId | null;
    name: string;
    access: OrgAccess;
    circles: string[];
  }[];
}

/**
 * Imports members from CSV (admin only). A dry run checks every row and imports nothing; a real run
 * checks again inside its transaction and either imports every row — the members, their circle
 * memberships and a log entry for each — or, with any bad row, nothing, failing with the report.
 */
export async function importMembers(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: { csv: string; dryRun: boolean },
): Promise<ImportReport> {
  if (!orgPermissions(viewer).manageMembers) throw forbidden("import members");
  const parsed = parseMemberCsv(input.csv);
  if (input.dryRun) {
    const { rows, badRows } = await checkRows(ctx.db, org.id, parsed);
    return report(true, parsed, badRows, rows, () => null);
  }
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    // Imports and other membership changes of the organisation queue here, so two imports of the same
    // file cannot both find the names free.
    await tx.query("SELECT id FROM orgs WHERE id = $1 FOR NO KEY UPDATE", [org.id]);
    const { rows, badRows } = await checkRows(tx, org.id, parsed);
    if (badRows.length > 0) {
      const checked = report(false, parsed, badRows, rows, () => null);
      throw invalid(
        `${badRows.length} of ${parsed.rows.length} rows cannot be imported; nothing was imported`,
        {
          ...checked,
        },
      );
    }
    const ids = rows.map(() => ctx.newId() as MemberId);
    await insertMembers(tx, org.id, rows, ids, now);
    rows.forEach((row, i) => {
      const memberId = ids[i] as MemberId;
      log({
        type: "member.joined",
        actor: viewer.memberId,
        payload: { memberId, name: row.name, access: row.access, via: "imported", ...row.profile },
      });
      for (const circle of row.circles)
        log({
          type: "circle.member_added",
          actor: viewer.memberId,
          payload: { circleId: circle.id, memberId, via: "imported" },
        });
    });
    return report(false, parsed, [], rows, (i) => ids[i] ?? null);
  });
  return result;
}

function report(
  dryRun: boolean,
  parsed: ParsedCsv,
  badRows: BadRow[],
  rows: ImportRow[],
  idOf: (index: number) => MemberId | null,
): ImportReport {
  return {
    dryRun,
    rows: parsed.rows.length,
    badRows,
    members:
      badRows.length > 0
        ? []
        : rows.map((row, i) => ({
            line: row.line,
            memberId: idOf(i),
            name: row.name,
            access: row.access,
            circles: row.circles.map((circle) => circle.name),
          })),
  };
}

interface ParsedCsv {
  columns: ImportColumn[];
  rows: { line: number; cells: Partial<Record<ImportColumn, string>>; fieldCount: number }[];
  /** Problems with the file as a whole (its header), reported on line 1. */
  headerProblems: string[];
}

/** "Hours available", "hours_available" and "hoursAvailable" all name the same column. */
const columnKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");
const COLUMN_BY_KEY = new Map(IMPORT_COLUMNS.map((column) => [columnKey(column), column]));

/** Reads the file into rows of named cells; a file that is not CSV at all is refused outright. */
function parseMemberCsv(csv: string): ParsedCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw invalid(`The file is not readable as CSV: ${error.message}`, {
      badRows: [{ line: (error as CsvError & { lines?: number }).lines ?? 1, problems: [error.message] }],
    });
  }
  const [header, ...body] = records;
  if (!header || body.length === 0)
    throw invalid("The file needs a header line naming the columns and at least one member", {
      columns: IMPORT_COLUMNS,
    });
  if (body.length > IMPORT_ROWS_MAX)
    throw invalid(`One file imports at most ${IMPORT_ROWS_MAX} members; split it`, { rows: body.length });
  const headerProblems: string[] = [];
  const columns = header.record.map((name) => {
    const column = COLUMN_BY_KEY.get(columnKey(name));
    if (!column)
      headerProblems.push(`Unknown column "${name}"; the columns are ${IMPORT_COLUMNS.join(", ")}`);
    return column;
  });
  for (const column of new Set(columns))
    if (column && columns.filter((c) => c === column).length > 1)
      headerProblems.push(`The column "${column}" is named twice`);
  if (!columns.includes("name")) headerProblems.push('The file needs a "name" column');
  return {
    columns: columns.filter((column) => column !== undefined),
    headerProblems,
    rows: body.map(({ record, info }) => ({
      line: info.lines,
      fieldCount: record.length,
      cells: Object.fromEntries(
        columns.flatMap((column, i) => (column ? [[column, record[i] ?? ""]] : [])),
      ) as Partial<Record<ImportColumn, string>>,
    })),
  };
}

/** Checks every row against the organisation as it is now; each bad row collects all of its problems. */
async function checkRows(db: Queryable, orgId: string, parsed: ParsedCsv) {
  const known = await knownNames(db, orgId, parsed);
  const badRows: BadRow[] =
    parsed.headerProblems.length > 0 ? [{ line: 1, problems: parsed.headerProblems }] : [];
  const rows: ImportRow[] = [];
  const namesInFile = countBy(parsed.rows.map((row) => row.cells.name?.toLowerCase() ?? ""));
  const emailsInFile = countBy(
    parsed.rows.flatMap((row) => (row.cells.email ? [row.cells.email.toLowerCase()] : [])),
  );
  for (const { line, cells, fieldCount } of parsed.rows) {
    const problems: string[] = [];
    const problem = (message: string) => problems.push(message);
    if (parsed.headerProblems.length === 0 && fieldCount !== parsed.columns.length)
      problem(`The row has ${fieldCount} fields; the header names ${parsed.columns.length}`);

    const name = cells.name ?? "";
    if (name === "") problem("A name is needed");
    else if (name.length > NAME_MAX) problem(`A name is at most ${NAME_MAX} characters`);
    else if (known.memberNames.has(name.toLowerCase()))
      problem(`A member named "${name}" is already in the organisation`);
    else if ((namesInFile.get(name.toLowerCase()) ?? 0) > 1) problem(`"${name}" is listed more than once`);

    const email = cells.email || null;
    if (email !== null) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problem(`"${email}" is not an email address`);
      else if (known.memberEmails.has(email.toLowerCase()))
        problem(`The account with email "${email}" is already a member`);
      else if ((emailsInFile.get(email.toLowerCase()) ?? 0) > 1)
        problem(`The email "${email}" is listed more than once`);
    }

    const access = (cells.access || "member").toLowerCase() as OrgAccess;
    if (!ORG_ACCESS.includes(access))
      problem(`Access is one of ${ORG_ACCESS.join(", ")}, not "${cells.access}"`);

    const profile = profileOf(cells, problem);
    const circles = circlesOf(cells.circles ?? "", known.circles, problem);
    if (problems.length > 0) badRows.push({ line, problems });
    else rows.push({ line, name, email, access, profile, circles });
  }
  return { rows, badRows };
}

/** The profile fields of a row, each checked by the core's rules (`cleanProfile`) on its own. */
function profileOf(cells: Partial<Record<ImportColumn, string>>, problem: (message: string) => void) {
  const profile: Partial<MemberProfile> = {};
  const take = (field: Partial<MemberProfile>) => {
    try {
      Object.assign(profile, cleanProfile(field));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problem(error.message);
    }
  };
  if (cells.skills) {
    const skills = entries(cells.skills, "skills", problem).flatMap((entry) => {
      const match = /^(.*?)\s*:\s*(\d+)$/.exec(entry);
      if (match?.[1]) return [{ skill: match[1], level: Number(match[2]) }];
      problem(`Skill "${entry}" needs a level, as in "${entry.split(":")[0]?.trim() || "Welding"}:3"`);
      return [];
    });
    take({ skills });
  }
  for (const field of ["interests", "mentoringOffered", "mentoringWanted"] as const)
    if (cells[field]) take({ [field]: entries(cells[field], field, problem) });
  if (cells.hoursAvailable) {
    const hours = Number(cells.hoursAvailable);
    if (Number.isFinite(hours)) take({ hoursAvailable: hours });
    else problem(`Hours available is a number of hours per week, not "${cells.hoursAvailable}"`);
  }
  return profile;
}

/** The ";"-separated entries of a cell (empty ones dropped), within the API's limits for a list. */
function entries(cell: string, field: string, problem: (message: string) => void) {
  const list = cell
    .split(";")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (list.length > ENTRIES_MAX) problem(`${field} lists at most ${ENTRIES_MAX} entries`);
  for (const entry of list)
    if (entry.length > ENTRY_MAX)
      problem(`"${entry.slice(0, 20)}…" in ${field} is longer than ${ENTRY_MAX} characters`);
  return list;
}

/** The circles a row names, by name in any case; each must be one existing circle. */
function circlesOf(
  cell: string,
  circles: ReadonlyMap<string, { id: CircleId; name: string }[]>,
  problem: (message: string) => void,
) {
  const found = new Map<CircleId, { id: CircleId; name: string }>();
  for (const name of cell
    .split(";")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")) {
    const matches = circles.get(name.toLowerCase()) ?? [];
    if (matches.length === 0) problem(`There is no circle named "${name}"`);
    else if (matches.length > 1) problem(`Several circles are named "${name}"`);
    else for (const circle of matches) found.set(circle.id, circle);
  }
  return [...found.values()];
}

/** The organisation's active circles by name, and the names and account emails of its active members. */
async function knownNames(db: Queryable, orgId: string, parsed: ParsedCsv) {
  const emails = parsed.rows.flatMap((row) => (row.cells.email ? [row.cells.email.toLowerCase()] : []));
  const [circles, members] = await Promise.all([
    db.query<{ id: CircleId; name: string }>(
      "SELECT id, name FROM circles WHERE org_id = $1 AND archived_at IS NULL",
      [orgId],
    ),
    db.query<{ name: string; email: string | null }>(
      `SELECT lower(m.name) AS name, CASE WHEN lower(u.email) = ANY($2::text[]) THEN lower(u.email) END AS email
       FROM members m LEFT JOIN users u ON u.id = m.user_id
       WHERE m.org_id = $1 AND m.archived_at IS NULL`,
      [orgId, emails],
    ),
  ]);
  const byName = new Map<string, { id: CircleId; name: string }[]>();
  for (const circle of circles.rows)
    byName.set(circle.name.toLowerCase(), [...(byName.get(circle.name.toLowerCase()) ?? []), circle]);
  return {
    circles: byName,
    memberNames: new Set(members.rows.map((row) => row.name)),
    memberEmails: new Set(members.rows.flatMap((row) => (row.email ? [row.email] : []))),
  };
}

const countBy = (keys: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
};

/** The members and their circle memberships, two statements for the whole file. */
async function insertMembers(tx: Queryable, orgId: string, rows: ImportRow[], ids: MemberId[], now: Date) {
  const json = (value: unknown) => JSON.stringify(value);
  await tx.query(
    `INSERT INTO members (org_id, id, name, access, skills, interests, hours_available, mentoring_offered,
                          mentoring_wanted, joined_at)
     SELECT $1, u.*, $10 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::float8[],
                                     $8::jsonb[], $9::jsonb[]) AS u`,
    [
      orgId,
      ids,
      rows.map((row) => row.name),
      rows.map((row) => row.access),
      rows.map((row) => json(row.profile.skills ?? [])),
      rows.map((row) => json(row.profile.interests ?? [])),
      rows.map((row) => row.profile.hoursAvailable ?? null),
      rows.map((row) => json(row.profile.mentoringOffered ?? [])),
      rows.map((row) => json(row.profile.mentoringWanted ?? [])),
      now,
    ],
  );
  const memberships = rows.flatMap((row, i) => row.circles.map((circle) => [circle.id, ids[i]] as const));
  if (memberships.length > 0)
    await tx.query(
      `INSERT INTO circle_members (org_id, circle_id, member_id, joined_at)
       SELECT $1, u.circle_id, u.member_id, $4 FROM unnest($2::uuid[], $3::uuid[]) AS u(circle_id, member_id)`,
      [orgId, memberships.map(([circleId]) => circleId), memberships.map(([, memberId]) => memberId), now],
    );
}
