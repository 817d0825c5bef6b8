import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Viewer } from "./access.js";
import {
  assertCanArchiveCircle,
  assertCircleShape,
  assertNoCycle,
  assertSunsetAhead,
  canCreateCircle,
  canRemoveCircleMember,
  circlePermissions,
  reconcileStructuralRoles,
  structuralRolesFor,
} from "./circles.js";
import { DomainError } from "./errors.js";
import type { CircleId, MemberId } from "./ids.js";
import { assertRoleShape } from "./roles.js";

const id = (n: number) => `c${n}` as CircleId;
const viewer = (access: Viewer["access"], circles: number[] = []): Viewer => ({
  memberId: "m1" as MemberId,
  access,
  circleIds: new Set(circles.map(id)),
});
const circle = (fields: Partial<Parameters<typeof circlePermissions>[1]> = {}) => ({
  id: id(2),
  parentId: id(1),
  kind: "circle" as const,
  archivedAt: null,
  ...fields,
});
const codeOf = (fn: () => void) => {
  try {
    fn();
    return "ok";
  } catch (error) {
    return error instanceof DomainError ? error.code : "other";
  }
};

describe("structural roles", () => {
  it("gives every circle a facilitator and a linked child circle a leader and a delegate", () => {
    expect(structuralRolesFor({ kind: "circle", parentId: null }).map((r) => r.kind)).toEqual([
      "facilitator",
    ]);
    expect(structuralRolesFor({ kind: "council", parentId: id(1) }).map((r) => r.kind)).toEqual([
      "facilitator",
      "leader",
      "delegate",
    ]);
    expect(structuralRolesFor({ kind: "community_of_practice", parentId: id(1) }).map((r) => r.kind)).toEqual(
      ["facilitator"],
    );
  });

  it("makes every structural role a leadership role with a term that passes the role rules", () => {
    for (const template of structuralRolesFor({ kind: "committee", parentId: id(1) })) {
      expect(template.leadership).toBe(true);
      expect(template.termDays).toBeGreaterThan(0);
      expect(codeOf(() => assertRoleShape({ ...template, maxConsecutiveTerms: null }))).toBe("ok");
    }
  });

  it("adds the link roles when a circle moves under a parent and retires them when it leaves", () => {
    const topLevel = [{ kind: "facilitator" as const, archived: false }];
    expect(reconcileStructuralRoles(topLevel, { kind: "circle", parentId: id(1) })).toEqual({
      create: structuralRolesFor({ kind: "circle", parentId: id(1) }).slice(1),
      restore: [],
      retire: [],
    });
    const linked = [
      { kind: "facilitator" as const, archived: false },
      { kind: "leader" as const, archived: false },
      { kind: "delegate" as const, archived: false },
    ];
    expect(reconcileStructuralRoles(linked, { kind: "circle", parentId: null })).toEqual({
      create: [],
      restore: [],
      retire: ["leader", "delegate"],
    });
    expect(reconcileStructuralRoles(linked, { kind: "circle", parentId: id(3) })).toEqual({
      create: [],
      restore: [],
      retire: [],
    });
  });

  it("restores link roles a circle had before instead of creating them twice", () => {
    const wasLinked = [
      { kind: "facilitator" as const, archived: false },
      { kind: "leader" as const, archived: true },
      { kind: "delegate" as const, archived: true },
    ];
    expect(reconcileStructuralRoles(wasLinked, { kind: "circle", parentId: id(1) })).toEqual({
      create: [],
      restore: ["leader", "delegate"],
      retire: [],
    });
  });
});

describe("circle shape", () => {
  const shape = { kind: "circle" as const, domain: "", sunsetAt: null, mandate: "" };

  it("requires a committee to have a mandate and a sunset", () => {
    expect(codeOf(() => assertCircleShape({ ...shape, kind: "committee" }))).toBe("validation_failed");
    expect(
      codeOf(() => assertCircleShape({ ...shape, kind: "committee", mandate: "Plan the festival" })),
    ).toBe("validation_failed");
    expect(
      codeOf(() =>
        assertCircleShape({
          ...shape,
          kind: "committee",
          mandate: "Plan it",
          sunsetAt: new Date("2026-06-01"),
        }),
      ),
    ).toBe("ok");
  });

  it("keeps a community of practice free of domain authority", () => {
    expect(
      codeOf(() => assertCircleShape({ ...shape, kind: "community_of_practice", domain: "Budgets" })),
    ).toBe("validation_failed");
    expect(codeOf(() => assertCircleShape({ ...shape, kind: "community_of_practice" }))).toBe("ok");
  });

  it("wants a sunset still to come", () => {
    const now = new Date("2026-01-05T09:00:00Z");
    expect(codeOf(() => assertSunsetAhead(now, now))).toBe("validation_failed");
    expect(codeOf(() => assertSunsetAhead(new Date("2026-01-06T00:00:00Z"), now))).toBe("ok");
  });

  it("refuses to archive a circle that still has active child circles", () => {
    expect(codeOf(() => assertCanArchiveCircle(1))).toBe("conflict");
    expect(codeOf(() => assertCanArchiveCircle(0))).toBe("ok");
  });
});

