import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Viewer } from "../access.js";
import type { ProposalId } from "../consent/ids.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import { activeAt, type Crisis, endedAt } from "./crisis.js";
import type { CrisisDecisionId, CrisisId } from "./ids.js";
import { crisisPermissions } from "./permissions.js";
import {
  type CrisisTransition,
  endCrisis,
  extend,
  grantCrisis,
  ratifyGrant,
  recordCrisisDecision,
  release,
  resolveCrisisDecision,
} from "./transition.js";

const circleId = "circle" as CircleId;
const member = (name: string): Viewer => ({
  memberId: name as MemberId,
  access: "member",
  circleIds: new Set([circleId]),
});
const holder = member("hal");
const facilitator = member("fay");
const leader = member("lea");
const settings = { crisisMaxDays: 14 };
const T0 = new Date("2026-03-01T10:00:00Z").getTime();
const HOUR = 3_600_000;

type Step =
  | { kind: "decide"; hour: number; actor: Viewer }
  | { kind: "release"; hour: number; actor: Viewer }
  | { kind: "ratify"; hour: number }
  | { kind: "extend"; hour: number; days: number }
  | { kind: "end"; hour: number }
  | { kind: "resolve"; hour: number; outcome: "ratified" | "revoked" };

// Hours spread over three weeks: commands may come in any order and at any time.
const hour = fc.double({ min: -2, max: 21 * 24, noNaN: true });
const actor = fc.constantFrom(holder, facilitator, leader);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("decide" as const), hour, actor }),
  fc.record({ kind: fc.constant("release" as const), hour, actor }),
  fc.record({ kind: fc.constant("ratify" as const), hour }),
  fc.record({ kind: fc.constant("extend" as const), hour, days: fc.integer({ min: 1, max: 15 }) }),
  fc.record({ kind: fc.constant("end" as const), hour }),
  fc.record({ kind: fc.constant("resolve" as const), hour, outcome: fc.constantFrom("ratified", "revoked") }),
);

function granted(expedited: boolean, endsInHours: number): Crisis {
  return grantCrisis(
    {
      id: "crisis" as CrisisId,
      circleId,
      actor: leader,
      holderId: holder.memberId,
      scope: "The flood",
      endsAt: new Date(T0 + endsInHours * HOUR),
      grant: expedited
        ? { by: "expedited", grantedBy: [leader.memberId, facilitator.memberId] }
        : { by: "consent", proposalId: "p0" as ProposalId },
      leaderIds: [leader.memberId, facilitator.memberId],
      facilitatorIds: [facilitator.memberId],
      settings,
    },
    new Date(T0),
  ).crisis;
}

function apply(crisis: Crisis, s: Step, index: number): CrisisTransition {
  const now = new Date(T0 + s.hour * HOUR);
  const proposalId = `p${index + 1}` as ProposalId;
  switch (s.kind) {
    case "decide":
      return recordCrisisDecision(
        crisis,
        { actor: s.actor, decisionId: `d${index}` as CrisisDecisionId, text: "Act" },
        now,
      );
    case "release":
      return release(crisis, s.actor, now);
    case "ratify":
      return ratifyGrant(crisis, proposalId, now);
    case "extend":
      return extend(
        crisis,
        { proposalId, endsAt: new Date(now.getTime() + s.days * 24 * HOUR), settings },
        now,
      );
    case "end":
      return endCrisis(crisis, now);
    case "resolve": {
      const waiting = crisis.decisions.find((d) => d.resolution === null);
      const decisionId = waiting?.id ?? ("none" as CrisisDecisionId);
      return resolveCrisisDecision(crisis, { decisionId, outcome: s.outcome, proposalId }, now);
    }
  }
}

describe("crisis properties", () => {
  it("never accepts a crisis decision at or after the end, whatever the command order", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: 14 * 24 }),
        fc.array(step, { maxLength: 30 }),
        fc.boolean(),
        (expedited, endsIn, shuffled, chronological) => {
          let crisis = granted(expedited, endsIn);
          const steps = chronological ? [...shuffled].sort((a, b) => a.hour - b.hour) : shuffled;
          steps.forEach((s, index) => {
            const now = new Date(T0 + s.hour * HOUR);
            const before = crisis;
            try {
              crisis = apply(crisis, s, index).crisis;
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              return;
            }
            if (s.kind === "decide") {
              expect(activeAt(before, now)).toBe(true);
              expect(now.getTime()).toBeLessThan(endedAt(before).getTime());
            }
          });
          for (const decision of crisis.decisions) {
            expect(decision.by).toBe(holder.memberId);
            expect(decision.at.getTime()).toBeGreaterThanOrEqual(crisis.grantedAt.getTime());
            expect(decision.at.getTime()).toBeLessThan(endedAt(crisis).getTime());
          }
          const afterEnd = new Date(endedAt(crisis).getTime());
          expect(crisisPermissions(holder, crisis, afterEnd).recordDecision).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reports exactly what the transitions accept", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 20 }), (expedited, steps) => {
        let crisis = granted(expedited, 7 * 24);
        steps.forEach((s, index) => {
          const now = new Date(T0 + s.hour * HOUR);
          const can =
            s.kind === "decide"
              ? crisisPermissions(s.actor, crisis, now).recordDecision
              : s.kind === "release"
                ? crisisPermissions(s.actor, crisis, now).release
                : null;
          let accepted = true;
          try {
            crisis = apply(crisis, s, index).crisis;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            accepted = false;
          }
          if (can !== null) expect(accepted).toBe(can);
        });
      }),
    );
  });
});
