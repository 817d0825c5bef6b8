import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { ProposalCommand, ResponseInput } from "./commands.js";
import type { ProposalId } from "./ids.js";
import type { VoteChoice, VotingMandate } from "./methods/vote.js";
import { roundVerdict, visibleTally } from "./outcome.js";
import { permissionsFor } from "./permissions.js";
import { currentRound, type Proposal } from "./proposal.js";
import { draftProposal, type NewProposal, transition } from "./transition.js";

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
const xena = person("xena", "member", false); // an expert from outside the circle
const circle = [ann, fay, ben, cat, dan].map((v) => v.memberId);

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

const budgetMandate = (overrides: Partial<VotingMandate> = {}): VotingMandate => ({
  decisionClass: "spending under 500",
  consentedIn: "proposal-voting" as ProposalId,
  threshold: { kind: "majority" },
  secret: false,
  quorum: { kind: "more_than_half" },
  ...overrides,
});

function draft(overrides: Partial<NewProposal> = {}) {
  return draftProposal(
    {
      id: "proposal-seeds" as ProposalId,
      circleId,
      author: ann,
      facilitatorIds: [fay.memberId],
      title: "Seed library",
      text: "Buy heirloom seeds for the library.",
      reviewMonths: 6,
      ...overrides,
    },
    T0,
  );
}

/** Applies commands in order, each at its own hour after T0. */
function run(proposal: Proposal, ...steps: [number, ProposalCommand][]) {
  return steps.reduce((p, [hour, command]) => transition(p, command, at(hour)).proposal, proposal);
}

/** Presented, clarified, reacted to, and in the round of its method, with a deadline at hour 48. */
function inRound(overrides: Partial<NewProposal>) {
  return run(
    draft(overrides).proposal,
    [1, { type: "present", actor: ann }],
    [2, { type: "advance", actor: fay }],
    [3, { type: "advance", actor: fay }],
    [4, { type: "openConsentRound", actor: fay, participants: circle, deadline: at(48) }],
  );
}

const respond = (actor: Viewer, response: ResponseInput): ProposalCommand => ({
  type: "respond",
  actor,
  response,
});
const agree = (actor: Viewer) => respond(actor, { kind: "agree" });
const vote = (actor: Viewer, choice: VoteChoice) => respond(actor, { kind: "vote", choice });