describe("no cycles in the circle tree", () => {
  it("refuses a circle as its own parent or under its own descendant", () => {
    const parents = new Map([
      [id(2), id(1)],
      [id(3), id(2)],
    ]);
    const parentOf = (c: CircleId) => parents.get(c) ?? null;
    expect(codeOf(() => assertNoCycle(id(1), id(1), parentOf))).toBe("validation_failed");
    expect(codeOf(() => assertNoCycle(id(1), id(3), parentOf))).toBe("validation_failed");
    expect(codeOf(() => assertNoCycle(id(3), id(1), parentOf))).toBe("ok");
    expect(codeOf(() => assertNoCycle(id(2), null, parentOf))).toBe("ok");
  });

  it("accepts a move exactly when the new parent is not inside the moved circle", () => {
    // A random forest: each circle's parent has a smaller number, so the tree has no cycle to begin with.
    const forest = fc
      .array(fc.option(fc.nat(), { nil: null }), { minLength: 1, maxLength: 12 })
      .map((raw) => raw.map((p, i) => (p === null || i === 0 ? null : p % i)));
    fc.assert(
      fc.property(forest, fc.nat(), fc.nat(), (parents, a, b) => {
        const moved = a % parents.length;
        const target = b % parents.length;
        const parentOf = (c: CircleId) => {
          const p = parents[Number(c.slice(1))];
          return p === null || p === undefined ? null : id(p);
        };
        let inside = false;
        for (let at: number | null = target; at !== null; at = parents[at] ?? null)
          if (at === moved) inside = true;
        expect(codeOf(() => assertNoCycle(id(moved), id(target), parentOf))).toBe(
          inside ? "validation_failed" : "ok",
        );
      }),
    );
  });
});

describe("circle permissions", () => {
  it("lets the circle's participants and admins steward it, and only the parent's side archive or move it", () => {
    const member = circlePermissions(viewer("member", [2]), circle());
    expect(member).toMatchObject({ update: true, manageMembers: true, archive: false, move: false });
    const parentMember = circlePermissions(viewer("member", [1]), circle());
    expect(parentMember).toMatchObject({ update: false, archive: true, move: true });
    expect(circlePermissions(viewer("admin"), circle())).toMatchObject({ update: true, archive: true });
    expect(circlePermissions(viewer("observer", [2]), circle())).toMatchObject({
      update: false,
      archive: false,
    });
    expect(circlePermissions(viewer("member", [2]), circle({ archivedAt: new Date() }))).toMatchObject({
      update: false,
      manageMembers: false,
    });
  });

  it("opens a community of practice to anyone who can write and is not in it yet", () => {
    const cop = circle({ kind: "community_of_practice" });
    expect(circlePermissions(viewer("member"), cop).join).toBe(true);
    expect(circlePermissions(viewer("member", [2]), cop).join).toBe(false);
    expect(circlePermissions(viewer("observer"), cop).join).toBe(false);
    expect(circlePermissions(viewer("member"), circle()).join).toBe(false);
  });

  it("keeps top-level circles for admins and child circles for the parent's participants", () => {
    expect(canCreateCircle(viewer("member", [1]), null)).toBe(false);
    expect(canCreateCircle(viewer("admin"), null)).toBe(true);
    expect(canCreateCircle(viewer("member", [1]), id(1))).toBe(true);
    expect(canCreateCircle(viewer("member", [2]), id(1))).toBe(false);
  });

  it("lets anyone step out of a circle themselves, and stewards remove others", () => {
    const self = "m1" as MemberId;
    const other = "m2" as MemberId;
    expect(canRemoveCircleMember(viewer("member"), circle(), self)).toBe(true);
    expect(canRemoveCircleMember(viewer("member"), circle(), other)).toBe(false);
    expect(canRemoveCircleMember(viewer("member", [2]), circle(), other)).toBe(true);
    expect(canRemoveCircleMember(viewer("observer"), circle(), self)).toBe(false);
  });
});
