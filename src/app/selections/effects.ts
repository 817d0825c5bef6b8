import type { SelectionEvent } from "../../core/selection/commands.js";
import type { Selection, SelectionOutcome } from "../../core/selection/selection.js";
import type { CommandScope } from "../context.js";

/**
 * What a selection's events change beyond the selection itself, in the same transaction: the
 * qualifications consented to are kept with the role for its next selection, and an election hands
 * the role to the member elected.
 */
export async function applySelectionEvent(
  scope: CommandScope,
  orgId: string,
  selection: Selection,
  event: SelectionEvent,
  effect: { actor: string | null; newId: () => string },
) {
  if (event.type === "selection.qualifications_agreed")
    await scope.tx.query("UPDATE roles SET qualifications = $3 WHERE org_id = $1 AND id = $2", [
      orgId,
      selection.roleId,
      JSON.stringify(selection.qualifications),
    ]);
  if (event.type === "selection.elected" && selection.outcome)
    await recordElection(scope, orgId, selection, selection.outcome, effect);
}

/**
 * Every term of the role still running when the elected one starts ends there (one lined up to start
 * later is closed at its start, so it is never held: the circle has chosen); shadows stay. Then the
 * elected member's term is recorded with source `election`. The role's row is locked so its terms
 * change one handover at a time.
 */
async function recordElection(
  { tx, now, log }: CommandScope,
  orgId: string,
  selection: Selection,
  outcome: SelectionOutcome,
  effect: { actor: string | null; newId: () => string },
) {
  const { roleId, circleId } = selection;
  await tx.query("SELECT 1 FROM roles WHERE org_id = $1 AND id = $2 FOR UPDATE", [orgId, roleId]);
  const { rows: ended } = await tx.query<{ id: string; member_id: string; ends_at: Date }>(
    `UPDATE assignments SET ends_at = GREATEST(starts_at, $3)
     WHERE org_id = $1 AND role_id = $2 AND NOT shadow AND (ends_at IS NULL OR ends_at > $3)
     RETURNING id, member_id, ends_at`,
    [orgId, roleId, outcome.startsAt],
  );
  for (const row of ended)
    log({
      type: row.ends_at.getTime() <= now.getTime() ? "assignment.ended" : "assignment.updated",
      actor: effect.actor,
      payload: {
        assignmentId: row.id,
        roleId,
        memberId: row.member_id,
        endsAt: row.ends_at.toISOString(),
        reason: "elected",
        selectionId: selection.id,
      },
    });
  const assignmentId = effect.newId();
  await tx.query(
    `INSERT INTO assignments (org_id, id, role_id, member_id, starts_at, ends_at, source, shadow, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'election', false, $7)`,
    [orgId, assignmentId, roleId, outcome.memberId, outcome.startsAt, outcome.endsAt, now],
  );
  log({
    type: "assignment.created",
    actor: effect.actor,
    payload: {
      assignmentId,
      roleId,
      circleId,
      memberId: outcome.memberId,
      source: "election",
      startsAt: outcome.startsAt.toISOString(),
      endsAt: outcome.endsAt.toISOString(),
      shadow: false,
      selectionId: selection.id,
    },
  });
}
