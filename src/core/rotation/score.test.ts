import { describe, expect, it } from "vitest";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import { type RotationCandidate, type RotationRole, scoreCandidate } from "./score.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const date = (iso: string) => new Date(`${iso}T12:00:00Z`);
const circle = "circle-finance" as CircleId;
const treasurer = "role-treasurer" as RoleId;
const facilitator = "role-facilitator" as RoleId;
const noteTaker = "role-note-taker" as RoleId;
const ada = "member-ada" as MemberId;
const bo = "member-bo" as MemberId;

const role = (fields: Partial<RotationRole> = {}): RotationRole => ({
  id: treasurer,
  circleId: circle,
  name: "Treasurer",
  requiredSkills: [
    { skill: "Bookkeeping", level: 3 },
    { skill: "budgeting", level: 2 },
  ],
  maxConsecutiveTerms: 2,
  assignments: [],
  ...fields,
});

const candidate = (fields: Partial<RotationCandidate> = {}): RotationCandidate => ({
  memberId: ada,
  access: "member",
  circleIds: [circle],
  skills: [],
  interests: [],
  hoursAvailable: null,
  assignments: [],
  ...fields,
});

const term = (memberId: MemberId, from: string, to: string | null, shadow = false) => ({
  memberId,
  startsAt: date(from),
  endsAt: to === null ? null : date(to),
  shadow,
});

const partsOf = (score: ReturnType<typeof scoreCandidate>) =>
  score.parts.map(({ factor, points, reason }) => [factor, points, reason]);

