import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "./access.js";
import { DomainError } from "./errors.js";
import type { CircleId, MemberId } from "./ids.js";
import {
  averageRating,
  closeMeeting,
  evaluateMeeting,
  type Meeting,
  type MeetingId,
  markAttendance,
  meetingPermissions,
  normaliseAgenda,
  openMeeting,
  recordMinutes,
  scheduleMeeting,
  speakInRound,
  updateMeeting,
} from "./meetings.js";

const circleId = "circle-garden" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const fay = person("fay"); // holds the facilitator role
const ann = person("ann"); // calls the meeting
const ben = person("ben");
const cat = person("cat");
const otto = person("otto", "observer");
const xena = person("xena", "member", false);
const participants = ["fay", "ann", "ben", "cat"] as MemberId[];

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
};

function scheduled(fields: Partial<Parameters<typeof scheduleMeeting>[0]> = {}): Meeting {
  return scheduleMeeting(
    {
      id: "meeting-1" as MeetingId,
      circleId,
      actor: ann,
      facilitatorIds: ["fay" as MemberId],
      participantIds: participants,
      title: " Garden circle ",
      startsAt: at(60),
      endsAt: at(150),
      location: " The shed ",
      agenda: [{ kind: "report", title: "Harvest report" }],
      ...fields,
    },
    at(0),
  ).meeting;
}

const opened = () => openMeeting(scheduled(), fay, at(60)).meeting;

/** Opened, Ann and Ben checked in (so present), closed. */
const closed = () => {
  let meeting = opened();
  meeting = speakInRound(meeting, { actor: ann, round: "checkIn", text: "Glad to be here" }, at(61)).meeting;
  meeting = speakInRound(meeting, { actor: ben, round: "checkIn", text: "Tired" }, at(62)).meeting;
  return closeMeeting(meeting, fay, at(150)).meeting;
};

describe("scheduling", () => {
  it("is for those who take part in the circle; the caller convenes", () => {
    const { meeting, events } = scheduleMeeting(
      {
        id: "m" as MeetingId,
        circleId,
        actor: ann,
        facilitatorIds: [],
        participantIds: participants,
        title: "Weekly",
        startsAt: at(0),
        endsAt: at(60),
      },
      at(-10),
    );
    expect(meeting).toMatchObject({ convenerId: "ann", state: "scheduled", location: "", agenda: [] });
    expect(events.map((e) => e.type)).toEqual(["meeting.scheduled"]);
    for (const actor of [otto, xena]) expect(code(() => scheduled({ actor }))).toBe("forbidden");
  });

  it("trims texts and refuses a blank title or an end not after the start", () => {
    expect(scheduled()).toMatchObject({ title: "Garden circle", location: "The shed" });
    expect(code(() => scheduled({ title: "  " }))).toBe("validation_failed");
    expect(code(() => scheduled({ endsAt: at(60) }))).toBe("validation_failed");
    expect(code(() => scheduled({ endsAt: at(60 + 8 * 24 * 60) }))).toBe("validation_failed");
  });
});

describe("the agenda", () => {
  it("links proposals and selections by id and keeps reports and open items as text", () => {
    expect(
      normaliseAgenda([
        { kind: "proposal", proposalId: "p1", title: " Tool library ", notes: " live " },
        { kind: "selection", selectionId: "s1", title: "Secretary" },
        { kind: "open_item", title: "Compost" },
      ]),
    ).toEqual([
      { kind: "proposal", proposalId: "p1", title: "Tool library", notes: "live" },
      { kind: "selection", selectionId: "s1", title: "Secretary", notes: "" },
      { kind: "open_item", title: "Compost", notes: "" },
    ]);
  });

  it("refuses a missing or misplaced link, a duplicate and a blank title", () => {
    const bad = [
      [{ kind: "proposal", title: "No id" }],
      [{ kind: "report", proposalId: "p1", title: "Report with a link" }],
      [{ kind: "proposal", selectionId: "s1", title: "Wrong link" }],
      [
        { kind: "proposal", proposalId: "p1", title: "Once" },
        { kind: "proposal", proposalId: "p1", title: "Twice" },
      ],
      [{ kind: "report", title: " " }],
      Array.from({ length: 51 }, () => ({ kind: "report", title: "Many" })),
    ] as Parameters<typeof normaliseAgenda>[0][];
    for (const items of bad) expect(code(() => normaliseAgenda(items))).toBe("validation_failed");
  });
});

