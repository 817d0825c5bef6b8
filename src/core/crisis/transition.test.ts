import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import type { ProposalId } from "../consent/ids.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import {
  activeAt,
  type Crisis,
  countdown,
  crisisState,
  decisionsAwaitingRatification,
  endedAt,
  endReason,
  ratificationDeadline,
} from "./crisis.js";
import type { CrisisDecisionId, CrisisId } from "./ids.js";
import { crisisPermissions } from "./permissions.js";
import {
  endCrisis,
  extend,
  grantCrisis,
  type NewCrisis,
  ratifyGrant,
  recordCrisisDecision,
  release,
  resolveCrisisDecision,
} from "./transition.js";

const circleId = "circle-kitchen" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const hal = person("hal"); // the holder
const fay = person("fay"); // the circle's facilitator
const lea = person("lea"); // leads the circle
const ben = person("ben");
const otto = person("otto", "observer");
const xena = person("xena", "member", false);

const T0 = new Date("2026-03-01T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const settings = { crisisMaxDays: 14 };
const proposal = (id: string) => id as ProposalId;
const decisionId = (id: string) => id as CrisisDecisionId;

function grant(overrides: Partial<NewCrisis> = {}) {
  return grantCrisis(
    {
      id: "crisis-flood" as CrisisId,
      circleId,
      actor: fay,
      holderId: hal.memberId,
      scope: "Repairs and spending on the flooded kitchen, up to 5,000",
      endsAt: at(7 * 24),
      grant: { by: "consent", proposalId: proposal("p-grant") },
      facilitatorIds: [fay.memberId],
      settings,
      ...overrides,
    },
    T0,
  );
}

const expedited = (overrides: Partial<NewCrisis> = {}) =>
  grant({
    actor: lea,
    grant: { by: "expedited", grantedBy: [lea.memberId, fay.memberId] },
    leaderIds: [lea.memberId, fay.memberId],
    ...overrides,
  }).crisis;

const decide = (crisis: Crisis, hours: number, id = "d1", actor = hal) =>
  recordCrisisDecision(crisis, { actor, decisionId: decisionId(id), text: "Hire a plumber" }, at(hours))
    .crisis;

function codeOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
}

describe("granting crisis authority", () => {
  it("grants by consent with a scope and an end, and logs it", () => {
    const { crisis, events } = grant();
    expect(crisis.grantedAt).toEqual(T0);
    expect(activeAt(crisis, T0)).toBe(true);
    expect(ratificationDeadline(crisis)).toBeNull();
    expect(events).toEqual([
      {
        type: "crisis.granted",
        payload: expect.objectContaining({
          crisisId: "crisis-flood",
          holderId: "hal",
          by: "consent",
          proposalId: "p-grant",
          endsAt: at(7 * 24).toISOString(),
          ratifyBy: null,
        }),
      },
    ]);
  });

  it("keeps the end after now and within the organisation's limit", () => {
    expect(codeOf(() => grant({ endsAt: T0 }))).toBe("validation_failed");
    expect(codeOf(() => grant({ endsAt: new Date(T0.getTime() + 14 * DAY + 1) }))).toBe("validation_failed");
    expect(codeOf(() => grant({ endsAt: new Date(T0.getTime() + 14 * DAY) }))).toBe("ok");
    expect(codeOf(() => grant({ endsAt: at(4 * 24), settings: { crisisMaxDays: 3 } }))).toBe(
      "validation_failed",
    );
    expect(codeOf(() => grant({ endsAt: new Date(Number.NaN) }))).toBe("validation_failed");
  });

  it("needs a written scope and someone who takes part in the circle", () => {
    expect(codeOf(() => grant({ scope: "  " }))).toBe("validation_failed");
    expect(codeOf(() => grant({ actor: xena }))).toBe("forbidden");
    expect(codeOf(() => grant({ actor: otto }))).toBe("forbidden");
  });

  it("grants by the expedited rule only with two distinct current leaders, one of them recording it", () => {
    expect(expedited().grant).toEqual({ by: "expedited", grantedBy: ["lea", "fay"] });
    expect(
      codeOf(() => expedited({ grant: { by: "expedited", grantedBy: [lea.memberId, lea.memberId] } })),
    ).toBe("validation_failed");
    expect(codeOf(() => expedited({ leaderIds: [lea.memberId] }))).toBe("forbidden");
    expect(codeOf(() => expedited({ leaderIds: undefined }))).toBe("forbidden");
    expect(codeOf(() => expedited({ actor: ben }))).toBe("forbidden");
  });
});

