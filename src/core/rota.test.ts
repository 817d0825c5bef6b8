import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "./access.js";
import { DomainError } from "./errors.js";
import type { CircleId, MemberId, RoleId } from "./ids.js";
import {
  acceptSwap,
  cancelSwap,
  createRota,
  declineSwap,
  nextTurn,
  type Rota,
  type RotaId,
  type RotaTurnId,
  reorderRota,
  requestSwap,
  rotaPermissions,
  type SwapId,
  skipTurn,
  takeTurn,
} from "./rota.js";

const circleId = "circle-choir" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const ann = person("ann");
const ben = person("ben");
const cat = person("cat");
const dan = person("dan");
const otto = person("otto", "observer");
const xena = person("xena", "member", false);

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);
const ids = (...names: string[]) => names as MemberId[];
const swapId = (id: string) => id as SwapId;

function rotaOf(order = ids("ann", "ben", "cat")) {
  return createRota({ id: "rota-host" as RotaId, circleId, roleId: "role-host" as RoleId, order, actor: ann })
    .rota;
}

let turnCounter = 0;
const turnId = () => `turn-${++turnCounter}` as RotaTurnId;
const take = (rota: Rota, actor: Viewer = ann, day = rota.turns.length) =>
  takeTurn(rota, { actor, turnId: turnId() }, at(day)).rota;
const holderOf = (rota: Rota) => nextTurn(rota).memberId;

function codeOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
}

describe("a rota", () => {
  it("is started by the circle with each member once", () => {
    const { rota, events } = createRota({
      id: "rota-host" as RotaId,
      circleId,
      roleId: "role-host" as RoleId,
      order: ids("ann", "ben"),
      actor: ben,
    });
    expect(rota.turns).toEqual([]);
    expect(events).toEqual([
      {
        type: "rota.created",
        payload: { rotaId: "rota-host", circleId, roleId: "role-host", order: ["ann", "ben"] },
      },
    ]);
    const start = (order: MemberId[], actor = ann) =>
      codeOf(() => createRota({ id: "r" as RotaId, circleId, roleId: "x" as RoleId, order, actor }));
    expect(start([])).toBe("validation_failed");
    expect(start(ids("ann", "ann"))).toBe("validation_failed");
    expect(start(ids("ann"), xena)).toBe("forbidden");
    expect(start(ids("ann"), otto)).toBe("forbidden");
  });

  it("goes round the order, and each turn names the role and the member", () => {
    let rota = rotaOf();
    expect(holderOf(rota)).toBe("ann");
    const { rota: after, events } = takeTurn(rota, { actor: ann, turnId: "t1" as RotaTurnId }, at(0));
    expect(events).toEqual([
      {
        type: "rota.turn_taken",
        payload: {
          rotaId: "rota-host",
          circleId,
          roleId: "role-host",
          turnId: "t1",
          memberId: "ann",
          slotOf: "ann",
          swapId: null,
        },
      },
    ]);
    rota = after;
    const holders = [];
    for (let i = 0; i < 5; i++) {
      holders.push(holderOf(rota));
      rota = take(rota);
    }
    expect(holders).toEqual(["ben", "cat", "ann", "ben", "cat"]);
  });

  it("passes a skipped turn to the next member and keeps the one who skipped in the order", () => {
    let rota = take(rotaOf()); // ann
    const { rota: skipped, events } = skipTurn(rota, { actor: ben, turnId: turnId() }, at(1));
    expect(events[0]).toMatchObject({
      type: "rota.turn_skipped",
      payload: { memberId: "ben", slotOf: "ben" },
    });
    rota = skipped;
    expect(holderOf(rota)).toBe("cat");
    rota = take(rota); // cat
    expect(holderOf(rota)).toBe("ann");
    rota = take(rota); // ann
    expect(holderOf(rota)).toBe("ben");
    expect(rota.order).toEqual(["ann", "ben", "cat"]);
    expect(rota.turns.map((t) => [t.memberId, t.skipped])).toEqual([
      ["ann", false],
      ["ben", true],
      ["cat", false],
      ["ann", false],
    ]);
  });

  it("lets only the holder skip, and anyone in the circle record a turn", () => {
    const rota = rotaOf();
    expect(codeOf(() => skipTurn(rota, { actor: ben, turnId: turnId() }, at(0)))).toBe("forbidden");
    expect(codeOf(() => take(rota, dan))).toBe("ok");
    expect(codeOf(() => take(rota, xena))).toBe("forbidden");
    expect(codeOf(() => take(rota, otto))).toBe("forbidden");
  });

  it("records turns in time order, each once", () => {
    const rota = take(rotaOf(), ann, 5);
    expect(codeOf(() => take(rota, ann, 4))).toBe("invalid_transition");
    const reused = { actor: ann, turnId: rota.turns[0]?.id ?? turnId() };
    expect(codeOf(() => takeTurn(rota, reused, at(6)))).toBe("conflict");
  });
});