describe("scoreCandidate", () => {
  it("explains every factor in plain words, with points that add up", () => {
    const score = scoreCandidate(
      role({ assignments: [term(ada, "2026-02-01", "2026-05-01", true)] }),
      candidate({
        skills: [
          { skill: "bookkeeping", level: 4 },
          { skill: "Budgeting", level: 1 },
        ],
        interests: ["gardening", "Bookkeeping for co-ops"],
        hoursAvailable: 6,
        assignments: [
          {
            roleId: facilitator,
            leadership: true,
            startsAt: date("2024-03-01"),
            endsAt: date("2025-04-01"),
            shadow: false,
          },
          { roleId: noteTaker, leadership: false, startsAt: date("2026-01-01"), endsAt: null, shadow: false },
        ],
      }),
      NOW,
    );
    expect(partsOf(score)).toEqual([
      ["skill", 10, "Has Bookkeeping at level 4 (asked: 3)"],
      ["skill", 5, "Partly meets budgeting: level 1 of the 2 asked"],
      ["interest", 10, 'Interested in "Bookkeeping for co-ops"'],
      ["recency", 12, "Has not led anything for 14 months"],
      ["load", 5, "Holds 1 role now"],
      ["hours", 3, "Has 6 hours a week available"],
      ["shadowing", 10, "Shadowed this role in 2026"],
    ]);
    expect(score).toMatchObject({ memberId: ada, total: 55, eligible: true, ineligibility: [] });
  });

  it("gives nothing for missing skills, unstated hours or interests, and counts a role that ended as not held", () => {
    const score = scoreCandidate(
      role(),
      candidate({
        assignments: [
          { roleId: noteTaker, leadership: false, startsAt: date("2025-01-01"), endsAt: NOW, shadow: false },
        ],
      }),
      NOW,
    );
    expect(partsOf(score)).toEqual([
      ["skill", 0, "Missing Bookkeeping (asked: level 3)"],
      ["skill", 0, "Missing budgeting (asked: level 2)"],
      ["interest", 0, "Has not named this role or its skills among their interests"],
      ["recency", 12, "Has never held a leadership role"],
      ["load", 10, "Holds no role now"],
      ["hours", 0, "Has not said how many hours they have"],
      ["shadowing", 0, "Has not shadowed this role"],
    ]);
    expect(score.total).toBe(22);
  });

  it("scores time since the last leadership role by whole months, up to a year", () => {
    const ledUntil = (endsAt: Date | null, startsAt = date("2020-01-01")) =>
      scoreCandidate(
        role(),
        candidate({
          assignments: [{ roleId: facilitator, leadership: true, startsAt, endsAt, shadow: false }],
        }),
        NOW,
      ).parts.find((p) => p.factor === "recency");
    expect(ledUntil(null)).toEqual({ factor: "recency", points: 0, reason: "Holds a leadership role now" });
    expect(ledUntil(date("2026-06-01"))).toMatchObject({
      points: 0,
      reason: "Led something within the last month",
    });
    expect(ledUntil(date("2026-05-15"))).toMatchObject({
      points: 1,
      reason: "Has not led anything for 1 month",
    });
    expect(ledUntil(date("2026-01-16"))).toMatchObject({
      points: 4,
      reason: "Has not led anything for 4 months",
    });
    expect(ledUntil(date("2023-06-15"))).toMatchObject({
      points: 12,
      reason: "Has not led anything for 36 months",
    });
    // A leadership role that has not started yet says nothing about the past.
    expect(ledUntil(null, date("2026-07-01"))).toMatchObject({
      points: 12,
      reason: "Has never held a leadership role",
    });
  });

  it("lowers the load points with every role held now, shadows aside", () => {
    const holding = (count: number) =>
      scoreCandidate(
        role(),
        candidate({
          assignments: [
            ...Array.from({ length: count }, () => ({
              roleId: noteTaker,
              leadership: false,
              startsAt: date("2026-01-01"),
              endsAt: date("2026-12-31"),
              shadow: false,
            })),
            {
              roleId: facilitator,
              leadership: true,
              startsAt: date("2026-01-01"),
              endsAt: null,
              shadow: true,
            },
          ],
        }),
        NOW,
      ).parts.find((p) => p.factor === "load");
    expect(holding(0)).toMatchObject({ points: 10, reason: "Holds no role now" });
    expect(holding(1)).toMatchObject({ points: 5, reason: "Holds 1 role now" });
    expect(holding(2)).toMatchObject({ points: 0, reason: "Holds 2 roles now" });
    expect(holding(3)).toMatchObject({ points: 0, reason: "Holds 3 roles now" });
  });

  it("gives a point per two free hours a week, up to five", () => {
    const hours = (hoursAvailable: number) =>
      scoreCandidate(role(), candidate({ hoursAvailable }), NOW).parts.find((p) => p.factor === "hours");
    expect(hours(0)).toMatchObject({ points: 0, reason: "Has no hours available" });
    expect(hours(1)).toMatchObject({ points: 0, reason: "Has 1 hour a week available" });
    expect(hours(2.5)).toMatchObject({ points: 1, reason: "Has 2.5 hours a week available" });
    expect(hours(40)).toMatchObject({ points: 5, reason: "Has 40 hours a week available" });
  });

  it("matches interests that name the role or a required skill, word for word", () => {
    const interested = (name: string, interests: string[]) =>
      scoreCandidate(role({ name, requiredSkills: [] }), candidate({ interests }), NOW).parts.find(
        (p) => p.factor === "interest",
      )?.points;
    expect(interested("Budget keeper", ["budget"])).toBe(10);
    expect(interested("Budget keeper", ["keeping the budget keeper honest"])).toBe(10);
    expect(interested("Party planner", ["art"])).toBe(0);
    expect(interested("Party planner", [""])).toBe(0);
  });

  it("says so when the role asks for no particular skill", () => {
    const score = scoreCandidate(role({ requiredSkills: [] }), candidate(), NOW);
    expect(score.parts[0]).toEqual({
      factor: "skill",
      points: 0,
      reason: "The role asks for no particular skill",
    });
  });

  it("makes a member who held the role for the most consecutive terms ineligible, with the score still shown", () => {
    const twoTerms = role({
      assignments: [term(bo, "2025-06-15", "2025-12-15"), term(bo, "2025-12-15", "2026-06-15")],
    });
    const score = scoreCandidate(twoTerms, candidate({ memberId: bo }), NOW);
    expect(score.eligible).toBe(false);
    expect(score.ineligibility).toEqual([
      { code: "term_limit", reason: "Has held this role for 2 consecutive terms, the most allowed" },
    ]);
    expect(score.parts.at(-1)).toEqual({
      factor: "term_limit",
      points: 0,
      reason: "Has held this role for 2 consecutive terms, the most allowed",
    });
    expect(score.total).toBe(22);
  });

  it("counts only the unbroken run of latest terms, and no limit when the role sets none", () => {
    const history = [
      term(bo, "2024-06-15", "2024-12-15"),
      term(ada, "2024-12-15", "2025-06-15"),
      term(bo, "2025-06-15", "2025-12-15"),
      term(bo, "2025-12-15", "2026-06-15"),
    ];
    const afterOneBreak = scoreCandidate(
      role({ assignments: history, maxConsecutiveTerms: 3 }),
      candidate({ memberId: bo }),
      NOW,
    );
    expect(afterOneBreak.eligible).toBe(true);
    expect(afterOneBreak.parts.at(-1)?.reason).toBe(
      "Has held this role for the last 2 terms; at most 3 in a row",
    );
    const noLimit = scoreCandidate(
      role({ assignments: history, maxConsecutiveTerms: null }),
      candidate({ memberId: bo }),
      NOW,
    );
    expect(noLimit.eligible).toBe(true);
    expect(noLimit.parts.at(-1)?.reason).toBe("Has held this role for the last 2 terms");
    // Someone who held it before the latest holder has no run going.
    const earlier = scoreCandidate(
      role({ assignments: history, maxConsecutiveTerms: 1 }),
      candidate({ memberId: ada }),
      NOW,
    );
    expect(earlier.eligible).toBe(true);
    expect(earlier.parts.some((p) => p.factor === "term_limit")).toBe(false);
  });

  it("names every reason a member may not take the role", () => {
    const score = scoreCandidate(
      role(),
      candidate({ access: "observer", circleIds: ["circle-other" as CircleId], hoursAvailable: -3 }),
      NOW,
    );
    expect(score.eligible).toBe(false);
    expect(score.ineligibility).toEqual([
      { code: "not_in_circle", reason: "Is not a member of the circle" },
      { code: "observer", reason: "Observers do not take roles" },
      { code: "no_hours", reason: "Has no hours left" },
    ]);
  });
});
