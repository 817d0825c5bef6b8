import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../access.js";
import type { ObjectionId } from "../consent/ids.js";
import type { QuorumRule } from "../consent/quorum.js";
import { DomainError } from "../errors.js";
import type { CircleId, MemberId, RoleId } from "../ids.js";
import type { SelectionCommand, SelectionResponseInput } from "./commands.js";
import type { SelectionId } from "./ids.js";
import { nominationCounts, visibleNominations } from "./nominations.js";
import { nomineeConsented, tallySelectionRound } from "./outcome.js";
import { objectionPermissions, permissionsFor } from "./permissions.js";
import { currentRound, openObjections, type Selection, termInForce } from "./selection.js";
import { canMove, isFinal, SELECTION_STATES, type SelectionState } from "./states.js";
import { startSelection, transition } from "./transition.js";

const circleId = "circle" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const fay = person("fay");
/** The facilitator, four members, an observer and an organisation member outside the circle. */
const cast = [
  fay,
  person("ann"),
  person("ben"),
  person("cat"),
  person("dan"),
  person("otto", "observer"),
  person("xena", "member", false),
];
const participants = cast.slice(0, 5).map((v) => v.memberId);
const everyone = cast.map((v) => v.memberId);

const T0 = new Date("2026-03-01T10:00:00Z").getTime();
const HOUR = 3_600_000;

const quorumRule: fc.Arbitrary<QuorumRule> = fc.oneof(
  fc.constant<QuorumRule>({ kind: "more_than_half" }),
  fc.integer({ min: 1, max: 100 }).map((percent): QuorumRule => ({ kind: "at_least_percent", percent })),
);

function newSelection(quorum: QuorumRule, withFacilitator: boolean): Selection {
  return startSelection(
    {
      id: "s" as SelectionId,
      roleId: "role" as RoleId,
      circleId,
      startedBy: fay,
      facilitatorIds: withFacilitator ? [fay.memberId] : [],
      participants,
      termDays: 365,
      description: "Keeps the minutes.",
      quorum,
    },
    new Date(T0),
  ).selection;
}

function attempt(selection: Selection, command: SelectionCommand, now: Date) {
  try {
    return { ok: true as const, result: transition(selection, command, now) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false as const, code: error.code };
  }
}

const KINDS = ["consent", "consent_with_concern", "object"] as const;
const responseOf = (kind: (typeof KINDS)[number], id: string): SelectionResponseInput =>
  kind === "object"
    ? { kind, objectionId: id as ObjectionId, reason: "Not now" }
    : kind === "consent_with_concern"
      ? { kind, concern: "Busy spring" }
      : { kind };

/** Well-formed commands for each permission a viewer may hold, so `can` can be checked against `transition`. */
function wellFormed(selection: Selection, actor: Viewer, now: Date, seq: number) {
  const later = new Date(now.getTime() + 24 * HOUR);
  const nomineeId = participants[seq % participants.length] as MemberId;
  const byPermission: Record<string, SelectionCommand> = {
    agreeTerm: { type: "agreeTerm", actor, termDays: 200 + (seq % 100) },
    agreeQualifications: { type: "agreeQualifications", actor, qualifications: ["Writes"], deadline: later },
    nominate: { type: "nominate", actor, nomineeId, reason: "Because" },
    revealNominations: { type: "revealNominations", actor, deadline: later },
    closeChanges: { type: "closeChanges", actor },
    propose: { type: "propose", actor, nomineeId, reasons: "Good", termDays: selection.term.days },
    openConsentRound: { type: "openConsentRound", actor, deadline: later },
    respond: { type: "respond", actor, response: responseOf(KINDS[seq % 3] ?? "consent", `ow${seq}`) },
    decide: { type: "decide", actor },
    cancel: { type: "cancel", actor },
  };
  const can = permissionsFor(actor, selection, now) as Record<string, boolean>;
  const options = Object.entries(byPermission).map(([key, command]) => ({ can: Boolean(can[key]), command }));
  const term = termInForce(selection) ?? 1;
  for (const objection of openObjections(selection)) {
    const may = objectionPermissions(actor, selection, objection, now);
    options.push({
      can: may.withdraw,
      command: {
        type: "resolveObjection",
        actor,
        objectionId: objection.id,
        resolution: { outcome: "withdrawn" },
      },
    });
    if (term > 1)
      options.push({
        can: may.integrate,
        command: {
          type: "resolveObjection",
          actor,
          objectionId: objection.id,
          resolution: { outcome: "integrated", by: "shorter_term", termDays: term - 1 },
        },
      });
  }
  return options;
}

