import type { Viewer } from "../../core/access.js";
import { type Cycle, cyclePermissions, cycleState } from "../../core/cycles.js";

/** A cycle as every reader of its circle sees it: the phases reached, the entries of each, the lessons. */
export function presentCycle(cycle: Cycle, viewer: Viewer) {
  return {
    id: cycle.id,
    circleId: cycle.circleId,
    title: cycle.title,
    subject: cycle.subject,
    openedBy: cycle.openedBy,
    openedAt: cycle.openedAt.toISOString(),
    state: cycleState(cycle),
    phase: cycle.phase,
    phases: cycle.phases.map((p) => ({ phase: p.phase, at: p.at.toISOString() })),
    entries: cycle.entries.map((e) => ({
      id: e.id,
      phase: e.phase,
      by: e.by,
      text: e.text,
      at: e.at.toISOString(),
    })),
    lessons: cycle.lessons.map((l) => ({
      id: l.id,
      by: l.by,
      text: l.text,
      at: l.at.toISOString(),
      proposalId: l.proposalId,
    })),
    closed: cycle.closed && { by: cycle.closed.by, at: cycle.closed.at.toISOString() },
    can: cyclePermissions(viewer, cycle),
  };
}
