import { DEMO_ACCOUNTS, DEMO_ORG, DEMO_PASSWORD, seedDemo } from "../../src/app/demo.js";
import { ApiClient } from "../../test/support/client.js";
import {
  addMember,
  assignRole,
  createCircle,
  createOrg,
  createRole,
  type OrgFixture,
} from "../../test/support/factories.js";
import type { TestEnv } from "../../test/support/harness.js";
import type { CircleStage, Person } from "../../test/support/proposals.js";
import { adoptedProposal } from "../../test/support/proposals.js";

/** The organisation a user created in the browser, as a factory fixture (logged in through the API). */
export async function orgCreatedInBrowser(
  env: TestEnv,
  slug: string,
  founder: { email: string; password: string },
): Promise<OrgFixture> {
  const admin = new ApiClient(env.server);
  const login = await admin.post("/auth/login", founder);
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  admin.csrfToken = login.body.csrfToken;
  const org = await admin.get(`/orgs/${slug}`);
  return { id: org.body.id, slug, admin, adminMemberId: org.body.me.memberId };
}

const DAY = 86_400_000;

/**
 * A small co-op with nested circles, a committee, a community of practice, leadership roles, a shadow, a
 * vacant role and an observer: enough for the overview to show what it is for.
 */
export async function seedCoop(env: TestEnv, org: OrgFixture) {
  const now = env.clock.now();
  const termEnd = (days: number) => new Date(now.getTime() + days * DAY);
  const person = async (name: string, access: "member" | "observer" = "member") =>
    (await addMember(env, org, access, name)).memberId;
  const ada = org.adminMemberId;
  const bea = await person("Bea Okafor");
  const chen = await person("Chen Wei");
  const dara = await person("Dara Kelly");
  const eli = await person("Eli Novak");
  const femi = await person("Femi Adeyemi");
  await person("Hana Sato", "observer");

  const circle = async (
    name: string,
    aim: string,
    fields: { kind?: string; parentId?: string; memberIds: string[] },
  ) => {
    const id = await createCircle(env, org, { name, ...fields });
    await env.db.query("UPDATE circles SET aim = $1 WHERE org_id = $2 AND id = $3", [aim, org.id, id]);
    return id;
  };
  const role = async (
    circleId: string,
    fields: Parameters<typeof createRole>[3],
    holders: { memberId: string; shadow?: boolean }[],
  ) => {
    const roleId = await createRole(env, org, circleId, fields);
    const endsAt = fields?.termDays ? termEnd(fields.termDays) : null;
    for (const { memberId, shadow } of holders)
      await assignRole(env, org, roleId, memberId, { endsAt, shadow: shadow ?? false });
  };

  const general = await circle("General circle", "Hold the co-op's purpose and connect its circles", {
    memberIds: [ada, bea, chen, dara, eli, femi],
  });
  await role(
    general,
    { name: "Facilitator", kind: "facilitator", fillingPolicy: "election", termDays: 365 },
    [{ memberId: bea }],
  );
  await role(general, { name: "Secretary", kind: "secretary", fillingPolicy: "rotation", termDays: 180 }, [
    { memberId: chen },
  ]);

  const operations = await circle("Operations", "Keep the boats, the shed and the tools in good order", {
    parentId: general,
    memberIds: [ada, chen, dara, eli, femi],
  });
  await role(operations, { name: "Leader", kind: "leader", fillingPolicy: "appointment" }, [
    { memberId: ada },
  ]);
  await role(operations, { name: "Delegate", kind: "delegate", fillingPolicy: "election", termDays: 365 }, [
    { memberId: dara },
  ]);
  await role(operations, { name: "Treasurer", fillingPolicy: "appointment" }, [
    { memberId: chen },
    { memberId: femi, shadow: true },
  ]);

  const website = await circle("Website", "Tell the river's story online", {
    parentId: operations,
    memberIds: [eli, femi],
  });
  await role(website, { name: "Leader", kind: "leader", fillingPolicy: "appointment" }, [{ memberId: eli }]);
  await role(website, { name: "Editor", fillingPolicy: "rotation", termDays: 90 }, []);

  const outreach = await circle("Outreach", "Bring schools and neighbours to the river", {
    parentId: general,
    memberIds: [bea, femi],
  });
  await role(outreach, { name: "Leader", kind: "leader", fillingPolicy: "appointment" }, [{ memberId: bea }]);
  await role(outreach, { name: "Delegate", kind: "delegate", fillingPolicy: "election", termDays: 365 }, [
    { memberId: femi },
  ]);

  const finance = await circle("Finance committee", "Propose next year's budget", {
    kind: "committee",
    parentId: general,
    memberIds: [chen, dara],
  });
  await role(finance, { name: "Budget lead", leadership: true, fillingPolicy: "appointment" }, [
    { memberId: dara },
  ]);

  const practice = await circle("Facilitation practice", "Learn to facilitate together", {
    kind: "community_of_practice",
    memberIds: [bea, eli, femi],
  });
  await role(practice, { name: "Host", fillingPolicy: "rotation", termDays: 30 }, [{ memberId: eli }]);
}

/** Everyone in the proposal journeys signs up with this password (see signUpClient). */
export const STAGE_PASSWORD = "correct horse battery";

/**
 * A circle ready for proposals, with people whose names read well on screen: Fay holds the Garden
 * circle's facilitator role, Ann drafts, Ben, Cat and Dan are members. The shape is test/support's
 * CircleStage, so its helpers (advance, proposalInRound, everyoneConsents) work on it.
 */