const reason = fc.constantFrom("", " ", "Because");
const hoursOrNone = fc.option(fc.integer({ min: -3, max: 72 }), { nil: null });

type Build = (now: Date) => SelectionCommand;
/** Types a command builder where it is written, so its literal fields keep their command's types. */
const build = (f: Build) => f;

/** Any command at all, often malformed, with ids that may or may not exist. */
const anyCommand = (actor: Viewer): fc.Arbitrary<Build> => {
  const deadline = (now: Date, hours: number | null) =>
    hours === null ? null : new Date(now.getTime() + hours * HOUR);
  const member = fc.constantFrom(...everyone);
  const objectionId = fc.constantFrom("o1", "o2", "o3").map((id) => id as ObjectionId);
  return fc.oneof(
    fc
      .tuple(fc.integer({ min: -1, max: 400 }), hoursOrNone)
      .map(([termDays, h]) =>
        build((now) => ({ type: "agreeTerm", actor, termDays, deadline: deadline(now, h) })),
      ),
    fc
      .tuple(fc.array(fc.constantFrom("Writes", "writes", " ", "Calm")), hoursOrNone)
      .map(([qualifications, h]) =>
        build((now) => ({ type: "agreeQualifications", actor, qualifications, deadline: deadline(now, h) })),
      ),
    fc
      .tuple(member, reason)
      .map(([nomineeId, r]) => build(() => ({ type: "nominate", actor, nomineeId, reason: r }))),
    hoursOrNone.map((h) =>
      build((now) => ({ type: "revealNominations", actor, deadline: deadline(now, h) })),
    ),
    fc.constant(build(() => ({ type: "closeChanges", actor }))),
    fc
      .tuple(member, reason, fc.integer({ min: 0, max: 400 }))
      .map(([nomineeId, r, termDays]) =>
        build(() => ({ type: "propose", actor, nomineeId, reasons: r, termDays })),
      ),
    hoursOrNone.map((h) => build((now) => ({ type: "openConsentRound", actor, deadline: deadline(now, h) }))),
    fc
      .tuple(fc.constantFrom(...KINDS), fc.constantFrom("o1", "o2", "o3"))
      .map(([kind, id]) => build(() => ({ type: "respond", actor, response: responseOf(kind, id) }))),
    fc.tuple(objectionId, fc.option(fc.integer({ min: 0, max: 400 }), { nil: null })).map(([id, termDays]) =>
      build(() => ({
        type: "resolveObjection",
        actor,
        objectionId: id,
        resolution:
          termDays === null
            ? { outcome: "withdrawn" }
            : { outcome: "integrated", by: "shorter_term", termDays },
      })),
    ),
    fc.constant(build(() => ({ type: "cancel", actor }))),
    fc.boolean().map((system) => build(() => ({ type: "decide", actor: system ? null : actor }))),
  );
};

const step = fc
  .record({
    hours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 20, max: 80 })),
    actor: fc.constantFrom(...cast),
    pickAllowed: fc.oneof(
      { weight: 4, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    choice: fc.nat(),
  })
  .chain((s) => anyCommand(s.actor).map((build) => ({ ...s, build })));

const session = fc.record({
  quorum: quorumRule,
  withFacilitator: fc.boolean(),
  steps: fc.array(step, { minLength: 10, maxLength: 80, size: "max" }),
});
type Session = typeof session extends fc.Arbitrary<infer S> ? S : never;

const FAILURE_CODES = ["invalid_transition", "forbidden", "validation_failed", "not_found", "conflict"];

/** A plain check: these run thousands of times per test, where `expect` would dominate the time. */
function check(holds: boolean, what: string, selection: Selection) {
  if (!holds) throw new Error(`${what} (state ${selection.state})`);
}

/** Before the reveal each viewer sees only their own nomination, and no count gives the others away. */
function nominationsStayHidden(selection: Selection) {
  if (selection.revealedAt !== null) return true;
  return (
    nominationCounts(selection).length === 0 &&
    cast.every((viewer) =>
      visibleNominations(selection, viewer).every((n) => n.nominatorId === viewer.memberId),
    )
  );
}