describe("running the meeting", () => {
  it("goes scheduled → open → closed, moved by the facilitator or the convener", () => {
    expect(code(() => openMeeting(scheduled(), ben, at(60)))).toBe("forbidden");
    expect(code(() => openMeeting(scheduled(), otto, at(60)))).toBe("forbidden");
    expect(openMeeting(scheduled(), ann, at(60)).meeting).toMatchObject({ state: "open", openedAt: at(60) });
    const open = opened();
    expect(code(() => openMeeting(open, fay, at(61)))).toBe("invalid_transition");
    expect(code(() => closeMeeting(scheduled(), fay, at(61)))).toBe("invalid_transition");
    expect(code(() => closeMeeting(open, cat, at(61)))).toBe("forbidden");
    const done = closeMeeting(open, ann, at(120));
    expect(done.meeting).toMatchObject({ state: "closed", closedAt: at(120) });
    expect(done.events).toEqual([
      { type: "meeting.closed", payload: { meetingId: "meeting-1", circleId, attendeeIds: [] } },
    ]);
    expect(code(() => closeMeeting(done.meeting, fay, at(121)))).toBe("invalid_transition");
  });

  it("a convener who has left the circle no longer runs it", () => {
    const gone = person("ann", "member", false);
    expect(code(() => openMeeting(scheduled(), gone, at(60)))).toBe("forbidden");
  });

  it("changes only what differs, and nothing once closed", () => {
    const meeting = scheduled();
    expect(updateMeeting(meeting, fay, { title: "Garden circle" }).events).toEqual([]);
    const moved = updateMeeting(meeting, ann, { startsAt: at(90), endsAt: at(180), location: "Online" });
    expect(moved.events[0]?.payload).toMatchObject({ changed: ["startsAt", "endsAt", "location"] });
    expect(code(() => updateMeeting(meeting, ann, { endsAt: at(30) }))).toBe("validation_failed");
    expect(code(() => updateMeeting(meeting, ben, { title: "Mine" }))).toBe("forbidden");
    expect(code(() => updateMeeting(closed(), fay, { title: "Later" }))).toBe("invalid_transition");
  });

  it("takes attendance while open: each participant for themself, whoever runs it for anyone", () => {
    const open = opened();
    expect(
      code(() => markAttendance(scheduled(), { actor: ben, memberId: ben.memberId, present: true }, at(1))),
    ).toBe("invalid_transition");
    const self = markAttendance(open, { actor: ben, memberId: ben.memberId, present: true }, at(61));
    expect(self.meeting.attendance).toEqual([
      { memberId: "ben", present: true, markedBy: "ben", at: at(61) },
    ]);
    expect(
      markAttendance(self.meeting, { actor: ben, memberId: ben.memberId, present: true }, at(62)).events,
    ).toEqual([]);
    expect(
      code(() => markAttendance(open, { actor: ben, memberId: cat.memberId, present: true }, at(61))),
    ).toBe("forbidden");
    expect(
      code(() => markAttendance(open, { actor: otto, memberId: otto.memberId, present: true }, at(61))),
    ).toBe("forbidden");
    expect(
      code(() => markAttendance(open, { actor: fay, memberId: xena.memberId, present: true }, at(61))),
    ).toBe("validation_failed");
    const byFacilitator = markAttendance(
      self.meeting,
      { actor: fay, memberId: ben.memberId, present: false },
      at(63),
    );
    expect(byFacilitator.meeting.attendance).toEqual([
      { memberId: "ben", present: false, markedBy: "fay", at: at(63) },
    ]);
  });

  it("keeps one check-in and one check-out per attendee, a second replacing the first, and marks them present", () => {
    let meeting = opened();
    meeting = speakInRound(meeting, { actor: ben, round: "checkIn", text: "Sleepy" }, at(61)).meeting;
    const again = speakInRound(meeting, { actor: ben, round: "checkIn", text: " Awake now " }, at(62));
    expect(again.events[0]?.payload).toMatchObject({ memberId: "ben", replaced: true });
    meeting = speakInRound(
      again.meeting,
      { actor: ben, round: "checkOut", text: "Good meeting" },
      at(90),
    ).meeting;
    expect(meeting.checkIns).toEqual([{ memberId: "ben", text: "Awake now", at: at(62) }]);
    expect(meeting.checkOuts).toEqual([{ memberId: "ben", text: "Good meeting", at: at(90) }]);
    expect(meeting.attendance).toEqual([{ memberId: "ben", present: true, markedBy: "ben", at: at(61) }]);
    expect(code(() => speakInRound(meeting, { actor: ben, round: "checkIn", text: " " }, at(91)))).toBe(
      "validation_failed",
    );
    for (const actor of [otto, xena])
      expect(code(() => speakInRound(meeting, { actor, round: "checkIn", text: "Hi" }, at(91)))).toBe(
        "forbidden",
      );
    expect(code(() => speakInRound(scheduled(), { actor: ben, round: "checkIn", text: "Hi" }, at(0)))).toBe(
      "invalid_transition",
    );
    expect(code(() => speakInRound(closed(), { actor: ben, round: "checkOut", text: "Bye" }, at(200)))).toBe(
      "invalid_transition",
    );
  });

  it("records minutes once open, also after closing, by whoever runs it", () => {
    expect(code(() => recordMinutes(scheduled(), { actor: fay, text: "Notes" }, at(0)))).toBe(
      "invalid_transition",
    );
    const written = recordMinutes(closed(), { actor: fay, text: "We agreed on compost." }, at(200));
    expect(written.meeting.minutes).toEqual({ text: "We agreed on compost.", by: "fay", at: at(200) });
    expect(
      recordMinutes(written.meeting, { actor: ann, text: "We agreed on compost." }, at(201)).events,
    ).toEqual([]);
    expect(code(() => recordMinutes(opened(), { actor: ben, text: "Mine" }, at(70)))).toBe("forbidden");
  });
});

