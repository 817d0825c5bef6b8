import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SparseAssignmentProblem, solveSparseAssignment } from "./sparse-assignment.js";

type Options = { member: number; gain: number }[][];

function problem(options: Options, memberCount: number, capacity = 1): SparseAssignmentProblem {
  const optionStart = new Int32Array(options.length + 1);
  const flat = options.flat();
  options.forEach((row, role) => {
    optionStart[role + 1] = (optionStart[role] ?? 0) + row.length;
  });
  return {
    roleCount: options.length,
    memberCount,
    capacity,
    optionStart,
    optionMember: Int32Array.from(flat, (o) => o.member),
    optionGain: Float64Array.from(flat, (o) => o.gain),
  };
}

const gainOf = (options: Options, role: number, member: number) =>
  options[role]?.find((o) => o.member === member)?.gain ?? Number.NaN;

/** What a plan achieves, in the order the solver ranks plans: filled roles, extra roles (fewer is better), gain. */
function value(options: Options, plan: ArrayLike<number>) {
  const load = new Map<number, number>();
  let filled = 0;
  let gain = 0;
  Array.from(plan).forEach((member, role) => {
    if (member < 0) return;
    filled++;
    load.set(member, (load.get(member) ?? 0) + 1);
    gain += gainOf(options, role, member);
  });
  const extras = [...load.values()].reduce((sum, l) => sum + l - 1, 0);
  return { filled, extras, gain };
}

const better = (a: ReturnType<typeof value>, b: ReturnType<typeof value>) =>
  a.filled !== b.filled ? a.filled > b.filled : a.extras !== b.extras ? a.extras < b.extras : a.gain > b.gain;

function bruteForce(options: Options, capacity: number) {
  const plan = new Array<number>(options.length).fill(-1);
  const load = new Map<number, number>();
  let best = value(options, plan);
  const visit = (role: number) => {
    if (role === options.length) {
      const v = value(options, plan);
      if (better(v, best)) best = v;
      return;
    }
    plan[role] = -1;
    visit(role + 1);
    for (const { member } of options[role] ?? []) {
      const held = load.get(member) ?? 0;
      if (held >= capacity) continue;
      load.set(member, held + 1);
      plan[role] = member;
      visit(role + 1);
      load.set(member, held);
    }
    plan[role] = -1;
  };
  visit(0);
  return best;
}

const smallProblem = fc
  .record({ memberCount: fc.integer({ min: 1, max: 7 }), capacity: fc.integer({ min: 1, max: 3 }) })
  .chain(({ memberCount, capacity }) =>
    fc.record({
      memberCount: fc.constant(memberCount),
      capacity: fc.constant(capacity),
      options: fc.array(
        fc.uniqueArray(
          fc.record({
            member: fc.integer({ min: 0, max: memberCount - 1 }),
            gain: fc.integer({ min: -5, max: 30 }),
          }),
          { selector: (o) => o.member, maxLength: memberCount },
        ),
        { maxLength: 6 },
      ),
    }),
  );

describe("solveSparseAssignment", () => {
  it("beats the greedy choice when the best pair blocks a better whole", () => {
    // Greedy takes role 0 → member 0 (10) and leaves role 1 with member 1 (1): 11 in all.
    const options = [
      [
        { member: 0, gain: 10 },
        { member: 1, gain: 8 },
      ],
      [
        { member: 0, gain: 9 },
        { member: 1, gain: 1 },
      ],
    ];
    expect(Array.from(solveSparseAssignment(problem(options, 2)))).toEqual([1, 0]);
  });

  it("fills more roles before it looks at gains", () => {
    const options = [
      [
        { member: 0, gain: 50 },
        { member: 1, gain: 1 },
      ],
      [{ member: 0, gain: 1 }],
    ];
    expect(Array.from(solveSparseAssignment(problem(options, 2)))).toEqual([1, 0]);
  });

  it("gives a member a second role only when nobody else can take it", () => {
    const twoRoles = [
      [
        { member: 0, gain: 20 },
        { member: 1, gain: 0 },
      ],
      [{ member: 0, gain: 20 }],
    ];
    // Member 0 scores best everywhere, yet role 0 has someone else, so no one takes two roles.
    expect(Array.from(solveSparseAssignment(problem(twoRoles, 2, 2)))).toEqual([1, 0]);
    const threeRoles = [...twoRoles, [{ member: 0, gain: 5 }]];
    expect(Array.from(solveSparseAssignment(problem(threeRoles, 2, 1)))).toEqual([1, 0, -1]);
    expect(Array.from(solveSparseAssignment(problem(threeRoles, 2, 2)))).toEqual([1, 0, 0]);
  });

  it("leaves a role without options unfilled", () => {
    expect(Array.from(solveSparseAssignment(problem([[], [{ member: 0, gain: 3 }]], 1)))).toEqual([-1, 0]);
  });

  it("rejects a load cap below 1", () => {
    expect(() => solveSparseAssignment(problem([], 0, 0))).toThrow(/load cap/);
  });

  it("finds the same optimum as trying every plan", () => {
    fc.assert(
      fc.property(smallProblem, ({ options, memberCount, capacity }) => {
        const plan = solveSparseAssignment(problem(options, memberCount, capacity));
        const load = new Map<number, number>();
        plan.forEach((member, role) => {
          if (member < 0) return;
          expect(gainOf(options, role, member)).not.toBeNaN();
          load.set(member, (load.get(member) ?? 0) + 1);
        });
        expect(Math.max(0, ...load.values())).toBeLessThanOrEqual(capacity);
        expect(value(options, plan)).toEqual(bruteForce(options, capacity));
      }),
      { numRuns: 500 },
    );
  });
});