describe("the authority's end, derived from time", () => {
  it("is active up to its end time and not at it", () => {
    const crisis = grant().crisis;
    expect(activeAt(crisis, at(7 * 24 - 0.001))).toBe(true);
    expect(activeAt(crisis, at(7 * 24))).toBe(false);
    expect(endedAt(crisis)).toEqual(at(7 * 24));
    expect(endReason(crisis)).toBe("expired");
    expect(countdown(crisis, at(24))).toBe(6 * DAY);
    expect(countdown(crisis, at(8 * 24))).toBe(0);
  });

  it("ends an unratified expedited grant after 72 hours", () => {
    const crisis = expedited();
    expect(ratificationDeadline(crisis)).toEqual(at(72));
    expect(endedAt(crisis)).toEqual(at(72));
    expect(activeAt(crisis, at(71.9))).toBe(true);
    expect(activeAt(crisis, at(72))).toBe(false);
    expect(endReason(crisis)).toBe("unratified");
    expect(countdown(crisis, at(70))).toBe(2 * HOUR);
  });

  it("keeps a ratified expedited grant to its end time", () => {
    const { crisis, events } = ratifyGrant(expedited(), proposal("p-ratify"), at(48));
    expect(events[0]).toEqual({
      type: "crisis.ratified",
      payload: { crisisId: "crisis-flood", circleId, proposalId: "p-ratify" },
    });
    expect(activeAt(crisis, at(100))).toBe(true);
    expect(endedAt(crisis)).toEqual(at(7 * 24));
  });

  it("ratifies only an expedited grant, once, while it lasts", () => {
    expect(codeOf(() => ratifyGrant(grant().crisis, proposal("p"), at(1)))).toBe("invalid_transition");
    const ratified = ratifyGrant(expedited(), proposal("p"), at(1)).crisis;
    expect(codeOf(() => ratifyGrant(ratified, proposal("q"), at(2)))).toBe("invalid_transition");
    expect(codeOf(() => ratifyGrant(expedited(), proposal("p"), at(72)))).toBe("invalid_transition");
  });
});

describe("crisis decisions", () => {
  it("are recorded by the holder while the authority is active, and logged", () => {
    const { crisis, events } = recordCrisisDecision(
      grant().crisis,
      { actor: hal, decisionId: decisionId("d1"), text: "  Hire a plumber today " },
      at(2),
    );
    expect(crisis.decisions).toEqual([
      { id: "d1", text: "Hire a plumber today", by: "hal", at: at(2), resolution: null },
    ]);
    expect(events[0]?.type).toBe("crisis.decision_recorded");
  });

  it("are refused for anyone but the holder, and after the end whoever asks", () => {
    const crisis = grant().crisis;
    for (const actor of [fay, lea, otto, xena])
      expect(codeOf(() => decide(crisis, 2, "d1", actor))).toBe("forbidden");
    expect(codeOf(() => decide(crisis, 7 * 24))).toBe("invalid_transition");
    expect(codeOf(() => decide(crisis, 7 * 24, "d1", fay))).toBe("invalid_transition");
    expect(codeOf(() => decide(expedited(), 72))).toBe("invalid_transition");
  });

  it("need text and a new id, and may not be dated before what is already recorded", () => {
    const crisis = decide(grant().crisis, 5);
    expect(codeOf(() => decide(crisis, 6))).toBe("conflict");
    expect(
      codeOf(() =>
        recordCrisisDecision(crisis, { actor: hal, decisionId: decisionId("d2"), text: "" }, at(6)),
      ),
    ).toBe("validation_failed");
    expect(codeOf(() => decide(crisis, 4, "d2"))).toBe("invalid_transition");
  });
});

describe("release, extension and the end", () => {
  it("is released early by the holder or the facilitator, which ends it and asks for a reflection", () => {
    for (const actor of [hal, fay]) {
      const { crisis, events } = release(decide(grant().crisis, 1), actor, at(10));
      expect(activeAt(crisis, at(10))).toBe(false);
      expect(endedAt(crisis)).toEqual(at(10));
      expect(endReason(crisis)).toBe("released");
      expect(events.map((e) => e.type)).toEqual(["crisis.released", "crisis.ended"]);
      expect(events[1]?.payload).toMatchObject({
        reason: "released",
        openReflection: true,
        decisionsToRatify: ["d1"],
      });
    }
    for (const actor of [lea, otto, xena])
      expect(codeOf(() => release(grant().crisis, actor, at(1)))).toBe("forbidden");
  });

  it("is not released once it has ended", () => {
    expect(codeOf(() => release(grant().crisis, hal, at(7 * 24)))).toBe("invalid_transition");
  });

  it("extends with a fresh consent to a later end within the limit counted from now", () => {
    const crisis = grant().crisis;
    const { crisis: extended, events } = extend(
      crisis,
      { proposalId: proposal("p-extend"), endsAt: at(6 * 24 + 14 * 24), settings },
      at(6 * 24),
    );
    expect(endedAt(extended)).toEqual(at(20 * 24));
    expect(events[0]?.payload).toMatchObject({
      proposalId: "p-extend",
      previousEndsAt: at(7 * 24).toISOString(),
    });
    const tooLong = { proposalId: proposal("p-x"), endsAt: at(6 * 24 + 14 * 24 + 1), settings };
    expect(codeOf(() => extend(crisis, tooLong, at(6 * 24)))).toBe("validation_failed");
    const earlier = { proposalId: proposal("p-x"), endsAt: at(5 * 24), settings };
    expect(codeOf(() => extend(crisis, earlier, at(24)))).toBe("validation_failed");
    const reused = { proposalId: proposal("p-grant"), endsAt: at(8 * 24), settings };
    expect(codeOf(() => extend(crisis, reused, at(24)))).toBe("conflict");
    const again = { proposalId: proposal("p-extend"), endsAt: at(21 * 24), settings };
    expect(codeOf(() => extend(extended, again, at(7 * 24)))).toBe("conflict");
  });

  it("does not extend an ended or an unratified expedited grant", () => {
    const later = { proposalId: proposal("p-x"), endsAt: at(10 * 24), settings };
    expect(codeOf(() => extend(grant().crisis, later, at(7 * 24)))).toBe("invalid_transition");
    expect(codeOf(() => extend(expedited(), later, at(24)))).toBe("invalid_transition");
    const ratified = ratifyGrant(expedited(), proposal("p-r"), at(1)).crisis;
    expect(codeOf(() => extend(ratified, later, at(24)))).toBe("ok");
  });

  it("notes the end once, after it has happened", () => {
    const crisis = decide(grant().crisis, 1);
    expect(codeOf(() => endCrisis(crisis, at(7 * 24 - 1)))).toBe("invalid_transition");
    const { crisis: noted, events } = endCrisis(crisis, at(8 * 24));
    expect(events).toEqual([
      {
        type: "crisis.ended",
        payload: {
          crisisId: "crisis-flood",
          circleId,
          endedAt: at(7 * 24).toISOString(),
          reason: "expired",
          openReflection: true,
          decisionsToRatify: ["d1"],
        },
      },
    ]);
    expect(codeOf(() => endCrisis(noted, at(9 * 24)))).toBe("invalid_transition");
  });
});

