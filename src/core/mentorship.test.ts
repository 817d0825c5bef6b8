import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "./access.js";
import { DomainError } from "./errors.js";
import type { MemberId } from "./ids.js";
import {
  type CheckInId,
  checkIn,
  endMentorship,
  type MentorCandidate,
  type MentorshipId,
  mentorshipPermissions,
  mentorshipState,
  startMentorship,
  suggestMentors,
} from "./mentorship.js";

const person = (name: string, access: OrgAccess = "member"): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(),
});
const mia = person("mia"); // mentor
const ted = person("ted"); // mentee
const ada = person("ada", "admin");
const otto = person("otto", "observer");

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);

function start(overrides: Partial<Parameters<typeof startMentorship>[0]> = {}) {
  return startMentorship(
    {
      id: "m1" as MentorshipId,
      actor: ted,
      mentorId: mia.memberId,
      menteeId: ted.memberId,
      skills: [" Facilitation "],
      goals: ["Facilitate a consent round alone"],
      ...overrides,
    },
    T0,
  );
}

function codeOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
}

describe("a mentorship", () => {
  it("is started by the mentor or the mentee around a skill", () => {
    const { mentorship, events } = start();
    expect(mentorshipState(mentorship)).toBe("active");
    expect(mentorship.skills).toEqual(["Facilitation"]);
    expect(events).toEqual([
      {
        type: "mentorship.started",
        payload: {
          mentorshipId: "m1",
          mentorId: "mia",
          menteeId: "ted",
          startedBy: "ted",
          skills: ["Facilitation"],
          goals: ["Facilitate a consent round alone"],
        },
      },
    ]);
    expect(codeOf(() => start({ actor: mia }))).toBe("ok");
    expect(codeOf(() => start({ actor: ada }))).toBe("forbidden");
    expect(codeOf(() => start({ actor: person("mia", "observer") }))).toBe("forbidden");
  });

  it("pairs two different people, with a skill named once and no blank goals", () => {
    expect(codeOf(() => start({ mentorId: ted.memberId }))).toBe("validation_failed");
    expect(codeOf(() => start({ skills: [] }))).toBe("validation_failed");
    expect(codeOf(() => start({ skills: ["Budget", "budget "] }))).toBe("validation_failed");
    expect(codeOf(() => start({ goals: [" "] }))).toBe("validation_failed");
  });

  it("keeps check-ins from the pair until it ends, logging only that they happened", () => {
    let { mentorship } = start();
    const result = checkIn(
      mentorship,
      { actor: mia, checkInId: "c1" as CheckInId, text: "Ran the round well" },
      at(7),
    );
    mentorship = result.mentorship;
    expect(mentorship.checkIns).toEqual([{ id: "c1", by: "mia", text: "Ran the round well", at: at(7) }]);
    expect(result.events[0]?.payload).toEqual({
      mentorshipId: "m1",
      mentorId: "mia",
      menteeId: "ted",
      checkInId: "c1",
      by: "mia",
    });
    const again = { actor: ted, checkInId: "c1" as CheckInId, text: "Again" };
    expect(codeOf(() => checkIn(mentorship, again, at(8)))).toBe("conflict");
    const blank = { actor: ted, checkInId: "c2" as CheckInId, text: "" };
    expect(codeOf(() => checkIn(mentorship, blank, at(8)))).toBe("validation_failed");
    const outsider = { actor: ada, checkInId: "c2" as CheckInId, text: "Hello" };
    expect(codeOf(() => checkIn(mentorship, outsider, at(8)))).toBe("forbidden");

    expect(codeOf(() => endMentorship(mentorship, ada, at(9)))).toBe("forbidden");
    const ended = endMentorship(mentorship, ted, at(30));
    expect(ended.events[0]).toMatchObject({ type: "mentorship.ended", payload: { by: "ted" } });
    expect(mentorshipState(ended.mentorship)).toBe("ended");
    const late = { actor: ted, checkInId: "c3" as CheckInId, text: "Late" };
    expect(codeOf(() => checkIn(ended.mentorship, late, at(31)))).toBe("invalid_transition");
    expect(codeOf(() => endMentorship(ended.mentorship, mia, at(31)))).toBe("invalid_transition");
  });

  it("reports what each viewer may do; check-ins are for the pair alone", () => {
    const { mentorship } = start();
    expect(mentorshipPermissions(mia, mentorship)).toEqual({ readCheckIns: true, checkIn: true, end: true });
    expect(mentorshipPermissions(ada, mentorship)).toEqual({
      readCheckIns: false,
      checkIn: false,
      end: false,
    });
    expect(mentorshipPermissions(otto, mentorship)).toEqual({
      readCheckIns: false,
      checkIn: false,
      end: false,
    });
    const ended = endMentorship(mentorship, mia, at(1)).mentorship;
    expect(mentorshipPermissions(ted, ended)).toEqual({ readCheckIns: true, checkIn: false, end: false });
  });
});

describe("suggestMentors", () => {
  const candidate = (
    name: string,
    skills: [string, number][],
    mentoringOffered: string[] = [],
  ): MentorCandidate => ({
    memberId: name as MemberId,
    profile: { skills: skills.map(([skill, level]) => ({ skill, level })), mentoringOffered },
  });
  const mentee = { memberId: "ted" as MemberId, profile: { mentoringWanted: ["Facilitation", "Budgeting"] } };

  it("ranks by wanted skills matched, then offered, then level, and explains each place", () => {
    const suggestions = suggestMentors(mentee, [
      candidate("zoe", [["facilitation", 5]]),
      candidate("amy", [["Facilitation", 2]], ["facilitation "]),
      candidate("bob", [
        ["Budgeting", 4],
        ["Facilitation", 4],
      ]),
      candidate("cid", [["Budgeting", 3]]),
      candidate("dee", [["Facilitation", 5]]),
      candidate("ted", [["Budgeting", 5]], ["Facilitation"]),
    ]);
    expect(suggestions).toEqual([
      {
        memberId: "bob",
        matches: [
          { skill: "Facilitation", offered: false, level: 4 },
          { skill: "Budgeting", offered: false, level: 4 },
        ],
      },
      { memberId: "amy", matches: [{ skill: "Facilitation", offered: true, level: 2 }] },
      { memberId: "dee", matches: [{ skill: "Facilitation", offered: false, level: 5 }] },
      { memberId: "zoe", matches: [{ skill: "Facilitation", offered: false, level: 5 }] },
    ]);
  });

  it("gives the same order whatever order the members come in", () => {
    const skill = fc.constantFrom("Facilitation", "Budgeting", "Cooking");
    const arb = fc.uniqueArray(
      fc.record({
        memberId: fc.constantFrom("a", "b", "c", "d", "e", "f"),
        skills: fc.uniqueArray(fc.record({ skill, level: fc.integer({ min: 1, max: 5 }) }), {
          selector: (s) => s.skill,
        }),
        offered: fc.uniqueArray(skill),
      }),
      { selector: (c) => c.memberId },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const members = raw.map(
          (c): MentorCandidate => ({
            memberId: c.memberId as MemberId,
            profile: { skills: c.skills, mentoringOffered: c.offered },
          }),
        );
        const forward = suggestMentors(mentee, members);
        expect(suggestMentors(mentee, [...members].reverse())).toEqual(forward);
        for (const suggestion of forward)
          for (const match of suggestion.matches) expect(match.offered || (match.level ?? 0) >= 4).toBe(true);
      }),
    );
  });
});
