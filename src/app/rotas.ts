import type { Viewer } from "../core/access.js";
import { termEnd } from "../core/assignments.js";
import { conflict, invalid, notFound } from "../core/errors.js";
import type { MemberId } from "../core/ids.js";
import {
  acceptSwap,
  cancelSwap,
  createRota,
  declineSwap,
  type Rota,
  type RotaEvent,
  type RotaId,
  type RotaTransition,
  type RotaTurn,
  type RotaTurnId,
  reorderRota,
  requestSwap,
  type SwapId,
  skipTurn,
  takeTurn,
} from "../core/rota.js";
import { assertTermLimit } from "../core/terms.js";
import type { Queryable } from "../db/database.js";
import { listAssignments } from "./assignments.js";
import { type AppContext, type CommandScope, runCommand } from "./context.js";
import { type Stored, storedDate } from "./json-document.js";
import type { Org } from "./orgs.js";
import { handOverRole, lockRole, roleTerms } from "./proposal-effects.js";
import { circleParticipants } from "./proposals/commands.js";

// Storage: the core's `Rota` as a jsonb document, one row per rota, at most one rota per role.
//
// How turns count as leadership: a taken turn hands the role over, as a rotation does. The previous
// holder's term ends at the turn and the turn's holder gets a `rotation` assignment from the turn for at
// most the role's term (cut short by the next turn taken), so "who holds the role", term rules, rotation
// scores (recency, load) and leadership metrics read rota turns like any other term. The log carries
// `rota.turn_taken` (with the assignment's id) beside the `assignment.*` entries. A skipped turn changes
// no assignment: the holder keeps the role until someone takes the next turn.

type RotaDocument = Stored<Rota>;

const reviveRota = (document: RotaDocument): Rota => ({
  ...document,
  turns: document.turns.map((turn) => ({ ...turn, at: storedDate(turn.at) })),
  swaps: document.swaps.map((swap) => ({
    ...swap,
    requestedAt: storedDate(swap.requestedAt),
    settledAt: swap.settledAt === null ? null : storedDate(swap.settledAt),
  })),
});

async function loadRota(db: Queryable, orgId: string, rotaId: string, lock = false) {
  const { rows } = await db.query<{ document: RotaDocument }>(
    `SELECT document FROM rotas WHERE org_id = $1 AND id = $2 ${lock ? "FOR UPDATE" : ""}`,
    [orgId, rotaId],
  );
  const row = rows[0];
  if (!row) throw notFound("Rota", rotaId);
  return reviveRota(row.document);
}

type LockedRole = NonNullable<Awaited<ReturnType<typeof lockRole>>>;

/**
 * A rota hands its role on turn by turn, so the role must be one the circle may hand on that way: not
 * archived, not filled by election (a rota would bypass the selection), and with a term, so that a turn
 * nobody follows still ends.
 */
function assertRotaRole(role: LockedRole) {
  if (role.archivedAt) throw conflict("This role is archived", { roleId: role.id });
  if (role.fillingPolicy === "election")
    throw conflict("This role is filled by election; change its filling policy before keeping a rota", {
      fillingPolicy: role.fillingPolicy,
    });
  if (role.termDays === null)
    throw conflict("A turn holds the role for at most its term; give the role a term length first", {
      field: "termDays",
    });
  return { ...role, termDays: role.termDays };
}

async function lockRotaRole(tx: Queryable, orgId: string, roleId: string) {
  const role = await lockRole(tx, orgId, roleId);
  if (!role) throw notFound("Role", roleId);
  return role;
}

/** Everyone in the order takes part in the rota's circle now (members, or double-linked leaders and delegates). */
async function assertOrderInCircle(tx: Queryable, orgId: string, rota: Rota, now: Date) {
  const participants = new Set(await circleParticipants(tx, orgId, rota.circleId, now));
  const outsider = rota.order.find((memberId) => !participants.has(memberId));
  if (outsider)
    throw invalid("Everyone in a rota takes part in its circle", { field: "order", memberId: outsider });
}

const logAll = (log: CommandScope["log"], actor: Viewer, events: readonly RotaEvent[]) => {
  for (const event of events) log({ type: event.type, actor: actor.memberId, payload: event.payload });
};

export interface StartRotaInput {
  roleId: string;
  order: readonly string[];
}

/** Someone who takes part in a circle starts a rota for one of its roles. */
export async function startRota(ctx: AppContext, org: Org, viewer: Viewer, input: StartRotaInput) {
  const id = ctx.newId() as RotaId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const role = await lockRotaRole(tx, org.id, input.roleId);
    const { rota, events } = createRota({
      id,
      circleId: role.circleId,
      roleId: role.id,
      order: input.order as MemberId[],
      actor: viewer,
    });
    assertRotaRole(role);
    await assertOrderInCircle(tx, org.id, rota, now);
    const { rows } = await tx.query<{ id: string }>(
      "SELECT id FROM rotas WHERE org_id = $1 AND role_id = $2",
      [org.id, role.id],
    );
    if (rows[0]) throw conflict("This role already has a rota", { rotaId: rows[0].id });
    await tx.query(
      `INSERT INTO rotas (org_id, id, circle_id, role_id, document, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6)`,
      [org.id, rota.id, rota.circleId, rota.roleId, JSON.stringify(rota), now],
    );
    logAll(log, viewer, events);
    return rota;
  });
  return result;
}

