import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "./access.js";
import type { ProposalId } from "./consent/ids.js";
import type { Crisis } from "./crisis/crisis.js";
import type { CrisisDecisionId, CrisisId } from "./crisis/ids.js";
import {
  addEntry,
  addLesson,
  advanceCycle,
  CYCLE_PHASES,
  type Cycle,
  type CycleEntryId,
  type CycleId,
  closeCycle,
  cyclePermissions,
  cycleState,
  type LessonId,
  openCrisisReflection,
  openCycle,
  proposeFromLesson,
} from "./cycles.js";
import { DomainError } from "./errors.js";
import type { CircleId, MemberId } from "./ids.js";

const garden = "garden" as CircleId;
const person = (name: string, access: OrgAccess = "member", circles: CircleId[] = [garden]): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(circles),
});
const ann = person("ann");
const ben = person("ben");
const ada = person("ada", "admin", []);
const otto = person("otto", "observer");

const T0 = new Date("2026-03-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

function codeOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
}

let ids = 0;
const entry = (cycle: Cycle, who = ann, text = "Something happened") =>
  addEntry(cycle, { actor: who, entryId: `e${++ids}` as CycleEntryId, text }, at(1)).cycle;
const lesson = (cycle: Cycle, text = "Ask earlier") =>
  addLesson(cycle, { actor: ben, lessonId: `l${++ids}` as LessonId, text }, at(2)).cycle;

const opened = () =>
  openCycle({ id: "c1" as CycleId, circleId: garden, actor: ann, title: " Seed swap " }, T0).cycle;

/** A cycle taken through every phase with one entry each, reflecting. */
function reflecting() {
  let cycle = opened();
  for (const to of ["act", "observe", "reflect"] as const)
    cycle = advanceCycle(entry(cycle), { actor: ben, to }, at(1)).cycle;
  return cycle;
}

