import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId } from "../ids.js";
import type { ProposalCommand, ResponseInput } from "./commands.js";
import type { ObjectionId, ProposalId, QuestionId } from "./ids.js";
import { adviceComplete } from "./methods/advice.js";
import { type ConsensusResponse, tallyConsensus } from "./methods/consensus.js";
import { countVotes, type VoteChoice, type VotingMandate } from "./methods/vote.js";
import { effectiveReviewMonths, openObjections, type Resolution } from "./objections.js";
import { tallyConsent } from "./outcome.js";
import { objectionPermissions, permissionsFor } from "./permissions.js";
import {
  advisersOf,
  type ConsentResponseKind,
  currentRound,
  currentVersion,
  type DecisionRound,
  type Proposal,
} from "./proposal.js";
import { DEFAULT_QUORUM, type QuorumRule, quorumNeeded } from "./quorum.js";
import { canMove, isFinal, PROPOSAL_STATES, type ProposalState } from "./states.js";
import { draftProposal, type MethodChoice, transition } from "./transition.js";

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

/** The methods a session may use; the mandate's own quorum is always more than half. */
const METHODS = ["consent", "consensus", "advice", "open_vote", "secret_vote"] as const;
type SessionMethod = (typeof METHODS)[number];
const mandate = (secret: boolean): VotingMandate => ({
  decisionClass: "tools",
  consentedIn: "granting" as ProposalId,
  threshold: { kind: "majority" },
  secret,
  quorum: { kind: "more_than_half" },
});
const CHOICES: Record<SessionMethod, MethodChoice> = {
  consent: { kind: "consent" },
  consensus: { kind: "consensus" },
  advice: { kind: "advice", advisers: ["ben", "xena"] as MemberId[] },
  open_vote: { kind: "vote", decisionClass: "tools" },
  secret_vote: { kind: "vote", decisionClass: "tools" },
};

function newProposal(
  quorum: QuorumRule,
  withFacilitator: boolean,
  method: SessionMethod = "consent",
): Proposal {
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
      method: CHOICES[method],
      mandates: [mandate(method === "secret_vote")],
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

const RESPONSE_KINDS = [
  "consent",
  "consent_with_concern",
  "object",
  "agree",
  "stand_aside",
  "block",
  "vote",
] as const satisfies readonly ResponseInput["kind"][];
const KINDS_OF: Record<DecisionRound["method"], readonly ResponseInput["kind"][]> = {
  consent: ["consent", "consent_with_concern", "object"],
  consensus: ["agree", "stand_aside", "block"],
  vote: ["vote"],
};

function responseOf(kind: ResponseInput["kind"], id: string, seq = 0): ResponseInput {
  switch (kind) {
    case "object":
      return { kind, objectionId: id as ObjectionId, reason: "It would harm our aim" };
    case "consent_with_concern":
      return { kind, concern: "Watch the cost" };
    case "stand_aside":
      return { kind, reason: seq % 2 === 0 ? null : "Not my field" };
    case "block":
      return { kind, reason: "It would harm our aim" };
    case "vote":
      return { kind, choice: (["yes", "no", "abstain"] as const)[seq % 3] as VoteChoice };
    default:
      return { kind };
  }
}

/** A response of a kind the running round takes, chosen by `seq`; blocks rarely, so rounds also get decided. */
function fittingResponse(proposal: Proposal, seq: number): ResponseInput {
  const kinds = KINDS_OF[currentRound(proposal)?.method ?? "consent"];
  const kind = kinds[seq % kinds.length] === "block" && seq % 7 !== 0 ? "agree" : kinds[seq % kinds.length];
  return responseOf(kind ?? "consent", `ow${seq}`, seq);
}

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
    respond: { type: "respond", actor, response: fittingResponse(proposal, seq) },
    decide: { type: "decide", actor },
    decideAfterAdvice: {
      type: "decideAfterAdvice",
      actor,
      outcome: seq % 4 === 0 ? "abandon" : "proceed",
      rationale: "Heard them",
    },
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
  // Advice for the first adviser this viewer may record it for; `can.giveAdvice` says whether there is one.
  const advisers = advisersOf(proposal);
  const adviceFor = advisers.find((adviserId) => adviserId === actor.memberId) ?? advisers[0];
  const adviceCommands: { can: boolean; command: ProposalCommand }[] = adviceFor
    ? [
        {
          can: Boolean(can.giveAdvice),
          command: { type: "giveAdvice", actor, adviserId: adviceFor, text: "Mind the budget" },
        },
      ]
    : [];
  return [
    ...Object.entries(byPermission).flatMap(([key, command]) =>
      command ? [{ can: Boolean(can[key]), command }] : [],
    ),
    ...objectionCommands,
    ...adviceCommands,
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
      .tuple(fc.constantFrom(...RESPONSE_KINDS), fc.constantFrom("o1", "o2", "o3"), fc.boolean(), fc.nat(5))
      .map(([kind, id, blank, seq]) => ({ type: "respond", actor, kind, id, blank, seq }) as const),
    fc
      .tuple(fc.constantFrom("ben", "xena", "cat"), text)
      .map(([adviser, t]) => ({ type: "giveAdvice", actor, adviser, text: t }) as const),
    fc
      .tuple(fc.constantFrom("proceed", "abandon"), text)
      .map(([outcome, t]) => ({ type: "decideAfterAdvice", actor, outcome, text: t }) as const),
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
      const response = responseOf(raw.kind, raw.id, raw.seq);
      if (raw.blank && (response.kind === "object" || response.kind === "block")) response.reason = " ";
      return { type: raw.type, actor: raw.actor, response };
    }
    case "giveAdvice":
      return { type: raw.type, actor: raw.actor, adviserId: raw.adviser as MemberId, text: raw.text };
    case "decideAfterAdvice":
      return { type: raw.type, actor: raw.actor, outcome: raw.outcome, rationale: raw.text };
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
  method: fc.constantFrom(...METHODS),
  steps: fc.array(step, { minLength: 10, maxLength: 60, size: "max" }),
});

