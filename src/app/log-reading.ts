import type { Viewer } from "../core/access.js";
import { governanceLimitedTo } from "../core/consent/reading.js";
import type { LogEntry } from "../core/log.js";
import type { CircleReading } from "../core/visibility.js";
import type { Queryable } from "../db/database.js";
import type { Org } from "./orgs.js";

const idIn = (payload: Record<string, unknown>, key: string) =>
  typeof payload[key] === "string" ? (payload[key] as string) : null;

/**
 * What `entriesForViewer` needs to keep a viewer to the circles whose governance they read — undefined for
 * everyone who reads them all (no query then). Most entries name their circle; those about a proposal or an
 * election are traced to its circle here.
 */
export async function circleReadingFor(
  db: Queryable,
  org: Pick<Org, "id" | "settings">,
  viewer: Viewer,
  entries: readonly LogEntry[],
): Promise<CircleReading | undefined> {
  const limitedTo = governanceLimitedTo(viewer, org.settings);
  if (!limitedTo) return undefined;
  const unnamed = entries.filter((entry) => idIn(entry.payload, "circleId") === null);
  const circlesOf = async (table: "proposals" | "selections", key: string) => {
    const ids = [...new Set(unnamed.flatMap((entry) => idIn(entry.payload, key) ?? []))];
    if (ids.length === 0) return new Map<string, string>();
    const { rows } = await db.query<{ id: string; circle_id: string }>(
      `SELECT id, circle_id FROM ${table} WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [org.id, ids],
    );
    return new Map(rows.map((row) => [row.id, row.circle_id]));
  };
  const proposals = await circlesOf("proposals", "proposalId");
  const selections = await circlesOf("selections", "selectionId");
  return {
    limitedTo,
    circleOf: ({ payload }) =>
      idIn(payload, "circleId") ??
      proposals.get(idIn(payload, "proposalId") ?? "") ??
      selections.get(idIn(payload, "selectionId") ?? "") ??
      null,
  };
}
