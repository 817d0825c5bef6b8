import { canWrite, type Viewer } from "./access.js";
import { conflict, invalid } from "./errors.js";
import type { MemberId } from "./ids.js";
import { type FillingPolicy, type RoleShape, rolePermissions } from "./roles.js";

export const ASSIGNMENT_SOURCES = ["election", "rotation", "appointment", "crisis", "founding"] as const;
export type AssignmentSource = (typeof ASSIGNMENT_SOURCES)[number];

/** Sources a person may record directly; the others are the outcome of a process (election, rotation, crisis). */
export const DIRECT_SOURCES: readonly AssignmentSource[] = ["appointment", "founding"];

export interface AssignmentShape {
  memberId: MemberId;
  startsAt: Date;
  endsAt: Date | null;
  shadow: boolean;
}

const DAY_MS = 86_400_000;

/** An assignment is held from its start up to (not including) its end. */
export const isActiveAt = (assignment: Pick<AssignmentShape, "startsAt" | "endsAt">, now: Date) =>
  assignment.startsAt.getTime() <= now.getTime() &&
  (assignment.endsAt === null || now.getTime() < assignment.endsAt.getTime());

/** Where an assignment stands at `now`: still to start, held, or over. */
export const assignmentPeriod = (
  assignment: Pick<AssignmentShape, "startsAt" | "endsAt">,
  now: Date,
): "upcoming" | "current" | "ended" =>
  isActiveAt(assignment, now)
    ? "current"
    : assignment.startsAt.getTime() > now.getTime()
      ? "upcoming"
      : "ended";

/** The end of a term starting at `startsAt`, or null for a role without a term. */
export const termEnd = (startsAt: Date, termDays: number | null) =>
  termDays === null ? null : new Date(startsAt.getTime() + termDays * DAY_MS);

/**
 * Checks a directly recorded assignment: only appointment and founding may be recorded by hand, it
 * ends after it starts, and an elected or rotating role's assignment always has an end.
 */
export function assertDirectAssignment(input: {
  source: AssignmentSource;
  startsAt: Date;
  endsAt: Date | null;
  fillingPolicy: FillingPolicy;
}) {
  if (!DIRECT_SOURCES.includes(input.source))
    throw invalid(`An assignment from ${input.source} is made by that process, not recorded by hand`, {
      field: "source",
      allowed: DIRECT_SOURCES,
    });
  if (input.endsAt !== null && input.endsAt.getTime() <= input.startsAt.getTime())
    throw invalid("An assignment ends after it starts", { fields: ["startsAt", "endsAt"] });
  if (input.fillingPolicy !== "appointment" && input.endsAt === null)
    throw invalid("An elected or rotating role is held for a term; give an end", { field: "endsAt" });
}

/** A member holds a role once at a time (a shadow sits beside the holder and is counted apart). */
export function assertNotAlreadyHolding(
  existing: readonly AssignmentShape[],
  candidate: Pick<AssignmentShape, "memberId" | "startsAt" | "endsAt" | "shadow">,
) {
  const overlaps = existing.some(
    (a) =>
      a.memberId === candidate.memberId &&
      a.shadow === candidate.shadow &&
      (a.endsAt === null || a.endsAt.getTime() > candidate.startsAt.getTime()) &&
      (candidate.endsAt === null || candidate.endsAt.getTime() > a.startsAt.getTime()),
  );
  if (overlaps)
    throw conflict("This member already holds the role for that period", { memberId: candidate.memberId });
}

/** An assignment has ended once its end has passed; its history is then kept as it was. */
export const hasEndedAt = (assignment: Pick<AssignmentShape, "endsAt">, now: Date) =>
  assignment.endsAt !== null && assignment.endsAt.getTime() <= now.getTime();

/**
 * Checks a new end for an assignment. Ending early is always possible; a term that came from an
 * election, a rotation or a crisis grant is never extended by hand: that takes the process again.
 */
export function assertEndChange(
  assignment: Pick<AssignmentShape, "startsAt" | "endsAt"> & { source: AssignmentSource },
  fillingPolicy: FillingPolicy,
  newEndsAt: Date | null,
  now: Date,
) {
  if (hasEndedAt(assignment, now))
    throw conflict("This assignment has already ended", { endsAt: assignment.endsAt?.toISOString() });
  if (newEndsAt !== null && newEndsAt.getTime() <= assignment.startsAt.getTime())
    throw invalid("An assignment ends after it starts", { field: "endsAt" });
  const lengthens =
    assignment.endsAt !== null && (newEndsAt === null || newEndsAt.getTime() > assignment.endsAt.getTime());
  if (lengthens && !DIRECT_SOURCES.includes(assignment.source))
    throw conflict(`A term from ${assignment.source} is never extended by hand; run the process again`, {
      field: "endsAt",
      source: assignment.source,
    });
  if (newEndsAt === null && fillingPolicy !== "appointment")
    throw invalid("An elected or rotating role is held for a term; give an end", { field: "endsAt" });
}

/**
 * What a viewer may do with one assignment: the role's stewards change its end; the holder writes
 * handover notes for whoever comes next.
 */
export function assignmentPermissions(
  viewer: Viewer,
  role: Pick<RoleShape, "circleId" | "kind" | "archivedAt" | "fillingPolicy">,
  assignment: Pick<AssignmentShape, "memberId" | "endsAt">,
  now: Date,
) {
  const steward = rolePermissions(viewer, role).assign;
  const holder = canWrite(viewer) && viewer.memberId === assignment.memberId;
  return {
    end: steward && !hasEndedAt(assignment, now),
    writeHandoverNotes: steward || holder,
  };
}
