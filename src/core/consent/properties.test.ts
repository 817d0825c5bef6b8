import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { ProposalCommand, ResponseInput } from "./commands.js";
import type { ObjectionId, ProposalId, QuestionId } from "./ids.js";
import { effectiveReviewMonths, openObjections, type Resolution } from "./objections.js";
import { tallyRound } from "./outcome.js";
import { objectionPermissions, permissionsFor } from "./permissions.js";
import { type ConsentResponseKind, currentRound, currentVersion, type Proposal } from "./proposal.js";
import { type QuorumRule, quorumNeeded } from "./quorum.js";
import { canMove, isFinal, PROPOSAL_STATES, type ProposalState } from "./states.js";
import { draftProposal, transition } from "./transition.js";

const circleId = "circle" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const ann = person("ann");
const fay = person("fay");
/** The author, the facilitator, three members, an observer and an organisation member outside the circle. */
const cast = [
  ann,
  fay,
  person("ben"),
  person("cat"),
  person("dan"),
  person("otto", "observer"),
  person("xena", "member", false),
];
const circle = cast.slice(0, 5).map((v) => v.memberId);

const T0 = new Date("2025-06-01T08:00:00Z").getTime();
const HOUR = 3_600_000;

const quorumRule: fc.Arbitrary<QuorumRule> = fc.oneof(
  fc.constant<QuorumRule>({ kind: "more_than_half" }),
  fc.integer({ min: 1, max: 100 }).map((percent): QuorumRule => ({ kind: "at_least_percent", percent })),
);

function newProposal(quorum: QuorumRule, withFacilitator: boolean): Proposal {
  return draftProposal(
    {
      id: "p" as ProposalId,
      circleId,
      author: ann,
      facilitatorIds: withFacilitator ? [fay.memberId] : [],
      title: "Tool library",
      text: "Lend tools from the shed.",
      quorum,
      reviewMonths: 6,
    },
    new Date(T0),
  ).proposal;
}

/** Runs a command, returning the refusal's code instead of throwing it. */
function attempt(proposal: Proposal, command: ProposalCommand, now: Date) {
  try {
    return { ok: true as const, result: transition(proposal, command, now) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false as const, code: error.code };
  }
}

const responseOf = (kind: ConsentResponseKind, id: string): ResponseInput =>
  kind === "object"
    ? { kind, objectionId: id as ObjectionId, reason: "It would harm our aim" }
    : kind === "consent_with_concern"
      ? { kind, concern: "Watch the cost" }
      : { kind };

/**
 * Well-formed commands for each permission a viewer may hold, so that `can` can be checked against
 * what `transition` accepts. Answering needs a question still unanswered; with none there is nothing to try.
 */
function wellFormed(proposal: Proposal, actor: Viewer, now: Date, seq: number) {
  const unanswered = proposal.questions.find((q) => q.answer === null);
  const byPermission: Record<string, ProposalCommand | null> = {
    present: { type: "present", actor },
    advance: { type: "advance", actor },
    askQuestion: { type: "askQuestion", actor, questionId: `qw${seq}` as QuestionId, text: "Why?" },
    answerQuestion: unanswered
      ? { type: "answerQuestion", actor, questionId: unanswered.id, text: "Because" }
      : null,
    react: { type: "react", actor, text: "Good" },
    amend: { type: "amend", actor, text: `${currentVersion(proposal).text}\nAmended at step ${seq}.` },
    openConsentRound: {
      type: "openConsentRound",
      actor,
      participants: circle,
      deadline: new Date(now.getTime() + 24 * HOUR),
    },
    respond: {
      type: "respond",
      actor,
      response: responseOf(
        ["consent", "consent_with_concern", "object"][seq % 3] as ConsentResponseKind,
        `ow${seq}`,
      ),
    },
    decide: { type: "decide", actor },
    withdraw: { type: "withdraw", actor },
  };
  const objectionCommands: { can: boolean; command: ProposalCommand }[] = [];
  for (const objection of openObjections(proposal)) {
    const can = objectionPermissions(actor, proposal, objection, now);
    const round = proposal.rounds.find((r) => r.number === objection.round);
    const resolutions: [boolean, Resolution][] = [
      [can.withdraw, { outcome: "withdrawn" }],
      [can.integrate, { outcome: "integrated", by: "measure", measure: "Count uses monthly" }],
      [
        can.overrule,
        { outcome: "overruled", circleConsent: { consentedBy: round?.eligible ?? [], record: "Minutes" } },
      ],
    ];
    if (effectiveReviewMonths(proposal) > 1)
      resolutions.push([can.integrate, { outcome: "integrated", by: "shorter_term", reviewMonths: 1 }]);
    for (const [allowed, resolution] of resolutions)
      objectionCommands.push({
        can: allowed,
        command: { type: "resolveObjection", actor, objectionId: objection.id, resolution },
      });
  }
  const can = permissionsFor(actor, proposal, now) as Record<string, boolean>;
  return [
    ...Object.entries(byPermission).flatMap(([key, command]) =>
      command ? [{ can: Boolean(can[key]), command }] : [],
    ),
    ...objectionCommands,
  ];
}