/**
 * Runs one command on a rota: lock its row, load it, let the core decide, save and log, in one
 * transaction. A refusal rolls everything back.
 */
async function rotaCommand(
  ctx: AppContext,
  org: Org,
  actor: Viewer,
  rotaId: string,
  step: (rota: Rota, scope: CommandScope) => Promise<RotaTransition> | RotaTransition,
) {
  const { result } = await runCommand(ctx, org.id, async (scope) => {
    const rota = await loadRota(scope.tx, org.id, rotaId, true);
    const transition = await step(rota, scope);
    await scope.tx.query(
      "UPDATE rotas SET document = $3::jsonb, updated_at = $4 WHERE org_id = $1 AND id = $2",
      [org.id, rota.id, JSON.stringify(transition.rota), scope.now],
    );
    logAll(scope.log, actor, transition.events);
    return transition.rota;
  });
  return result;
}

/** A new order: members join, leave or change places; everyone in it takes part in the circle. */
export const changeRotaOrder = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  rotaId: string,
  order: readonly string[],
) =>
  rotaCommand(ctx, org, viewer, rotaId, async (rota, { tx, now }) => {
    const reordered = reorderRota(rota, { actor: viewer, order: order as MemberId[] }, now);
    await assertOrderInCircle(tx, org.id, reordered.rota, now);
    return reordered;
  });

/** The turn is held: the role is handed over to its holder (see the note at the top of this file). */
export const takeRotaTurn = (ctx: AppContext, org: Org, viewer: Viewer, rotaId: string) =>
  rotaCommand(ctx, org, viewer, rotaId, async (rota, { tx, now, log }) => {
    const taken = takeTurn(rota, { actor: viewer, turnId: ctx.newId() as RotaTurnId }, now);
    const turn = taken.rota.turns.at(-1) as RotaTurn;
    const role = assertRotaRole(await lockRotaRole(tx, org.id, rota.roleId));
    // A turn is a term like any other: it may not take anyone past the role's limit of consecutive terms
    // (after a skip or a swap, or in a rota of one). The circle skips that turn instead.
    assertTermLimit(roleTerms(role, await listAssignments(tx, org.id, role.id)), turn.memberId);
    const assignmentId = ctx.newId();
    await handOverRole(
      tx,
      org.id,
      {
        roleId: role.id,
        circleId: role.circleId,
        memberId: turn.memberId,
        assignmentId,
        startsAt: now,
        endsAt: termEnd(now, role.termDays) as Date,
      },
      { now, actor: viewer.memberId, log },
    );
    return {
      rota: taken.rota,
      events: taken.events.map((event) => ({ ...event, payload: { ...event.payload, assignmentId } })),
    };
  });

export const skipRotaTurn = (ctx: AppContext, org: Org, viewer: Viewer, rotaId: string) =>
  rotaCommand(ctx, org, viewer, rotaId, (rota, { now }) =>
    skipTurn(rota, { actor: viewer, turnId: ctx.newId() as RotaTurnId }, now),
  );

export const askRotaSwap = (ctx: AppContext, org: Org, viewer: Viewer, rotaId: string, partnerId: string) =>
  rotaCommand(ctx, org, viewer, rotaId, (rota, { now }) =>
    requestSwap(rota, { actor: viewer, swapId: ctx.newId() as SwapId, with: partnerId as MemberId }, now),
  );

const SWAP_ANSWERS = { accept: acceptSwap, decline: declineSwap, cancel: cancelSwap } as const;
export type SwapAnswer = keyof typeof SWAP_ANSWERS;

/** The member asked accepts or declines a swap; the member who asked cancels it. */
export const settleRotaSwap = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  rotaId: string,
  swapId: string,
  answer: SwapAnswer,
) =>
  rotaCommand(ctx, org, viewer, rotaId, (rota, { now }) =>
    SWAP_ANSWERS[answer](rota, { actor: viewer, swapId: swapId as SwapId }, now),
  );

// Reads: rotas are shown to every member of the organisation.

export const readRota = (db: Queryable, org: Org, rotaId: string) => loadRota(db, org.id, rotaId);

export interface RotaFilter {
  circleId?: string | undefined;
  roleId?: string | undefined;
  limit: number;
  offset: number;
}

/** Rotas in the order they were started. */
export async function listRotas(db: Queryable, org: Org, filter: RotaFilter) {
  const { rows } = await db.query<{ document: RotaDocument }>(
    `SELECT document FROM rotas
     WHERE org_id = $1 AND ($2::uuid IS NULL OR circle_id = $2) AND ($3::uuid IS NULL OR role_id = $3)
     ORDER BY created_at, id LIMIT $4 OFFSET $5`,
    [org.id, filter.circleId ?? null, filter.roleId ?? null, filter.limit + 1, filter.offset],
  );
  return {
    rotas: rows.slice(0, filter.limit).map((row) => reviveRota(row.document)),
    hasMore: rows.length > filter.limit,
  };
}