describe("ratifying or revoking crisis decisions", () => {
  const ended = decide(decide(grant().crisis, 1, "d1"), 2, "d2");

  it("waits until the authority has ended", () => {
    expect(decisionsAwaitingRatification(ended, at(3))).toEqual([]);
    expect(decisionsAwaitingRatification(ended, at(7 * 24)).map((d) => d.id)).toEqual(["d1", "d2"]);
    const input = { decisionId: decisionId("d1"), outcome: "ratified" as const, proposalId: proposal("p") };
    expect(codeOf(() => resolveCrisisDecision(ended, input, at(3)))).toBe("invalid_transition");
  });

  it("judges each decision once, by consent, until none awaits", () => {
    const after = at(8 * 24);
    expect(crisisState(ended, at(3))).toBe("active");
    expect(crisisState(ended, after)).toBe("under_review");
    const first = resolveCrisisDecision(
      ended,
      { decisionId: decisionId("d1"), outcome: "ratified", proposalId: proposal("p-review") },
      after,
    );
    expect(first.events[0]).toEqual({
      type: "crisis.decision_resolved",
      payload: {
        crisisId: "crisis-flood",
        circleId,
        decisionId: "d1",
        outcome: "ratified",
        proposalId: "p-review",
      },
    });
    expect(decisionsAwaitingRatification(first.crisis, after).map((d) => d.id)).toEqual(["d2"]);
    const again = { decisionId: decisionId("d1"), outcome: "revoked" as const, proposalId: proposal("p-2") };
    expect(codeOf(() => resolveCrisisDecision(first.crisis, again, after))).toBe("invalid_transition");
    const missing = {
      decisionId: decisionId("nope"),
      outcome: "revoked" as const,
      proposalId: proposal("p-2"),
    };
    expect(codeOf(() => resolveCrisisDecision(first.crisis, missing, after))).toBe("not_found");
    const both = resolveCrisisDecision(
      first.crisis,
      { decisionId: decisionId("d2"), outcome: "revoked", proposalId: proposal("p-review") },
      after,
    ).crisis;
    expect(crisisState(both, after)).toBe("closed");
    expect(both.decisions.map((d) => d.resolution?.outcome)).toEqual(["ratified", "revoked"]);
  });
});

describe("crisisPermissions", () => {
  it("lets the holder decide and release, the facilitator release, and the circle propose", () => {
    const crisis = expedited();
    expect(crisisPermissions(hal, crisis, at(1))).toEqual({
      recordDecision: true,
      release: true,
      proposeRatification: true,
      proposeExtension: false,
      proposeDecisionReview: false,
    });
    expect(crisisPermissions(fay, crisis, at(1))).toMatchObject({ recordDecision: false, release: true });
    expect(crisisPermissions(otto, crisis, at(1))).toEqual({
      recordDecision: false,
      release: false,
      proposeRatification: false,
      proposeExtension: false,
      proposeDecisionReview: false,
    });
    expect(crisisPermissions(xena, crisis, at(1)).proposeRatification).toBe(false);
  });

  it("turns to review once the authority has ended", () => {
    const crisis = decide(grant().crisis, 1);
    expect(crisisPermissions(ben, crisis, at(8 * 24))).toEqual({
      recordDecision: false,
      release: false,
      proposeRatification: false,
      proposeExtension: false,
      proposeDecisionReview: true,
    });
    expect(crisisPermissions(ben, crisis, at(1)).proposeExtension).toBe(true);
  });
});
