import { canWrite, takesPartIn, type Viewer } from "./access.js";
import { conflict, forbidden, invalid, notFound } from "./errors.js";
import type { Brand, CircleId, MemberId, RoleId } from "./ids.js";
import { invalidTransition, notAllowed, type Refusal } from "./refusal.js";

export type RotaId = Brand<string, "RotaId">;
export type RotaTurnId = Brand<string, "RotaTurnId">;
export type SwapId = Brand<string, "SwapId">;

/** One turn of the rota: whose place in the order it was, who held it (or skipped it), and when. */
export interface RotaTurn {
  id: RotaTurnId;
  /** The member whose place in the order this turn was. */
  slotOf: MemberId;
  /** Who held it: the member whose place it was, or their swap partner. */
  memberId: MemberId;
  at: Date;
  skipped: boolean;
  swapId: SwapId | null;
}

export type SwapState = "pending" | "accepted" | "declined" | "cancelled";

/** One member asks another to exchange their next turns; it takes effect only when the other accepts. */
export interface SwapRequest {
  id: SwapId;
  from: MemberId;
  to: MemberId;
  requestedAt: Date;
  state: SwapState;
  settledAt: Date | null;
}

/**
 * A circle's rota for a recurring role (facilitator, secretary, host of a meeting series): the members in
 * the order their turns come, the turns so far, and the swaps asked for.
 */
export interface Rota {
  id: RotaId;
  circleId: CircleId;
  roleId: RoleId;
  order: readonly MemberId[];
  turns: readonly RotaTurn[];
  swaps: readonly SwapRequest[];
}

export const ROTA_EVENT_TYPES = [
  "rota.created",
  "rota.reordered",
  "rota.turn_taken",
  "rota.turn_skipped",
  "rota.swap_requested",
  "rota.swap_accepted",
  "rota.swap_declined",
  "rota.swap_cancelled",
] as const;
export type RotaEventType = (typeof ROTA_EVENT_TYPES)[number];

/** What happened, for the governance log; every event names the rota's circle and role. */
export interface RotaEvent {
  type: RotaEventType;
  payload: Record<string, unknown>;
}

export interface RotaTransition {
  rota: Rota;
  events: RotaEvent[];
}

/** The next turn: whose place it is, and who holds it (their swap partner when they agreed to swap). */
export interface NextTurn {
  slotOf: MemberId;
  memberId: MemberId;
  swapId: SwapId | null;
}

/** A swap's two turns have both come round once they have been held or skipped. */
const swapDone = (rota: Rota, swap: SwapRequest) =>
  [swap.from, swap.to].every((slotOf) => rota.turns.some((t) => t.swapId === swap.id && t.slotOf === slotOf));

/** Swaps that still bind someone: asked and not yet answered, or agreed and not yet fully served. */
const openSwaps = (rota: Rota) =>
  rota.swaps.filter((s) => s.state === "pending" || (s.state === "accepted" && !swapDone(rota, s)));

/**
 * Whose turn comes next: the member after the one whose place the latest turn was (skipped or not), so
 * a member who skips stays in the order and comes round again. If that member has left the order, the
 * latest turn of someone still in it marks the place. An agreed swap hands the turn to the partner.
 */
export function nextTurn(rota: Rota): NextTurn {
  const { order } = rota;
  const latest = rota.turns.findLast((t) => order.includes(t.slotOf));
  const slotOf = order[latest ? (order.indexOf(latest.slotOf) + 1) % order.length : 0];
  if (slotOf === undefined) throw new Error(`Rota ${rota.id} has no members`);
  const swap = openSwaps(rota).find(
    (s) =>
      s.state === "accepted" &&
      (s.from === slotOf || s.to === slotOf) &&
      !rota.turns.some((t) => t.swapId === s.id && t.slotOf === slotOf),
  );
  if (!swap) return { slotOf, memberId: slotOf, swapId: null };
  return { slotOf, memberId: swap.from === slotOf ? swap.to : swap.from, swapId: swap.id };
}

/** A rota names at least one member, each once. */
function assertOrder(order: readonly MemberId[]) {
  if (order.length === 0) throw invalid("A rota needs at least one member", { field: "order" });
  if (new Set(order).size !== order.length)
    throw invalid("Each member is in the rota once", { field: "order" });
}

export type RotaRequest =
  | { type: "reorder" | "takeTurn" | "skip"; actor: Viewer }
  | { type: "requestSwap"; actor: Viewer; with: MemberId }
  | { type: "acceptSwap" | "declineSwap" | "cancelSwap"; actor: Viewer; swap: SwapRequest };

