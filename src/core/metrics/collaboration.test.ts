import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CircleId, MemberId } from "../ids.js";
import { type CollaboratorCircles, collaborationGraph, type SharedWork } from "./collaboration.js";

const member = (memberId: string, ...circleIds: string[]): CollaboratorCircles => ({
  memberId: memberId as MemberId,
  circleIds: circleIds as CircleId[],
});
const work = (...memberIds: string[]): SharedWork => ({ memberIds: memberIds as MemberId[] });

describe("collaborationGraph", () => {
  const members = [
    member("ann", "kitchen"),
    member("ben", "kitchen", "garden"),
    member("cat", "garden"),
    member("dan", "hall"),
    member("eve"),
  ];

  it("ties members who worked together, counts crossing ties, density and degrees", () => {
    const graph = collaborationGraph(members, [
      work("ann", "ben", "cat"), // a proposal: ann–ben, ann–cat, ben–cat
      work("cat", "ben"), // a cycle: ben–cat again
      work("cat", "dan"), // a mentorship
      work("dan", "zed"), // zed is not a member of the graph: no tie
      work("ann", "ann"), // the same person twice is no tie
    ]);
    // ann–ben share the kitchen; ben–cat the garden; ann–cat and cat–dan share no circle.
    expect(graph.ties).toEqual([
      { a: "ann", b: "ben", weight: 1, crossesCircles: false },
      { a: "ann", b: "cat", weight: 1, crossesCircles: true },
      { a: "ben", b: "cat", weight: 2, crossesCircles: false },
      { a: "cat", b: "dan", weight: 1, crossesCircles: true },
    ]);
    // 5 members: 5 · 4 / 2 = 10 possible pairs, 4 ties: 0.4. Crossing: 2 of 4.
    expect(graph.density).toEqual({ count: 4, of: 10, share: 0.4 });
    expect(graph.crossCircleShare).toEqual({ count: 2, of: 4, share: 0.5 });
    expect(graph.degrees).toEqual([
      { memberId: "ann", degree: 2 },
      { memberId: "ben", degree: 2 },
      { memberId: "cat", degree: 3 },
      { memberId: "dan", degree: 1 },
      { memberId: "eve", degree: 0 },
    ]);
  });

  it("has no density below two members and no crossing share without ties", () => {
    const graph = collaborationGraph([member("ann", "kitchen")], [work("ann")]);
    expect(graph.density).toEqual({ count: 0, of: 0, share: null });
    expect(graph.crossCircleShare).toEqual({ count: 0, of: 0, share: null });
  });

  it("keeps density and the crossing share between 0 and 1, with degrees adding up to twice the ties", () => {
    const names = ["ann", "ben", "cat", "dan", "eve", "fay"];
    const graphInput = fc.record({
      members: fc
        .uniqueArray(fc.constantFrom(...names), { minLength: 0 })
        .chain((ids) =>
          fc.tuple(
            ...ids.map((id) => fc.subarray(["kitchen", "garden", "hall"]).map((c) => member(id, ...c))),
          ),
        ),
      work: fc.array(
        fc.subarray(names).map((ids) => work(...ids)),
        { maxLength: 10 },
      ),
    });
    fc.assert(
      fc.property(graphInput, (input) => {
        const graph = collaborationGraph(input.members, input.work);
        for (const ratio of [graph.density, graph.crossCircleShare])
          if (ratio.share !== null) {
            expect(ratio.share).toBeGreaterThanOrEqual(0);
            expect(ratio.share).toBeLessThanOrEqual(1);
          }
        const degreeSum = graph.degrees.reduce((sum, d) => sum + d.degree, 0);
        expect(degreeSum).toBe(2 * graph.ties.length);
      }),
    );
  });
});
