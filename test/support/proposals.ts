import type { ApiClient } from "./client.js";
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