/**
 * Why a request may not be made now, or null when it may. The one place the rota's rules live: the
 * transitions enforce them and `rotaPermissions` reports them.
 */
export function rotaRefusal(rota: Rota, request: RotaRequest, now: Date): Refusal | null {
  const { actor } = request;
  const member = canWrite(actor) && rota.order.includes(actor.memberId);
  switch (request.type) {
    case "reorder":
      return takesPartIn(actor, rota.circleId) ? null : notAllowed("change the rota");
    case "takeTurn":
    case "skip": {
      const last = rota.turns.at(-1);
      if (last && now.getTime() < last.at.getTime())
        return invalidTransition("A turn comes after the one before it", {
          lastTurnAt: last.at.toISOString(),
        });
      const holds = canWrite(actor) && nextTurn(rota).memberId === actor.memberId;
      // Anyone in the circle may note that the turn was held (say, the meeting's secretary); only the holder skips it.
      if (request.type === "takeTurn")
        return holds || takesPartIn(actor, rota.circleId) ? null : notAllowed("record a turn");
      return holds ? null : notAllowed("skip someone else's turn");
    }
    case "requestSwap": {
      if (!member) return notAllowed("swap turns in a rota you are not in");
      if (request.with === actor.memberId || !rota.order.includes(request.with))
        return invalidTransition("A swap is with another member of the rota", { with: request.with });
      const busy = openSwaps(rota).find((s) =>
        [s.from, s.to].some((m) => m === actor.memberId || m === request.with),
      );
      if (busy) return invalidTransition("One of you already has a swap open", { swapId: busy.id });
      return null;
    }
    case "acceptSwap":
    case "declineSwap":
    case "cancelSwap": {
      if (request.swap.state !== "pending")
        return invalidTransition(`This swap is ${request.swap.state}`, { swapId: request.swap.id });
      const party = request.type === "cancelSwap" ? request.swap.from : request.swap.to;
      return canWrite(actor) && actor.memberId === party
        ? null
        : notAllowed(
            request.type === "cancelSwap"
              ? "cancel someone else's swap"
              : "answer a swap asked of someone else",
          );
    }
  }
}

function check(rota: Rota, request: RotaRequest, now: Date) {
  const refused = rotaRefusal(rota, request, now);
  if (refused) throw refused();
}

const event = (type: RotaEventType, rota: Rota, payload: Record<string, unknown>): RotaEvent => ({
  type,
  payload: { rotaId: rota.id, circleId: rota.circleId, roleId: rota.roleId, ...payload },
});

/** A circle starts a rota for one of its recurring roles. */
export function createRota(input: {
  id: RotaId;
  circleId: CircleId;
  roleId: RoleId;
  order: readonly MemberId[];
  actor: Viewer;
}): RotaTransition {
  if (!takesPartIn(input.actor, input.circleId)) throw forbidden("start a rota in this circle");
  assertOrder(input.order);
  const rota: Rota = {
    id: input.id,
    circleId: input.circleId,
    roleId: input.roleId,
    order: [...input.order],
    turns: [],
    swaps: [],
  };
  return { rota, events: [event("rota.created", rota, { order: rota.order })] };
}

/**
 * Sets a new order (members join, leave or change places). The turns so far are kept; open swaps of
 * anyone who left are cancelled.
 */
export function reorderRota(
  rota: Rota,
  input: { actor: Viewer; order: readonly MemberId[] },
  now: Date,
): RotaTransition {
  check(rota, { type: "reorder", actor: input.actor }, now);
  assertOrder(input.order);
  const open = new Set(openSwaps(rota).map((s) => s.id));
  const cancelled = rota.swaps.filter(
    (s) => open.has(s.id) && !(input.order.includes(s.from) && input.order.includes(s.to)),
  );
  const reordered = {
    ...rota,
    order: [...input.order],
    swaps: rota.swaps.map((s) =>
      cancelled.includes(s) ? { ...s, state: "cancelled" as const, settledAt: now } : s,
    ),
  };
  return {
    rota: reordered,
    events: [
      event("rota.reordered", reordered, {
        order: reordered.order,
        cancelledSwaps: cancelled.map((s) => s.id),
      }),
    ],
  };
}

function recordTurn(rota: Rota, turnId: RotaTurnId, skipped: boolean, now: Date): RotaTransition {
  if (rota.turns.some((t) => t.id === turnId))
    throw conflict("This turn has already been recorded", { turnId });
  const next = nextTurn(rota);
  const turn: RotaTurn = { id: turnId, ...next, at: now, skipped };
  const recorded = { ...rota, turns: [...rota.turns, turn] };
  const type = skipped ? "rota.turn_skipped" : "rota.turn_taken";
  return {
    rota: recorded,
    events: [
      event(type, recorded, { turnId, memberId: turn.memberId, slotOf: turn.slotOf, swapId: turn.swapId }),
    ],
  };
}

