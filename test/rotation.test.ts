import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { announceAllTermsDue, termAttention } from "../src/app/rotation.js";
import { loadViewer } from "../src/app/viewer.js";
import {
  addMember,
  assignRole,
  authorizationCast,
  createCircle,
  createOrg,
  createRole,
  type OrgFixture,
} from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { orgStatusesOf, statusesOf } from "./support/matrix.js";
import { advance, circleStage } from "./support/proposals.js";

const env = withTestEnv();
const DAY_MS = 86_400_000;
const daysFromNow = (days: number) => new Date(env.clock.now().getTime() + days * DAY_MS);

interface RotatingRoleFields {
  name?: string;
  termDays?: number;
  requiredSkills?: { skill: string; level: number }[];
  maxConsecutiveTerms?: number | null;
  rotationMode?: "consent" | "automatic";
  fillingPolicy?: string;
}

/** A role of the given circle filled by rotation, with what the ranking reads. */
async function rotatingRole(org: OrgFixture, circleId: string, fields: RotatingRoleFields = {}) {
  const roleId = await createRole(env, org, circleId, {
    name: fields.name ?? "Treasurer",
    fillingPolicy: fields.fillingPolicy ?? "rotation",
    termDays: fields.termDays ?? 90,
  });
  await env.db.query(
    `UPDATE roles SET required_skills = $3, max_consecutive_terms = $4, rotation_mode = $5
     WHERE org_id = $1 AND id = $2`,
    [
      org.id,
      roleId,
      JSON.stringify(fields.requiredSkills ?? []),
      fields.maxConsecutiveTerms ?? null,
      fields.rotationMode ?? "consent",
    ],
  );
  return roleId;
}

async function setProfile(
  org: OrgFixture,
  memberId: string,
  profile: { skills?: { skill: string; level: number }[]; interests?: string[] },
) {
  await env.db.query("UPDATE members SET skills = $3, interests = $4 WHERE org_id = $1 AND id = $2", [
    org.id,
    memberId,
    JSON.stringify(profile.skills ?? []),
    JSON.stringify(profile.interests ?? []),
  ]);
}

const terms = async (orgId: string, roleId: string) =>
  (
    await env.db.query<{ member_id: string; starts_at: Date; ends_at: Date | null; source: string }>(
      `SELECT member_id, starts_at, ends_at, source FROM assignments WHERE org_id = $1 AND role_id = $2
       ORDER BY starts_at, created_at`,
      [orgId, roleId],
    )
  ).rows.map((r) => ({
    memberId: r.member_id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at?.toISOString() ?? null,
    source: r.source,
  }));

const logOf = async (orgId: string) =>
  (
    await env.db.query<{ type: string; payload: Record<string, unknown> }>(
      "SELECT type, payload FROM log_entries WHERE org_id = $1 ORDER BY seq",
      [orgId],
    )
  ).rows;

const count = async (sql: string, orgId: string) =>
  (await env.db.query<{ n: number }>(sql, [orgId])).rows[0]?.n;

