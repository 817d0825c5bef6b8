import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import { planRotation, type RotationPlan } from "./plan.js";
import { type MemberAssignment, type RotationCandidate, type RotationRole, scoreCandidate } from "./score.js";

const NOW = new Date("2026-06-15T00:00:00Z");
const circle = "circle-kitchen" as CircleId;

const role = (id: string, fields: Partial<RotationRole> = {}): RotationRole => ({
  id: id as RoleId,
  circleId: circle,
  name: id,
  requiredSkills: [],
  maxConsecutiveTerms: null,
  assignments: [],
  ...fields,
});

const member = (id: string, fields: Partial<RotationCandidate> = {}): RotationCandidate => ({
  memberId: id as MemberId,
  access: "member",
  circleIds: [circle],
  skills: [],
  interests: [],
  hoursAvailable: null,
  assignments: [],
  ...fields,
});

const pairs = (plan: RotationPlan) => plan.assignments.map((a) => [a.roleId, a.memberId, a.score.total]);

describe("planRotation", () => {
  it("finds the best whole plan where taking each role's top candidate in turn would not", () => {
    const roles = [
      role("role-kitchen-lead", {
        requiredSkills: [
          { skill: "baking", level: 3 },
          { skill: "cooking", level: 3 },
        ],
      }),
      role("role-oven", { requiredSkills: [{ skill: "baking", level: 3 }] }),
    ];
    const members = [
      member("member-ada", {
        skills: [
          { skill: "baking", level: 4 },
          { skill: "cooking", level: 2 },
        ],
      }),
      member("member-bo", { skills: [{ skill: "cooking", level: 5 }] }),
    ];
    // Both have 22 points for never having led and holding no role. Kitchen lead: Ada 22 + 10 + 5 = 37,
    // Bo 22 + 10 = 32. Oven: Ada 22 + 10 = 32, Bo 22. Ada as kitchen lead leaves 37 + 22 = 59.
    const plan = planRotation(roles, members, NOW);
    expect(pairs(plan)).toEqual([
      ["role-kitchen-lead", "member-bo", 32],
      ["role-oven", "member-ada", 32],
    ]);
    expect(plan.totalScore).toBe(64);
    expect(plan.unfilled).toEqual([]);
    expect(plan.assignments[0]?.score.parts.slice(0, 2)).toEqual([
      { factor: "skill", points: 0, reason: "Missing baking (asked: level 3)" },
      { factor: "skill", points: 10, reason: "Has cooking at level 5 (asked: 3)" },
    ]);
  });

  it("fills a role only one member can take, even when that member would score higher elsewhere", () => {
    const roles = [
      role("role-baking", { requiredSkills: [{ skill: "baking", level: 1 }] }),
      role("role-dishes", { circleId: "circle-scullery" as CircleId }),
    ];
    const members = [
      member("member-ada", {
        circleIds: [circle, "circle-scullery" as CircleId],
        skills: [{ skill: "baking", level: 5 }],
      }),
      member("member-bo"),
    ];
    expect(pairs(planRotation(roles, members, NOW))).toEqual([
      ["role-baking", "member-bo", 22],
      ["role-dishes", "member-ada", 22],
    ]);
  });

  it("says why a role stays unfilled", () => {
    const roles = [
      role("role-a", {
        maxConsecutiveTerms: 1,
        assignments: [
          { memberId: "member-bo" as MemberId, startsAt: new Date("2026-01-01"), endsAt: NOW, shadow: false },
        ],
      }),
      role("role-b"),
      role("role-c"),
      role("role-d", { circleId: "circle-empty" as CircleId }),
    ];
    const members = [member("member-ada"), member("member-bo"), member("member-eve", { access: "observer" })];
    const plan = planRotation(roles, members, NOW);
    expect(plan.assignments.map((a) => a.memberId).sort()).toEqual(["member-ada", "member-bo"]);
    expect(plan.unfilled).toEqual([
      expect.objectContaining({ reason: "members_needed_elsewhere", eligibleMembers: 2 }),
      {
        roleId: "role-d",
        reason: "no_eligible_member",
        explanation: "The circle has no members",
        eligibleMembers: 0,
      },
    ]);
    expect(plan.unfilled[0]?.explanation).toBe(
      "All 2 eligible members are planned for other roles; a load cap above 1 would let someone take a second role",
    );

    const onlyRoleA = planRotation(
      [roles[0] as RotationRole],
      [members[1] as RotationCandidate, members[2] as RotationCandidate],
      NOW,
    );
    expect(onlyRoleA.unfilled).toEqual([
      {
        roleId: "role-a",
        reason: "no_eligible_member",
        explanation: "None of the circle's 2 members can take it: 1 at the term limit, 1 observer",
        eligibleMembers: 0,
      },
    ]);
  });

  it("gives someone a second role only when nobody else can take it", () => {
    const roles = [role("role-a"), role("role-b"), role("role-c")];
    const members = [member("member-ada"), member("member-bo")];
    const capped = planRotation(roles, members, NOW, { loadCap: 2 });
    expect(capped.unfilled).toEqual([]);
    expect(capped.assignments.map((a) => a.memberNewRoles).sort()).toEqual([1, 2, 2]);
    const uncapped = planRotation(roles.slice(0, 2), members, NOW, { loadCap: 2 });
    expect(uncapped.assignments.map((a) => a.memberNewRoles)).toEqual([1, 1]);
    const full = planRotation(roles, members, NOW, { loadCap: 2 });
    expect(full).toEqual(capped);
    const overCap = planRotation([...roles, role("role-d"), role("role-e")], members, NOW, { loadCap: 2 });
    expect(overCap.unfilled[0]?.explanation).toBe(
      "All 2 eligible members are planned for other roles, up to the load cap of 2",
    );
  });

  it("rejects a bad load cap and members or roles listed twice", () => {
    expect(() => planRotation([], [], NOW, { loadCap: 0 })).toThrow(/load cap/);
    expect(() => planRotation([], [], NOW, { loadCap: 1.5 })).toThrow(/load cap/);
    expect(() => planRotation([role("role-a"), role("role-a")], [], NOW)).toThrow(/same role/);
    expect(() => planRotation([], [member("member-a"), member("member-a")], NOW)).toThrow(/same member/);
  });
});

