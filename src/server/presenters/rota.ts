import type { Handover } from "../../app/assignments.js";
import type { Role } from "../../app/roles.js";
import type { Viewer } from "../../core/access.js";
import { nextTurn, type Rota, rotaPermissions } from "../../core/rota.js";
import { presentAssignment } from "./role.js";

/**
 * A rota as every member sees it: the order, whose turn comes next (their swap partner's when they agreed
 * to swap), every turn so far (held or skipped) and every swap asked for. `can.answerSwaps` and
 * `can.cancelSwaps` name the pending swaps the viewer may answer or take back.
 */
export const presentRota = (rota: Rota, viewer: Viewer, now: Date) => ({
  id: rota.id,
  circleId: rota.circleId,
  roleId: rota.roleId,
  order: rota.order,
  next: nextTurn(rota),
  turns: rota.turns.map((turn) => ({ ...turn, at: turn.at.toISOString() })),
  swaps: rota.swaps.map((swap) => ({
    ...swap,
    requestedAt: swap.requestedAt.toISOString(),
    settledAt: swap.settledAt?.toISOString() ?? null,
  })),
  can: rotaPermissions(viewer, rota, now),
});

/** A role's handover: the last holder's notes, the current holders' and who is lined up next. */
export const presentHandover = (role: Role, handover: Handover, viewer: Viewer, now: Date) => ({
  roleId: role.id,
  previous: handover.previous && presentAssignment(handover.previous, role, viewer, now),
  current: handover.current.map((a) => presentAssignment(a, role, viewer, now)),
  next: handover.next.map((a) => presentAssignment(a, role, viewer, now)),
});