describe("rotation by consent", () => {
  it("proposes the top candidate with the score's reasons; adopting it hands the role over", async () => {
    const stage = await circleStage(env, 2);
    const { org, author, members } = stage;
    const [bea, cal] = members as [(typeof members)[0], (typeof members)[0]];
    await setProfile(org, bea.memberId, {
      skills: [{ skill: "Bookkeeping", level: 4 }],
      interests: ["bookkeeping"],
    });
    await setProfile(org, cal.memberId, { skills: [{ skill: "Bookkeeping", level: 2 }] });
    const roleId = await rotatingRole(org, stage.circleId, {
      requiredSkills: [{ skill: "Bookkeeping", level: 3 }],
    });
    const heldSince = new Date(env.clock.now().getTime() - 80 * DAY_MS);
    await assignRole(env, org, roleId, author.memberId, {
      source: "rotation",
      startsAt: heldSince,
      endsAt: daysFromNow(10),
    });

    const ranking = await cal.client.get(`/orgs/${org.id}/roles/${roleId}/candidates`);
    expect(ranking.status).toBe(200);
    expect(ranking.body.ranked[0]).toMatchObject({
      memberId: bea.memberId,
      name: "Member 1",
      eligible: true,
    });
    expect(ranking.body.ranked[0].parts).toContainEqual({
      factor: "skill",
      points: 10,
      reason: "Has Bookkeeping at level 4 (asked: 3)",
    });
    expect(ranking.body.ranked).toHaveLength(4);

    const rotated = await author.client.post(`/orgs/${org.id}/roles/${roleId}/rotate`, {
      note: "Bea offered at the last meeting.",
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      mode: "consent",
      proposal: { title: "Rotate Treasurer to Member 1", state: "draft" },
      candidate: { memberId: bea.memberId, name: "Member 1", score: ranking.body.ranked[0].score },
    });
    expect(rotated.body.assignment).toBeUndefined();
    expect(rotated.body.ranking.map((c: { memberId: string }) => c.memberId)).toEqual(
      ranking.body.ranked.map((c: { memberId: string }) => c.memberId),
    );
    const proposalId = rotated.body.proposal.id;
    const proposal = await author.client.get(`/orgs/${org.id}/proposals/${proposalId}`);
    expect(proposal.body.currentVersion.text).toContain("Has Bookkeeping at level 4 (asked: 3) (+10)");
    expect(proposal.body.currentVersion.text).toContain("Bea offered at the last meeting.");

    // One rotation of a role before its circle at a time.
    const again = await author.client.post(`/orgs/${org.id}/roles/${roleId}/rotate`, {});
    expect(again.status).toBe(409);

    // The circle runs the consent round a day later; everyone consents.
    env.clock.advanceDays(1);
    for (const to of ["presented", "clarifying", "reactions", "consent_round"])
      await advance(stage, proposalId, to);
    for (const person of stage.everyone)
      expect(
        (await person.client.post(`/orgs/${org.id}/proposals/${proposalId}/responses`, { kind: "consent" }))
          .status,
      ).toBe(201);
    expect((await author.client.get(`/orgs/${org.id}/proposals/${proposalId}`)).body.state).toBe("adopted");

    const adoptedAt = env.clock.now();
    expect(await terms(org.id, roleId)).toEqual([
      {
        memberId: author.memberId,
        startsAt: heldSince.toISOString(),
        endsAt: adoptedAt.toISOString(),
        source: "rotation",
      },
      {
        memberId: bea.memberId,
        startsAt: adoptedAt.toISOString(),
        endsAt: new Date(adoptedAt.getTime() + 90 * DAY_MS).toISOString(),
        source: "rotation",
      },
    ]);
    const effect = await env.db.query<{ applied_at: Date | null }>(
      "SELECT applied_at FROM proposal_effects WHERE org_id = $1 AND proposal_id = $2",
      [org.id, proposalId],
    );
    expect(effect.rows[0]?.applied_at?.toISOString()).toBe(adoptedAt.toISOString());
    const proposed = (await logOf(org.id)).find((e) => e.type === "role.rotation_proposed");
    expect(proposed?.payload).toMatchObject({ roleId, proposalId, memberId: bea.memberId });
  });
});