// Small random organisations: up to 6 roles in 2 circles, up to 7 members with random skills, interests,
// hours, access and histories (terms held, shadowing, leadership elsewhere).
const CIRCLES = ["circle-a", "circle-b"] as CircleId[];
const SKILLS = ["baking", "writing", "logistics"];
const TERM_MS = 182 * 86_400_000;

const skillLevels = (minLength = 0) =>
  fc.uniqueArray(fc.record({ skill: fc.constantFrom(...SKILLS), level: fc.integer({ min: 1, max: 5 }) }), {
    selector: (s) => s.skill,
    minLength,
  });

const smallOrganisation = fc
  .record({ memberCount: fc.integer({ min: 0, max: 7 }), roleCount: fc.integer({ min: 0, max: 6 }) })
  .chain(({ memberCount, roleCount }) => {
    const someMember = fc.integer({ min: 0, max: Math.max(0, memberCount - 1) });
    return fc.record({
      loadCap: fc.integer({ min: 1, max: 3 }),
      members: fc.array(
        fc.record({
          access: fc.constantFrom("member", "member", "admin", "observer"),
          circles: fc.subarray(CIRCLES),
          skills: skillLevels(),
          interests: fc.subarray(["baking", "writing", "Host", "gardening"]),
          hoursAvailable: fc.option(fc.integer({ min: -2, max: 12 })),
          ledMonthsAgo: fc.option(fc.integer({ min: 0, max: 24 })),
          otherRolesHeld: fc.integer({ min: 0, max: 2 }),
        }),
        { minLength: memberCount, maxLength: memberCount },
      ),
      roles: fc.array(
        fc.record({
          circle: fc.constantFrom(...CIRCLES),
          name: fc.constantFrom("Host", "Scribe", "Baker"),
          leadership: fc.boolean(),
          requiredSkills: skillLevels(),
          maxConsecutiveTerms: fc.option(fc.integer({ min: 1, max: 2 })),
          holders: fc.array(someMember, { maxLength: memberCount === 0 ? 0 : 3 }),
          shadows: fc.array(someMember, { maxLength: memberCount === 0 ? 0 : 2 }),
        }),
        { minLength: roleCount, maxLength: roleCount },
      ),
    });
  })
  .map(({ loadCap, members, roles }) => {
    const memberId = (i: number) => `member-${i}` as MemberId;
    const history = members.map((): MemberAssignment[] => []);
    const rotationRoles = roles.map((r, index): RotationRole => {
      const id = `role-${index}` as RoleId;
      // Terms run back to back and the latest ends now, so the role is due.
      const terms = r.holders.map((holder, t) => ({
        memberId: memberId(holder),
        startsAt: new Date(NOW.getTime() - (r.holders.length - t) * TERM_MS),
        endsAt: new Date(NOW.getTime() - (r.holders.length - t - 1) * TERM_MS),
        shadow: false,
      }));
      const shadows = r.shadows.map((holder) => ({
        memberId: memberId(holder),
        startsAt: new Date(NOW.getTime() - TERM_MS),
        endsAt: NOW,
        shadow: true,
      }));
      for (const a of [...terms, ...shadows])
        history[Number(a.memberId.slice("member-".length))]?.push({
          ...a,
          roleId: id,
          leadership: r.leadership,
        });
      return {
        id,
        circleId: r.circle,
        name: r.name,
        requiredSkills: r.requiredSkills,
        maxConsecutiveTerms: r.maxConsecutiveTerms,
        assignments: [...terms, ...shadows],
      };
    });
    const candidates = members.map(
      (m, i): RotationCandidate => ({
        memberId: memberId(i),
        access: m.access,
        circleIds: m.circles,
        skills: m.skills,
        interests: m.interests,
        hoursAvailable: m.hoursAvailable,
        assignments: [
          ...(history[i] ?? []),
          ...Array.from({ length: m.otherRolesHeld }, () => ({
            roleId: "role-elsewhere" as RoleId,
            leadership: false,
            startsAt: new Date("2026-01-01"),
            endsAt: null,
            shadow: false,
          })),
          ...(m.ledMonthsAgo === null
            ? []
            : [
                {
                  roleId: "role-led-before" as RoleId,
                  leadership: true,
                  startsAt: new Date("2020-01-01"),
                  endsAt: new Date(NOW.getTime() - m.ledMonthsAgo * 30.5 * 86_400_000),
                  shadow: false,
                },
              ]),
        ],
      }),
    );
    return { loadCap, roles: rotationRoles, candidates };
  });

