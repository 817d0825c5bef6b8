import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import type { ProposalId } from "../ids.js";
import type { VoteRound } from "../proposal.js";
import { castVote, countVotes, mandateFor, NO_VOTES, type VoteChoice, type VotingMandate } from "./vote.js";

const participants = ["ann", "ben", "cat", "dan", "eve"] as MemberId[];
const T0 = new Date("2025-05-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

const mandate = (overrides: Partial<VotingMandate> = {}): VotingMandate => ({
  decisionClass: "budget under 500",
  consentedIn: "proposal-voting" as ProposalId,
  threshold: { kind: "majority" },
  secret: false,
  quorum: { kind: "more_than_half" },
  ...overrides,
});
const open = (): VoteRound => ({
  method: "vote",
  number: 1,
  version: 1,
  eligible: participants,
  openedAt: T0,
  deadline: at(24),
  closedAt: null,
  responses: [],
  counts: NO_VOTES,
});

function code(attempt: () => unknown) {
  try {
    attempt();
    return "accepted";
  } catch (error) {
    return error instanceof DomainError ? error.code : "crash";
  }
}

/** The first participants vote these choices, an hour apart. */
function castAll(choices: VoteChoice[], m: VotingMandate = mandate()) {
  return choices.reduce(
    (round, choice, i) => castVote(round, m.secret, participants[i] as MemberId, choice, at(i + 1)),
    open(),
  );
}
const outcome = (choices: VoteChoice[], m: VotingMandate = mandate(), now = at(6)) =>
  countVotes(castAll(choices, m), m, now).outcome;

describe("voting", () => {
  it("is open to a circle only for a class of decisions it has consented to decide by vote", () => {
    expect(code(() => mandateFor("hiring", [mandate()]))).toBe("forbidden");
    expect(mandateFor("budget under 500", [mandate()])).toEqual(mandate());
    expect(
      code(() =>
        mandateFor("budget under 500", [mandate({ threshold: { kind: "at_least_percent", percent: 40 } })]),
      ),
    ).toBe("validation_failed");
  });

  it("carries with a majority of yes over no, abstentions aside", () => {
    expect(outcome(["yes", "yes", "no", "abstain", "abstain"])).toBe("carried");
    expect(outcome(["yes", "no", "abstain", "abstain", "abstain"])).toBe("defeated");
  });

  it("carries only at the threshold when one is set", () => {
    const twoThirds = mandate({ threshold: { kind: "at_least_percent", percent: 67 } });
    expect(outcome(["yes", "yes", "no", "abstain", "abstain"], twoThirds)).toBe("defeated");
    expect(outcome(["yes", "yes", "yes", "no", "no"], twoThirds)).toBe("defeated");
    expect(outcome(["yes", "yes", "yes", "no", "abstain"], twoThirds)).toBe("carried");
  });

  it("lapses below quorum at the deadline: a vote not cast counts for nothing", () => {
    expect(outcome(["yes", "yes"], mandate(), at(23))).toBe("open");
    expect(countVotes(castAll(["yes", "yes"]), mandate(), at(24))).toMatchObject({
      outcome: "lapsed",
      tally: { voted: 2, notVoted: 3 },
    });
  });

  it("refuses a choice that is not yes, no or abstain", () => {
    expect(code(() => castVote(open(), false, "ann" as MemberId, "maybe" as VoteChoice, T0))).toBe(
      "validation_failed",
    );
  });

  it("keeps a secret ballot secret: no one's choice is recorded, and counts show only once it has closed", () => {
    const secret = mandate({ secret: true });
    const running = castAll(["yes", "no"], secret);
    expect(running.responses.map((r) => r.response)).toEqual([
      { kind: "secret_ballot" },
      { kind: "secret_ballot" },
    ]);
    expect(countVotes(running, secret, at(3)).tally.counts).toBeNull();
    expect(countVotes(running, secret, at(24)).tally.counts).toEqual({ yes: 1, no: 1, abstain: 0 });
    expect(countVotes({ ...running, closedAt: at(3) }, secret, at(3)).tally.counts).not.toBeNull();
    expect(castAll(["yes", "no"]).responses.map((r) => r.response)).toEqual([
      { kind: "ballot", choice: "yes" },
      { kind: "ballot", choice: "no" },
    ]);
  });

  it("counts every ballot in its choice", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<VoteChoice>("yes", "no", "abstain"), { maxLength: 5 }),
        fc.boolean(),
        (choices, secret) => {
          const m = mandate({ secret });
          const counts = countVotes(castAll(choices, m), m, at(24)).tally.counts;
          const count = (c: VoteChoice) => choices.filter((x) => x === c).length;
          expect(counts).toEqual({ yes: count("yes"), no: count("no"), abstain: count("abstain") });
        },
      ),
    );
  });
});