describe("automatic rotation (a concertmaster per programme)", () => {
  async function orchestra() {
    const org = await createOrg(env, "Orpheus");
    const ana = await addMember(env, org, "member", "Ana");
    const ben = await addMember(env, org, "member", "Ben");
    const cy = await addMember(env, org, "member", "Cy");
    const circleId = await createCircle(env, org, {
      name: "Strings",
      memberIds: [ana.memberId, ben.memberId, cy.memberId],
    });
    await setProfile(org, ana.memberId, {
      skills: [{ skill: "Violin", level: 5 }],
      interests: ["concertmaster"],
    });
    await setProfile(org, ben.memberId, { skills: [{ skill: "Violin", level: 3 }] });
    const roleId = await rotatingRole(org, circleId, {
      name: "Concertmaster",
      termDays: 120,
      requiredSkills: [{ skill: "Violin", level: 4 }],
      maxConsecutiveTerms: 1,
      rotationMode: "automatic",
    });
    return { org, ana, ben, cy, circleId, roleId, url: `/orgs/${org.id}/roles/${roleId}/rotate` };
  }

  it("assigns each programme's concertmaster directly, never one member twice in a row past the limit", async () => {
    const { org, ana, ben, roleId, url } = await orchestra();
    const start1 = env.clock.now();
    const programme1Ends = daysFromNow(20);
    const first = await ben.client.post(url, { endsAt: programme1Ends.toISOString() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      mode: "automatic",
      candidate: { memberId: ana.memberId, name: "Ana" },
      assignment: {
        memberId: ana.memberId,
        source: "rotation",
        startsAt: start1.toISOString(),
        endsAt: programme1Ends.toISOString(),
        active: true,
      },
    });
    expect(first.body.proposal).toBeUndefined();

    env.clock.set(programme1Ends);
    const candidates = await ben.client.get(`/orgs/${org.id}/roles/${roleId}/candidates`);
    expect(candidates.body.ineligible).toEqual([
      expect.objectContaining({
        memberId: ana.memberId,
        eligible: false,
        ineligibility: [
          { code: "term_limit", reason: "Has held this role for 1 consecutive term, the most allowed" },
        ],
      }),
    ]);
    const programme2Ends = daysFromNow(25);
    const second = await ana.client.post(url, { endsAt: programme2Ends.toISOString(), mode: "automatic" });
    expect(second.status).toBe(201);
    expect(second.body.candidate.memberId).toBe(ben.memberId);

    expect(await terms(org.id, roleId)).toEqual([
      {
        memberId: ana.memberId,
        startsAt: start1.toISOString(),
        endsAt: programme1Ends.toISOString(),
        source: "rotation",
      },
      {
        memberId: ben.memberId,
        startsAt: programme1Ends.toISOString(),
        endsAt: programme2Ends.toISOString(),
        source: "rotation",
      },
    ]);
    const rotations = (await logOf(org.id)).filter((e) => e.type === "role.rotated");
    expect(rotations.map((e) => e.payload.memberId)).toEqual([ana.memberId, ben.memberId]);
    expect(rotations[0]?.payload).toMatchObject({
      mode: "automatic",
      roleId,
      score: first.body.candidate.score,
    });
    expect(rotations[0]?.payload.parts).toEqual(first.body.candidate.parts);
    expect((await logOf(org.id)).map((e) => e.type).filter((t) => t.startsWith("assignment."))).toEqual([
      "assignment.created",
      "assignment.created",
    ]);
  });

  it("ends the current term at the handover when a programme changes early", async () => {
    const { org, ana, ben, roleId, url } = await orchestra();
    await ben.client.post(url, {});
    env.clock.advanceDays(20);
    const handover = env.clock.now();
    const next = await ana.client.post(url, { termDays: 30 });
    expect(next.status).toBe(201);
    const [anaTerm, benTerm] = await terms(org.id, roleId);
    expect(anaTerm).toMatchObject({ memberId: ana.memberId, endsAt: handover.toISOString() });
    expect(benTerm).toMatchObject({
      memberId: ben.memberId,
      endsAt: new Date(handover.getTime() + 30 * DAY_MS).toISOString(),
    });
    const ended = (await logOf(org.id)).find((e) => e.type === "assignment.ended");
    expect(ended?.payload).toMatchObject({ memberId: ana.memberId, reason: "rotated" });
  });

  it("refuses bad requests and changes nothing", async () => {
    const { org, ana, roleId, circleId, url } = await orchestra();
    const consentRole = await rotatingRole(org, circleId, { name: "Librarian" });
    const electedRole = await rotatingRole(org, circleId, { name: "Delegate", fillingPolicy: "election" });
    const before = await logOf(org.id);
    const refusals: [string, object, number][] = [
      [url, { startsAt: daysFromNow(-1).toISOString() }, 400],
      [url, { endsAt: daysFromNow(10).toISOString(), termDays: 10 }, 400],
      [url, { endsAt: daysFromNow(121).toISOString() }, 400],
      [url, { termDays: 121 }, 400],
      [url, { startsAt: daysFromNow(5).toISOString(), endsAt: daysFromNow(5).toISOString() }, 400],
      [url, { mode: "sometimes" }, 400],
      [url, { memberId: ana.memberId }, 400],
      [`/orgs/${org.id}/roles/${consentRole}/rotate`, { mode: "automatic" }, 409],
      [`/orgs/${org.id}/roles/${electedRole}/rotate`, {}, 409],
      [`/orgs/${org.id}/roles/${env.ctx.newId()}/rotate`, {}, 404],
    ];
    for (const [path, body, status] of refusals) {
      const res = await ana.client.post(path, body);
      expect({ path, body, status: res.status }).toEqual({ path, body, status });
    }
    expect(await terms(org.id, roleId)).toEqual([]);
    expect(await logOf(org.id)).toEqual(before);
    expect(await count("SELECT count(*)::int AS n FROM proposals WHERE org_id = $1", org.id)).toBe(0);
  });
});