const FAILURE_CODES = ["invalid_transition", "forbidden", "validation_failed", "not_found", "conflict"];

/** A plain check: these run thousands of times per test, where `expect` would dominate the time. */
function check(holds: boolean, what: string, proposal: Proposal) {
  if (!holds) throw new Error(`${what} (state ${proposal.state})`);
}

type Session = typeof session extends fc.Arbitrary<infer S> ? S : never;

/** Plays a session, checking after every step what must always hold. Returns the states visited. */
function play({ quorum, withFacilitator, method, steps }: Session) {
  let proposal = newProposal(quorum, withFacilitator, method);
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
    // Adopted only by the rules of its method; a decision exists exactly when adopted.
    if (next.state === "adopted") check(adoptedByTheRules(next, proposal), "adopted against the rules", next);
    else check(next.decision === null, "a decision without adoption", next);
    // One vote per member, and a secret ballot's choice is kept nowhere: not in the proposal, not in the log.
    for (const round of next.rounds) {
      if (round.method !== "vote") continue;
      const voters = round.responses.map((r) => r.memberId);
      check(new Set(voters).size === voters.length, "someone voted twice", next);
      if (method === "secret_vote")
        check(
          round.responses.every((r) => r.response.kind === "secret_ballot"),
          "a secret ballot kept a choice",
          next,
        );
    }
    if (method === "secret_vote")
      check(
        outcome.result.events.every((e) => !("choice" in e.payload)),
        "an event told a secret ballot's choice",
        next,
      );
    proposal = next;
    visited.add(proposal.state);
  });
  return visited;
}

/**
 * Whether an adopted proposal was adopted by its method's rules: never with an open objection, a block,
 * a vote short of its threshold or below quorum; silence never carries it; advice only once heard.
 */
function adoptedByTheRules(proposal: Proposal, before: Proposal): boolean {
  const decision = proposal.decision;
  if (!decision || openObjections(proposal).length > 0) return false;
  if (proposal.method.kind === "advice")
    return (
      decision.advice !== null &&
      decision.tally === null &&
      adviceComplete(advisersOf(proposal), proposal.advice, before.phase.deadline, decision.adoptedAt)
    );
  const round = currentRound(proposal);
  if (!round || decision.version !== round.version || round.responses.length === 0) return false;
  switch (round.method) {
    case "consent":
      return tallyConsent(round, proposal.quorum).quorumMet;
    case "consensus": {
      const tally = tallyConsensus(round, proposal.quorum);
      return tally.quorumMet && tally.block === 0 && tally.agree > 0;
    }
    case "vote":
      return (
        proposal.method.kind === "vote" &&
        countVotes(round, proposal.method.mandate, decision.adoptedAt).outcome === "carried"
      );
  }
}

