import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_ORG, DEMO_PASSWORD, seedDemo, seedDemoIntoEmptyStore } from "../src/app/demo.js";
import { assertNotAlreadyHolding, isActiveAt } from "../src/core/assignments.js";
import type { MemberId } from "../src/core/ids.js";
import { assertProfile } from "../src/core/members.js";
import { assertRoleShape } from "../src/core/roles.js";
import { readLog, verifyOrgLog } from "../src/db/log.js";
import { ApiClient, signUpClient } from "./support/client.js";
import { withTestEnv } from "./support/harness.js";

const env = withTestEnv();

async function seeded() {
  const result = await seedDemo(env.ctx);
  if (!result.seeded) throw new Error("the demo was not seeded");
  return result.orgId;
}

async function logInAs(email: string) {
  const client = new ApiClient(env.server);
  const login = await client.post("/auth/login", { email, password: DEMO_PASSWORD });
  if (login.status !== 200) throw new Error(`${email} could not log in`);
  return client;
}

const count = async (table: string, orgId: string) =>
  (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE org_id = $1`, [orgId]))
    .rows[0]?.n;

describe("the demo organisation", () => {
  it("tells a year of the orchestra's history in a log that verifies and reads in time order", async () => {
    const orgId = await seeded();
    const verdict = await verifyOrgLog(env.db, orgId);
    expect(verdict.ok).toBe(true);
    const log = await readLog(env.db, orgId, { limit: 10_000 });
    const times = log.map((entry) => entry.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(log[0]?.type).toBe("org.created");
    const now = env.clock.now().getTime();
    expect(now - (times[0] ?? now)).toBeGreaterThanOrEqual(364 * 86_400_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(now);
  });

  it("writes every seeded fact with its log entry", async () => {
    const orgId = await seeded();
    const log = await readLog(env.db, orgId, { limit: 10_000 });
    const entries = (type: string) => log.filter((entry) => entry.type === type).length;
    expect(entries("member.joined")).toBe(await count("members", orgId));
    expect(entries("circle.created")).toBe(await count("circles", orgId));
    expect(entries("circle.member_added")).toBe(await count("circle_members", orgId));
    expect(entries("role.created")).toBe(await count("roles", orgId));
    expect(entries("assignment.created")).toBe(await count("assignments", orgId));
    const endedEarly = await env.db.query<{ id: string; ends_at: Date; handover_notes: string }>(
      "SELECT id, ends_at, handover_notes FROM assignments WHERE org_id = $1 AND handover_notes <> ''",
      [orgId],
    );
    const ended = log.filter((entry) => entry.type === "assignment.ended");
    const steppedDown = ended.filter((entry) => entry.payload.handoverNotes !== undefined);
    expect(steppedDown.map((entry) => entry.payload.assignmentId).sort()).toEqual(
      endedEarly.rows.map((row) => row.id).sort(),
    );
    // The one other early end: the secretary's term, cut short by the election of her successor.
    expect(ended.filter((entry) => entry.payload.handoverNotes === undefined)).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ reason: "elected" }) }),
    ]);
    for (const entry of ended) expect(entry.at.toISOString()).toBe(entry.payload.endsAt);
  });

  it("has the orchestra's members, circles and roles, with a committee that ends and a rotating concertmaster", async () => {
    const orgId = await seeded();
    const members = await env.db.query<{ access: string; skills: { skill: string; level: number }[] }>(
      "SELECT access, skills, interests, hours_available, mentoring_offered, mentoring_wanted FROM members WHERE org_id = $1",
      [orgId],
    );
    expect(members.rows).toHaveLength(20);
    expect(new Set(members.rows.map((m) => m.access))).toEqual(new Set(["admin", "member", "observer"]));
    for (const member of members.rows) {
      expect(member.skills.length).toBeGreaterThan(0);
      expect(() => assertProfile(member as never)).not.toThrow();
    }

    const circles = await env.db.query<{
      name: string;
      kind: string;
      parent: string | null;
      sunset_at: Date | null;
    }>(
      `SELECT c.name, c.kind, p.name AS parent, c.sunset_at FROM circles c
       LEFT JOIN circles p ON p.org_id = c.org_id AND p.id = c.parent_id WHERE c.org_id = $1 ORDER BY c.name`,
      [orgId],
    );
    expect(circles.rows.map((c) => [c.name, c.kind, c.parent])).toEqual([
      ["Artistic Planning", "circle", "Orchestra Council"],
      ["Education Outreach", "committee", "Orchestra Council"],
      ["Operations", "circle", "Orchestra Council"],
      ["Orchestra Council", "council", null],
      ["Strings", "community_of_practice", "Orchestra Council"],
    ]);
    const sunset = circles.rows.find((c) => c.kind === "committee")?.sunset_at as Date;
    const monthsAhead = (sunset.getTime() - env.clock.now().getTime()) / (30 * 86_400_000);
    expect(monthsAhead).toBeGreaterThan(7);
    expect(monthsAhead).toBeLessThan(9);

    const structural = await env.db.query<{ circle: string; kinds: string[] }>(
      `SELECT c.name AS circle, array_agg(r.kind ORDER BY r.kind) AS kinds FROM roles r
       JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
       WHERE r.org_id = $1 AND r.kind IN ('facilitator', 'leader', 'delegate') GROUP BY c.name ORDER BY c.name`,
      [orgId],
    );
    expect(structural.rows).toEqual([
      { circle: "Artistic Planning", kinds: ["delegate", "facilitator", "leader"] },
      { circle: "Education Outreach", kinds: ["delegate", "facilitator", "leader"] },
      { circle: "Operations", kinds: ["delegate", "facilitator", "leader"] },
      { circle: "Orchestra Council", kinds: ["facilitator"] },
      { circle: "Strings", kinds: ["facilitator"] },
    ]);

    const concertmaster = await env.db.query<{
      name: string;
      starts_at: Date;
      ends_at: Date;
      source: string;
    }>(
      `SELECT m.name, a.starts_at, a.ends_at, a.source FROM assignments a
       JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
       WHERE a.org_id = $1 AND r.name = 'Concertmaster' AND NOT a.shadow ORDER BY a.starts_at`,
      [orgId],
    );
    expect(concertmaster.rows.length).toBeGreaterThanOrEqual(6);
    expect(new Set(concertmaster.rows.map((a) => a.name)).size).toBeGreaterThanOrEqual(3);
    concertmaster.rows.forEach((term, i) => {
      expect(term.source).toBe("rotation");
      const next = concertmaster.rows[i + 1];
      if (next) {
        expect(next.starts_at).toEqual(term.ends_at);
        expect(next.name).not.toBe(term.name);
      }
    });
    expect(
      isActiveAt(
        { startsAt: concertmaster.rows.at(-1)!.starts_at, endsAt: concertmaster.rows.at(-1)!.ends_at },
        env.clock.now(),
      ),
    ).toBe(true);
  });

  it("keeps to the domain's rules: terms for elected and rotating roles, one holder at a time, a current holder for each role", async () => {
    const orgId = await seeded();
    const roles = await env.db.query<{
      id: string;
      name: string;
      filling_policy: "election" | "rotation" | "appointment";
      term_days: number | null;
      max_consecutive_terms: number | null;
    }>("SELECT id, name, filling_policy, term_days, max_consecutive_terms FROM roles WHERE org_id = $1", [
      orgId,
    ]);
    const now = env.clock.now();
    for (const role of roles.rows) {
      expect(() =>
        assertRoleShape({
          fillingPolicy: role.filling_policy,
          termDays: role.term_days,
          maxConsecutiveTerms: role.max_consecutive_terms,
        }),
      ).not.toThrow();
      const { rows } = await env.db.query<{
        member_id: MemberId;
        starts_at: Date;
        ends_at: Date | null;
        shadow: boolean;
      }>(
        "SELECT member_id, starts_at, ends_at, shadow FROM assignments WHERE org_id = $1 AND role_id = $2 ORDER BY starts_at",
        [orgId, role.id],
      );
      const terms = rows.map((r) => ({
        memberId: r.member_id,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        shadow: r.shadow,
      }));
      terms.forEach((term, i) => {
        expect(() => assertNotAlreadyHolding(terms.slice(0, i), term)).not.toThrow();
        if (role.filling_policy !== "appointment") expect(term.endsAt).not.toBeNull();
      });
      const holders = terms.filter((t) => !t.shadow);
      holders.forEach((term, i) => {
        const next = holders[i + 1];
        if (next) expect(term.endsAt!.getTime()).toBeLessThanOrEqual(next.startsAt.getTime());
      });
      expect(
        holders.filter((t) => isActiveAt(t, now)),
        role.name,
      ).toHaveLength(1);
    }
    const shadows = await env.db.query("SELECT 1 FROM assignments WHERE org_id = $1 AND shadow", [orgId]);
    expect(shadows.rows.length).toBeGreaterThanOrEqual(2);
  });

  it("lets the demo accounts log in and see the organisation from their own viewpoint", async () => {
    await seeded();
    expect(DEMO_ACCOUNTS.length).toBeGreaterThanOrEqual(3);
    for (const account of DEMO_ACCOUNTS) {
      const client = new ApiClient(env.server);
      const login = await client.post("/auth/login", { email: account.email, password: DEMO_PASSWORD });
      expect(login.status, account.email).toBe(200);
      expect(login.body.orgs).toEqual([
        expect.objectContaining({ slug: DEMO_ORG.slug, access: account.access }),
      ]);
    }
    expect(DEMO_ACCOUNTS[0]).toMatchObject({ email: "demo@polyphony.example", access: "admin" });
  });

  it("makes its proposals and decisions through the app's use-cases, each with its log entries", async () => {
    const orgId = await seeded();
    const log = await readLog(env.db, orgId, { limit: 10_000 });
    const entries = (type: string) => log.filter((entry) => entry.type === type).length;
    expect(entries("proposal.created")).toBe(await count("proposals", orgId));
    expect(entries("proposal.adopted")).toBe(await count("decisions", orgId));
    expect(entries("proposal.question_asked")).toBe(await count("proposal_questions", orgId));
    expect(entries("objection.raised")).toBe(await count("objections", orgId));
    expect(entries("proposal.advice_given")).toBe(await count("proposal_advice", orgId));
    expect(entries("proposal.responded")).toBe(await count("proposal_responses", orgId));
    expect(entries("selection.started")).toBe(await count("selections", orgId));
    expect(entries("crisis.granted")).toBe(await count("crises", orgId));
    expect(entries("role.rotation_proposed")).toBe(await count("proposal_effects", orgId));
    expect(entries("meeting.scheduled")).toBe(await count("meetings", orgId));
    expect(entries("rota.created")).toBe(await count("rotas", orgId));
    expect(entries("mentorship.started")).toBe(await count("mentorships", orgId));
    expect(entries("cycle.opened")).toBe(await count("cycles", orgId));
    expect(entries("feedback.requested")).toBe(await count("performance_reviews", orgId));
    expect(entries("feedback.answered")).toBe(await count("feedback_answers", orgId));
    expect(entries("feedback.plan_drafted")).toBe(await count("review_plans", orgId));
    expect(entries("appreciation.given")).toBe(await count("appreciations", orgId));
    expect(entries("community.advice_published")).toBe(await count("community_advice", orgId));
    const states = await env.db.query<{ title: string; state: string }>(
      "SELECT title, state FROM proposals WHERE org_id = $1 ORDER BY created_at",
      [orgId],
    );
    expect(states.rows.map((p) => [p.title, p.state])).toEqual([
      ["Rotate the concertmaster per programme", "adopted"],
      ["Choose the season's repertoire by secret vote", "adopted"],
      ["Ratify Maya's crisis authority for the gala", "adopted"],
      ["The gala's crisis decisions", "adopted"],
      ["Spring programme: Stravinsky's Dumbarton Oaks and Haydn's Farewell Symphony", "adopted"],
      ["Touring per diem policy", "adopted"],
      ["Rotate Concertmaster to Jonas Becker", "adopted"],
      ["Seating rota for the string section", "adopted"],
      ["Mixed string and wind pairs lead every workshop", "adopted"],
      ["Hand the concertmaster role on automatically", "adopted"],
      ["Secretary: improvement plan for the next term", "adopted"],
      ["A reserve fund from every concert fee", "consent_round"],
      ["Commission a new work for the 2027 season", "clarifying"],
      ["Ratify Amara's crisis authority for the flooded hall", "adopted"],
    ]);
  });

  it("elects the secretary through the selection process, and keeps the open election's nominations hidden", async () => {
    const orgId = await seeded();
    const memberId = async (name: string) =>
      (
        await env.db.query<{ id: string }>("SELECT id FROM members WHERE org_id = $1 AND name = $2", [
          orgId,
          name,
        ])
      ).rows[0]!.id;
    const [fatima, chloe] = [await memberId("Fatima Haddad"), await memberId("Chloé Martin")];
    const selections = await env.db.query<{ id: string; state: string }>(
      "SELECT id, state FROM selections WHERE org_id = $1 ORDER BY created_at",
      [orgId],
    );
    expect(selections.rows.map((s) => s.state)).toEqual(["elected", "nominating"]);
    const [completed, open] = selections.rows.map((s) => s.id) as [string, string];

    const demo = await logInAs("demo@polyphony.example");
    const elected = (await demo.get(`/orgs/${orgId}/elections/${completed}`)).body;
    expect(elected.outcome).toMatchObject({ memberId: fatima, termDays: 180 });
    expect(elected.nominations.filter((n: any) => n.round === "changing")).toHaveLength(1);
    expect(elected.nominationCounts[0]).toEqual({ nomineeId: fatima, count: 6 });
    const monthsAgo = (env.clock.now().getTime() - Date.parse(elected.outcome.startsAt)) / (30 * 86_400_000);
    expect(monthsAgo).toBeGreaterThan(5);
    expect(monthsAgo).toBeLessThan(6.5);

    // The election's term replaced Chloé's, which ended early at the handover.
    const terms = await env.db.query<{ member_id: string; starts_at: Date; ends_at: Date; source: string }>(
      `SELECT a.member_id, a.starts_at, a.ends_at, a.source FROM assignments a
       JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
       WHERE a.org_id = $1 AND r.name = 'Secretary' ORDER BY a.starts_at`,
      [orgId],
    );
    expect(terms.rows.map((t) => [t.member_id, t.source])).toEqual([
      [chloe, "election"],
      [fatima, "election"],
    ]);
    expect(terms.rows[0]!.ends_at.toISOString()).toBe(elected.outcome.startsAt);
    expect(terms.rows[1]!.ends_at.toISOString()).toBe(elected.outcome.endsAt);

    // Nominations are in, but until the reveal nobody sees anyone else's, the facilitator included.
    const nominated = await env.db.query(
      "SELECT 1 FROM log_entries WHERE org_id = $1 AND type = 'selection.nominated' AND payload ->> 'selectionId' = $2",
      [orgId, open],
    );
    expect(nominated.rows).toHaveLength(3);
    const ines = await logInAs("ines@polyphony.example");
    for (const viewer of [ines, demo]) {
      const running = (await viewer.get(`/orgs/${orgId}/elections/${open}`)).body;
      expect(running).toMatchObject({ state: "nominating", revealedAt: null, nominations: [] });
      expect(running.nominationCounts).toEqual([]);
      expect(Date.parse(running.phase.deadline)).toBeGreaterThan(env.clock.now().getTime());
    }
  });

  it("has a crisis active now with a countdown, and an ended one whose decisions were ratified and revoked by consent", async () => {
    const orgId = await seeded();
    const tomas = await logInAs("tomas@polyphony.example");
    const active = (await tomas.get(`/orgs/${orgId}/crises?state=active`)).body.crises;
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      scope: expect.stringMatching(/^Hall flooding/),
      activeNow: true,
      grant: { by: "expedited" },
      ratification: expect.objectContaining({ proposalId: expect.any(String) }),
    });
    const daysLeft = active[0].countdownMs / 86_400_000;
    expect(daysLeft).toBeGreaterThan(2);
    expect(daysLeft).toBeLessThan(4);
    expect(active[0].decisions.map((d: any) => d.status)).toEqual(["in_force", "in_force"]);

    const closed = (await tomas.get(`/orgs/${orgId}/crises?state=closed`)).body.crises;
    expect(closed).toHaveLength(1);
    const gala = closed[0];
    expect(gala).toMatchObject({
      scope: expect.stringMatching(/^Soloist cancelled two days before the gala/),
      grant: { by: "expedited" },
      endReason: "released",
      endNotedAt: expect.any(String),
    });
    const ratifiedWithinHours = (Date.parse(gala.ratification.at) - Date.parse(gala.grantedAt)) / 3_600_000;
    expect(ratifiedWithinHours).toBeLessThan(72);
    expect(gala.decisions.map((d: any) => d.status)).toEqual(["ratified", "revoked"]);
    const judgedBy = new Set(gala.decisions.map((d: any) => d.resolution.proposalId));
    expect(judgedBy.size).toBe(1);
    const consents = await env.db.query<{ id: string; title: string; state: string }>(
      "SELECT id, title, state FROM proposals WHERE org_id = $1 AND id = ANY($2::uuid[])",
      [orgId, [...judgedBy, gala.ratification.proposalId, active[0].ratification.proposalId]],
    );
    expect(consents.rows.map((p) => p.state)).toEqual(["adopted", "adopted", "adopted"]);
  });

  it("hands the concertmaster on by consent, then automatically once the circle chose that", async () => {
    const orgId = await seeded();
    const effects = await env.db.query<{
      state: string;
      payload: { assignmentId: string; memberId: string; startsAt: string };
      applied_at: Date | null;
    }>(
      `SELECT p.state, e.payload, e.applied_at FROM proposal_effects e
       JOIN proposals p ON p.org_id = e.org_id AND p.id = e.proposal_id WHERE e.org_id = $1`,
      [orgId],
    );
    expect(effects.rows).toHaveLength(1);
    const effect = effects.rows[0]!;
    expect(effect.state).toBe("adopted");
    expect(effect.applied_at).not.toBeNull();
    const handedOver = await env.db.query<{ name: string; starts_at: Date }>(
      `SELECT m.name, a.starts_at FROM assignments a JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
       WHERE a.org_id = $1 AND a.id = $2`,
      [orgId, effect.payload.assignmentId],
    );
    expect(handedOver.rows).toEqual([{ name: "Jonas Becker", starts_at: new Date(effect.payload.startsAt) }]);

    const log = await readLog(env.db, orgId, { limit: 10_000 });
    const rotated = log.filter((entry) => entry.type === "role.rotated");
    expect(rotated.map((entry) => entry.payload.mode)).toEqual(["consent", "automatic"]);
    const chosen = log.find((entry) => entry.type === "role.updated");
    expect(chosen?.payload).toMatchObject({ rotationMode: "automatic" });
    expect(chosen!.at.getTime()).toBeGreaterThan(rotated[0]!.at.getTime());
    expect(chosen!.at.getTime()).toBeLessThan(rotated[1]!.at.getTime());

    const concertmaster = await env.db.query<{ rotation_mode: string; holder: string; id: string }>(
      `SELECT r.rotation_mode, m.name AS holder, a.id FROM roles r
       JOIN assignments a ON a.org_id = r.org_id AND a.role_id = r.id AND NOT a.shadow
       JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
       WHERE r.org_id = $1 AND r.name = 'Concertmaster' AND a.starts_at <= $2 AND a.ends_at > $2`,
      [orgId, env.clock.now()],
    );
    expect(concertmaster.rows).toEqual([
      { rotation_mode: "automatic", holder: "Elias Petrov", id: rotated[1]!.payload.assignmentId },
    ]);
  });

  it("has decisions of every kind: one due for review, one with an objection integrated, a mandate, a vote and advice", async () => {
    const orgId = await seeded();
    const demo = await logInAs("demo@polyphony.example");
    const { body } = await demo.get(`/orgs/${orgId}/decisions`);
    const byTitle = new Map<string, any>(body.decisions.map((d: any) => [d.title, d]));
    expect(body.decisions.filter((d: any) => d.dueForReview).map((d: any) => d.title)).toEqual([
      "Rotate the concertmaster per programme",
    ]);
    const rotation = byTitle.get("Rotate the concertmaster per programme");
    const monthsAgo = (env.clock.now().getTime() - Date.parse(rotation.adoptedAt)) / (30 * 86_400_000);
    expect(monthsAgo).toBeGreaterThan(6.5);
    expect(monthsAgo).toBeLessThan(7.5);
    expect(rotation).toMatchObject({ version: 2, can: { review: true } });

    const seating = byTitle.get("Seating rota for the string section");
    expect(seating).toMatchObject({ reviewMonths: 3, dueForReview: false });
    expect(seating.termShortenedBy).toHaveLength(1);
    expect(seating.concerns).toHaveLength(1);

    expect(byTitle.get("Choose the season's repertoire by secret vote").grantsMandate).toMatchObject({
      decisionClass: "repertoire",
      secret: true,
    });
    const mandates = await env.db.query(
      "SELECT decision_class, secret FROM voting_mandates WHERE org_id = $1",
      [orgId],
    );
    expect(mandates.rows).toEqual([{ decision_class: "repertoire", secret: true }]);
    expect(
      byTitle.get("Spring programme: Stravinsky's Dumbarton Oaks and Haydn's Farewell Symphony"),
    ).toMatchObject({ method: "vote", tally: { counts: { yes: 6, no: 2, abstain: 1 }, quorumMet: true } });

    const perDiem = byTitle.get("Touring per diem policy");
    expect(perDiem.method).toBe("advice");
    expect(perDiem.advice.given).toHaveLength(2);
    expect(perDiem.advice.notAdvised).toEqual([]);
  });

  it("keeps a secret vote's ballots secret: neither the responses nor the log say who chose what", async () => {
    const orgId = await seeded();
    const ballots = await env.db.query<{ response: Record<string, unknown> }>(
      `SELECT s.response FROM proposal_responses s JOIN proposal_rounds r
         ON r.org_id = s.org_id AND r.proposal_id = s.proposal_id AND r.number = s.round
       WHERE s.org_id = $1 AND r.method = 'vote'`,
      [orgId],
    );
    expect(ballots.rows).toHaveLength(9);
    for (const ballot of ballots.rows) expect(ballot.response).toEqual({ kind: "secret_ballot" });
    const log = await readLog(env.db, orgId, { limit: 10_000 });
    const votes = log.filter(
      (entry) => entry.type === "proposal.responded" && entry.payload.response === "vote",
    );
    expect(votes).toHaveLength(9);
    for (const vote of votes) expect(vote.payload).not.toHaveProperty("choice");
  });

  it("has a round running now and a question waiting, so the demo logins find something to do", async () => {
    const orgId = await seeded();
    const now = env.clock.now().getTime();
    const live = await env.db.query<{ title: string; phase_deadline: Date }>(
      "SELECT title, phase_deadline FROM proposals WHERE org_id = $1 AND state = 'consent_round'",
      [orgId],
    );
    expect(live.rows).toHaveLength(1);
    const daysLeft = (live.rows[0]!.phase_deadline.getTime() - now) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(1);
    expect(daysLeft).toBeLessThan(7);

    const demo = await logInAs("demo@polyphony.example");
    const items = (await demo.get(`/orgs/${orgId}/attention`)).body.items;
    expect(new Set(items.map((item: any) => item.kind))).toEqual(
      new Set(["respond", "answer_questions", "review_decision", "term_ending"]),
    );
    const round = items.find((item: any) => item.kind === "respond");
    const proposal = (await demo.get(`/orgs/${orgId}/proposals/${round.proposalId}`)).body;
    expect(proposal.round.tally).toMatchObject({ consentWithConcern: 1, quorumMet: false });
    expect(proposal.round.tally.responded).toBeGreaterThan(0);
    expect(proposal.can.respond).toBe(true);

    const ines = await logInAs("ines@polyphony.example");
    const inesItems = (await ines.get(`/orgs/${orgId}/attention`)).body.items;
    expect(inesItems.map((item: any) => item.kind)).toContain("respond");
  });

  it("holds its circles' meetings: closed ones with rounds, minutes and evaluations, and one next week", async () => {
    const orgId = await seeded();
    const demo = await logInAs("demo@polyphony.example");
    const { meetings } = (await demo.get(`/orgs/${orgId}/meetings`)).body;
    const closed = meetings.filter((m: any) => m.state === "closed");
    expect(closed).toHaveLength(3);
    for (const meeting of closed) {
      expect(meeting.checkIns.length, meeting.title).toBeGreaterThan(0);
      expect(meeting.checkOuts.length, meeting.title).toBeGreaterThan(0);
      expect(meeting.minutes, meeting.title).not.toBeNull();
      expect(meeting.evaluations.length, meeting.title).toBeGreaterThan(0);
      expect(meeting.averageRating, meeting.title).toBeGreaterThanOrEqual(3);
      const linked = meeting.agenda.filter((item: any) => item.kind === "proposal");
      expect(linked.length, meeting.title).toBeGreaterThan(0);
      for (const item of linked)
        expect((await demo.get(`/orgs/${orgId}/proposals/${item.proposalId}`)).status).toBe(200);
    }
    expect(closed.flatMap((m: any) => m.attendance).some((mark: any) => !mark.present)).toBe(true);

    const upcoming = meetings.filter((m: any) => m.state === "scheduled");
    expect(upcoming).toHaveLength(1);
    const daysAhead = (Date.parse(upcoming[0].startsAt) - env.clock.now().getTime()) / 86_400_000;
    expect(daysAhead).toBeGreaterThan(5);
    expect(daysAhead).toBeLessThan(8);
    const election = upcoming[0].agenda.find((item: any) => item.kind === "selection");
    expect((await demo.get(`/orgs/${orgId}/elections/${election.selectionId}`)).body.state).toBe(
      "nominating",
    );
    expect(await count("calendar_feeds", orgId)).toBe(1);
  });

  it("keeps a meeting host rota: turns taken, one skipped and one swapped, the turns holding the role", async () => {
    const orgId = await seeded();
    const demo = await logInAs("demo@polyphony.example");
    const { rotas } = (await demo.get(`/orgs/${orgId}/rotas`)).body;
    expect(rotas).toHaveLength(1);
    const [rota] = rotas;
    expect(rota.turns.map((t: any) => t.skipped)).toEqual([false, true, false, false, false]);
    expect(rota.swaps).toEqual([expect.objectContaining({ state: "accepted" })]);
    const swapped = rota.turns.filter((t: any) => t.swapId === rota.swaps[0].id);
    expect(swapped).toHaveLength(2);
    for (const turn of swapped) expect(turn.memberId).not.toBe(turn.slotOf);
    const holders = await env.db.query<{ member_id: string }>(
      "SELECT member_id FROM assignments WHERE org_id = $1 AND role_id = $2 AND starts_at <= $3 AND ends_at > $3",
      [orgId, rota.roleId, env.clock.now()],
    );
    expect(holders.rows).toEqual([{ member_id: rota.turns.at(-1).memberId }]);
  });

  it("completes a performance review whose answers only the holder and the review group read", async () => {
    const orgId = await seeded();
    const demo = await logInAs("demo@polyphony.example");
    const { reviews } = (await demo.get(`/orgs/${orgId}/feedback`)).body;
    expect(reviews).toHaveLength(1);
    const [review] = reviews;
    expect(review).toMatchObject({ state: "complete", waitingFor: [], plan: { proposalState: "adopted" } });
    expect(review.answeredBy).toHaveLength(3);

    // Maya was asked for her feedback; Inés was not, and reads that the review happened, not what was said.
    expect((await demo.get(`/orgs/${orgId}/feedback/${review.id}`)).body.answers).toHaveLength(3);
    const ines = await logInAs("ines@polyphony.example");
    const seen = await ines.get(`/orgs/${orgId}/feedback/${review.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ state: "complete", answers: null, can: { readAnswers: false } });
    expect((await ines.get(`/orgs/${orgId}/feedback/${review.id}/answers`)).status).toBe(403);
  });

  it("reflects in cycles, mentors, advises across circles and says thank you", async () => {
    const orgId = await seeded();
    const demo = await logInAs("demo@polyphony.example");
    const { cycles } = (await demo.get(`/orgs/${orgId}/cycles`)).body;
    expect(cycles.map((c: any) => [c.subject.kind, c.state])).toEqual(
      expect.arrayContaining([
        ["initiative", "closed"],
        ["crisis", "closed"],
      ]),
    );
    const initiative = cycles.find((c: any) => c.subject.kind === "initiative");
    expect(initiative.phases.map((p: any) => p.phase)).toEqual(["plan", "act", "observe", "reflect"]);
    const proposed = initiative.lessons.filter((l: any) => l.proposalId !== null);
    expect(proposed).toHaveLength(1);
    expect((await demo.get(`/orgs/${orgId}/proposals/${proposed[0].proposalId}`)).body.state).toBe("adopted");

    const { mentorships } = (await demo.get(`/orgs/${orgId}/mentorships`)).body;
    expect(mentorships.map((m: any) => m.state).sort()).toEqual(["active", "ended"]);
    for (const mentorship of mentorships) expect(mentorship.checkInCount).toBeGreaterThan(0);

    const circles = await env.db.query<{ id: string; name: string }>(
      "SELECT id, name FROM circles WHERE org_id = $1",
      [orgId],
    );
    const artistic = circles.rows.find((c) => c.name === "Artistic Planning")!.id;
    const { advice } = (await demo.get(`/orgs/${orgId}/circles/${artistic}/advice`)).body;
    expect(advice).toEqual([expect.objectContaining({ communityName: "Strings" })]);

    const maya = (
      await env.db.query<{ id: string }>(
        "SELECT id FROM members WHERE org_id = $1 AND name = 'Maya Lindqvist'",
        [orgId],
      )
    ).rows[0]!.id;
    const feed = (await demo.get(`/orgs/${orgId}/appreciations?memberId=${maya}`)).body.appreciations;
    expect(feed.length).toBeGreaterThanOrEqual(2);
    for (const thanks of feed) expect(thanks.memberIds).toContain(maya);
    expect(feed.some((thanks: any) => thanks.subject?.kind === "role")).toBe(true);
    const subjects = (await demo.get(`/orgs/${orgId}/appreciations`)).body.appreciations.map(
      (thanks: any) => thanks.subject?.kind ?? null,
    );
    expect(new Set(subjects)).toEqual(new Set(["role", "proposal", "cycle", null]));
  });

  it("seeds once: a second seeding changes nothing", async () => {
    const orgId = await seeded();
    const headBefore = await env.db.query("SELECT seq, hash FROM log_heads WHERE org_id = $1", [orgId]);
    expect(await seedDemo(env.ctx)).toEqual({ seeded: false });
    expect((await env.db.query("SELECT id FROM orgs")).rows).toEqual([{ id: orgId }]);
    expect((await env.db.query("SELECT seq, hash FROM log_heads WHERE org_id = $1", [orgId])).rows).toEqual(
      headBefore.rows,
    );
  });

  it("seeds a first start's empty store, and leaves a store with organisations alone", async () => {
    const alice = await signUpClient(env.server, "Alice");
    await alice.post("/orgs", { name: "River Co-op" });
    expect(await seedDemoIntoEmptyStore(env.ctx)).toEqual({ seeded: false });
    expect((await env.db.query("SELECT slug FROM orgs")).rows).toEqual([{ slug: "river-co-op" }]);

    await env.db.exec("TRUNCATE orgs, members, log_entries, log_heads CASCADE");
    expect(await seedDemoIntoEmptyStore(env.ctx)).toMatchObject({ seeded: true });
  });

  it("refuses, changing nothing, when a demo email belongs to someone's account", async () => {
    const client = new ApiClient(env.server);
    await client.post("/auth/signup", {
      email: "demo@polyphony.example",
      name: "Someone",
      password: "a long password",
    });
    await expect(seedDemo(env.ctx)).rejects.toMatchObject({ code: "conflict" });
    expect((await env.db.query("SELECT 1 FROM orgs")).rows).toHaveLength(0);
    expect((await env.db.query("SELECT 1 FROM users")).rows).toHaveLength(1);
  });

  it("leaves nothing behind when seeding fails midway through the history", async () => {
    let made = 0;
    // The structure's ids are made before anything is written, the proposals' ids as the history runs:
    // from the 91st on every id is the same, so a proposal's record collides with an earlier one.
    const sameId = "00000000-0000-4000-8000-000000000000";
    const failing = { ...env.ctx, newId: () => (++made <= 90 ? randomUUID() : sameId) };
    await expect(seedDemo(failing)).rejects.toThrow();
    expect(made).toBeGreaterThan(91);
    for (const table of ["orgs", "users", "members", "proposals", "log_entries"])
      expect((await env.db.query(`SELECT 1 FROM ${table}`)).rows, table).toHaveLength(0);
  });
});