describe("swapping turns", () => {
  it("needs the other member to accept, then each holds the other's next turn", () => {
    let rota = rotaOf(ids("ann", "ben", "cat", "dan"));
    const asked = requestSwap(rota, { actor: ben, swapId: swapId("s1"), with: dan.memberId }, at(0));
    expect(asked.events[0]).toMatchObject({
      type: "rota.swap_requested",
      payload: { from: "ben", to: "dan" },
    });
    rota = asked.rota;
    expect(codeOf(() => acceptSwap(rota, { actor: ben, swapId: swapId("s1") }, at(0)))).toBe("forbidden");
    rota = take(take(rota)); // a pending swap changes nothing: ann, ben
    expect(holderOf(rota)).toBe("cat");
    rota = rotaOf(ids("ann", "ben", "cat", "dan"));
    rota = requestSwap(rota, { actor: ben, swapId: swapId("s1"), with: dan.memberId }, at(0)).rota;
    rota = acceptSwap(rota, { actor: dan, swapId: swapId("s1") }, at(0)).rota;
    const holders = [];
    for (let i = 0; i < 8; i++) {
      holders.push(holderOf(rota));
      rota = take(rota);
    }
    expect(holders).toEqual(["ann", "dan", "cat", "ben", "ann", "ben", "cat", "dan"]);
    expect(rota.turns[1]).toMatchObject({ slotOf: "ben", memberId: "dan", swapId: "s1" });
  });

  it("allows one open swap per member, with another member of the rota", () => {
    let rota = rotaOf();
    const ask = (actor: Viewer, withWhom: string, id = "s") =>
      codeOf(() => requestSwap(rota, { actor, swapId: swapId(id), with: withWhom as MemberId }, at(0)));
    expect(ask(ann, "ann")).toBe("invalid_transition");
    expect(ask(ann, "dan")).toBe("invalid_transition");
    expect(ask(dan, "ann")).toBe("forbidden");
    rota = requestSwap(rota, { actor: ann, swapId: swapId("s1"), with: ben.memberId }, at(0)).rota;
    expect(ask(cat, "ben")).toBe("invalid_transition");
    expect(ask(cat, "ann", "s1")).toBe("invalid_transition");
    rota = declineSwap(rota, { actor: ben, swapId: swapId("s1") }, at(0)).rota;
    expect(rota.swaps[0]).toMatchObject({ state: "declined", settledAt: at(0) });
    expect(ask(cat, "ben", "s1")).toBe("conflict");
    expect(ask(cat, "ben", "s2")).toBe("ok");
  });

  it("is cancelled by the one who asked while it is pending", () => {
    let rota = requestSwap(rotaOf(), { actor: ann, swapId: swapId("s1"), with: ben.memberId }, at(0)).rota;
    expect(rotaPermissions(ann, rota, at(0))).toMatchObject({ answerSwaps: [], cancelSwaps: ["s1"] });
    expect(rotaPermissions(ben, rota, at(0))).toMatchObject({ answerSwaps: ["s1"], cancelSwaps: [] });
    expect(codeOf(() => cancelSwap(rota, { actor: ben, swapId: swapId("s1") }, at(0)))).toBe("forbidden");
    rota = cancelSwap(rota, { actor: ann, swapId: swapId("s1") }, at(0)).rota;
    expect(codeOf(() => acceptSwap(rota, { actor: ben, swapId: swapId("s1") }, at(0)))).toBe(
      "invalid_transition",
    );
    expect(codeOf(() => acceptSwap(rota, { actor: ben, swapId: swapId("nope") }, at(0)))).toBe("not_found");
  });
});