const text = fc.constantFrom("", "  ", "Lend tools from the shed.", "Lend tools.", "Lend tools\nwith a log.");
const deadlineHours = fc.option(fc.integer({ min: -3, max: 72 }), { nil: null });

/** Any command at all, often malformed, with ids that may or may not exist. */
const anyCommand = (actor: Viewer) =>
  fc.oneof(
    deadlineHours.map((h) => ({ type: "present", actor, hours: h }) as const),
    deadlineHours.map((h) => ({ type: "advance", actor, hours: h }) as const),
    fc
      .tuple(fc.constantFrom("q1", "q2"), text)
      .map(([id, t]) => ({ type: "askQuestion", actor, id, text: t }) as const),
    fc
      .tuple(fc.constantFrom("q1", "q2"), text)
      .map(([id, t]) => ({ type: "answerQuestion", actor, id, text: t }) as const),
    text.map((t) => ({ type: "react", actor, text: t }) as const),
    text.map((t) => ({ type: "amend", actor, text: t }) as const),
    fc
      .tuple(fc.subarray([...circle, "otto", "ann"] as MemberId[]), deadlineHours)
      .map(([participants, h]) => ({ type: "openConsentRound", actor, participants, hours: h }) as const),
    fc
      .tuple(
        fc.constantFrom<ConsentResponseKind>("consent", "consent_with_concern", "object"),
        fc.constantFrom("o1", "o2", "o3"),
        fc.boolean(),
      )
      .map(([kind, id, blank]) => ({ type: "respond", actor, kind, id, blank }) as const),
    fc
      .tuple(
        fc.constantFrom("o1", "o2", "o3"),
        fc.constantFrom("withdrawn", "measure", "shorter", "amendment", "overruled"),
        fc.integer({ min: 0, max: 8 }),
      )
      .map(([id, how, n]) => ({ type: "resolveObjection", actor, id, how, n }) as const),
    fc.constant({ type: "withdraw", actor } as const),
    fc.boolean().map((system) => ({ type: "decide", actor: system ? null : actor }) as const),
  );

type RawCommand = typeof anyCommand extends (a: Viewer) => fc.Arbitrary<infer C> ? C : never;