describe("decision process properties", () => {
  it("random sessions move only along the graph, adopt only by their method's rules, and `can` matches", () => {
    fc.assert(
      fc.property(session, (s) => {
        play(s);
      }),
      { numRuns: 300 },
    );
  });

  it("random sessions reach every state (the generator explores the whole process)", () => {
    const visited = new Set<ProposalState>();
    for (const s of fc.sample(session, { numRuns: 600, seed: 7 }))
      for (const state of play(s)) visited.add(state);
    expect([...visited].sort()).toEqual([...PROPOSAL_STATES].sort());
  });

  /** A proposal of `method` in a fresh round among `n` participants, closing at T0 + 100 hours. */
  function openedRound(method: SessionMethod, quorum: QuorumRule, n: number) {
    const participants = Array.from({ length: n }, (_, i) => person(`member${i}`));
    const proposal = transition(
      { ...newProposal(quorum, false, method), state: "reactions" },
      {
        type: "openConsentRound",
        actor: ann,
        participants: participants.map((v) => v.memberId),
        deadline: new Date(T0 + 100 * HOUR),
      },
      new Date(T0),
    ).proposal;
    return { proposal, participants, deadline: new Date(T0 + 100 * HOUR) };
  }

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
        let { proposal: p, participants, deadline } = openedRound("consent", quorum, n);
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
        if (r?.method !== "consent") throw new Error("no consent round");
        const tally = tallyConsent(r, quorum);
        const count = (kind: ConsentResponseKind) => [...latest.values()].filter((k) => k === kind).length;
        expect(tally).toEqual({
          method: "consent",
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

  it("in consensus, count each participant's latest response once and stop at the first block", () => {
    const consensusRound = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        quorum: quorumRule,
        responses: fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: n - 1 }),
            fc.constantFrom<ConsensusResponse["kind"]>("agree", "agree", "stand_aside", "block"),
          ),
          { maxLength: 20 },
        ),
      }),
    );
    fc.assert(
      fc.property(consensusRound, ({ n, quorum, responses }) => {
        let { proposal: p, participants, deadline } = openedRound("consensus", quorum, n);
        const latest = new Map<number, ConsensusResponse["kind"]>();
        responses.forEach(([i, kind], seq) => {
          const outcome = attempt(
            p,
            { type: "respond", actor: participants[i] as Viewer, response: responseOf(kind, "", seq) },
            new Date(T0 + (seq + 1) * HOUR),
          );
          // Once blocked, or once everyone has responded, the round has closed; later responses are refused.
          if (!outcome.ok) {
            expect(outcome.code).toBe("invalid_transition");
            expect(p.state).not.toBe("consent_round");
            return;
          }
          latest.set(i, kind);
          p = outcome.result.proposal;
        });
        const r = currentRound(p);
        if (r?.method !== "consensus") throw new Error("no consensus round");
        const count = (kind: ConsensusResponse["kind"]) =>
          [...latest.values()].filter((k) => k === kind).length;
        expect(tallyConsensus(r, quorum)).toMatchObject({
          responded: latest.size,
          noResponse: n - latest.size,
          agree: count("agree"),
          standAside: count("stand_aside"),
          block: count("block"),
        });
        const decided =
          p.state === "consent_round" ? transition(p, { type: "decide", actor: null }, deadline).proposal : p;
        const expected =
          count("block") > 0
            ? "blocked"
            : latest.size >= quorumNeeded(n, quorum) && count("agree") > 0
              ? "adopted"
              : "lapsed";
        expect(decided.state).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("in a vote, take one vote per member, count it once, and keep a secret ballot's choice nowhere", () => {
    const voting = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        secret: fc.boolean(),
        votes: fc.array(
          fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constantFrom<VoteChoice>("yes", "no", "abstain")),
          { maxLength: 20 },
        ),
      }),
    );
    fc.assert(
      fc.property(voting, ({ n, secret, votes }) => {
        let { proposal: p, participants } = openedRound(
          secret ? "secret_vote" : "open_vote",
          DEFAULT_QUORUM,
          n,
        );
        const first = new Map<number, VoteChoice>();
        votes.forEach(([i, choice], seq) => {
          const outcome = attempt(
            p,
            { type: "respond", actor: participants[i] as Viewer, response: { kind: "vote", choice } },
            new Date(T0 + (seq + 1) * HOUR),
          );
          if (!outcome.ok) {
            expect(outcome.code).toBe(p.state === "consent_round" ? "conflict" : "invalid_transition");
            expect(first.has(i) || p.state !== "consent_round").toBe(true);
            return;
          }
          first.set(i, choice);
          p = outcome.result.proposal;
          if (secret) expect(JSON.stringify(outcome.result.events)).not.toMatch(/"choice"/);
        });
        const r = currentRound(p);
        if (r?.method !== "vote") throw new Error("no vote");
        const count = (c: VoteChoice) => [...first.values()].filter((x) => x === c).length;
        expect(r.counts).toEqual({ yes: count("yes"), no: count("no"), abstain: count("abstain") });
        expect(r.responses.map((v) => v.memberId)).toEqual(
          [...first.keys()].map((i) => participants[i]?.memberId),
        );
        if (secret) expect(JSON.stringify(r.responses)).not.toMatch(/"choice"/);
      }),
      { numRuns: 300 },
    );
  });

  it("never adopt a round in which no one responded: silence is never consent, agreement or a vote", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        quorumRule,
        fc.constantFrom<SessionMethod>("consent", "consensus", "open_vote", "secret_vote"),
        (n, quorum, method) => {
          const { proposal: silent, deadline } = openedRound(method, quorum, n);
          expect(transition(silent, { type: "decide", actor: null }, deadline).proposal.state).toBe("lapsed");
        },
      ),
    );
  });
});
