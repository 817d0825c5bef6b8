import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import { rankCandidates } from "./rank.js";
import { type RotationCandidate, type RotationRole, scoreCandidate } from "./score.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const circle = "circle-events" as CircleId;
const SKILLS = ["facilitation", "writing", "logistics"];

const host: RotationRole = {
  id: "role-host" as RoleId,
  circleId: circle,
  name: "Host",
  requiredSkills: [{ skill: "facilitation", level: 3 }],
  maxConsecutiveTerms: 1,
  assignments: [
    { memberId: "member-cy" as MemberId, startsAt: new Date("2026-01-01"), endsAt: NOW, shadow: false },
  ],
};

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

describe("rankCandidates", () => {
  it("puts the best fit first, breaks ties by member id, and lists who may not take the role with why", () => {
    const candidates = [
      member("member-eve", { access: "observer", skills: [{ skill: "facilitation", level: 5 }] }),
      member("member-bo", { skills: [{ skill: "facilitation", level: 2 }] }),
      member("member-cy", { skills: [{ skill: "facilitation", level: 5 }] }),
      member("member-dee", { skills: [{ skill: "facilitation", level: 2 }] }),
      member("member-ada", { skills: [{ skill: "facilitation", level: 4 }] }),
    ];
    const { ranked, ineligible } = rankCandidates(host, candidates, NOW);
    // Ada meets the skill (10 + 22); Bo and Dee partly meet it (5 + 22) and tie, so Bo comes first.
    expect(ranked.map((s) => [s.memberId, s.total])).toEqual([
      ["member-ada", 32],
      ["member-bo", 27],
      ["member-dee", 27],
    ]);
    expect(ineligible.map((s) => [s.memberId, s.ineligibility.map((i) => i.reason)])).toEqual([
      ["member-cy", ["Has held this role for 1 consecutive term, the most allowed"]],
      ["member-eve", ["Observers do not take roles"]],
    ]);
    expect(rankCandidates(host, [...candidates].reverse(), NOW)).toEqual({ ranked, ineligible });
  });

  const profile = fc.record({
    skills: fc.uniqueArray(
      fc.record({ skill: fc.constantFrom(...SKILLS), level: fc.integer({ min: 1, max: 5 }) }),
      { selector: (s) => s.skill },
    ),
    interests: fc.subarray(["writing", "hosting", "gardening"]),
    hoursAvailable: fc.option(fc.integer({ min: 0, max: 20 })),
    rolesHeld: fc.integer({ min: 0, max: 3 }),
    monthsSinceLed: fc.option(fc.integer({ min: 0, max: 30 })),
  });
  const roleShape = fc.record({
    requiredSkills: fc.uniqueArray(
      fc.record({ skill: fc.constantFrom(...SKILLS), level: fc.integer({ min: 1, max: 5 }) }),
      { selector: (s) => s.skill, minLength: 1 },
    ),
  });

  type Profile = typeof profile extends fc.Arbitrary<infer P> ? P : never;
  const MONTH_MS = 30.5 * 86_400_000;
  const candidateOf = (id: string, p: Profile) =>
    member(id, {
      skills: p.skills,
      interests: p.interests,
      hoursAvailable: p.hoursAvailable,
      assignments: [
        ...Array.from({ length: p.rolesHeld }, () => ({
          roleId: "role-other" as RoleId,
          leadership: false,
          startsAt: new Date("2026-01-01"),
          endsAt: null,
          shadow: false,
        })),
        ...(p.monthsSinceLed === null
          ? []
          : [
              {
                roleId: "role-led" as RoleId,
                leadership: true,
                startsAt: new Date("2020-01-01"),
                endsAt: new Date(NOW.getTime() - p.monthsSinceLed * MONTH_MS),
                shadow: false,
              },
            ]),
      ],
    });

  /** Whether `better` scores at least as high as `base`, and ranks no lower among the same rivals. */
  const neverWorse = (role: RotationRole, base: Profile, better: Profile, rivals: Profile[]) => {
    const rivalMembers = rivals.map((r, i) => candidateOf(`member-rival-${i}`, r));
    const position = (p: Profile) =>
      rankCandidates(role, [candidateOf("member-me", p), ...rivalMembers], NOW).ranked.findIndex(
        (s) => s.memberId === "member-me",
      );
    expect(scoreCandidate(role, candidateOf("member-me", better), NOW).total).toBeGreaterThanOrEqual(
      scoreCandidate(role, candidateOf("member-me", base), NOW).total,
    );
    expect(position(better)).toBeLessThanOrEqual(position(base));
  };

  it("never scores or ranks a member lower for more of a required skill", () => {
    fc.assert(
      fc.property(roleShape, profile, fc.array(profile, { maxLength: 4 }), (shape, base, rivals) => {
        const role = { ...host, assignments: [], requiredSkills: shape.requiredSkills };
        for (const { skill } of shape.requiredSkills) {
          const current = base.skills.find((s) => s.skill === skill)?.level ?? 0;
          for (let level = current + 1; level <= 5; level++) {
            const better = {
              ...base,
              skills: [...base.skills.filter((s) => s.skill !== skill), { skill, level }],
            };
            neverWorse(role, base, better, rivals);
          }
        }
      }),
    );
  });

  it("never scores or ranks a member lower for holding fewer roles, having led less recently or having more hours", () => {
    fc.assert(
      fc.property(profile, fc.array(profile, { maxLength: 4 }), (base, rivals) => {
        const role = { ...host, assignments: [] };
        if (base.rolesHeld > 0) neverWorse(role, base, { ...base, rolesHeld: base.rolesHeld - 1 }, rivals);
        if (base.monthsSinceLed !== null) {
          neverWorse(role, base, { ...base, monthsSinceLed: base.monthsSinceLed + 1 }, rivals);
          neverWorse(role, base, { ...base, monthsSinceLed: null }, rivals);
        }
        neverWorse(role, base, { ...base, hoursAvailable: (base.hoursAvailable ?? 0) + 1 }, rivals);
      }),
    );
  });
});
