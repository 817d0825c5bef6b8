import { performance } from "node:perf_hooks";
import type { OrgAccess } from "../src/core/access.js";
import type { CircleId, MemberId, RoleId } from "../src/core/ids.js";
import { planRotation } from "../src/core/rotation/plan.js";
import type { MemberAssignment, RotationCandidate, RotationRole } from "../src/core/rotation/score.js";

const ROLES = 20_000;
const MEMBERS = 100_000;
const ROLES_PER_CIRCLE = 4;
const MEMBERS_PER_CIRCLE = 50;
const NOW = new Date("2026-06-15T00:00:00Z");
const DAY_MS = 86_400_000;
const TERM_MS = 182 * DAY_MS;
const SKILLS = Array.from({ length: 30 }, (_, i) => `skill ${i}`);

/** A small seeded generator (mulberry32), so every run plans the same organisation. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)] as T;
  return { next, int, pick };
}

/**
 * A synthetic organisation: 5,000 circles of about 50 members (each member in 2–3 circles on average),
 * 4 rotating roles per circle, and a history of terms, shadowing and leadership elsewhere.
 */
function syntheticOrganisation() {
  const random = seeded(20_260_615);
  const circleCount = ROLES / ROLES_PER_CIRCLE;
  const circleIds = Array.from({ length: circleCount }, (_, i) => `circle-${i}` as CircleId);
  const memberIds = Array.from({ length: MEMBERS }, (_, i) => `member-${i}` as MemberId);
  const memberCircles = memberIds.map((): CircleId[] => []);
  const circleMembers = circleIds.map((circleId) => {
    const members = new Set<number>();
    while (members.size < MEMBERS_PER_CIRCLE) members.add(random.int(0, MEMBERS - 1));
    for (const m of members) memberCircles[m]?.push(circleId);
    return [...members];
  });
  const history = memberIds.map((): MemberAssignment[] => []);

  const roles = Array.from({ length: ROLES }, (_, index): RotationRole => {
    const circle = Math.floor(index / ROLES_PER_CIRCLE);
    const members = circleMembers[circle] as number[];
    const id = `role-${index}` as RoleId;
    const leadership = index % ROLES_PER_CIRCLE === 0;
    const termCount = random.int(0, 3);
    const assignments = Array.from({ length: termCount }, (_, t) => ({
      memberId: memberIds[random.pick(members)] as MemberId,
      startsAt: new Date(NOW.getTime() - (termCount - t) * TERM_MS),
      endsAt: new Date(NOW.getTime() - (termCount - t - 1) * TERM_MS),
      shadow: false,
    }));
    if (random.next() < 0.3)
      assignments.push({
        memberId: memberIds[random.pick(members)] as MemberId,
        startsAt: new Date(NOW.getTime() - TERM_MS),
        endsAt: NOW,
        shadow: true,
      });
    for (const a of assignments)
      history[Number(a.memberId.slice("member-".length))]?.push({ ...a, roleId: id, leadership });
    return {
      id,
      circleId: circleIds[circle] as CircleId,
      name: leadership ? "Facilitator" : `Role ${index % ROLES_PER_CIRCLE}`,
      requiredSkills: Array.from(new Set([random.pick(SKILLS), random.pick(SKILLS)])).map((skill) => ({
        skill,
        level: random.int(1, 5),
      })),
      maxConsecutiveTerms: random.next() < 0.8 ? 2 : null,
      assignments,
    };
  });

  const candidates = memberIds.map((memberId, m): RotationCandidate => {
    const assignments = history[m] as MemberAssignment[];
    for (let i = random.int(0, 2); i > 0; i--)
      assignments.push({
        roleId: "role-elsewhere" as RoleId,
        leadership: random.next() < 0.2,
        startsAt: new Date(NOW.getTime() - random.int(1, 400) * DAY_MS),
        endsAt: null,
        shadow: false,
      });
    if (random.next() < 0.4)
      assignments.push({
        roleId: "role-led-before" as RoleId,
        leadership: true,
        startsAt: new Date("2020-01-01"),
        endsAt: new Date(NOW.getTime() - random.int(1, 1_000) * DAY_MS),
        shadow: false,
      });
    const hours = random.next();
    return {
      memberId,
      access: (random.next() < 0.05 ? "observer" : "member") as OrgAccess,
      circleIds: memberCircles[m] as CircleId[],
      skills: Array.from(new Set([random.pick(SKILLS), random.pick(SKILLS), random.pick(SKILLS)])).map(
        (skill) => ({ skill, level: random.int(1, 5) }),
      ),
      interests: [random.pick(SKILLS), random.pick(["gardening", "facilitator", "cooking"])],
      hoursAvailable: hours < 0.1 ? null : hours < 0.12 ? -1 : random.int(0, 12),
      assignments,
    };
  });
  return { roles, candidates, circles: circleCount };
}

/** Times the organisation-wide rotation plan for 20,000 roles and 100,000 members. */
export async function benchRotationPlan() {
  const setupStart = performance.now();
  const { roles, candidates, circles } = syntheticOrganisation();
  const setupMs = performance.now() - setupStart;
  const start = performance.now();
  const plan = planRotation(roles, candidates, NOW);
  const ms = performance.now() - start;
  return {
    name: "rotation-plan",
    roles: roles.length,
    members: candidates.length,
    circles,
    ms: Math.round(ms),
    setupMs: Math.round(setupMs),
    filled: plan.assignments.length,
    unfilled: plan.unfilled.length,
    totalScore: plan.totalScore,
  };
}