function build(raw: RawCommand, now: Date): ProposalCommand {
  const deadline = (hours: number | null) => (hours === null ? null : new Date(now.getTime() + hours * HOUR));
  switch (raw.type) {
    case "present":
    case "advance":
      return { type: raw.type, actor: raw.actor, deadline: deadline(raw.hours) };
    case "askQuestion":
    case "answerQuestion":
      return { type: raw.type, actor: raw.actor, questionId: raw.id as QuestionId, text: raw.text };
    case "react":
    case "amend":
      return { type: raw.type, actor: raw.actor, text: raw.text };
    case "openConsentRound":
      return {
        type: raw.type,
        actor: raw.actor,
        participants: raw.participants,
        deadline: deadline(raw.hours),
      };
    case "respond": {
      const response = responseOf(raw.kind, raw.id);
      if (raw.blank && response.kind === "object") response.reason = " ";
      return { type: raw.type, actor: raw.actor, response };
    }
    case "resolveObjection": {
      const resolution: Resolution =
        raw.how === "withdrawn"
          ? { outcome: "withdrawn" }
          : raw.how === "measure"
            ? { outcome: "integrated", by: "measure", measure: raw.n > 4 ? " " : "Count uses" }
            : raw.how === "shorter"
              ? { outcome: "integrated", by: "shorter_term", reviewMonths: raw.n }
              : raw.how === "amendment"
                ? { outcome: "integrated", by: "amendment", version: raw.n }
                : {
                    outcome: "overruled",
                    circleConsent: { consentedBy: circle.slice(0, raw.n), record: "Minutes" },
                  };
      return { type: raw.type, actor: raw.actor, objectionId: raw.id as ObjectionId, resolution };
    }
    case "withdraw":
      return { type: raw.type, actor: raw.actor };
    case "decide":
      return { type: raw.type, actor: raw.actor };
  }
}

/** A step of a random session: after some hours, someone does something allowed, or someone tries anything. */
const step = fc
  .record({
    hours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 20, max: 80 })),
    actor: fc.constantFrom(...cast),
    pickAllowed: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    choice: fc.nat(),
  })
  .chain((s) => anyCommand(s.actor).map((raw) => ({ ...s, raw })));

const session = fc.record({
  quorum: quorumRule,
  withFacilitator: fc.boolean(),
  steps: fc.array(step, { minLength: 10, maxLength: 60, size: "max" }),
});

const FAILURE_CODES = ["invalid_transition", "forbidden", "validation_failed", "not_found", "conflict"];

/** A plain check: these run thousands of times per test, where `expect` would dominate the time. */
function check(holds: boolean, what: string, proposal: Proposal) {
  if (!holds) throw new Error(`${what} (state ${proposal.state})`);
}

type Session = typeof session extends fc.Arbitrary<infer S> ? S : never;

/** Plays a session, checking after every step what must always hold. Returns the states visited. */
function play({ quorum, withFacilitator, steps }: Session) {
  let proposal = newProposal(quorum, withFacilitator);
  let now = T0;
  const visited = new Set<ProposalState>([proposal.state]);
  steps.forEach((s, seq) => {
    now += s.hours * HOUR;
    const at = new Date(now);
    const options = wellFormed(proposal, s.actor, at, seq);

    // `can` says exactly what `transition` accepts: every permitted command works, every other is refused.
    for (const { can, command } of options)
      check(attempt(proposal, command, at).ok === can, `can is ${can} for ${command.type}`, proposal);

    // To move the process along, pick among what anyone may do now; withdrawing (which ends it) only rarely.
    const allowed = cast
      .flatMap((actor) => wellFormed(proposal, actor, at, seq))
      .filter((o) => o.can && (o.command.type !== "withdraw" || s.choice % 25 === 0));
    const command =
      s.pickAllowed && allowed.length > 0 ? allowed[s.choice % allowed.length]?.command : build(s.raw, at);
    if (!command) return;
    const before = JSON.stringify(proposal);
    const outcome = attempt(proposal, command, at);
    if (!outcome.ok) {
      check(FAILURE_CODES.includes(outcome.code), `unexpected ${outcome.code}`, proposal);
      check(JSON.stringify(proposal) === before, "a refused command changed the proposal", proposal);
      return;
    }
    const next = outcome.result.proposal;
    // Only moves of the graph happen, and nothing leaves a final state.
    check(!isFinal(proposal.state), `${command.type} accepted in a final state`, proposal);
    check(
      next.state === proposal.state || canMove(proposal.state, next.state),
      `${proposal.state} → ${next.state}`,
      next,
    );
    // Never adopted with an open objection or below quorum; a decision exists exactly when adopted.
    const round = currentRound(next);
    if (next.state === "adopted")
      check(
        openObjections(next).length === 0 &&
          round !== null &&
          tallyRound(round, next.quorum).quorumMet &&
          next.decision?.version === round.version,
        "adopted against the rules",
        next,
      );
    else check(next.decision === null, "a decision without adoption", next);
    proposal = next;
    visited.add(proposal.state);
  });
  return visited;
}

