import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "./access.js";
import { type AppreciationId, appreciate, canAppreciate } from "./appreciation.js";
import { DomainError } from "./errors.js";
import type { MemberId } from "./ids.js";

const person = (name: string, access: OrgAccess = "member"): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(),
});
const ann = person("ann");
const T0 = new Date("2026-03-01T10:00:00Z");

const give = (actor: Viewer, memberIds: string[], text = "Thank you for the seed swap") =>
  appreciate(
    { id: "a1" as AppreciationId, actor, memberIds: memberIds as MemberId[], text, subject: null },
    T0,
  );

function codeOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
}

describe("an appreciation", () => {
  it("recognises one or more others, with a few words", () => {
    expect(give(ann, ["ben", "cat"], "  Thank you  ")).toEqual({
      id: "a1",
      fromId: "ann",
      memberIds: ["ben", "cat"],
      text: "Thank you",
      subject: null,
      at: T0,
    });
  });

  it("goes to others, each named once, and needs words", () => {
    for (const [memberIds, text] of [
      [[], "Thanks"],
      [["ann"], "Thanks"],
      [["ben", "ben"], "Thanks"],
      [Array.from({ length: 21 }, (_, i) => `m${i}`), "Thanks"],
      [["ben"], "   "],
    ] as const)
      expect(codeOf(() => give(ann, [...memberIds], text))).toBe("validation_failed");
  });

  it("is given by members who act: observers read", () => {
    const otto = person("otto", "observer");
    expect(canAppreciate(otto)).toBe(false);
    expect(codeOf(() => give(otto, ["ben"]))).toBe("forbidden");
    expect(canAppreciate(person("ada", "admin"))).toBe(true);
  });
});
