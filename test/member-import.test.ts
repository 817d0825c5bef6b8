import { describe, expect, it } from "vitest";
import { authorizationCast, createCircle, createOrg, type OrgFixture } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { orgStatusesOf } from "./support/matrix.js";

const env = withTestEnv();

const HEADER = "name,email,access,skills,interests,hours available,circles";
const GOOD = [
  'Rosa Parks,rosa@example.org,member,"Bookkeeping:3; Welding:2",gardening; bees,6,Garden',
  "Grace Hopper,,observer,,,,Garden; kitchen",
];
const BAD = "Bad Row,not-an-email,chief,Welding:9,,lots,Nowhere";

const csvOf = (...rows: string[]) => [HEADER, ...rows].join("\n");
const importCsv = (org: OrgFixture, csv: string, dryRun: boolean) =>
  org.admin.post(`/orgs/${org.id}/members/import`, { csv, dryRun });

/** What an import could change: the members, circle memberships and the log. */
async function snapshot(orgId: string) {
  const count = async (table: string) =>
    (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE org_id = $1`, [orgId]))
      .rows[0]?.n;
  return {
    members: await count("members"),
    circleMembers: await count("circle_members"),
    log: await count("log_entries"),
  };
}

async function stage() {
  const org = await createOrg(env);
  const garden = await createCircle(env, org, { name: "Garden" });
  const kitchen = await createCircle(env, org, { name: "Kitchen" });
  return { org, garden, kitchen };
}

describe("POST /orgs/{org}/members/import", () => {
  it("reports every bad row on a dry run and imports nothing, then refuses a real run with the same report", async () => {
    const { org } = await stage();
    const before = await snapshot(org.id);
    const csv = csvOf(GOOD[0] as string, BAD, GOOD[1] as string);

    const dry = await importCsv(org, csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      rows: 3,
      badRows: [
        {
          line: 3,
          problems: [
            '"not-an-email" is not an email address',
            'Access is one of admin, member, observer, not "chief"',
            "Skill levels run from 1 to 5",
            'Hours available is a number of hours per week, not "lots"',
            'There is no circle named "Nowhere"',
          ],
        },
      ],
      members: [],
    });
    expect(await snapshot(org.id)).toEqual(before);

    const real = await importCsv(org, csv, false);
    expect(real.status).toBe(400);
    expect(real.body.error).toMatchObject({
      code: "validation_failed",
      message: "1 of 3 rows cannot be imported; nothing was imported",
      details: { badRows: dry.body.badRows },
    });
    expect(await snapshot(org.id)).toEqual(before);
  });

  it("imports a clean file in one logged transaction: members, profiles and circles", async () => {
    const { org, garden, kitchen } = await stage();
    const before = await snapshot(org.id);
    const csv = csvOf(...GOOD);

    const dry = await importCsv(org, csv, true);
    expect(dry.body).toEqual({
      dryRun: true,
      rows: 2,
      badRows: [],
      members: [
        { line: 2, memberId: null, name: "Rosa Parks", access: "member", circles: ["Garden"] },
        { line: 3, memberId: null, name: "Grace Hopper", access: "observer", circles: ["Garden", "Kitchen"] },
      ],
    });
    expect(await snapshot(org.id)).toEqual(before);

    const real = await importCsv(org, csv, false);
    expect(real.status).toBe(201);
    expect(real.body.members).toHaveLength(2);
    const [rosa, grace] = real.body.members as { memberId: string }[];
    const profile = await org.admin.get(`/orgs/${org.id}/members/${rosa?.memberId}`);
    expect(profile.body).toMatchObject({
      name: "Rosa Parks",
      access: "member",
      hasAccount: false,
      profile: {
        skills: [
          { skill: "Bookkeeping", level: 3 },
          { skill: "Welding", level: 2 },
        ],
        interests: ["gardening", "bees"],
        hoursAvailable: 6,
      },
    });
    const circles = await env.db.query<{ circle_id: string; member_id: string }>(
      "SELECT circle_id, member_id FROM circle_members WHERE org_id = $1 ORDER BY member_id, circle_id",
      [org.id],
    );
    expect(circles.rows).toEqual(
      expect.arrayContaining([
        { circle_id: garden, member_id: rosa?.memberId },
        { circle_id: garden, member_id: grace?.memberId },
        { circle_id: kitchen, member_id: grace?.memberId },
      ]),
    );
    expect(await snapshot(org.id)).toEqual({
      members: (before.members ?? 0) + 2,
      circleMembers: (before.circleMembers ?? 0) + 3,
      log: (before.log ?? 0) + 5,
    });
    const log = await env.db.query<{ type: string; actor: string; payload: Record<string, unknown> }>(
      "SELECT type, actor, payload FROM log_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 5",
      [org.id],
    );
    expect(log.rows.map((entry) => entry.type).sort()).toEqual([
      "circle.member_added",
      "circle.member_added",
      "circle.member_added",
      "member.joined",
      "member.joined",
    ]);
    for (const entry of log.rows) {
      expect(entry.actor).toBe(org.adminMemberId);
      expect(entry.payload.via).toBe("imported");
    }

    // The same file again would double everyone: its names are now taken.
    const again = await importCsv(org, csv, false);
    expect(again.status).toBe(400);
    expect(again.body.error.details.badRows).toEqual([
      { line: 2, problems: ['A member named "Rosa Parks" is already in the organisation'] },
      { line: 3, problems: ['A member named "Grace Hopper" is already in the organisation'] },
    ]);
  });

  it("names problems with the header, repeated people and rows of the wrong length", async () => {
    const { org } = await stage();
    const header = await importCsv(org, "name,colour\nRosa,red", true);
    expect(header.body.badRows).toEqual([
      {
        line: 1,
        problems: [
          'Unknown column "colour"; the columns are name, email, access, skills, interests, mentoringOffered, mentoringWanted, hoursAvailable, circles',
        ],
      },
    ]);
    const twice = await importCsv(
      org,
      ["name,email,skills", "Rosa,r@example.org,Welding", "rosa,R@example.org,", "Sam,s@example.org"].join(
        "\n",
      ),
      true,
    );
    expect(twice.body.badRows).toEqual([
      {
        line: 2,
        problems: [
          '"Rosa" is listed more than once',
          'The email "r@example.org" is listed more than once',
          'Skill "Welding" needs a level, as in "Welding:3"',
        ],
      },
      {
        line: 3,
        problems: ['"rosa" is listed more than once', 'The email "R@example.org" is listed more than once'],
      },
      { line: 4, problems: ["The row has 2 fields; the header names 3"] },
    ]);
  });

  it("refuses what is not a CSV of members with 400, changing nothing", async () => {
    const { org } = await stage();
    const before = await snapshot(org.id);
    for (const csv of ['name\n"Rosa', "name\n", "name,name\nRosa,Rosa"]) {
      const res = await importCsv(org, csv, false);
      expect(res.status, csv).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const noFlag = await org.admin.post(`/orgs/${org.id}/members/import`, { csv: csvOf(...GOOD) });
    expect(noFlag.status).toBe(400);
    expect(await snapshot(org.id)).toEqual(before);
  });

  it("is for admins only", async () => {
    const cast = await authorizationCast(env);
    const before = await snapshot(cast.org.id);
    const body = { csv: "name\nSomeone New", dryRun: false };
    expect(
      await orgStatusesOf(cast, (client) => client.post(`/orgs/${cast.org.id}/members/import`, body)),
    ).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 403,
      member: 403,
      admin: 201,
    });
    expect((await snapshot(cast.org.id)).members).toBe((before.members ?? 0) + 1);
  });
});