describe("changing the order", () => {
  it("keeps the place when the last holder leaves, and cancels their open swaps", () => {
    let rota = rotaOf(ids("ann", "ben", "cat", "dan"));
    rota = take(take(rota)); // ann, ben
    rota = requestSwap(rota, { actor: ben, swapId: swapId("s1"), with: dan.memberId }, at(2)).rota;
    const { rota: reordered, events } = reorderRota(
      rota,
      { actor: cat, order: ids("ann", "cat", "dan") },
      at(2),
    );
    expect(holderOf(reordered)).toBe("cat");
    expect(reordered.swaps[0]?.state).toBe("cancelled");
    expect(events[0]?.payload).toMatchObject({ order: ["ann", "cat", "dan"], cancelledSwaps: ["s1"] });
    expect(codeOf(() => reorderRota(rota, { actor: xena, order: ids("ann") }, at(2)))).toBe("forbidden");
  });
});

describe("rota properties", () => {
  const orderArb = fc.uniqueArray(fc.constantFrom("ann", "ben", "cat", "dan", "eve", "fay"), {
    minLength: 1,
    maxLength: 6,
  });

  it("is fair: over n·k turns without skips each member holds k turns", () => {
    fc.assert(
      fc.property(orderArb, fc.integer({ min: 1, max: 5 }), (names, k) => {
        let rota = rotaOf(names as MemberId[]);
        for (let i = 0; i < names.length * k; i++) rota = take(rota);
        for (const name of names) expect(rota.turns.filter((t) => t.memberId === name)).toHaveLength(k);
      }),
    );
  });

  it("never drops a member who skips: the order stays and everyone comes round within one cycle", () => {
    fc.assert(
      fc.property(orderArb, fc.array(fc.boolean(), { maxLength: 40 }), (names, skips) => {
        let rota = rotaOf(names as MemberId[]);
        for (const skip of skips) {
          const holder = person(holderOf(rota));
          rota = skip
            ? skipTurn(rota, { actor: holder, turnId: turnId() }, at(rota.turns.length)).rota
            : take(rota, holder);
        }
        expect(rota.order).toEqual(names);
        const cycle = [];
        for (let i = 0; i < names.length; i++) {
          cycle.push(holderOf(rota));
          rota = take(rota);
        }
        expect([...cycle].sort()).toEqual([...names].sort());
      }),
    );
  });

  it("keeps turns fair through agreed swaps once they are served", () => {
    fc.assert(
      fc.property(orderArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (names, a, b) => {
        fc.pre(names.length >= 2 && a % names.length !== b % names.length);
        const from = person(names[a % names.length] ?? "");
        const to = (names[b % names.length] ?? "") as MemberId;
        let rota = rotaOf(names as MemberId[]);
        rota = requestSwap(rota, { actor: from, swapId: swapId("s"), with: to }, at(0)).rota;
        rota = acceptSwap(rota, { actor: person(to), swapId: swapId("s") }, at(0)).rota;
        for (let i = 0; i < names.length * 2; i++) rota = take(rota);
        for (const name of names) expect(rota.turns.filter((t) => t.memberId === name)).toHaveLength(2);
      }),
    );
  });
});
