import { notFound } from "../../core/errors.js";
import type { MemberId } from "../../core/ids.js";
import type { Selection } from "../../core/selection/selection.js";
import type { Queryable } from "../../db/database.js";

/** What JSON makes of a value: times become ISO strings, everything else keeps its shape. */
type Jsonified<T> = T extends Date
  ? string
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer Item)[]
      ? Jsonified<Item>[]
      : { [K in keyof T]: Jsonified<T[K]> };

/** A selection as its row keeps it: the whole record except who facilitates, which is looked up each time. */
export type SelectionDocument = Jsonified<Omit<Selection, "facilitatorIds">>;

/** The row's document as JSON text (JSON.stringify writes every Date as its ISO string). */
export function toDocument(selection: Selection): string {
  const { facilitatorIds: _lookedUpOnLoad, ...record } = selection;
  return JSON.stringify(record);
}

const date = (value: string) => new Date(value);
const maybeDate = (value: string | null) => (value === null ? null : new Date(value));

/** Revives a stored document into the core's Selection, with the facilitators as they are now. */
export function fromDocument(document: SelectionDocument, facilitatorIds: readonly MemberId[]): Selection {
  return {
    ...document,
    facilitatorIds,
    phase: { enteredAt: date(document.phase.enteredAt), deadline: maybeDate(document.phase.deadline) },
    nominations: document.nominations.map((n) => ({ ...n, at: date(n.at) })),
    revealedAt: maybeDate(document.revealedAt),
    proposals: document.proposals.map((p) => ({ ...p, at: date(p.at) })),
    rounds: document.rounds.map((r) => ({
      ...r,
      openedAt: date(r.openedAt),
      deadline: maybeDate(r.deadline),
      closedAt: maybeDate(r.closedAt),
      responses: r.responses.map((response) => ({ ...response, at: date(response.at) })),
    })),
    objections: document.objections.map((o) => ({
      ...o,
      raisedAt: date(o.raisedAt),
      resolution: o.resolution ? { ...o.resolution, at: date(o.resolution.at) } : null,
    })),
    outcome: document.outcome
      ? {
          ...document.outcome,
          startsAt: date(document.outcome.startsAt),
          endsAt: date(document.outcome.endsAt),
        }
      : null,
    createdAt: date(document.createdAt),
  };
}

/** Who holds the circle's facilitator role at $3: they move the selection's phases (see the core's permissions). */
const LOAD_SELECTIONS = (lock: boolean) => `
SELECT s.id, s.document,
  (SELECT coalesce(json_agg(a.member_id ORDER BY a.starts_at, a.id), '[]') FROM assignments a
    JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
    WHERE r.org_id = s.org_id AND r.circle_id = s.circle_id AND r.kind = 'facilitator' AND r.archived_at IS NULL
      AND NOT a.shadow AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)) AS facilitator_ids
FROM selections s WHERE s.org_id = $1 AND s.id = ANY($2::uuid[]) ${lock ? "FOR UPDATE OF s" : ""}`;

/** Several selections at once, in the order of `ids` (missing ones left out). */
export async function loadSelections(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  options: { now: Date; lock?: boolean },
): Promise<Selection[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string; document: SelectionDocument; facilitator_ids: MemberId[] }>(
    LOAD_SELECTIONS(options.lock ?? false),
    [orgId, ids, options.now],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [fromDocument(row.document, row.facilitator_ids)] : [];
  });
}

/**
 * One selection; with `lock`, its row stays locked until the transaction ends, so commands on it take
 * turns (two facilitators advancing at once: the second finds it already moved).
 */
export async function loadSelection(
  db: Queryable,
  orgId: string,
  selectionId: string,
  options: { now: Date; lock?: boolean },
): Promise<Selection> {
  const [selection] = await loadSelections(db, orgId, [selectionId], options);
  if (!selection) throw notFound("Election", selectionId);
  return selection;
}

export async function insertSelection(tx: Queryable, orgId: string, selection: Selection) {
  await tx.query(
    `INSERT INTO selections (org_id, id, role_id, circle_id, state, phase_deadline, document, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      orgId,
      selection.id,
      selection.roleId,
      selection.circleId,
      selection.state,
      selection.phase.deadline,
      toDocument(selection),
      selection.createdAt,
    ],
  );
}

export async function saveSelection(tx: Queryable, orgId: string, selection: Selection, now: Date) {
  await tx.query(
    `UPDATE selections SET state = $3, phase_deadline = $4, document = $5, updated_at = $6
     WHERE org_id = $1 AND id = $2`,
    [orgId, selection.id, selection.state, selection.phase.deadline, toDocument(selection), now],
  );
}