export async function gardenStage(env: TestEnv, org?: OrgFixture): Promise<CircleStage> {
  const stageOrg = org ?? (await createOrg(env));
  const person = (name: string) => addMember(env, stageOrg, "member", name);
  const facilitator = await person("Fay Moreau");
  const author = await person("Ann Lindqvist");
  const members = [await person("Ben Ito"), await person("Cat Duarte"), await person("Dan Reyes")];
  const everyone = [facilitator, author, ...members];
  const circleId = await createCircle(env, stageOrg, {
    name: "Garden",
    memberIds: everyone.map((p) => p.memberId),
  });
  await env.db.query("UPDATE circles SET aim = $1 WHERE org_id = $2 AND id = $3", [
    "Grow food and flowers for the neighbourhood",
    stageOrg.id,
    circleId,
  ]);
  const roleId = await createRole(env, stageOrg, circleId, {
    kind: "facilitator",
    name: "Facilitator",
    leadership: true,
  });
  await assignRole(env, stageOrg, roleId, facilitator.memberId);
  return { org: stageOrg, circleId, facilitator, author, members, everyone };
}

/** The email a stage person logs in with. */
export const emailOf = (person: Person) => {
  const email = person.client.user?.email;
  if (!email) throw new Error("this person has no login");
  return email;
};

/**
 * The demo organisation (src/app/demo.ts) in the test database, with its admin's login and a way to find
 * its circles, roles and members by name for deep links.
 */
export async function seedDemoOrg(env: TestEnv) {
  const result = await seedDemo(env.ctx);
  if (!result.seeded) throw new Error("the demo was already there");
  const admin = DEMO_ACCOUNTS.find((account) => account.access === "admin");
  if (!admin) throw new Error("the demo has no admin login");
  const idOf = async (table: "circles" | "roles" | "members", name: string) => {
    const { rows } = await env.db.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE org_id = $1 AND name = $2 LIMIT 1`,
      [result.orgId, name],
    );
    if (!rows[0]) throw new Error(`the demo has no ${table} named ${name}`);
    return rows[0].id;
  };
  return {
    orgId: result.orgId,
    slug: DEMO_ORG.slug,
    login: { email: admin.email, password: DEMO_PASSWORD, name: admin.name },
    idOf,
  };
}

/** The Garden stage with a Treasurer role the circle fills by election (a one-year term), nobody holding it yet. */
export async function electionStage(env: TestEnv) {
  const stage = await gardenStage(env);
  const roleId = await createRole(env, stage.org, stage.circleId, {
    name: "Treasurer",
    fillingPolicy: "election",
    termDays: 365,
  });
  return { ...stage, roleId };
}

/**
 * Crisis authority in the Garden circle, granted by the circle's consent (an adopted proposal) to
 * `holder` until `hours` from now. Returns the crisis as the API presents it.
 */
export async function grantGardenCrisis(
  stage: CircleStage,
  holder: Person,
  fields: { scope: string; hours: number; now: Date },
) {
  const consent = await adoptedProposal(stage, { title: "Crisis authority for the flood" });
  const res = await stage.facilitator.client.post(`/orgs/${stage.org.id}/crises`, {
    circleId: stage.circleId,
    holderId: holder.memberId,
    scope: fields.scope,
    endsAt: new Date(fields.now.getTime() + fields.hours * 3_600_000).toISOString(),
    grant: { by: "consent", proposalId: consent },
  });
  if (res.status !== 201) throw new Error(`granting the crisis failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Skills and interests for the co-op of seedCoop, so rotation scores have reasons to show: the Website's
 * Editor asks for Writing, the practice's Host for Facilitation.
 */
export async function seedRotationProfiles(env: TestEnv, org: OrgFixture) {
  const setJson = (table: "members" | "roles", column: string, name: string, value: unknown) =>
    env.db.query(`UPDATE ${table} SET ${column} = $1 WHERE org_id = $2 AND name = $3`, [
      JSON.stringify(value),
      org.id,
      name,
    ]);
  await setJson("roles", "required_skills", "Editor", [{ skill: "Writing", level: 3 }]);
  await setJson("roles", "required_skills", "Host", [{ skill: "Facilitation", level: 2 }]);
  await setJson("members", "skills", "Femi Adeyemi", [{ skill: "Writing", level: 4 }]);
  await setJson("members", "skills", "Eli Novak", [
    { skill: "Writing", level: 2 },
    { skill: "Facilitation", level: 3 },
  ]);
  await setJson("members", "skills", "Bea Okafor", [{ skill: "Facilitation", level: 4 }]);
  await setJson("members", "interests", "Femi Adeyemi", ["Writing for the website"]);
  await setJson("members", "interests", "Bea Okafor", ["Host the practice evenings"]);
  // Two rotating roles in a circle of one: the plan fills one and says why the other stays unfilled.
  const { rows } = await env.db.query<{ id: string }>(
    "SELECT id FROM members WHERE org_id = $1 AND name = 'Dara Kelly'",
    [org.id],
  );
  const archive = await createCircle(env, org, { name: "Boat archive", memberIds: rows.map((r) => r.id) });
  for (const name of ["Archivist", "Logbook keeper"])
    await createRole(env, org, archive, { name, fillingPolicy: "rotation", termDays: 90 });
}
