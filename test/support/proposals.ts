import { newSecret, secretKey } from "../../src/app/secrets.js";
import { ApiClient } from "./client.js";
import { addMember, assignRole, createCircle, createOrg, createRole, type OrgFixture } from "./factories.js";
import type { TestEnv } from "./harness.js";

export interface Person {
  client: ApiClient;
  memberId: string;
}

export interface CircleStage {
  org: OrgFixture;
  circleId: string;
  facilitator: Person;
  author: Person;
  /** The circle's other members; with the facilitator and the author they are the round's participants. */
  members: Person[];
  everyone: Person[];
}

/**
 * An organisation with one circle: a facilitator (holding the circle's facilitator role), an author and
 * `memberCount` other members, all in the circle.
 */
export async function circleStage(env: TestEnv, memberCount = 3): Promise<CircleStage> {
  const org = await createOrg(env);
  const facilitator = await addMember(env, org, "member", "Fay Facilitator");
  const author = await addMember(env, org, "member", "Ann Author");
  const members: Person[] = [];
  for (let i = 0; i < memberCount; i++) members.push(await addMember(env, org, "member", `Member ${i + 1}`));
  const everyone = [facilitator, author, ...members];
  const circleId = await createCircle(env, org, {
    name: "Garden",
    memberIds: everyone.map((p) => p.memberId),
  });
  const roleId = await createRole(env, org, circleId, {
    kind: "facilitator",
    name: "Facilitator",
    leadership: true,
  });
  await assignRole(env, org, roleId, facilitator.memberId);
  return { org, circleId, facilitator, author, members, everyone };
}

/** Drafts a proposal and takes it through presenting, clarifying and reactions into a round. */
export async function proposalInRound(
  stage: CircleStage,
  fields: Record<string, unknown> = {},
  round: { deadline?: string; participants?: string[] } = {},
) {
  const { org, author, facilitator } = stage;
  const created = await author.client.post(`/orgs/${org.id}/proposals`, {
    circleId: stage.circleId,
    title: "Tool library",
    text: "Lend tools from the shed.",
    ...fields,
  });
  if (created.status !== 201) throw new Error(`draft failed: ${JSON.stringify(created.body)}`);
  const id: string = created.body.id;
  for (const to of ["presented", "clarifying", "reactions"]) await advance(stage, id, to);
  const opened = await facilitator.client.post(`/orgs/${org.id}/proposals/${id}/advance`, {
    to: "consent_round",
    ...round,
  });
  if (opened.status !== 200) throw new Error(`opening the round failed: ${JSON.stringify(opened.body)}`);
  return id;
}

export async function advance(stage: CircleStage, proposalId: string, to: string, extra: object = {}) {
  const res = await stage.facilitator.client.post(`/orgs/${stage.org.id}/proposals/${proposalId}/advance`, {
    to,
    ...extra,
  });
  if (res.status !== 200)
    throw new Error(`advance to ${to} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The types of the organisation's log entries about proposals, in order. */
export const logTypes = async (env: TestEnv, orgId: string) =>
  (
    await env.db.query<{ type: string }>(
      `SELECT type FROM log_entries WHERE org_id = $1 AND (type LIKE 'proposal.%' OR type LIKE 'objection.%')
       ORDER BY seq`,
      [orgId],
    )
  ).rows.map((r) => r.type);

/** Takes a draft through presenting, clarifying and reactions into a round (as `proposalInRound` does for a new one). */
export async function openRoundOn(
  stage: CircleStage,
  proposalId: string,
  round: { deadline?: string; participants?: string[] } = {},
) {
  for (const to of ["presented", "clarifying", "reactions"]) await advance(stage, proposalId, to);
  return advance(stage, proposalId, "consent_round", round);
}

/** Everyone in the stage consents in the running round; the last response closes it. */
export async function everyoneConsents(stage: CircleStage, proposalId: string) {
  for (const person of stage.everyone) {
    const res = await person.client.post(`/orgs/${stage.org.id}/proposals/${proposalId}/responses`, {
      kind: "consent",
    });
    if (res.status !== 201) throw new Error(`consent failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A consent proposal drafted, taken through its phases and consented to by everyone: adopted. */
export async function adoptedProposal(stage: CircleStage, fields: Record<string, unknown> = {}) {
  const id = await proposalInRound(stage, fields);
  await everyoneConsents(stage, id);
  return id;
}

/** How many entries the organisation's log holds. */
export const logLength = async (env: TestEnv, orgId: string) =>
  (await env.db.query<{ n: number }>("SELECT count(*)::int AS n FROM log_entries WHERE org_id = $1", [orgId]))
    .rows[0]?.n ?? 0;

/**
 * Many members at once, written straight to the database with a live session each: signing up
 * hundreds through the API costs an argon2 hash apiece. They cannot log in (no real password); they
 * join `circleId` when one is given.
 */
export async function quickMembers(env: TestEnv, org: OrgFixture, count: number, circleId?: string) {
  const now = env.clock.now();
  const people = Array.from({ length: count }, (_, i) => ({
    userId: env.ctx.newId(),
    memberId: env.ctx.newId(),
    name: `Quick ${i + 1}`,
    token: newSecret("ps_"),
    csrfToken: newSecret(),
  }));
  const column = <T>(pick: (p: (typeof people)[number]) => T) => people.map(pick);
  await env.db.query(
    `INSERT INTO users (id, email, name, password_hash, created_at)
     SELECT id, 'quick.' || id || '@example.org', name, 'no password', $3 FROM unnest($1::uuid[], $2::text[]) AS u(id, name)`,
    [column((p) => p.userId), column((p) => p.name), now],
  );
  await env.db.query(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
     SELECT * , $4::timestamptz, $5::timestamptz FROM unnest($1::text[], $2::uuid[], $3::text[])`,
    [
      column((p) => secretKey(p.token)),
      column((p) => p.userId),
      column((p) => p.csrfToken),
      now,
      new Date(now.getTime() + 30 * 86_400_000),
    ],
  );
  await env.db.query(
    `INSERT INTO members (org_id, id, user_id, name, access, joined_at)
     SELECT $1, *, 'member', $5 FROM unnest($2::uuid[], $3::uuid[], $4::text[])`,
    [org.id, column((p) => p.memberId), column((p) => p.userId), column((p) => p.name), now],
  );
  if (circleId)
    await env.db.query(
      `INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) SELECT $1, $2, id, $4 FROM unnest($3::uuid[]) AS m(id)`,
      [org.id, circleId, column((p) => p.memberId), now],
    );
  return people.map((p): Person => {
    const client = new ApiClient(env.server);
    client.cookie = `polyphony_session=${p.token}`;
    client.csrfToken = p.csrfToken;
    client.user = { id: p.userId, email: `quick.${p.userId}@example.org`, name: p.name };
    return { client, memberId: p.memberId };
  });
}

/**
 * Moves the clock to `at` for tests that wait months (a decision's review date). Sessions last 30
 * days, so everyone's session is renewed as if they had signed in again.
 */
export async function moveClock(env: TestEnv, at: string) {
  env.clock.set(at);
  await env.db.query("UPDATE sessions SET expires_at = $1", [new Date(Date.parse(at) + 30 * 86_400_000)]);
}
