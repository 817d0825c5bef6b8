import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { ProposalCommand } from "./commands.js";
import type { ObjectionId, ProposalId, QuestionId } from "./ids.js";
import { objectionStatus } from "./objections.js";
import { roundVerdict } from "./outcome.js";
import { canAdvance, canRespond, objectionPermissions, permissionsFor } from "./permissions.js";
import { currentRound, currentVersion, type Proposal } from "./proposal.js";
import { draftProposal, transition } from "./transition.js";

const circleId = "circle-garden" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const ann = person("ann"); // the author
const fay = person("fay"); // the circle's facilitator
const ben = person("ben");
const cat = person("cat");
const dan = person("dan");
const otto = person("otto", "observer");
const xena = person("xena", "member", false); // in the organisation, not in the circle
const ada = person("ada", "admin", false);
const circle = [ann, fay, ben, cat, dan].map((v) => v.memberId);

const T0 = new Date("2025-01-31T09:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const objectionId = (id: string) => id as ObjectionId;

function draft(overrides: Partial<Parameters<typeof draftProposal>[0]> = {}) {
  return draftProposal(
    {
      id: "proposal-compost" as ProposalId,
      circleId,
      author: ann,
      facilitatorIds: [fay.memberId],
      title: "Compost rota",
      text: "Each member turns the compost once a month.\nThe rota hangs by the shed.",
      reviewMonths: 6,
      ...overrides,
    },
    T0,
  ).proposal;
}

/** Applies commands in order, each at its own hour after T0. */
function run(proposal: Proposal, ...steps: [number, ProposalCommand][]) {
  return steps.reduce((p, [hour, command]) => transition(p, command, at(hour)).proposal, proposal);
}

function inConsentRound(proposal = draft(), deadlineHour: number | null = 48) {
  return run(
    proposal,
    [1, { type: "present", actor: ann }],
    [2, { type: "advance", actor: fay }],
    [3, { type: "advance", actor: fay }],
    [
      4,
      {
        type: "openConsentRound",
        actor: fay,
        participants: circle,
        deadline: deadlineHour === null ? null : at(deadlineHour),
      },
    ],
  );
}

const consent = (actor: Viewer): ProposalCommand => ({
  type: "respond",
  actor,
  response: { kind: "consent" },
});
const object = (actor: Viewer, id: string, reason = "The shed path floods in winter"): ProposalCommand => ({
  type: "respond",
  actor,
  response: { kind: "object", objectionId: objectionId(id), reason },
});

function refusal(attempt: () => unknown) {
  try {
    attempt();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("a proposal by consent", () => {
  it("goes from draft through every phase to adoption, and the decision carries a review date", () => {
    let p = draft();
    expect(p.state).toBe("draft");
    const presented = transition(p, { type: "present", actor: ann }, at(1));
    expect(presented.proposal.state).toBe("presented");
    expect(presented.events.map((e) => e.type)).toEqual(["proposal.presented"]);
    p = run(
      presented.proposal,
      [2, { type: "advance", actor: fay, deadline: at(24) }],
      [3, { type: "askQuestion", actor: ben, questionId: "q1" as QuestionId, text: "Who keeps the rota?" }],
      [4, { type: "answerQuestion", actor: ann, questionId: "q1" as QuestionId, text: "The secretary." }],
      [5, { type: "advance", actor: fay }],
      [6, { type: "react", actor: cat, text: "Love it" }],
      [7, { type: "openConsentRound", actor: fay, participants: circle, deadline: at(48) }],
    );
    expect(p.state).toBe("consent_round");
    expect(p.questions[0]?.answer?.text).toBe("The secretary.");
    p = run(p, [8, consent(ann)], [9, consent(fay)], [10, consent(ben)], [11, consent(cat)]);
    expect(p.state).toBe("consent_round");
    const last = transition(p, consent(dan), at(12));
    expect(last.proposal.state).toBe("adopted");
    expect(last.events.map((e) => e.type)).toEqual([
      "proposal.responded",
      "proposal.round_closed",
      "proposal.adopted",
    ]);
    expect(last.proposal.decision).toMatchObject({
      version: 1,
      adoptedAt: at(12),
      reviewMonths: 6,
      // 31 January + 6 months: the last day of July.
      reviewAt: new Date("2025-07-31T21:00:00Z"),
      concerns: [],
      measures: [],
      tally: { eligible: 5, responded: 5, consent: 5, noResponse: 0 },
    });
  });

  it("is moved between phases by the facilitator only, or by its author where the circle has none", () => {
    const presented = run(draft(), [1, { type: "present", actor: ann }]);
    for (const actor of [ann, ben, otto, ada])
      expect(refusal(() => transition(presented, { type: "advance", actor }, at(2)))).toBe("forbidden");
    expect(transition(presented, { type: "advance", actor: fay }, at(2)).proposal.state).toBe("clarifying");

    const noFacilitator = run(draft({ facilitatorIds: [] }), [1, { type: "present", actor: ann }]);
    expect(refusal(() => transition(noFacilitator, { type: "advance", actor: ben }, at(2)))).toBe(
      "forbidden",
    );
    expect(transition(noFacilitator, { type: "advance", actor: ann }, at(2)).proposal.state).toBe(
      "clarifying",
    );
  });

  it("refuses commands its state does not allow, and a rejected command changes nothing", () => {
    const p = draft();
    const before = structuredClone(p);
    expect(refusal(() => transition(p, { type: "advance", actor: fay }, at(1)))).toBe("invalid_transition");
    expect(refusal(() => transition(p, consent(ann), at(1)))).toBe("invalid_transition");
    expect(refusal(() => transition(p, { type: "decide", actor: null }, at(1)))).toBe("invalid_transition");
    expect(refusal(() => transition(p, { type: "present", actor: ben }, at(1)))).toBe("forbidden");
    expect(refusal(() => transition(p, { type: "present", actor: ann, deadline: at(-1) }, at(1)))).toBe(
      "validation_failed",
    );
    expect(p).toEqual(before);
  });

  it("lets only those who take part in the circle draft a proposal, with a sound quorum and review period", () => {
    expect(refusal(() => draft({ author: xena }))).toBe("forbidden");
    expect(refusal(() => draft({ author: otto }))).toBe("forbidden");
    expect(refusal(() => draft({ title: "  " }))).toBe("validation_failed");
    expect(refusal(() => draft({ reviewMonths: 0 }))).toBe("validation_failed");
    expect(refusal(() => draft({ quorum: { kind: "at_least_percent", percent: 120 } }))).toBe(
      "validation_failed",
    );
    const created = draftProposal(
      {
        id: "p" as ProposalId,
        circleId,
        author: ben,
        facilitatorIds: [],
        title: "T",
        text: "x",
        reviewMonths: 3,
      },
      T0,
    );
    expect(created.events).toEqual([
      expect.objectContaining({
        type: "proposal.created",
        payload: expect.objectContaining({ authorId: "ben" }),
      }),
    ]);
  });
});

describe("clarifying and reactions", () => {
  const clarifying = () =>
    run(
      draft(),
      [1, { type: "present", actor: ann }],
      [2, { type: "advance", actor: fay, deadline: at(24) }],
    );

  it("takes questions from anyone in the organisation, observers included, and answers from the author", () => {
    const q = (id: string) => id as QuestionId;
    const p = run(
      clarifying(),
      [3, { type: "askQuestion", actor: otto, questionId: q("q1"), text: "How often?" }],
      [4, { type: "askQuestion", actor: xena, questionId: q("q2"), text: "Which shed?" }],
    );
    expect(p.questions.map((question) => question.askedBy)).toEqual(["otto", "xena"]);
    expect(
      refusal(() =>
        transition(p, { type: "answerQuestion", actor: fay, questionId: q("q1"), text: "x" }, at(5)),
      ),
    ).toBe("forbidden");
    expect(
      refusal(() =>
        transition(p, { type: "answerQuestion", actor: ann, questionId: q("q9"), text: "x" }, at(5)),
      ),
    ).toBe("not_found");
    const answered = run(p, [
      5,
      { type: "answerQuestion", actor: ann, questionId: q("q1"), text: "Monthly" },
    ]);
    expect(
      refusal(() =>
        transition(answered, { type: "answerQuestion", actor: ann, questionId: q("q1"), text: "x" }, at(6)),
      ),
    ).toBe("conflict");
    expect(
      refusal(() =>
        transition(p, { type: "askQuestion", actor: ben, questionId: q("q3"), text: " " }, at(5)),
      ),
    ).toBe("validation_failed");
  });

  it("closes questions and reactions at the phase deadline until the facilitator moves on", () => {
    const late = at(25);
    const p = clarifying();
    expect(
      refusal(() =>
        transition(p, { type: "askQuestion", actor: ben, questionId: "q" as QuestionId, text: "Why?" }, late),
      ),
    ).toBe("invalid_transition");
    const reactions = run(p, [25, { type: "advance", actor: fay, deadline: at(30) }]);
    expect(refusal(() => transition(reactions, { type: "react", actor: ben, text: "Fine" }, at(31)))).toBe(
      "invalid_transition",
    );
  });

  it("keeps each member's latest reaction", () => {
    const p = run(
      clarifying(),
      [3, { type: "advance", actor: fay }],
      [4, { type: "react", actor: ben, text: "Unsure" }],
      [5, { type: "react", actor: cat, text: "Yes!" }],
      [6, { type: "react", actor: ben, text: "Happy now" }],
    );
    expect(p.reactions.map((r) => [r.memberId, r.text])).toEqual([
      ["cat", "Yes!"],
      ["ben", "Happy now"],
    ]);
  });

  it("takes friendly amendments from the facilitator as new versions and keeps the earlier ones", () => {
    const reactions = run(clarifying(), [3, { type: "advance", actor: fay }]);
    expect(refusal(() => transition(reactions, { type: "amend", actor: ann, text: "Weekly." }, at(4)))).toBe(
      "forbidden",
    );
    const same = currentVersion(reactions).text;
    expect(refusal(() => transition(reactions, { type: "amend", actor: fay, text: same }, at(4)))).toBe(
      "validation_failed",
    );
    const amended = run(reactions, [4, { type: "amend", actor: fay, text: "Each member turns it weekly." }]);
    expect(amended.versions.map((v) => [v.number, v.kind])).toEqual([
      [1, "original"],
      [2, "friendly"],
    ]);
    expect(amended.versions[0]?.text).toBe(draft().versions[0]?.text);
  });

  it("lets the author revise a draft, and no one amend while questions are asked", () => {
    const revised = run(draft(), [1, { type: "amend", actor: ann, text: "Turn it monthly." }]);
    expect(currentVersion(revised)).toMatchObject({ number: 2, kind: "revision" });
    expect(refusal(() => transition(draft(), { type: "amend", actor: fay, text: "Other" }, at(1)))).toBe(
      "forbidden",
    );
    expect(refusal(() => transition(clarifying(), { type: "amend", actor: fay, text: "Other" }, at(3)))).toBe(
      "invalid_transition",
    );
  });
});

describe("the consent round", () => {
  it("takes responses only from its participants: never observers, outsiders or admins outside it", () => {
    const p = inConsentRound();
    for (const actor of [otto, xena, ada]) {
      expect(refusal(() => transition(p, consent(actor), at(5)))).toBe("forbidden");
      expect(canRespond(actor, p, at(5))).toBe(false);
    }
    expect(canRespond(ben, p, at(5))).toBe(true);
  });

  it("requires a reason with an objection and keeps a suggested amendment", () => {
    const p = inConsentRound();
    expect(refusal(() => transition(p, object(ben, "o1", "  "), at(5)))).toBe("validation_failed");
    expect(
      refusal(() =>
        transition(
          p,
          { type: "respond", actor: ben, response: { kind: "consent_with_concern", concern: "" } },
          at(5),
        ),
      ),
    ).toBe("validation_failed");
    const objected = transition(
      p,
      {
        type: "respond",
        actor: ben,
        response: {
          kind: "object",
          objectionId: objectionId("o1"),
          reason: "Floods",
          suggestedAmendment: "Use the north path",
        },
      },
      at(5),
    );
    expect(objected.events.map((e) => e.type)).toEqual(["proposal.responded", "objection.raised"]);
    expect(objected.proposal.objections).toEqual([
      expect.objectContaining({
        id: "o1",
        memberId: "ben",
        round: 1,
        version: 1,
        suggestedAmendment: "Use the north path",
      }),
    ]);
  });

  it("counts a member's latest response once; changing an objection to consent withdraws it", () => {
    const p = run(
      inConsentRound(),
      [5, object(ben, "o1")],
      [6, consent(ben)],
      [7, consent(cat)],
      [8, consent(ben)],
    );
    const verdict = roundVerdict(p, at(9));
    expect(verdict).toEqual({
      outcome: "open",
      tally: expect.objectContaining({ responded: 2, consent: 2, object: 0, noResponse: 3 }),
    });
    expect(p.objections.map((o) => objectionStatus(o))).toEqual(["withdrawn"]);
  });

  it("stays open until everyone has responded or the deadline passes; silence is no response", () => {
    const p = run(inConsentRound(), [5, consent(ann)], [6, consent(fay)], [7, consent(ben)]);
    expect(refusal(() => transition(p, { type: "decide", actor: fay }, at(47)))).toBe("invalid_transition");
    expect(permissionsFor(fay, p, at(47)).decide).toBe(false);
    expect(refusal(() => transition(p, consent(cat), at(48)))).toBe("invalid_transition");
    const closed = transition(p, { type: "decide", actor: null }, at(48));
    expect(closed.proposal.state).toBe("adopted");
    expect(closed.proposal.decision?.tally).toMatchObject({ responded: 3, noResponse: 2, quorumNeeded: 3 });
  });

  it("lapses below quorum at the deadline", () => {
    const p = run(inConsentRound(), [5, consent(ann)], [6, consent(fay)]);
    const closed = transition(p, { type: "decide", actor: null }, at(49));
    expect(closed.proposal.state).toBe("lapsed");
    expect(closed.proposal.decision).toBeNull();
    expect(closed.events[0]).toMatchObject({
      type: "proposal.round_closed",
      payload: { outcome: "lapsed", tally: { responded: 2, quorumMet: false } },
    });
  });

  it("follows a configured quorum", () => {
    const twoThirds = draft({ quorum: { kind: "at_least_percent", percent: 67 } });
    const three = run(inConsentRound(twoThirds), [5, consent(ann)], [6, consent(fay)], [7, consent(ben)]);
    expect(transition(three, { type: "decide", actor: null }, at(48)).proposal.state).toBe("lapsed");
    const four = run(three, [8, consent(cat)]);
    expect(transition(four, { type: "decide", actor: null }, at(48)).proposal.state).toBe("adopted");
  });

  it("is not closed by an observer, and without a deadline only when everyone has responded", () => {
    const p = run(inConsentRound(draft(), null), [5, consent(ann)], [6, consent(fay)], [7, consent(ben)]);
    expect(refusal(() => transition(p, { type: "decide", actor: otto }, at(5000)))).toBe("forbidden");
    expect(refusal(() => transition(p, { type: "decide", actor: null }, at(5000)))).toBe(
      "invalid_transition",
    );
  });
});

describe("objections", () => {
  /** Ben objects, the others consent: the round closes with Ben's objection open. */
  const withObjection = () =>
    run(
      inConsentRound(),
      [5, object(ben, "o1")],
      [6, consent(ann)],
      [7, consent(fay)],
      [8, { type: "respond", actor: cat, response: { kind: "consent_with_concern", concern: "Rats" } }],
      [9, consent(dan)],
    );

  it("send a closed round to integration, never to adoption", () => {
    const p = withObjection();
    expect(p.state).toBe("objections_open");
    expect(p.decision).toBeNull();
    const integrating = run(p, [10, { type: "advance", actor: fay }]);
    expect(integrating.state).toBe("integrating");
    expect(
      refusal(() =>
        transition(integrating, { type: "openConsentRound", actor: fay, participants: circle }, at(11)),
      ),
    ).toBe("invalid_transition");
  });

  it("integrated by amendment lead to a fresh round on the new version, where the old responses do not count", () => {
    const p = run(
      withObjection(),
      [10, { type: "advance", actor: fay }],
      [
        11,
        { type: "amend", actor: fay, text: "Each member turns the compost once a month, by the north path." },
      ],
    );
    expect(currentVersion(p)).toMatchObject({ number: 2, kind: "integration" });
    expect(
      refusal(() =>
        transition(
          p,
          {
            type: "resolveObjection",
            actor: fay,
            objectionId: objectionId("o1"),
            resolution: { outcome: "integrated", by: "amendment", version: 1 },
          },
          at(12),
        ),
      ),
    ).toBe("validation_failed");
    const second = run(
      p,
      [
        12,
        {
          type: "resolveObjection",
          actor: fay,
          objectionId: objectionId("o1"),
          resolution: { outcome: "integrated", by: "amendment", version: 2 },
        },
      ],
      [13, { type: "openConsentRound", actor: fay, participants: circle, deadline: at(60) }],
    );
    const round = currentRound(second);
    expect(round).toMatchObject({ number: 2, version: 2, responses: [] });
    expect(roundVerdict(second, at(14)).tally).toMatchObject({ responded: 0 });
    expect(second.rounds[0]?.responses).toHaveLength(5);
    const adopted = run(
      second,
      [14, consent(ann)],
      [15, consent(fay)],
      [16, consent(ben)],
      [17, consent(cat)],
      [18, consent(dan)],
    );
    expect(adopted.state).toBe("adopted");
    expect(adopted.decision?.version).toBe(2);
    // Cat's concern was given in the first round; in the second she consented without one.
    expect(adopted.decision?.concerns).toEqual([]);
  });

  it("integrated by a shorter term and a measure, they go into the decision with the concerns", () => {
    const p = run(
      inConsentRound(),
      [5, object(ben, "o1")],
      [6, object(dan, "o2", "Nobody checks it is done")],
      [7, consent(ann)],
      [8, consent(fay)],
      [9, consent(cat)],
      [10, { type: "advance", actor: fay }],
    );
    const shorter = { outcome: "integrated", by: "shorter_term", reviewMonths: 6 } as const;
    expect(
      refusal(() =>
        transition(
          p,
          { type: "resolveObjection", actor: fay, objectionId: objectionId("o1"), resolution: shorter },
          at(11),
        ),
      ),
    ).toBe("validation_failed");
    const resolved = run(
      p,
      [
        11,
        {
          type: "resolveObjection",
          actor: fay,
          objectionId: objectionId("o1"),
          resolution: { outcome: "integrated", by: "shorter_term", reviewMonths: 2 },
        },
      ],
      [
        12,
        {
          type: "resolveObjection",
          actor: fay,
          objectionId: objectionId("o2"),
          resolution: {
            outcome: "integrated",
            by: "measure",
            measure: "The secretary ticks the rota weekly",
          },
        },
      ],
      [13, { type: "openConsentRound", actor: fay, participants: circle }],
      [14, consent(ann)],
      [15, consent(fay)],
      [16, consent(ben)],
      [17, { type: "respond", actor: cat, response: { kind: "consent_with_concern", concern: "Rats" } }],
      [18, consent(dan)],
    );
    expect(resolved.decision).toMatchObject({
      reviewMonths: 2,
      reviewAt: new Date("2025-04-01T03:00:00Z"),
      termShortenedBy: ["o1"],
      concerns: [{ memberId: "cat", concern: "Rats" }],
      measures: [{ objectionId: "o2", memberId: "dan", measure: "The secretary ticks the rota weekly" }],
    });
  });

  it("are withdrawn only by their author, and overruled only with the recorded consent of a quorum", () => {
    const p = withObjection();
    const o1 = p.objections[0];
    if (!o1) throw new Error("no objection");
    const withdraw = (actor: Viewer): ProposalCommand => ({
      type: "resolveObjection",
      actor,
      objectionId: o1.id,
      resolution: { outcome: "withdrawn" },
    });
    expect(refusal(() => transition(p, withdraw(fay), at(10)))).toBe("forbidden");
    expect(objectionPermissions(ben, p, o1, at(10))).toEqual({
      withdraw: true,
      integrate: false,
      overrule: false,
    });
    expect(objectionStatus(run(p, [10, withdraw(ben)]).objections[0] ?? o1)).toBe("withdrawn");

    const integrating = run(p, [10, { type: "advance", actor: fay }]);
    const overrule = (consentedBy: MemberId[], record = "Minutes 3 March, item 2"): ProposalCommand => ({
      type: "resolveObjection",
      actor: fay,
      objectionId: o1.id,
      resolution: { outcome: "overruled", circleConsent: { consentedBy, record } },
    });
    expect(refusal(() => transition(integrating, overrule([ann.memberId, fay.memberId]), at(11)))).toBe(
      "validation_failed",
    );
    expect(
      refusal(() => transition(integrating, overrule([ann.memberId, fay.memberId, xena.memberId]), at(11))),
    ).toBe("validation_failed");
    expect(
      refusal(() =>
        transition(integrating, overrule([ann.memberId, fay.memberId, cat.memberId], " "), at(11)),
      ),
    ).toBe("validation_failed");
    const overruled = run(integrating, [11, overrule([ann.memberId, fay.memberId, cat.memberId])]);
    expect(objectionStatus(overruled.objections[0] ?? o1)).toBe("overruled");
    expect(refusal(() => transition(overruled, withdraw(ben), at(12)))).toBe("invalid_transition");
  });

  it("are integrated or overruled only once integration has begun, by the facilitator", () => {
    const p = withObjection();
    const integrate: ProposalCommand = {
      type: "resolveObjection",
      actor: fay,
      objectionId: objectionId("o1"),
      resolution: { outcome: "integrated", by: "measure", measure: "Check in May" },
    };
    expect(refusal(() => transition(p, integrate, at(10)))).toBe("invalid_transition");
    const integrating = run(p, [10, { type: "advance", actor: fay }]);
    expect(refusal(() => transition(integrating, { ...integrate, actor: ben }, at(11)))).toBe("forbidden");
    expect(
      refusal(() => transition(integrating, { ...integrate, objectionId: objectionId("nope") }, at(11))),
    ).toBe("not_found");
    expect(permissionsFor(fay, integrating, at(11)).resolveObjections).toBe(true);
    expect(permissionsFor(ben, integrating, at(11)).resolveObjections).toBe(false);
  });
});

describe("withdrawal and final states", () => {
  it("lets the author or the facilitator withdraw until the proposal is final, and closes a running round", () => {
    const p = inConsentRound();
    expect(refusal(() => transition(p, { type: "withdraw", actor: ben }, at(5)))).toBe("forbidden");
    const withdrawn = transition(p, { type: "withdraw", actor: ann }, at(5)).proposal;
    expect(withdrawn.state).toBe("withdrawn");
    expect(currentRound(withdrawn)?.closedAt).toEqual(at(5));
    expect(transition(draft(), { type: "withdraw", actor: fay }, at(1)).proposal.state).toBe("withdrawn");
  });

  it("accepts nothing once adopted, withdrawn or lapsed", () => {
    const adopted = run(
      inConsentRound(),
      [5, consent(ann)],
      [6, consent(fay)],
      [7, consent(ben)],
      [8, consent(cat)],
      [9, consent(dan)],
    );
    const withdrawn = run(draft(), [1, { type: "withdraw", actor: ann }]);
    for (const p of [adopted, withdrawn]) {
      expect(refusal(() => transition(p, { type: "withdraw", actor: ann }, at(10)))).toBe(
        "invalid_transition",
      );
      expect(refusal(() => transition(p, { type: "amend", actor: fay, text: "New" }, at(10)))).toBe(
        "invalid_transition",
      );
      expect(Object.values(permissionsFor(fay, p, at(10))).every((can) => !can)).toBe(true);
    }
  });
});

describe("permissions", () => {
  it("give the facilitator the phase moves and the participants their responses", () => {
    const presented = run(draft(), [1, { type: "present", actor: ann }]);
    expect(canAdvance(fay, presented, at(2))).toBe(true);
    expect(canAdvance(ann, presented, at(2))).toBe(false);
    expect(canAdvance(fay, draft(), at(1))).toBe(true);
    expect(canAdvance(ben, draft(), at(1))).toBe(false);

    const round = inConsentRound();
    expect(permissionsFor(ben, round, at(5))).toEqual({
      present: false,
      advance: false,
      askQuestion: false,
      answerQuestion: false,
      react: false,
      amend: false,
      openConsentRound: false,
      respond: true,
      decide: false,
      resolveObjections: false,
      giveAdvice: false,
      decideAfterAdvice: false,
      withdraw: false,
    });
    expect(permissionsFor(otto, round, at(5)).respond).toBe(false);
    expect(permissionsFor(ann, round, at(5))).toMatchObject({
      respond: true,
      withdraw: true,
      advance: false,
    });
    expect(permissionsFor(ben, round, at(48))).toMatchObject({ respond: false, decide: true });
  });

  it("let an admin outside the circle do nothing a member of the circle would decide", () => {
    const round = inConsentRound();
    expect(Object.values(permissionsFor(ada, round, at(5))).some((can) => can)).toBe(false);
  });
});