/** The member whose turn it is holds it; like any role held, it counts as leadership. */
export function takeTurn(
  rota: Rota,
  input: { actor: Viewer; turnId: RotaTurnId },
  now: Date,
): RotaTransition {
  check(rota, { type: "takeTurn", actor: input.actor }, now);
  return recordTurn(rota, input.turnId, false, now);
}

/** The member whose turn it is passes; the next in the order takes it, and the one who skipped keeps their place. */
export function skipTurn(
  rota: Rota,
  input: { actor: Viewer; turnId: RotaTurnId },
  now: Date,
): RotaTransition {
  check(rota, { type: "skip", actor: input.actor }, now);
  return recordTurn(rota, input.turnId, true, now);
}

/** A member asks another to exchange their next turns. */
export function requestSwap(
  rota: Rota,
  input: { actor: Viewer; swapId: SwapId; with: MemberId },
  now: Date,
): RotaTransition {
  check(rota, { type: "requestSwap", actor: input.actor, with: input.with }, now);
  if (rota.swaps.some((s) => s.id === input.swapId))
    throw conflict("This swap has already been asked for", { swapId: input.swapId });
  const swap: SwapRequest = {
    id: input.swapId,
    from: input.actor.memberId,
    to: input.with,
    requestedAt: now,
    state: "pending",
    settledAt: null,
  };
  const requested = { ...rota, swaps: [...rota.swaps, swap] };
  return {
    rota: requested,
    events: [event("rota.swap_requested", requested, { swapId: swap.id, from: swap.from, to: swap.to })],
  };
}

const SETTLED: Readonly<Record<"acceptSwap" | "declineSwap" | "cancelSwap", [SwapState, RotaEventType]>> = {
  acceptSwap: ["accepted", "rota.swap_accepted"],
  declineSwap: ["declined", "rota.swap_declined"],
  cancelSwap: ["cancelled", "rota.swap_cancelled"],
};

function settleSwap(
  type: keyof typeof SETTLED,
  rota: Rota,
  input: { actor: Viewer; swapId: SwapId },
  now: Date,
): RotaTransition {
  const swap = rota.swaps.find((s) => s.id === input.swapId);
  if (!swap) throw notFound("Swap", input.swapId);
  check(rota, { type, actor: input.actor, swap }, now);
  const [state, eventType] = SETTLED[type];
  const settled = {
    ...rota,
    swaps: rota.swaps.map((s) => (s.id === swap.id ? { ...s, state, settledAt: now } : s)),
  };
  return {
    rota: settled,
    events: [event(eventType, settled, { swapId: swap.id, from: swap.from, to: swap.to })],
  };
}

/** The member asked agrees: each now holds the other's next turn. */
export const acceptSwap = (rota: Rota, input: { actor: Viewer; swapId: SwapId }, now: Date) =>
  settleSwap("acceptSwap", rota, input, now);

/** The member asked says no; the turns stay as they were. */
export const declineSwap = (rota: Rota, input: { actor: Viewer; swapId: SwapId }, now: Date) =>
  settleSwap("declineSwap", rota, input, now);

/** The member who asked takes the request back before it is answered. */
export const cancelSwap = (rota: Rota, input: { actor: Viewer; swapId: SwapId }, now: Date) =>
  settleSwap("cancelSwap", rota, input, now);

/** The `can` object of a rota for one viewer, with the pending swaps they may answer or cancel. */
export function rotaPermissions(viewer: Viewer, rota: Rota, now: Date) {
  const may = (request: RotaRequest) => rotaRefusal(rota, request, now) === null;
  const pending = rota.swaps.filter((s) => s.state === "pending");
  const partners = rota.order.filter((m) => may({ type: "requestSwap", actor: viewer, with: m }));
  return {
    reorder: may({ type: "reorder", actor: viewer }),
    takeTurn: may({ type: "takeTurn", actor: viewer }),
    skip: may({ type: "skip", actor: viewer }),
    requestSwap: partners.length > 0,
    answerSwaps: pending.filter((swap) => may({ type: "acceptSwap", actor: viewer, swap })).map((s) => s.id),
    cancelSwaps: pending.filter((swap) => may({ type: "cancelSwap", actor: viewer, swap })).map((s) => s.id),
  };
}
