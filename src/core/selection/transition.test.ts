import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import type { ObjectionId } from "../consent/ids.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import type { SelectionCommand } from "./commands.js";
import type { SelectionId } from "./ids.js";
import { nominationCounts, visibleNominations } from "./nominations.js";
import { tallySelectionRound } from "./outcome.js";
import { objectionPermissions, permissionsFor } from "./permissions.js";
import { currentRound, openObjections, type Selection, termInForce } from "./selection.js";
import { type NewSelection, startSelection, transition } from "./transition.js";

const circleId = "circle-garden" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const fay = person("fay"); // the circle's facilitator
const ann = person("ann");
const ben = person("ben");
const cat = person("cat");
const dan = person("dan");
const otto = person("otto", "observer");
const xena = person("xena", "member", false); // in the organisation, not in the circle
const participants = [fay, ann, ben, cat, dan].map((v) => v.memberId);

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const DAY_MS = 86_400_000;

function start(overrides: Partial<NewSelection> = {}) {
  return startSelection(
    {
      id: "selection-secretary" as SelectionId,
      roleId: "role-secretary" as RoleId,
      circleId,
      startedBy: ann,
      facilitatorIds: [fay.memberId],
      participants,
      termDays: 365,
      description: "Keeps the minutes and the agenda.",
      qualifications: ["Writes clearly"],
      ...overrides,
    },
    T0,
  ).selection;
}

/** Applies commands in order, each at its own hour after T0. */
function run(selection: Selection, ...steps: [number, SelectionCommand][]) {
  return steps.reduce((s, [hour, command]) => transition(s, command, at(hour)).selection, selection);
}

