import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../../access.js";
import { DomainError } from "../../errors.js";
import type { CircleId, MemberId } from "../../ids.js";
import type { ProposalId } from "../ids.js";
import { castVote, countVotes, openVote, type VoteChoice, type VotingMandate } from "./vote.js";

const circleId = "circle" as CircleId;
const person = (name: string, access: OrgAccess = "member"): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set([circleId]),
});
const members = ["ann", "ben", "cat", "dan", "eve"].map((name) => person(name));
const participants = members.map((v) => v.memberId);
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
const open = (m: VotingMandate = mandate()) =>
  openVote({ decisionClass: m.decisionClass, mandates: [m], participants, deadline: at(24) }, T0);

function code(attempt: () => unknown) {
  try {
    attempt();
    return "accepted";
  } catch (error) {
    return error instanceof DomainError ? error.code : "crash";
  }
}

function castAll(choices: VoteChoice[], m?: VotingMandate) {
  return choices.reduce(
    (vote, choice, i) => castVote(vote, members[i] as Viewer, choice, at(i + 1)),
    open(m),
  );
}

describe("voting", () => {
  it("is open to a circle only for a class of decisions it has consented to decide by vote", () => {
    expect(
      code(() =>
        openVote({ decisionClass: "hiring", mandates: [mandate()], participants, deadline: null }, T0),
      ),
    ).toBe("forbidden");
    expect(code(() => open(mandate({ threshold: { kind: "at_least_percent", percent: 40 } })))).toBe(
      "validation_failed",
    );
  });

  it("carries with a majority of yes over no, abstentions aside", () => {
    expect(countVotes(castAll(["yes", "yes", "no", "abstain", "abstain"]), at(6)).outcome).toBe("carried");
    expect(countVotes(castAll(["yes", "no", "abstain", "abstain", "abstain"]), at(6)).outcome).toBe(
      "defeated",
    );
  });

  it("carries only at the threshold when one is set", () => {
    const twoThirds = mandate({ threshold: { kind: "at_least_percent", percent: 67 } });
    expect(countVotes(castAll(["yes", "yes", "no", "abstain", "abstain"], twoThirds), at(6)).outcome).toBe(
      "defeated",
    );
    expect(countVotes(castAll(["yes", "yes", "yes", "no", "no"], twoThirds), at(6)).outcome).toBe("defeated");
    expect(countVotes(castAll(["yes", "yes", "yes", "no", "abstain"], twoThirds), at(6)).outcome).toBe(
      "carried",
    );
  });

  it("lapses below quorum at the deadline: a vote not cast counts for nothing", () => {
    const two = castAll(["yes", "yes"]);
    expect(countVotes(two, at(23)).outcome).toBe("open");
    expect(countVotes(two, at(24))).toMatchObject({ outcome: "lapsed", tally: { voted: 2, notVoted: 3 } });
  });

  it("takes one vote per participant, never from observers or outsiders, and none after the deadline", () => {
    const vote = castAll(["yes"]);
    expect(code(() => castVote(vote, members[0] as Viewer, "no", at(2)))).toBe("conflict");
    expect(code(() => castVote(vote, person("otto", "observer"), "no", at(2)))).toBe("forbidden");
    expect(code(() => castVote(vote, person("xena"), "no", at(2)))).toBe("forbidden");
    expect(code(() => castVote(vote, members[1] as Viewer, "no", at(24)))).toBe("invalid_transition");
  });

  it("keeps a secret ballot secret: no one's choice is recorded, and counts show only once it has closed", () => {
    const secret = mandate({ secret: true });
    const running = castAll(["yes", "no"], secret);
    expect(running.ballots).toEqual([]);
    expect(countVotes(running, at(3)).tally.counts).toBeNull();
    expect(countVotes(running, at(24)).tally.counts).toEqual({ yes: 1, no: 1, abstain: 0 });
    const openBallot = castAll(["yes", "no"]);
    expect(openBallot.ballots).toEqual([
      { memberId: "ann", choice: "yes" },
      { memberId: "ben", choice: "no" },
    ]);
  });

  it("never counts anyone twice, however often they try", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom<VoteChoice>("yes", "no", "abstain")),
        ),
        fc.boolean(),
        (attempts, secret) => {
          let vote = open(mandate({ secret }));
          const first = new Map<number, VoteChoice>();
          for (const [i, choice] of attempts) {
            if (first.size === members.length) break;
            if (first.has(i)) {
              expect(code(() => castVote(vote, members[i] as Viewer, choice, at(1)))).toBe("conflict");
              continue;
            }
            vote = castVote(vote, members[i] as Viewer, choice, at(1));
            first.set(i, choice);
          }
          const counts = countVotes(vote, at(24)).tally.counts;
          const count = (c: VoteChoice) => [...first.values()].filter((x) => x === c).length;
          expect(counts).toEqual({ yes: count("yes"), no: count("no"), abstain: count("abstain") });
          expect(new Set(vote.voters.map((v) => v.memberId)).size).toBe(vote.voters.length);
        },
      ),
    );
  });
});