describe("the organisation-wide rotation plan", () => {
  it("fills every due role optimally: nobody takes two roles while someone else could take one", async () => {
    const org = await createOrg(env);
    const xia = await addMember(env, org, "member", "Xia");
    const yan = await addMember(env, org, "member", "Yan");
    const observer = await addMember(env, org, "observer", "Olive");
    const circleId = await createCircle(env, org, {
      name: "Kitchen",
      memberIds: [xia.memberId, yan.memberId],
    });
    const emptyCircle = await createCircle(env, org, { name: "Dormant" });
    // Xia can do both; Yan only the cooking. A greedy pass giving Xia the first role leaves the budget half-met.
    await setProfile(org, xia.memberId, {
      skills: [
        { skill: "Cooking", level: 5 },
        { skill: "Budgeting", level: 5 },
      ],
    });
    await setProfile(org, yan.memberId, { skills: [{ skill: "Cooking", level: 5 }] });
    const cook = await rotatingRole(org, circleId, {
      name: "Cook",
      requiredSkills: [{ skill: "Cooking", level: 4 }],
    });
    const buyer = await rotatingRole(org, circleId, {
      name: "Buyer",
      requiredSkills: [{ skill: "Budgeting", level: 4 }],
    });
    const caretaker = await rotatingRole(org, emptyCircle, { name: "Caretaker" });
    // Held well into the future: not due, not planned.
    const host = await rotatingRole(org, circleId, { name: "Host" });
    await assignRole(env, org, host, xia.memberId, { source: "rotation", endsAt: daysFromNow(80) });
    // Held by Yan until next week: due.
    await assignRole(env, org, cook, yan.memberId, {
      source: "rotation",
      startsAt: daysFromNow(-83),
      endsAt: daysFromNow(7),
    });

    const res = await observer.client.get(`/orgs/${org.id}/rotation/plan`);
    expect(res.status).toBe(200);
    expect(res.body.dueRoles).toBe(3);
    const planned = res.body.assignments.map((a: Record<string, unknown>) => [a.roleName, a.name]);
    expect(planned.sort()).toEqual([
      ["Buyer", "Xia"],
      ["Cook", "Yan"],
    ]);
    const buyerPlan = res.body.assignments.find((a: { roleId: string }) => a.roleId === buyer);
    expect(buyerPlan).toMatchObject({ circleId, due: "vacant", memberId: xia.memberId });
    expect(buyerPlan.parts).toContainEqual({
      factor: "skill",
      points: 10,
      reason: "Has Budgeting at level 5 (asked: 4)",
    });
    expect(res.body.unfilled).toEqual([
      expect.objectContaining({ roleId: caretaker, roleName: "Caretaker", reason: "no_eligible_member" }),
    ]);
    // Read-only: nothing was written.
    expect(await terms(org.id, buyer)).toEqual([]);
  });

  it("is readable by every member of the organisation, observers too", async () => {
    const cast = await authorizationCast(env);
    expect(await orgStatusesOf(cast, (c) => c.get(`/orgs/${cast.org.id}/rotation/plan`))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 200,
      member: 200,
      admin: 200,
    });
  });
});

/** A chair past its elected term, and a rotating waterer whose term ends in ten days. */
async function termsStage() {
  const org = await createOrg(env);
  const ida = await addMember(env, org, "member", "Ida");
  const jo = await addMember(env, org, "member", "Jo");
  const circleId = await createCircle(env, org, { name: "Board", memberIds: [ida.memberId] });
  const otherCircle = await createCircle(env, org, { name: "Garden", memberIds: [jo.memberId] });
  const chair = await createRole(env, org, circleId, {
    name: "Chair",
    fillingPolicy: "election",
    termDays: 365,
  });
  const chairTerm = await assignRole(env, org, chair, ida.memberId, {
    source: "election",
    startsAt: daysFromNow(-370),
    endsAt: daysFromNow(-5),
  });
  const waterer = await rotatingRole(org, otherCircle, { name: "Waterer" });
  await assignRole(env, org, waterer, jo.memberId, {
    source: "rotation",
    startsAt: daysFromNow(-80),
    endsAt: daysFromNow(10),
  });
  const clerk = await createRole(env, org, circleId, { name: "Clerk", fillingPolicy: "appointment" });
  await assignRole(env, org, clerk, ida.memberId, { startsAt: daysFromNow(-30), endsAt: daysFromNow(-1) });
  return { org, ida, jo, circleId, otherCircle, chair, chairTerm, waterer };
}

