import type { Viewer } from "../../core/access.js";
import { notFound } from "../../core/errors.js";
import type { OrgSettings } from "../../core/orgs.js";
import type { Selection } from "../../core/selection/selection.js";
import type { SelectionState } from "../../core/selection/states.js";
import type { Queryable } from "../../db/database.js";
import type { AppContext } from "../context.js";
import type { Org } from "../orgs.js";
import { loadSelection, loadSelections } from "./store.js";

/**
 * Who may read a selection: governance is open to the organisation, as for a presented proposal;
 * observers read the circles they are in, and others' where the organisation allows it. What each
 * reader sees of the secret nominations is the core's `visibleNominations`.
 */
export function canReadSelection(
  viewer: Viewer,
  selection: Pick<Selection, "circleId">,
  settings: Pick<OrgSettings, "observersReadCircles">,
) {
  if (viewer.access !== "observer") return true;
  return settings.observersReadCircles || viewer.circleIds.has(selection.circleId);
}

/** Reads a selection for a viewer; one they may not read is "not found". */
export async function readSelection(ctx: AppContext, org: Org, viewer: Viewer, selectionId: string) {
  const now = ctx.now();
  const selection = await loadSelection(ctx.db, org.id, selectionId, { now });
  if (!canReadSelection(viewer, selection, org.settings)) throw notFound("Election", selectionId);
  return { selection, now };
}

export interface SelectionFilter {
  circleId?: string | undefined;
  roleId?: string | undefined;
  states?: readonly SelectionState[] | undefined;
  limit: number;
  offset: number;
}

/**
 * Selections the viewer may read, newest first. Not by latest activity: a hidden nomination would move
 * its selection up the list and tell everyone that someone nominated.
 */
export async function listSelections(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  filter: SelectionFilter,
  now: Date,
) {
  const params: unknown[] = [org.id];
  const where = ["s.org_id = $1"];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  // The SQL form of `canReadSelection`.
  if (viewer.access === "observer" && !org.settings.observersReadCircles)
    add((p) => `s.circle_id = ANY(${p}::uuid[])`, [...viewer.circleIds]);
  if (filter.circleId) add((p) => `s.circle_id = ${p}`, filter.circleId);
  if (filter.roleId) add((p) => `s.role_id = ${p}`, filter.roleId);
  if (filter.states && filter.states.length > 0) add((p) => `s.state = ANY(${p}::text[])`, filter.states);
  params.push(filter.limit + 1, filter.offset);
  const { rows } = await db.query<{ id: string }>(
    `SELECT s.id FROM selections s WHERE ${where.join(" AND ")}
     ORDER BY s.created_at DESC, s.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const ids = rows.slice(0, filter.limit).map((r) => r.id);
  return { selections: await loadSelections(db, org.id, ids, { now }), hasMore: rows.length > filter.limit };
}