describe("consent process properties", () => {
  it("random sessions move only along the graph, never adopt over an objection or below quorum, and `can` matches", () => {
    fc.assert(
      fc.property(session, (s) => {
        play(s);
      }),
      { numRuns: 300 },
    );
  });

  it("random sessions reach every state (the generator explores the whole process)", () => {
    const visited = new Set<ProposalState>();
    for (const s of fc.sample(session, { numRuns: 400, seed: 7 }))
      for (const state of play(s)) visited.add(state);
    expect([...visited].sort()).toEqual([...PROPOSAL_STATES].sort());
  });

  /** A consent round among `n` participants with responses (participant index, kind) given in order. */
  const round = fc.integer({ min: 1, max: 9 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      quorum: quorumRule,
      responses: fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: n - 1 }),
          fc.constantFrom<ConsentResponseKind>("consent", "consent_with_concern", "object"),
        ),
        { maxLength: 20 },
      ),
    }),
  );

  it("count each participant's latest response once, treat silence as no response, and decide by the rules", () => {
    fc.assert(
      fc.property(round, ({ n, quorum, responses }) => {
        const participants = Array.from({ length: n }, (_, i) => person(`member${i}`));
        const deadline = new Date(T0 + 100 * HOUR);
        let p: Proposal = transition(
          { ...newProposal(quorum, false), state: "reactions" },
          {
            type: "openConsentRound",
            actor: ann,
            participants: participants.map((v) => v.memberId),
            deadline,
          },
          new Date(T0),
        ).proposal;
        const latest = new Map<number, ConsentResponseKind>();
        responses.forEach(([i, kind], seq) => {
          const outcome = attempt(
            p,
            { type: "respond", actor: participants[i] as Viewer, response: responseOf(kind, `o${seq}`) },
            new Date(T0 + (seq + 1) * HOUR),
          );
          // Once everyone has responded the round has closed itself; later responses are refused.
          if (!outcome.ok) {
            expect(outcome.code).toBe("invalid_transition");
            return;
          }
          latest.set(i, kind);
          p = outcome.result.proposal;
        });
        const r = currentRound(p);
        if (!r) throw new Error("no round");
        const tally = tallyRound(r, quorum);
        const count = (kind: ConsentResponseKind) => [...latest.values()].filter((k) => k === kind).length;
        expect(tally).toEqual({
          eligible: n,
          responded: latest.size,
          noResponse: n - latest.size,
          consent: count("consent"),
          consentWithConcern: count("consent_with_concern"),
          object: count("object"),
          quorumNeeded: quorumNeeded(n, quorum),
          quorumMet: latest.size >= quorumNeeded(n, quorum),
        });
        expect(openObjections(p)).toHaveLength(count("object"));

        const decided =
          p.state === "consent_round" ? transition(p, { type: "decide", actor: null }, deadline).proposal : p;
        const expected =
          count("object") > 0
            ? "objections_open"
            : latest.size >= quorumNeeded(n, quorum)
              ? "adopted"
              : "lapsed";
        expect(decided.state).toBe(expected);
        if (decided.state === "adopted")
          expect(count("consent") + count("consent_with_concern")).toBe(latest.size);
      }),
      { numRuns: 500 },
    );
  });

  it("never adopt a round in which no one responded", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), quorumRule, (n, quorum) => {
        const participants = Array.from({ length: n }, (_, i) => `member${i}` as MemberId);
        const deadline = new Date(T0 + HOUR);
        const silent = transition(
          { ...newProposal(quorum, false), state: "reactions" },
          { type: "openConsentRound", actor: ann, participants, deadline },
          new Date(T0),
        ).proposal;
        expect(transition(silent, { type: "decide", actor: null }, deadline).proposal.state).toBe("lapsed");
      }),
    );
  });
});