type Outcome = { filled: number; extraRoles: number; totalScore: number };

/** What a plan achieves, in the order plans are ranked: roles filled, then fewer extra roles, then score. */
function outcome(plan: RotationPlan): Outcome {
  const perMember = new Map<string, number>();
  for (const a of plan.assignments) perMember.set(a.memberId, (perMember.get(a.memberId) ?? 0) + 1);
  const extraRoles = [...perMember.values()].reduce((sum, n) => sum + n - 1, 0);
  return { filled: plan.assignments.length, extraRoles, totalScore: plan.totalScore };
}

const better = (a: Outcome, b: Outcome) =>
  a.filled !== b.filled
    ? a.filled > b.filled
    : a.extraRoles !== b.extraRoles
      ? a.extraRoles < b.extraRoles
      : a.totalScore > b.totalScore;

/** Tries every way to fill the roles with eligible members within the load cap. */
function bestByBruteForce(roles: RotationRole[], candidates: RotationCandidate[], loadCap: number): Outcome {
  const options = roles.map((r) =>
    candidates.map((c) => scoreCandidate(r, c, NOW)).filter((s) => s.eligible),
  );
  const load = new Map<string, number>();
  let best: Outcome = { filled: 0, extraRoles: 0, totalScore: 0 };
  const visit = (index: number, current: Outcome) => {
    if (index === roles.length) {
      if (better(current, best)) best = current;
      return;
    }
    visit(index + 1, current);
    for (const option of options[index] ?? []) {
      const held = load.get(option.memberId) ?? 0;
      if (held >= loadCap) continue;
      load.set(option.memberId, held + 1);
      visit(index + 1, {
        filled: current.filled + 1,
        extraRoles: current.extraRoles + (held > 0 ? 1 : 0),
        totalScore: current.totalScore + option.total,
      });
      load.set(option.memberId, held);
    }
  };
  visit(0, best);
  return best;
}

