import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import { assertQuorumRule, quorumMet, quorumNeeded } from "./quorum.js";

describe("quorum", () => {
  it("is more than half of the participants by default", () => {
    const needed = [1, 2, 3, 4, 5, 10].map((n) => quorumNeeded(n, { kind: "more_than_half" }));
    expect(needed).toEqual([1, 2, 2, 3, 3, 6]);
    expect(quorumMet(2, 4, { kind: "more_than_half" })).toBe(false);
  });

  it("can be set as a whole percentage, rounded up to whole people", () => {
    const twoThirds = { kind: "at_least_percent", percent: 67 } as const;
    expect([3, 5, 6, 100].map((n) => quorumNeeded(n, twoThirds))).toEqual([3, 4, 5, 67]);
    expect(quorumNeeded(3, { kind: "at_least_percent", percent: 1 })).toBe(1);
    expect(quorumNeeded(7, { kind: "at_least_percent", percent: 100 })).toBe(7);
  });

  it("rejects a share that is not a whole percentage from 1 to 100", () => {
    for (const percent of [0, 101, 50.5])
      expect(() => assertQuorumRule({ kind: "at_least_percent", percent })).toThrow(DomainError);
  });
});