describe("a cycle", () => {
  it("is opened by someone who takes part in the circle, planning first", () => {
    const { cycle, events } = openCycle(
      { id: "c1" as CycleId, circleId: garden, actor: ann, title: " Seed swap " },
      T0,
    );
    expect(cycle).toMatchObject({ title: "Seed swap", phase: "plan", openedBy: "ann", closed: null });
    expect(events).toEqual([
      {
        type: "cycle.opened",
        payload: { cycleId: "c1", circleId: garden, title: "Seed swap", subject: { kind: "initiative" } },
      },
    ]);
    for (const outsider of [ada, otto, person("nina", "member", [])])
      expect(
        codeOf(() => openCycle({ id: "c2" as CycleId, circleId: garden, actor: outsider, title: "X" }, T0)),
      ).toBe("forbidden");
    expect(
      codeOf(() => openCycle({ id: "c2" as CycleId, circleId: garden, actor: ann, title: " " }, T0)),
    ).toBe("validation_failed");
  });

  it("goes plan → act → observe → reflect, each phase left once something is recorded in it", () => {
    let cycle = opened();
    expect(codeOf(() => advanceCycle(cycle, { actor: ann, to: "act" }, at(1)))).toBe("invalid_transition");
    cycle = entry(cycle, ann, "Swap seeds at the spring fair");
    expect(codeOf(() => advanceCycle(cycle, { actor: ann, to: "observe" }, at(1)))).toBe(
      "invalid_transition",
    );
    const { cycle: acting, events } = advanceCycle(cycle, { actor: ann, to: "act" }, at(1));
    expect(events[0]).toMatchObject({ type: "cycle.advanced", payload: { from: "plan", to: "act" } });
    expect(codeOf(() => advanceCycle(acting, { actor: ann, to: "act" }, at(1)))).toBe("invalid_transition");
    expect(entry(acting).entries.at(-1)).toMatchObject({ phase: "act", by: "ann" });
    expect(reflecting().phases.map((p) => p.phase)).toEqual(CYCLE_PHASES);
  });

  it("draws lessons while reflecting and closes with at least one", () => {
    expect(codeOf(() => lesson(opened()))).toBe("invalid_transition");
    const cycle = reflecting();
    expect(codeOf(() => closeCycle(cycle, ann, at(3)))).toBe("invalid_transition");
    const learnt = lesson(cycle, " Ask the neighbours earlier ");
    expect(learnt.lessons).toEqual([
      expect.objectContaining({ text: "Ask the neighbours earlier", by: "ben", proposalId: null }),
    ]);
    const { cycle: closed, events } = closeCycle(learnt, ann, at(3));
    expect(cycleState(closed)).toBe("closed");
    expect(events[0]).toMatchObject({ type: "cycle.closed", payload: { lessons: 1 } });
    expect(codeOf(() => entry(closed))).toBe("invalid_transition");
    expect(codeOf(() => lesson(closed))).toBe("invalid_transition");
  });

  it("lets a lesson start one proposal, even once the cycle is closed", () => {
    const learnt = lesson(reflecting());
    const closed = closeCycle(learnt, ann, at(3)).cycle;
    const lessonId = closed.lessons[0]?.id as LessonId;
    const { cycle, events } = proposeFromLesson(closed, {
      actor: ben,
      lessonId,
      proposalId: "p1" as ProposalId,
    });
    expect(cycle.lessons[0]?.proposalId).toBe("p1");
    expect(events[0]).toMatchObject({
      type: "cycle.lesson_proposed",
      payload: { lessonId, proposalId: "p1" },
    });
    expect(
      codeOf(() => proposeFromLesson(cycle, { actor: ben, lessonId, proposalId: "p2" as ProposalId })),
    ).toBe("conflict");
    expect(
      codeOf(() => proposeFromLesson(closed, { actor: otto, lessonId, proposalId: "p2" as ProposalId })),
    ).toBe("forbidden");
    expect(
      codeOf(() =>
        proposeFromLesson(closed, { actor: ben, lessonId: "zz" as LessonId, proposalId: "p2" as ProposalId }),
      ),
    ).toBe("not_found");
  });

  it("reports in `can` exactly what the transitions allow", () => {
    const cycle = reflecting();
    expect(cyclePermissions(ann, cycle)).toEqual({
      addEntry: true,
      advance: false,
      addLesson: true,
      close: false,
      proposeFromLessons: false,
    });
    expect(cyclePermissions(ann, entry(opened()))).toMatchObject({ advance: true, addLesson: false });
    for (const viewer of [ada, otto])
      expect(Object.values(cyclePermissions(viewer, lesson(cycle))).some(Boolean)).toBe(false);
    expect(cyclePermissions(ben, lesson(cycle))).toMatchObject({ close: true, proposeFromLessons: true });
  });

  it("never moves except to the next phase, whatever is asked in whatever order", () => {
    const request = fc.oneof(
      fc.constantFrom(...CYCLE_PHASES).map((to) => ({ kind: "advance" as const, to })),
      fc.constant({ kind: "entry" as const }),
      fc.constant({ kind: "lesson" as const }),
      fc.constant({ kind: "close" as const }),
    );
    fc.assert(
      fc.property(fc.array(request, { maxLength: 30 }), (requests) => {
        let cycle = opened();
        for (const r of requests) {
          try {
            if (r.kind === "advance") cycle = advanceCycle(cycle, { actor: ann, to: r.to }, at(1)).cycle;
            else if (r.kind === "entry") cycle = entry(cycle);
            else if (r.kind === "lesson") cycle = lesson(cycle);
            else cycle = closeCycle(cycle, ann, at(1)).cycle;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          const reached = cycle.phases.map((p) => p.phase);
          expect(reached).toEqual(CYCLE_PHASES.slice(0, reached.length));
          if (cycle.closed) expect(cycle.lessons.length).toBeGreaterThan(0);
          if (cycle.lessons.length > 0) expect(reached).toContain("reflect");
        }
      }),
    );
  });
});

describe("the reflection on a crisis", () => {
  const crisis = {
    id: "k1" as CrisisId,
    circleId: garden,
    scope: "Keep the greenhouse alive through the frost\nAnd the seedlings",
    grantedAt: T0,
    decisions: [
      {
        id: "d1" as CrisisDecisionId,
        text: "Buy two heaters",
        by: "ben" as MemberId,
        at: at(1),
        resolution: null,
      },
    ],
  } satisfies Pick<Crisis, "id" | "circleId" | "scope" | "grantedAt" | "decisions">;

  it("starts from the record: the scope as the plan, the crisis decisions as the action, observing now", () => {
    const { cycle, events } = openCrisisReflection({ id: "c9" as CycleId, crisis }, at(48));
    expect(cycle).toMatchObject({
      title: "Reflection on the crisis: Keep the greenhouse alive through the frost",
      subject: { kind: "crisis", crisisId: "k1" },
      openedBy: null,
      phase: "observe",
      entries: [
        { id: "k1", phase: "plan", by: null, text: crisis.scope, at: T0 },
        { id: "d1", phase: "act", by: null, text: "Buy two heaters", at: at(1) },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({ type: "cycle.opened", payload: expect.objectContaining({ cycleId: "c9" }) }),
    ]);
    expect(cyclePermissions(ann, cycle)).toMatchObject({ addEntry: true, advance: false });
  });
});