describe("evaluation", () => {
  it("is by attendees, after close, once each, rated 1 to 5", () => {
    const meeting = closed();
    expect(code(() => evaluateMeeting(opened(), { actor: ann, rating: 4, comment: "" }, at(70)))).toBe(
      "invalid_transition",
    );
    for (const actor of [cat, fay, otto, xena])
      expect(code(() => evaluateMeeting(meeting, { actor, rating: 4, comment: "" }, at(200)))).toBe(
        "forbidden",
      );
    for (const rating of [0, 6, 2.5])
      expect(code(() => evaluateMeeting(meeting, { actor: ann, rating, comment: "" }, at(200)))).toBe(
        "validation_failed",
      );
    const once = evaluateMeeting(meeting, { actor: ann, rating: 5, comment: " Focused " }, at(200)).meeting;
    expect(once.evaluations).toEqual([{ memberId: "ann", rating: 5, comment: "Focused", at: at(200) }]);
    expect(code(() => evaluateMeeting(once, { actor: ann, rating: 3, comment: "" }, at(201)))).toBe(
      "conflict",
    );
    const twice = evaluateMeeting(once, { actor: ben, rating: 2, comment: "Too long" }, at(202)).meeting;
    expect(averageRating(twice)).toBe(3.5);
    expect(averageRating(meeting)).toBeNull();
  });
});

describe("permissions", () => {
  it("report what the transitions allow", () => {
    expect(meetingPermissions(fay, scheduled())).toEqual({
      update: true,
      open: true,
      close: false,
      markOwnAttendance: false,
      markAttendance: false,
      checkIn: false,
      checkOut: false,
      recordMinutes: false,
      evaluate: false,
    });
    expect(meetingPermissions(ben, opened())).toMatchObject({
      update: false,
      markOwnAttendance: true,
      markAttendance: false,
      checkIn: true,
      recordMinutes: false,
    });
    expect(meetingPermissions(otto, opened())).toMatchObject({ markOwnAttendance: false, checkIn: false });
    expect(meetingPermissions(ann, closed())).toMatchObject({
      evaluate: true,
      recordMinutes: true,
      update: false,
    });
    expect(meetingPermissions(cat, closed()).evaluate).toBe(false);
  });

  it("agree with the transitions for any sequence of rounds and marks (property)", () => {
    const people = [fay, ann, ben, cat, otto, xena];
    const command = fc.record({
      who: fc.integer({ min: 0, max: people.length - 1 }),
      about: fc.integer({ min: 0, max: people.length - 1 }),
      kind: fc.constantFrom("checkIn", "checkOut", "present", "absent"),
    });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        let meeting = opened();
        commands.forEach(({ who, about, kind }, i) => {
          const actor = people[who] as Viewer;
          const memberId = (people[about] as Viewer).memberId;
          const can = meetingPermissions(actor, meeting);
          const now = at(61 + i);
          const step = () =>
            kind === "checkIn" || kind === "checkOut"
              ? speakInRound(meeting, { actor, round: kind, text: "Hello" }, now)
              : markAttendance(meeting, { actor, memberId, present: kind === "present" }, now);
          const expected =
            kind === "checkIn" || kind === "checkOut"
              ? can[kind]
              : memberId === actor.memberId
                ? can.markOwnAttendance
                : can.markAttendance;
          try {
            meeting = step().meeting;
            expect(expected).toBe(true);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            if (error.code === "forbidden") expect(expected).toBe(false);
            else expect(error.code).toBe("validation_failed");
          }
        });
        for (const round of ["checkIns", "checkOuts"] as const) {
          const speakers = meeting[round].map((e) => e.memberId);
          expect(new Set(speakers).size).toBe(speakers.length);
          expect(speakers.every((id) => participants.includes(id))).toBe(true);
        }
        const marked = meeting.attendance.map((m) => m.memberId);
        expect(new Set(marked).size).toBe(marked.length);
      }),
    );
  });
});