describe("terms due", () => {
  it("flags an elected role past its term and raises terms ending soon for the circle", async () => {
    const { org, ida, jo, circleId, chair, chairTerm, waterer } = await termsStage();

    const res = await jo.client.get(`/orgs/${org.id}/terms/due`);
    expect(res.status).toBe(200);
    expect(res.body.terms).toEqual([
      {
        roleId: chair,
        roleName: "Chair",
        circleId,
        circleName: "Board",
        fillingPolicy: "election",
        assignmentId: chairTerm,
        memberId: ida.memberId,
        name: "Ida",
        endsAt: daysFromNow(-5).toISOString(),
        state: "past_term",
      },
      expect.objectContaining({ roleId: waterer, name: "Jo", state: "ending_soon" }),
    ]);

    const { org: loaded, viewer } = await loadViewer(
      env.db,
      org.id,
      ida.client.user?.id ?? "",
      env.clock.now(),
    );
    expect(await termAttention(env.db, loaded, viewer, env.clock.now())).toEqual([
      {
        kind: "term_past",
        roleId: chair,
        circleId,
        title: "Chair",
        reason: `Ida's term ended on ${daysFromNow(-5).toISOString().slice(0, 10)} and no one has followed: the role is past its term`,
        due: daysFromNow(-5),
      },
    ]);
  });

  it("announces each term that comes due in the log once, however many sweeps run", async () => {
    const { org, chairTerm } = await termsStage();
    const [first, second] = await Promise.all([announceAllTermsDue(env.ctx), announceAllTermsDue(env.ctx)]);
    expect(first + second).toBe(2);
    expect(await announceAllTermsDue(env.ctx)).toBe(0);
    const { rows } = await env.db.query<{ type: string; payload: { assignmentId: string } }>(
      "SELECT type, payload FROM log_entries WHERE org_id = $1 AND type LIKE 'term.%' ORDER BY seq",
      [org.id],
    );
    expect(rows.map((r) => r.type).sort()).toEqual(["term.ending_soon", "term.past"]);
    expect(rows.find((r) => r.type === "term.past")?.payload.assignmentId).toBe(chairTerm);
  });
});

describe("who may rotate a role", () => {
  it("the people who take part in its circle; not observers, outsiders or an admin outside it", async () => {
    const cast = await authorizationCast(env);
    const roleId = await rotatingRole(cast.org, cast.circleId);
    const url = `/orgs/${cast.org.id}/roles/${roleId}/rotate`;
    expect(await statusesOf(cast, (c) => c.post(url, {}))).toEqual({
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 403,
      outsider: 403,
      circleMember: 201,
      admin: 403,
    });
    expect(await count("SELECT count(*)::int AS n FROM proposals WHERE org_id = $1", cast.org.id)).toBe(1);
    expect(
      await statusesOf(cast, (c) => c.get(`/orgs/${cast.org.id}/roles/${roleId}/candidates`)),
    ).toMatchObject({ anonymous: 401, otherOrgAdmin: 404, observer: 200, circleMember: 200 });
  });
});

describe("polyphony rotation plan and polyphony terms due", () => {
  let url: string;
  beforeAll(async () => {
    await env.server.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(env.server.server.address() as AddressInfo).port}`;
  });

  async function run(args: string[], settings: Record<string, string>) {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      env: { ...process.env, POLYPHONY_URL: url, ...settings },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    return { code, stdout, stderr };
  }

  it("prints the plan with each score's reasons, and the terms due", async () => {
    const { org, jo, chair } = await termsStage();
    const token = await jo.client.post("/auth/tokens", { name: "cli" });
    const asJo = { POLYPHONY_TOKEN: token.body.secret, POLYPHONY_ORG: org.slug };
    const [plan, due] = await Promise.all([
      run(["rotation", "plan"], asJo),
      run(["terms", "due", "--json"], asJo),
    ]);
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("1 rotating role is due: 1 planned, 0 unfilled.");
    expect(plan.stdout).toContain("Waterer (Garden, term ending soon): Jo, score");
    expect(plan.stdout).toContain("Holds 1 role now");
    expect(due.code).toBe(0);
    expect(
      JSON.parse(due.stdout).terms.map((t: { roleId: string; state: string }) => [t.roleId, t.state]),
    ).toEqual([
      [chair, "past_term"],
      [expect.any(String), "ending_soon"],
    ]);
  }, 60_000);
});