function refusedWith(selection: Selection, command: SelectionCommand, now: Date) {
  try {
    transition(selection, command, now);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "accepted";
}

const nominate = (actor: Viewer, nominee: Viewer, reason = "Organised and calm"): SelectionCommand => ({
  type: "nominate",
  actor,
  nomineeId: nominee.memberId,
  reason,
});
const consent = (actor: Viewer): SelectionCommand => ({
  type: "respond",
  actor,
  response: { kind: "consent" },
});
const object = (actor: Viewer, id: string, reason = "A year is long for a first term"): SelectionCommand => ({
  type: "respond",
  actor,
  response: { kind: "object", objectionId: id as ObjectionId, reason },
});

function nominating(selection = start()) {
  return run(
    selection,
    [1, { type: "agreeTerm", actor: fay, termDays: 365 }],
    [2, { type: "agreeQualifications", actor: fay, qualifications: ["Writes clearly"], deadline: at(24) }],
  );
}

/** Everyone has nominated; ann has two nominations, fay one, ben one; the change round is on. */
function changing() {
  return run(
    nominating(),
    [3, nominate(fay, ann)],
    [3, nominate(ann, ann, "I would like to learn it")],
    [3, nominate(ben, cat)],
    [4, nominate(cat, ben)],
    [4, nominate(dan, ann)],
    [5, { type: "revealNominations", actor: fay }],
  );
}

function inRound(deadlineHour: number | null = 48, termDays = 365) {
  return run(
    changing(),
    [6, { type: "closeChanges", actor: fay }],
    [7, { type: "propose", actor: fay, nomineeId: ann.memberId, reasons: "Clear writer", termDays }],
    [8, { type: "openConsentRound", actor: fay, deadline: deadlineHour === null ? null : at(deadlineHour) }],
  );
}

describe("starting a selection", () => {
  it("starts by describing the role, with its term and the qualifications kept from last time", () => {
    const { selection, events } = startSelection(
      {
        id: "s" as SelectionId,
        roleId: "role-secretary" as RoleId,
        circleId,
        startedBy: ann,
        facilitatorIds: [fay.memberId],
        participants,
        termDays: 365,
        description: null,
      },
      T0,
    );
    expect(selection).toMatchObject({
      state: "describing",
      term: { days: 365, description: null },
      qualifications: [],
      quorum: { kind: "more_than_half" },
      outcome: null,
    });
    expect(events.map((e) => e.type)).toEqual(["selection.started"]);
  });

  it("is for those who take part in the circle, with participants and a term", () => {
    const refused = (input: Partial<NewSelection>) => {
      try {
        start(input);
        return "accepted";
      } catch (error) {
        return (error as DomainError).code;
      }
    };
    expect(refused({ startedBy: otto })).toBe("forbidden");
    expect(refused({ startedBy: xena })).toBe("forbidden");
    expect(refused({ participants: [] })).toBe("validation_failed");
    expect(refused({ participants: [ann.memberId, ann.memberId] })).toBe("validation_failed");
    expect(refused({ termDays: 0 })).toBe("validation_failed");
    expect(refused({ termDays: 30.5 })).toBe("validation_failed");
    expect(refused({ qualifications: ["Writes", " writes "] })).toBe("validation_failed");
  });
});

describe("a full selection", () => {
  it("walks from describing to elected, through a change of nomination and an objection met by a shorter term", () => {
    const s0 = start();
    const described = transition(
      s0,
      { type: "agreeTerm", actor: fay, termDays: 300, description: "Keeps the minutes." },
      at(1),
    );
    expect(described.selection.state).toBe("qualifying");
    expect(described.selection.term).toEqual({ days: 300, description: "Keeps the minutes." });
    expect(described.events[0]).toEqual({
      type: "selection.term_agreed",
      payload: { selectionId: s0.id, termDays: 300, description: "Keeps the minutes.", deadline: null },
    });

    const qualified = transition(
      described.selection,
      { type: "agreeQualifications", actor: fay, qualifications: [" Writes clearly ", "Knows the tools"] },
      at(2),
    );
    expect(qualified.selection.state).toBe("nominating");
    expect(qualified.events[0]?.payload).toMatchObject({
      roleId: "role-secretary",
      qualifications: ["Writes clearly", "Knows the tools"],
    });

    const nominated = transition(qualified.selection, nominate(ben, cat, "Good with lists"), at(3));
    expect(nominated.events).toEqual([
      {
        type: "selection.nominated",
        payload: { selectionId: s0.id, nominatorId: "ben", nomineeId: "cat", reason: "Good with lists" },
      },
    ]);
    // A later nomination by the same member replaces the earlier one.
    let s = run(
      nominated.selection,
      [3, nominate(ben, ann, "Writes clearly")],
      [3, nominate(fay, ann)],
      [4, nominate(ann, ann, "I would like to learn it")],
      [4, nominate(cat, ben)],
      [4, nominate(dan, cat)],
    );
    expect(s.nominations.filter((n) => n.nominatorId === "ben").map((n) => n.nomineeId)).toEqual(["ann"]);

    const revealed = transition(s, { type: "revealNominations", actor: fay }, at(5));
    expect(revealed.selection.state).toBe("changing");
    expect(revealed.events[0]?.payload.nominations).toEqual([
      { nominatorId: "ben", nomineeId: "ann", reason: "Writes clearly", at: at(3).toISOString() },
      { nominatorId: "fay", nomineeId: "ann", reason: "Organised and calm", at: at(3).toISOString() },
      { nominatorId: "ann", nomineeId: "ann", reason: "I would like to learn it", at: at(4).toISOString() },
      { nominatorId: "cat", nomineeId: "ben", reason: "Organised and calm", at: at(4).toISOString() },
      { nominatorId: "dan", nomineeId: "cat", reason: "Organised and calm", at: at(4).toISOString() },
    ]);

    // Dan changes his nomination after hearing the reasons; the change is open to all.
    const changed = transition(revealed.selection, nominate(dan, ann, "Her reasons convinced me"), at(6));
    expect(changed.events[0]).toMatchObject({
      type: "selection.nomination_changed",
      payload: { nominatorId: "dan", from: "cat", nomineeId: "ann", reason: "Her reasons convinced me" },
    });
    expect(nominationCounts(changed.selection)).toEqual([
      { nomineeId: "ann", count: 4 },
      { nomineeId: "ben", count: 1 },
    ]);

    s = run(
      changed.selection,
      [7, { type: "closeChanges", actor: fay }],
      [8, { type: "propose", actor: fay, nomineeId: ann.memberId, reasons: "Clear writer", termDays: 300 }],
      [9, { type: "openConsentRound", actor: fay, deadline: at(48) }],
      [10, consent(fay)],
      [10, object(ben, "o1")],
      [11, consent(cat)],
      [
        11,
        { type: "respond", actor: dan, response: { kind: "consent_with_concern", concern: "Busy spring" } },
      ],
    );
    expect(s.state).toBe("consent_round");
    // The nominee answers last, and that answer closes the round: an open objection goes to integration.
    const answered = transition(s, consent(ann), at(12));
    expect(answered.selection.state).toBe("integrating");
    expect(answered.events.map((e) => e.type)).toEqual(["selection.responded", "selection.round_closed"]);

    const integrated = transition(
      answered.selection,
      {
        type: "resolveObjection",
        actor: fay,
        objectionId: "o1" as ObjectionId,
        resolution: { outcome: "integrated", by: "shorter_term", termDays: 180 },
      },
      at(13),
    );
    expect(termInForce(integrated.selection)).toBe(180);
    expect(openObjections(integrated.selection)).toEqual([]);

    s = run(
      integrated.selection,
      [14, { type: "openConsentRound", actor: fay }],
      [15, consent(fay)],
      [15, consent(ben)],
      [15, consent(cat)],
      [15, consent(dan)],
    );
    expect(currentRound(s)?.termDays).toBe(180);
    const elected = transition(s, consent(ann), at(16));
    expect(elected.selection.state).toBe("elected");
    expect(elected.selection.outcome).toEqual({
      memberId: "ann",
      termDays: 180,
      startsAt: at(16),
      endsAt: new Date(at(16).getTime() + 180 * DAY_MS),
    });
    expect(elected.events.at(-1)).toEqual({
      type: "selection.elected",
      payload: {
        selectionId: s0.id,
        roleId: "role-secretary",
        circleId,
        memberId: "ann",
        termDays: 180,
        startsAt: at(16).toISOString(),
        endsAt: new Date(at(16).getTime() + 180 * DAY_MS).toISOString(),
      },
    });
    expect(permissionsFor(fay, elected.selection, at(17))).toEqual(
      Object.fromEntries(Object.keys(permissionsFor(fay, s, at(17))).map((key) => [key, false])),
    );
  });

  it("never changes the selection it is given", () => {
    const before = inRound();
    const copy = structuredClone(before);
    transition(before, consent(ben), at(9));
    transition(
      before,
      { type: "propose", actor: fay, nomineeId: cat.memberId, reasons: "Tidy", termDays: 90 },
      at(9),
    );
    expect(before).toEqual(copy);
  });
});

describe("hidden nominations", () => {
  it("shows each nominator only their own nomination until the reveal, then everyone all of them", () => {
    const s = run(nominating(), [3, nominate(ben, cat)], [3, nominate(cat, ben)]);
    expect(visibleNominations(s, ben).map((n) => n.nominatorId)).toEqual(["ben"]);
    expect(visibleNominations(s, dan)).toEqual([]);
    expect(visibleNominations(s, fay)).toEqual([]);
    expect(visibleNominations(s, otto)).toEqual([]);
    expect(nominationCounts(s)).toEqual([]);

    const revealed = transition(s, { type: "revealNominations", actor: fay }, at(4)).selection;
    expect(visibleNominations(revealed, otto)).toHaveLength(2);
    expect(visibleNominations(revealed, dan)).toHaveLength(2);
  });

  it("stay hidden when the selection is cancelled before the reveal", () => {
    const s = run(nominating(), [3, nominate(ben, cat)], [4, { type: "cancel", actor: fay }]);
    expect(s.state).toBe("cancelled");
    expect(visibleNominations(s, dan)).toEqual([]);
  });

  it("close at the phase's deadline, and the facilitator reveals them once someone has nominated", () => {
    const s = nominating();
    expect(refusedWith(s, { type: "revealNominations", actor: fay }, at(3))).toBe("invalid_transition");
    expect(refusedWith(s, nominate(ben, cat), at(24))).toBe("invalid_transition");
    expect(
      refusedWith(run(s, [3, nominate(ben, cat)]), { type: "revealNominations", actor: ben }, at(3)),
    ).toBe("forbidden");
  });
});

describe("changing nominations", () => {
  it("keeps the original beside the change, and is for those who nominated", () => {
    const s = run(nominating(), [3, nominate(ben, cat)], [4, { type: "revealNominations", actor: fay }]);
    expect(refusedWith(s, nominate(dan, cat), at(5))).toBe("invalid_transition");
    const changed = transition(s, nominate(ben, ann, "Changed my mind"), at(5)).selection;
    expect(changed.nominations.map((n) => [n.nomineeId, n.round])).toEqual([
      ["cat", "nominating"],
      ["ann", "changing"],
    ]);
    expect(nominationCounts(changed)).toEqual([{ nomineeId: "ann", count: 1 }]);
  });
});

describe("who takes part", () => {
  it("lets only participants nominate, and only participants be nominated", () => {
    const s = nominating();
    expect(refusedWith(s, nominate(otto, ann), at(3))).toBe("forbidden");
    expect(refusedWith(s, nominate(xena, ann), at(3))).toBe("forbidden");
    expect(refusedWith(s, nominate(ann, xena), at(3))).toBe("validation_failed");
    expect(refusedWith(s, nominate(ann, ann, "  "), at(3))).toBe("validation_failed");
    expect(permissionsFor(otto, s, at(3)).nominate).toBe(false);
    expect(permissionsFor(ben, s, at(3)).nominate).toBe(true);
  });

  it("lets only participants respond, and only the facilitator move phases or cancel", () => {
    const s = inRound();
    expect(refusedWith(s, consent(otto), at(9))).toBe("forbidden");
    expect(refusedWith(s, consent(xena), at(9))).toBe("forbidden");
    expect(refusedWith(s, { type: "cancel", actor: ben }, at(9))).toBe("forbidden");
    expect(refusedWith(nominating(), { type: "agreeTerm", actor: ann, termDays: 10 }, at(3))).toBe(
      "invalid_transition",
    );
    expect(refusedWith(start(), { type: "agreeTerm", actor: ann, termDays: 10 }, at(1))).toBe("forbidden");
    expect(permissionsFor(fay, s, at(9)).cancel).toBe(true);
  });

  it("falls back to whoever started the selection when the circle has no facilitator", () => {
    const s = start({ facilitatorIds: [] });
    expect(permissionsFor(ann, s, at(1)).agreeTerm).toBe(true);
    expect(permissionsFor(fay, s, at(1)).agreeTerm).toBe(false);
  });
});

describe("proposing a nominee", () => {
  it("needs reasons, a participant, and a term no longer than the one consented to", () => {
    const s = run(changing(), [6, { type: "closeChanges", actor: fay }]);
    const propose = (nominee: Viewer, reasons: string, termDays: number): SelectionCommand => ({
      type: "propose",
      actor: fay,
      nomineeId: nominee.memberId,
      reasons,
      termDays,
    });
    expect(refusedWith(s, propose(ann, " ", 365), at(7))).toBe("validation_failed");
    expect(refusedWith(s, propose(xena, "Keen", 365), at(7))).toBe("validation_failed");
    expect(refusedWith(s, propose(ann, "Keen", 366), at(7))).toBe("validation_failed");
    expect(refusedWith(s, { type: "openConsentRound", actor: fay }, at(7))).toBe("invalid_transition");
    // Any participant may be proposed, nominated or not.
    expect(refusedWith(s, propose(dan, "Keen", 200), at(7))).toBe("accepted");
  });

  it("from a running round closes it and sets its objections aside: they were about someone else", () => {
    const s = run(inRound(), [9, object(ben, "o1")]);
    const { selection, events } = transition(
      s,
      { type: "propose", actor: fay, nomineeId: cat.memberId, reasons: "Tidy", termDays: 365 },
      at(10),
    );
    expect(selection.state).toBe("proposing");
    expect(currentRound(selection)?.closedAt).toEqual(at(10));
    expect(openObjections(selection)).toEqual([]);
    expect(selection.objections[0]?.resolution).toMatchObject({ outcome: "superseded", resolvedBy: "fay" });
    expect(events.map((e) => e.type)).toEqual([
      "selection.round_closed",
      "selection.objection_resolved",
      "selection.proposed",
    ]);
    const next = transition(selection, { type: "openConsentRound", actor: fay }, at(11)).selection;
    expect(currentRound(next)).toMatchObject({ number: 2, proposal: 2, nomineeId: "cat", termDays: 365 });
  });
});

describe("the consent round on a nominee", () => {
  it("hears the nominee last: refused until everyone else has responded", () => {
    let s = inRound();
    expect(refusedWith(s, consent(ann), at(9))).toBe("invalid_transition");
    expect(permissionsFor(ann, s, at(9)).respond).toBe(false);
    s = run(s, [9, consent(fay)], [9, consent(ben)], [9, consent(cat)]);
    expect(refusedWith(s, consent(ann), at(9))).toBe("invalid_transition");
    s = run(s, [10, consent(dan)]);
    expect(s.state).toBe("consent_round");
    expect(permissionsFor(ann, s, at(10)).respond).toBe(true);
    expect(transition(s, consent(ann), at(11)).selection.state).toBe("elected");
  });

  it("hears the nominee after the deadline, when the others may no longer respond", () => {
    const s = run(inRound(48), [9, consent(fay)], [9, consent(ben)], [9, consent(cat)]);
    expect(refusedWith(s, consent(dan), at(48))).toBe("invalid_transition");
    const elected = transition(s, consent(ann), at(49)).selection;
    expect(elected.state).toBe("elected");
    expect(tallySelectionRound(currentRound(elected) ?? expect.fail(), elected.quorum)).toMatchObject({
      responded: 4,
      noResponse: 1,
      quorumMet: true,
    });
  });

  it("returns to proposing when the round lapses below quorum at its deadline", () => {
    const s = run(inRound(48), [9, consent(fay)]);
    expect(refusedWith(s, { type: "decide", actor: null }, at(47))).toBe("invalid_transition");
    const lapsed = transition(s, { type: "decide", actor: null }, at(48));
    expect(lapsed.selection.state).toBe("proposing");
    expect(lapsed.events[0]?.payload).toMatchObject({
      outcome: "lapsed",
      tally: { responded: 1, quorumMet: false },
    });
    // The facilitator may hold a fresh round on the same nominee.
    expect(refusedWith(lapsed.selection, { type: "openConsentRound", actor: fay }, at(49))).toBe("accepted");
  });

  it("does not elect a nominee who never accepted, even with the quorum", () => {
    const s = run(inRound(48), [9, consent(fay)], [9, consent(ben)], [9, consent(cat)]);
    expect(transition(s, { type: "decide", actor: null }, at(50)).selection.state).toBe("proposing");
  });

  it("takes a member's latest response: responding again withdraws their objection", () => {
    const s = run(inRound(), [9, object(ben, "o1")], [10, consent(ben)]);
    expect(openObjections(s)).toEqual([]);
    expect(s.objections[0]?.resolution).toMatchObject({ outcome: "withdrawn", resolvedBy: "ben" });
  });
});

describe("objections to a nominee", () => {
  function withObjection() {
    return run(
      inRound(),
      [9, object(ben, "o1")],
      [9, consent(fay)],
      [9, consent(cat)],
      [9, consent(dan)],
      [10, consent(ann)],
    );
  }

  it("wait in integration until integrated or withdrawn; only then a fresh round opens", () => {
    const s = withObjection();
    expect(s.state).toBe("integrating");
    expect(refusedWith(s, { type: "openConsentRound", actor: fay }, at(11))).toBe("invalid_transition");
    const objection = s.objections[0] ?? expect.fail();
    expect(objectionPermissions(ben, s, objection, at(11))).toEqual({ withdraw: true, integrate: false });
    expect(objectionPermissions(fay, s, objection, at(11))).toEqual({ withdraw: false, integrate: true });
    expect(permissionsFor(fay, s, at(11)).resolveObjections).toBe(true);
    const withdrawn = transition(
      s,
      {
        type: "resolveObjection",
        actor: ben,
        objectionId: objection.id,
        resolution: { outcome: "withdrawn" },
      },
      at(11),
    ).selection;
    expect(refusedWith(withdrawn, { type: "openConsentRound", actor: fay }, at(12))).toBe("accepted");
    expect(termInForce(withdrawn)).toBe(365);
  });

  it("are integrated by a term shorter than the one in force", () => {
    const s = withObjection();
    const shorten = (termDays: number, objectionId = "o1"): SelectionCommand => ({
      type: "resolveObjection",
      actor: fay,
      objectionId: objectionId as ObjectionId,
      resolution: { outcome: "integrated", by: "shorter_term", termDays },
    });
    expect(refusedWith(s, shorten(365), at(11))).toBe("validation_failed");
    expect(refusedWith(s, shorten(0), at(11))).toBe("validation_failed");
    expect(refusedWith(s, shorten(90), at(11))).toBe("accepted");
    expect(refusedWith(s, shorten(90, "nope"), at(11))).toBe("not_found");
  });

  it("refuse a duplicate objection id", () => {
    const s = run(inRound(), [9, object(ben, "o1")]);
    expect(refusedWith(s, object(cat, "o1"), at(10))).toBe("conflict");
  });
});
