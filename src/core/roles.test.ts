import { describe, expect, it } from "vitest";
import type { Viewer } from "./access.js";
import { DomainError } from "./errors.js";
import type { CircleId, MemberId } from "./ids.js";
import { assertRoleShape, assertSkillLevels, countsAsLeadership, rolePermissions } from "./roles.js";

const circleId = "c1" as CircleId;
const viewer = (access: Viewer["access"], circles: CircleId[] = []): Viewer => ({
  memberId: "m1" as MemberId,
  access,
  circleIds: new Set(circles),
});
const codeOf = (fn: () => void) => {
  try {
    fn();
    return "ok";
  } catch (error) {
    return error instanceof DomainError ? error.code : "other";
  }
};

describe("role rules", () => {
  it("gives elected and rotating roles a term, and appointed roles may be open-ended", () => {
    expect(
      codeOf(() => assertRoleShape({ fillingPolicy: "election", termDays: null, maxConsecutiveTerms: null })),
    ).toBe("validation_failed");
    expect(
      codeOf(() => assertRoleShape({ fillingPolicy: "rotation", termDays: 90, maxConsecutiveTerms: 2 })),
    ).toBe("ok");
    expect(
      codeOf(() =>
        assertRoleShape({ fillingPolicy: "appointment", termDays: null, maxConsecutiveTerms: null }),
      ),
    ).toBe("ok");
    expect(
      codeOf(() => assertRoleShape({ fillingPolicy: "appointment", termDays: 0, maxConsecutiveTerms: null })),
    ).toBe("validation_failed");
    expect(
      codeOf(() => assertRoleShape({ fillingPolicy: "election", termDays: 30, maxConsecutiveTerms: 0 })),
    ).toBe("validation_failed");
  });

  it("names each required skill once, with a level from 1 to 5", () => {
    expect(codeOf(() => assertSkillLevels([{ skill: "Budgeting", level: 3 }], "requiredSkills"))).toBe("ok");
    expect(
      codeOf(() =>
        assertSkillLevels(
          [
            { skill: "Budgeting", level: 3 },
            { skill: " budgeting", level: 2 },
          ],
          "requiredSkills",
        ),
      ),
    ).toBe("validation_failed");
    expect(codeOf(() => assertSkillLevels([{ skill: "Budgeting", level: 6 }], "requiredSkills"))).toBe(
      "validation_failed",
    );
  });

  it("counts the well-known roles as leadership whatever the flag says", () => {
    expect(countsAsLeadership({ kind: "secretary", leadership: false })).toBe(true);
    expect(countsAsLeadership({ kind: "custom", leadership: false })).toBe(false);
    expect(countsAsLeadership({ kind: "custom", leadership: true })).toBe(true);
  });
});

describe("role permissions", () => {
  const role = { circleId, kind: "custom" as const, archivedAt: null, fillingPolicy: "appointment" as const };
  const none = { rotate: false, startElection: false };

  it("lets the circle and admins steward a role, never observers or outsiders", () => {
    expect(rolePermissions(viewer("member", [circleId]), role)).toEqual({
      update: true,
      assign: true,
      archive: true,
      ...none,
    });
    expect(rolePermissions(viewer("admin"), role)).toEqual({
      update: true,
      assign: true,
      archive: true,
      ...none,
    });
    expect(rolePermissions(viewer("member"), role)).toEqual({
      update: false,
      assign: false,
      archive: false,
      ...none,
    });
    expect(rolePermissions(viewer("observer", [circleId]), role).update).toBe(false);
  });

  it("leaves rotating and electing to the circle itself, not an admin outside it", () => {
    const rotating = { ...role, fillingPolicy: "rotation" as const };
    const elected = { ...role, fillingPolicy: "election" as const };
    expect(rolePermissions(viewer("member", [circleId]), rotating).rotate).toBe(true);
    expect(rolePermissions(viewer("admin"), rotating).rotate).toBe(false);
    expect(rolePermissions(viewer("member", [circleId]), elected)).toMatchObject({
      rotate: false,
      startElection: true,
    });
    expect(rolePermissions(viewer("observer", [circleId]), elected).startElection).toBe(false);
  });

  it("never archives a structural role, but a secretary role may go", () => {
    for (const kind of ["facilitator", "leader", "delegate"] as const)
      expect(rolePermissions(viewer("admin"), { ...role, kind }).archive).toBe(false);
    expect(rolePermissions(viewer("admin"), { ...role, kind: "secretary" }).archive).toBe(true);
  });

  it("freezes an archived role", () => {
    expect(rolePermissions(viewer("admin"), { ...role, archivedAt: new Date() })).toEqual({
      update: false,
      assign: false,
      archive: false,
      ...none,
    });
  });
});
