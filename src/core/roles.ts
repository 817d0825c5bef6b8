import { isAdmin, takesPartIn, type Viewer } from "./access.js";
import { invalid } from "./errors.js";
import type { CircleId } from "./ids.js";

export const FILLING_POLICIES = ["election", "rotation", "appointment"] as const;
export type FillingPolicy = (typeof FILLING_POLICIES)[number];

/**
 * How a rotating role is handed on: the top candidate is proposed to the circle for consent, or — where
 * the circle consented to it once, like a concertmaster who changes every programme — assigned directly.
 */
export const ROTATION_MODES = ["consent", "automatic"] as const;
export type RotationMode = (typeof ROTATION_MODES)[number];

/** Role kinds: `custom` is any role a circle defines; the others are the well-known leadership roles. */
export const ROLE_KINDS = ["custom", "facilitator", "secretary", "leader", "delegate"] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

/** Kinds a circle may create itself; the structural ones come with the circle (structuralRolesFor). */
export const CREATABLE_ROLE_KINDS = ["custom", "secretary"] as const;

/** Facilitator, leader and delegate are created with their circle and live and die with it. */
export const isStructuralRole = (kind: RoleKind) =>
  kind === "facilitator" || kind === "leader" || kind === "delegate";

/** Skill levels run from 1 (learning) to 5 (can teach it). */
export const SKILL_LEVEL_MIN = 1;
export const SKILL_LEVEL_MAX = 5;

export interface SkillLevel {
  skill: string;
  level: number;
}

export interface RoleShape {
  circleId: CircleId;
  kind: RoleKind;
  leadership: boolean;
  fillingPolicy: FillingPolicy;
  termDays: number | null;
  maxConsecutiveTerms: number | null;
  archivedAt: Date | null;
}

/** Facilitator, leader, delegate and secretary always count as leadership, whatever the flag says. */
export const countsAsLeadership = (role: Pick<RoleShape, "kind" | "leadership">) =>
  role.leadership || role.kind !== "custom";

/** Elected and rotating roles must have a term: leadership that never comes back to the group is not allowed. */
export function assertRoleShape(role: Pick<RoleShape, "fillingPolicy" | "termDays" | "maxConsecutiveTerms">) {
  if (role.fillingPolicy !== "appointment" && role.termDays === null)
    throw invalid("An elected or rotating role needs a term length", { fields: ["termDays"] });
  if (role.termDays !== null && role.termDays < 1)
    throw invalid("A term lasts at least one day", { fields: ["termDays"] });
  if (role.maxConsecutiveTerms !== null && role.maxConsecutiveTerms < 1)
    throw invalid("Max consecutive terms is at least one", { fields: ["maxConsecutiveTerms"] });
}

export function assertSkillLevels(skills: readonly SkillLevel[], field: string) {
  const names = new Set<string>();
  for (const { skill, level } of skills) {
    const key = skill.trim().toLowerCase();
    if (key === "") throw invalid("A skill needs a name", { field });
    if (names.has(key)) throw invalid(`Skill "${skill}" is listed twice`, { field, skill });
    if (!Number.isInteger(level) || level < SKILL_LEVEL_MIN || level > SKILL_LEVEL_MAX)
      throw invalid(`Skill levels run from ${SKILL_LEVEL_MIN} to ${SKILL_LEVEL_MAX}`, {
        field,
        skill,
        level,
      });
    names.add(key);
  }
}

/**
 * What a viewer may do with a role: its circle (or an admin) stewards it; handing it on by rotation or
 * election is the circle's own business, so an admin outside the circle does not.
 */
export function rolePermissions(
  viewer: Viewer,
  role: Pick<RoleShape, "circleId" | "kind" | "archivedAt" | "fillingPolicy">,
) {
  const active = role.archivedAt === null;
  const steward = active && (isAdmin(viewer) || takesPartIn(viewer, role.circleId));
  const circleMember = active && takesPartIn(viewer, role.circleId);
  return {
    update: steward,
    assign: steward,
    archive: steward && !isStructuralRole(role.kind),
    rotate: circleMember && role.fillingPolicy === "rotation",
    startElection: circleMember && role.fillingPolicy === "election",
  };
}