/** Plays a session, checking after every step what must always hold. Returns the states visited. */
function play({ quorum, withFacilitator, steps }: Session) {
  let selection = newSelection(quorum, withFacilitator);
  let now = T0;
  const visited = new Set<SelectionState>([selection.state]);
  steps.forEach((s, seq) => {
    now += s.hours * HOUR;
    const at = new Date(now);

    // `can` says exactly what `transition` accepts: every permitted command works, every other is refused.
    for (const { can, command } of wellFormed(selection, s.actor, at, seq))
      check(attempt(selection, command, at).ok === can, `can is ${can} for ${command.type}`, selection);

    // To move the process along, pick among what anyone may do now; cancelling (which ends it) only rarely.
    const allowed = cast
      .flatMap((actor) => wellFormed(selection, actor, at, seq))
      .filter((o) => o.can && (o.command.type !== "cancel" || s.choice % 40 === 0));
    const command =
      s.pickAllowed && allowed.length > 0 ? allowed[s.choice % allowed.length]?.command : s.build(at);
    if (!command) return;
    const before = JSON.stringify(selection);
    const outcome = attempt(selection, command, at);
    check(JSON.stringify(selection) === before, "a command changed the selection it was given", selection);
    if (!outcome.ok) {
      check(FAILURE_CODES.includes(outcome.code), `unexpected ${outcome.code}`, selection);
      return;
    }
    const next = outcome.result.selection;
    // Only moves of the graph happen, and nothing leaves a final state.
    check(!isFinal(selection.state), `${command.type} accepted in a final state`, selection);
    check(
      next.state === selection.state || canMove(selection.state, next.state),
      `${selection.state} → ${next.state}`,
      next,
    );
    check(nominationsStayHidden(next), "a nomination was seen before the reveal", next);
    if (next.revealedAt === null)
      check(
        outcome.result.events.every(
          (e) =>
            e.type === "selection.nominated" || !("nomineeId" in e.payload || "nominations" in e.payload),
        ),
        "an event other than the nominator's own carried a hidden nomination",
        next,
      );
    // Never elected with an open objection, below quorum, or without the nominee's consent.
    const round = currentRound(next);
    if (next.state === "elected")
      check(
        round !== null &&
          openObjections(next).length === 0 &&
          tallySelectionRound(round, next.quorum).quorumMet &&
          nomineeConsented(round) &&
          next.outcome?.memberId === round.nomineeId &&
          next.outcome.termDays === round.termDays &&
          round.termDays <= next.term.days,
        "elected against the rules",
        next,
      );
    else check(next.outcome === null, "an outcome without an election", next);
    selection = next;
    visited.add(selection.state);
  });
  return visited;
}

describe("selection process properties", () => {
  it("random sessions move only along the graph, never elect over an objection or below quorum, and `can` matches", () => {
    fc.assert(
      fc.property(session, (s) => {
        play(s);
      }),
      { numRuns: 250 },
    );
  });

  it("random sessions reach every state (the generator explores the whole process)", () => {
    const visited = new Set<SelectionState>();
    for (const s of fc.sample(session, { numRuns: 300, seed: 11 }))
      for (const state of play(s)) visited.add(state);
    expect([...visited].sort()).toEqual([...SELECTION_STATES].sort());
  });

  it("nobody but the nominator sees a nomination before the reveal", () => {
    const nominations = fc.array(
      fc.record({
        nominator: fc.integer({ min: 0, max: participants.length - 1 }),
        nominee: fc.integer({ min: 0, max: participants.length - 1 }),
      }),
      { minLength: 1, maxLength: 15 },
    );
    fc.assert(
      fc.property(nominations, fc.boolean(), (given, cancel) => {
        let s = transition(
          transition(
            newSelection({ kind: "more_than_half" }, true),
            { type: "agreeTerm", actor: fay, termDays: 90 },
            new Date(T0),
          ).selection,
          { type: "agreeQualifications", actor: fay, qualifications: [] },
          new Date(T0),
        ).selection;
        for (const { nominator, nominee } of given)
          s = transition(
            s,
            {
              type: "nominate",
              actor: cast[nominator] as Viewer,
              nomineeId: participants[nominee] as MemberId,
              reason: "Because",
            },
            new Date(T0 + HOUR),
          ).selection;
        if (cancel) s = transition(s, { type: "cancel", actor: fay }, new Date(T0 + 2 * HOUR)).selection;
        for (const viewer of cast) {
          const seen = visibleNominations(s, viewer);
          const own = given.some((g) => participants[g.nominator] === viewer.memberId);
          expect(seen.every((n) => n.nominatorId === viewer.memberId)).toBe(true);
          expect(seen).toHaveLength(own ? 1 : 0);
        }
        expect(nominationCounts(s)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