function refusal(attempt: () => unknown) {
  try {
    attempt();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("a proposal by consensus", () => {
  const consensus = () => inRound({ method: { kind: "consensus" } });

  it("holds a consensus round and is adopted when everyone agrees or stands aside", () => {
    const p = consensus();
    expect(currentRound(p)).toMatchObject({ method: "consensus", number: 1, version: 1 });
    const adopted = run(
      p,
      [5, agree(ann)],
      [6, agree(fay)],
      [7, respond(ben, { kind: "stand_aside", reason: "Not my area" })],
      [8, agree(cat)],
      [9, agree(dan)],
    );
    expect(adopted.state).toBe("adopted");
    expect(adopted.decision).toMatchObject({
      method: "consensus",
      tally: { method: "consensus", agree: 4, standAside: 1, block: 0, quorumMet: true },
      concerns: [{ memberId: "ben", concern: "Not my area" }],
      advice: null,
    });
  });

  it("is blocked at once by a single block, which is final", () => {
    const p = run(consensus(), [5, agree(ann)]);
    expect(refusal(() => transition(p, respond(ben, { kind: "block", reason: " " }), at(6)))).toBe(
      "validation_failed",
    );
    const blocked = transition(p, respond(ben, { kind: "block", reason: "It breaks our budget" }), at(6));
    expect(blocked.proposal.state).toBe("blocked");
    expect(blocked.proposal.decision).toBeNull();
    expect(currentRound(blocked.proposal)?.closedAt).toEqual(at(6));
    expect(blocked.events.map((e) => [e.type, e.payload.outcome])).toEqual([
      ["proposal.responded", undefined],
      ["proposal.round_closed", "blocked"],
    ]);
    expect(blocked.events[0]?.payload).toMatchObject({ response: "block", reason: "It breaks our budget" });
    expect(refusal(() => transition(blocked.proposal, agree(cat), at(7)))).toBe("invalid_transition");
    expect(refusal(() => transition(blocked.proposal, { type: "withdraw", actor: ann }, at(7)))).toBe(
      "invalid_transition",
    );
  });

  it("counts a member's latest response, and lapses at the deadline below quorum", () => {
    const p = run(consensus(), [5, respond(ann, { kind: "stand_aside" })], [6, agree(ann)], [7, agree(fay)]);
    expect(roundVerdict(p, at(8))).toMatchObject({ outcome: "open", tally: { responded: 2, agree: 2 } });
    expect(refusal(() => transition(p, { type: "decide", actor: null }, at(47)))).toBe("invalid_transition");
    expect(transition(p, { type: "decide", actor: null }, at(48)).proposal.state).toBe("lapsed");
  });

  it("takes only consensus responses in its round", () => {
    const p = consensus();
    for (const response of [{ kind: "consent" }, { kind: "vote", choice: "yes" }] as ResponseInput[]) {
      const attempt = () => transition(p, respond(ben, response), at(5));
      expect(refusal(attempt)).toBe("validation_failed");
      expect(attempt).toThrow(expect.objectContaining({ details: { field: "kind" } }));
    }
    expect(refusal(() => transition(p, agree(otto), at(5)))).toBe("forbidden");
  });
});

describe("a proposal by the advice process", () => {
  const advisers = [ben.memberId, xena.memberId];
  const asking = (deadline: Date | null = at(48)) =>
    run(draft({ method: { kind: "advice", advisers } }).proposal, [
      1,
      { type: "present", actor: ann, deadline },
    ]);
  const give = (actor: Viewer, adviserId: MemberId, text = "Ask the treasurer first"): ProposalCommand => ({
    type: "giveAdvice",
    actor,
    adviserId,
    text,
  });
  const decide = (actor: Viewer, outcome: "proceed" | "abandon" = "proceed"): ProposalCommand => ({
    type: "decideAfterAdvice",
    actor,
    outcome,
    rationale: "The treasurer agreed",
  });

  it("names advisers other than the author, each once", () => {
    expect(refusal(() => draft({ method: { kind: "advice", advisers: [] } }))).toBe("validation_failed");
    expect(refusal(() => draft({ method: { kind: "advice", advisers: [ben.memberId, ann.memberId] } }))).toBe(
      "validation_failed",
    );
    expect(draft({ method: { kind: "advice", advisers } }).events[0]?.payload).toMatchObject({
      method: { kind: "advice", advisers: ["ben", "xena"] },
    });
  });

  it("goes from draft straight to its advisers, and never holds a round", () => {
    const p = asking();
    expect(p.state).toBe("advice");
    expect(p.phase.deadline).toEqual(at(48));
    expect(
      refusal(() => transition(p, { type: "openConsentRound", actor: fay, participants: circle }, at(2))),
    ).toBe("invalid_transition");
    expect(refusal(() => transition(p, agree(ben), at(2)))).toBe("invalid_transition");
  });

  it("records advice from each adviser, or by the author for them, never from anyone else", () => {
    const p = asking();
    expect(refusal(() => transition(p, give(cat, ben.memberId), at(2)))).toBe("forbidden");
    expect(refusal(() => transition(p, give(fay, ben.memberId), at(2)))).toBe("forbidden");
    expect(refusal(() => transition(p, give(ann, cat.memberId), at(2)))).toBe("validation_failed");
    expect(refusal(() => transition(p, give(ben, ben.memberId, " "), at(2)))).toBe("validation_failed");
    expect(permissionsFor(ben, p, at(2)).giveAdvice).toBe(true);
    expect(permissionsFor(ann, p, at(2)).giveAdvice).toBe(true);
    expect(permissionsFor(cat, p, at(2)).giveAdvice).toBe(false);
    expect(permissionsFor(otto, p, at(2)).giveAdvice).toBe(false);
    const given = transition(p, give(ann, xena.memberId, "Fine by me"), at(2));
    expect(given.proposal.advice).toEqual([
      { adviserId: "xena", text: "Fine by me", recordedBy: "ann", at: at(2) },
    ]);
    expect(given.events).toEqual([
      {
        type: "proposal.advice_given",
        payload: { proposalId: p.id, adviserId: "xena", recordedBy: "ann", text: "Fine by me" },
      },
    ]);
  });

  it("lets only the author decide, and only once every adviser is heard; the decision carries the advice", () => {
    const p = run(asking(), [2, give(ben, ben.memberId)]);
    expect(refusal(() => transition(p, decide(ann), at(3)))).toBe("invalid_transition");
    expect(permissionsFor(ann, p, at(3)).decideAfterAdvice).toBe(false);
    const heard = run(p, [3, give(xena, xena.memberId, "Buy local")]);
    expect(refusal(() => transition(heard, decide(fay), at(4)))).toBe("forbidden");
    expect(permissionsFor(ann, heard, at(4)).decideAfterAdvice).toBe(true);
    const decided = transition(heard, decide(ann), at(4));
    expect(decided.proposal.state).toBe("adopted");
    expect(decided.proposal.decision).toMatchObject({
      method: "advice",
      tally: null,
      adoptedAt: at(4),
      advice: {
        given: [
          { adviserId: "ben", recordedBy: "ben", text: "Ask the treasurer first" },
          { adviserId: "xena", recordedBy: "xena", text: "Buy local" },
        ],
        notAdvised: [],
        rationale: "The treasurer agreed",
      },
    });
    expect(decided.events.map((e) => e.type)).toEqual(["proposal.advice_decided", "proposal.adopted"]);
  });

  it("after the advice deadline lets the author decide without the silent, naming them", () => {
    const p = run(asking(), [2, give(ben, ben.memberId)]);
    const decided = transition(p, decide(ann), at(48)).proposal;
    expect(decided.decision?.advice?.notAdvised).toEqual(["xena"]);
    // Without a deadline, the author waits for everyone.
    const waiting = run(asking(null), [2, give(ben, ben.memberId)]);
    expect(refusal(() => transition(waiting, decide(ann), at(5000)))).toBe("invalid_transition");
  });

  it("ends withdrawn when the author abandons it", () => {
    const p = run(asking(), [2, give(ben, ben.memberId)], [3, give(xena, xena.memberId)]);
    const abandoned = transition(p, decide(ann, "abandon"), at(4));
    expect(abandoned.proposal.state).toBe("withdrawn");
    expect(abandoned.proposal.decision).toBeNull();
    expect(abandoned.events.map((e) => e.type)).toEqual(["proposal.advice_decided", "proposal.withdrawn"]);
  });
});

describe("a proposal by vote", () => {
  const byVote = (mandate = budgetMandate(), quorum?: NewProposal["quorum"]) =>
    inRound({ method: { kind: "vote", decisionClass: mandate.decisionClass }, mandates: [mandate], quorum });

  it("needs the circle's mandate to vote on its class of decisions", () => {
    const method = { kind: "vote", decisionClass: "hiring" } as const;
    expect(refusal(() => draft({ method }))).toBe("forbidden");
    expect(refusal(() => draft({ method, mandates: [budgetMandate()] }))).toBe("forbidden");
    const created = draft({
      method: { ...method, decisionClass: "spending under 500" },
      mandates: [budgetMandate()],
    });
    expect(created.proposal.method).toEqual({
      kind: "vote",
      decisionClass: "spending under 500",
      mandate: budgetMandate(),
    });
    expect(created.events[0]?.payload.method).toEqual({ kind: "vote", decisionClass: "spending under 500" });
  });

  it("takes one vote per member, openly recorded, and carries by majority", () => {
    const p = run(byVote(), [5, vote(ann, "yes")], [6, vote(ben, "no")]);
    expect(refusal(() => transition(p, vote(ann, "no"), at(7)))).toBe("conflict");
    expect(permissionsFor(ann, p, at(7)).respond).toBe(false);
    expect(refusal(() => transition(p, respond(cat, { kind: "consent" }), at(7)))).toBe("validation_failed");
    expect(refusal(() => transition(p, vote(otto, "yes"), at(7)))).toBe("forbidden");
    expect(currentRound(p)?.responses.map((r) => r.response)).toEqual([
      { kind: "ballot", choice: "yes" },
      { kind: "ballot", choice: "no" },
    ]);
    const last = transition(
      run(p, [7, vote(cat, "yes")], [8, vote(fay, "abstain")]),
      vote(dan, "yes"),
      at(9),
    );
    expect(last.events[0]?.payload).toMatchObject({ response: "vote", choice: "yes", secret: false });
    expect(last.proposal.state).toBe("adopted");
    expect(last.proposal.decision).toMatchObject({
      method: "vote",
      tally: { method: "vote", voted: 5, counts: { yes: 3, no: 1, abstain: 1 }, quorumMet: true },
    });
  });

  it("is rejected when defeated, and lapses below the mandate's quorum (not the proposal's)", () => {
    const defeated = run(byVote(), [5, vote(ann, "no")], [6, vote(ben, "no")], [7, vote(cat, "yes")]);
    expect(transition(defeated, { type: "decide", actor: null }, at(48)).proposal.state).toBe("rejected");
    const twoThirds = budgetMandate({ threshold: { kind: "at_least_percent", percent: 67 } });
    const short = run(byVote(twoThirds), [5, vote(ann, "yes")], [6, vote(ben, "yes")], [7, vote(cat, "no")]);
    expect(transition(short, { type: "decide", actor: null }, at(48)).proposal.state).toBe("rejected");

    // The proposal's own quorum (all five) does not apply; the mandate's (more than half) does.
    const three = byVote(budgetMandate(), { kind: "at_least_percent", percent: 100 });
    const carried = run(three, [5, vote(ann, "yes")], [6, vote(ben, "yes")], [7, vote(cat, "no")]);
    expect(transition(carried, { type: "decide", actor: null }, at(48)).proposal.state).toBe("adopted");
    const two = run(byVote(), [5, vote(ann, "yes")], [6, vote(ben, "yes")]);
    const lapsed = transition(two, { type: "decide", actor: null }, at(48));
    expect(lapsed.proposal.state).toBe("lapsed");
    expect(lapsed.events[0]?.payload).toMatchObject({
      outcome: "lapsed",
      tally: { voted: 2, quorumMet: false },
    });
  });

  it("by secret ballot records that a member voted, never what, and shows the counts only once closed", () => {
    const secret = budgetMandate({ secret: true });
    const cast = transition(byVote(secret), vote(ann, "yes"), at(5));
    expect(cast.events[0]?.payload).toEqual({
      proposalId: "proposal-seeds",
      round: 1,
      version: 1,
      memberId: "ann",
      response: "vote",
      secret: true,
    });
    const p = run(cast.proposal, [6, vote(ben, "no")], [7, vote(cat, "yes")]);
    const round = currentRound(p);
    if (!round) throw new Error("no round");
    expect(round.responses.map((r) => [r.memberId, r.response])).toEqual([
      ["ann", { kind: "secret_ballot" }],
      ["ben", { kind: "secret_ballot" }],
      ["cat", { kind: "secret_ballot" }],
    ]);
    expect(refusal(() => transition(p, vote(ben, "yes"), at(8)))).toBe("conflict");
    expect(visibleTally(p, round, at(8))).toMatchObject({ voted: 3, counts: null });
    expect(roundVerdict(p, at(8)).tally).toMatchObject({ counts: null });
    // At the deadline the round is over even before a job closes it, and the counts show.
    expect(visibleTally(p, round, at(48))).toMatchObject({ counts: { yes: 2, no: 1, abstain: 0 } });
    expect(roundVerdict(p, at(48))).toMatchObject({ outcome: "adopted" });
    const closed = transition(p, { type: "decide", actor: null }, at(48));
    const closedRound = currentRound(closed.proposal);
    if (!closedRound) throw new Error("no round");
    expect(visibleTally(closed.proposal, closedRound, at(49))).toMatchObject({ counts: { yes: 2, no: 1 } });
  });
});

describe("a voting mandate", () => {
  const grant = {
    decisionClass: "spending under 500",
    threshold: { kind: "majority" },
    secret: true,
    quorum: { kind: "more_than_half" },
  } as const;

  it("is granted only by consent, with a sound threshold and quorum", () => {
    expect(refusal(() => draft({ method: { kind: "consensus" }, grantsMandate: grant }))).toBe(
      "validation_failed",
    );
    expect(
      refusal(() =>
        draft({ grantsMandate: { ...grant, threshold: { kind: "at_least_percent", percent: 50 } } }),
      ),
    ).toBe("validation_failed");
    expect(
      refusal(() => draft({ grantsMandate: { ...grant, quorum: { kind: "at_least_percent", percent: 0 } } })),
    ).toBe("validation_failed");
    expect(refusal(() => draft({ grantsMandate: { ...grant, decisionClass: " " } }))).toBe(
      "validation_failed",
    );
  });

  it("lands in the decision, naming the proposal that granted it, with the review it belongs to", () => {
    const review = { of: "proposal-old" as ProposalId, intent: "amend" } as const;
    const p = inRound({ grantsMandate: grant, review });
    expect(draft({ grantsMandate: grant, review }).events[0]?.payload).toMatchObject({
      grantsMandate: grant,
      review,
    });
    const consent: ResponseInput = { kind: "consent" };
    const adopted = run(
      p,
      ...[ann, fay, ben, cat, dan].map((v, i): [number, ProposalCommand] => [5 + i, respond(v, consent)]),
    );
    expect(adopted.decision).toMatchObject({
      method: "consent",
      grantsMandate: { ...grant, consentedIn: "proposal-seeds" },
      review,
      advice: null,
    });
  });
});