describe("planRotation on small random organisations", () => {
  it("is as good as the best plan found by trying them all: most roles filled, fewest doubled up, highest score", () => {
    fc.assert(
      fc.property(smallOrganisation, ({ roles, candidates, loadCap }) => {
        const plan = planRotation(roles, candidates, NOW, { loadCap });
        expect(outcome(plan)).toEqual(bestByBruteForce(roles, candidates, loadCap));
      }),
      { numRuns: 300 },
    );
  });

  it("plans only eligible members, within the load cap and term limits, with scores as ranked alone", () => {
    fc.assert(
      fc.property(smallOrganisation, ({ roles, candidates, loadCap }) => {
        const plan = planRotation(roles, candidates, NOW, { loadCap });
        const perMember = new Map<string, number>();
        for (const planned of plan.assignments) {
          const r = roles.find((x) => x.id === planned.roleId) as RotationRole;
          const c = candidates.find((x) => x.memberId === planned.memberId) as RotationCandidate;
          expect(c.circleIds).toContain(r.circleId);
          expect(c.access).not.toBe("observer");
          const score = scoreCandidate(r, c, NOW);
          expect(score.eligible).toBe(true);
          expect(planned.score).toEqual(score);
          if (r.maxConsecutiveTerms !== null) {
            const run = [...r.assignments].filter((a) => !a.shadow).reverse();
            const latest = run.findIndex((a) => a.memberId !== c.memberId);
            expect(latest === -1 ? run.length : latest).toBeLessThan(r.maxConsecutiveTerms);
          }
          perMember.set(c.memberId, (perMember.get(c.memberId) ?? 0) + 1);
        }
        for (const planned of plan.assignments)
          expect(planned.memberNewRoles).toBe(perMember.get(planned.memberId));
        expect(Math.max(0, ...perMember.values())).toBeLessThanOrEqual(loadCap);
        expect(plan.totalScore).toBe(plan.assignments.reduce((sum, a) => sum + a.score.total, 0));
        expect(plan.assignments.length + plan.unfilled.length).toBe(roles.length);
        for (const unfilled of plan.unfilled) {
          const r = roles.find((x) => x.id === unfilled.roleId) as RotationRole;
          const eligible = candidates.filter((c) => scoreCandidate(r, c, NOW).eligible).length;
          expect(unfilled.eligibleMembers).toBe(eligible);
          expect(unfilled.reason).toBe(eligible === 0 ? "no_eligible_member" : "members_needed_elsewhere");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same plan for the same organisation, whatever order it is listed in", () => {
    fc.assert(
      fc.property(smallOrganisation, fc.nat(), ({ roles, candidates, loadCap }, turn) => {
        const rotate = <T>(xs: T[]) => xs.map((_, i) => xs[(i + turn) % xs.length] as T);
        const plan = planRotation(roles, candidates, NOW, { loadCap });
        expect(planRotation(roles, candidates, NOW, { loadCap })).toEqual(plan);
        expect(planRotation(rotate(roles).reverse(), rotate(candidates), NOW, { loadCap })).toEqual(plan);
      }),
      { numRuns: 200 },
    );
  });
});
