import type { OrgAccess } from "../core/access.js";
import type { AssignmentSource } from "../core/assignments.js";
import { type CircleKind, structuralRolesFor } from "../core/circles.js";
import { conflict } from "../core/errors.js";
import type { CircleId } from "../core/ids.js";
import { DEFAULT_ORG_SETTINGS } from "../core/orgs.js";
import type { FillingPolicy, RoleKind } from "../core/roles.js";
import type { Database, Queryable } from "../db/database.js";
import { appendLog, type NewLogEntry, startLog } from "../db/log.js";
import type { AppContext } from "./context.js";
import { governanceHistory } from "./demo-governance.js";
import { lifecycleHistory } from "./demo-lifecycle.js";
import { reflectionHistory } from "./demo-reflection.js";
import { insertRole } from "./roles.js";
import { announceTermsDue } from "./rotation.js";
import { hashPassword } from "./secrets.js";

/**
 * The demo: the Orpheus Chamber Orchestra, which plays without a conductor, after a year of sharing
 * leadership in Polyphony. Everything is dated relative to now and written with its log entry, in
 * time order, so the log reads as the orchestra's history and verifies. The structure (members,
 * circles, roles, terms) is written here; its proposals and decisions are made through the proposal
 * use-cases (demo-governance.ts), its elections, crises and rotations through theirs
 * (demo-lifecycle.ts), and its meetings, rota, mentorships, cycles, reviews and appreciation through
 * theirs (demo-reflection.ts), so they are exactly what the app itself writes.
 */
export const DEMO_ORG = { slug: "orpheus-chamber-orchestra", name: "Orpheus Chamber Orchestra" } as const;
export const DEMO_PASSWORD = "orpheus-demo-2026";

const PURPOSE =
  "Make music of the highest quality without a conductor. Leadership is shared: the concertmaster and " +
  "the principals change with every programme, decisions are taken by consent in circles, and what we " +
  "learn about playing and leading together we bring to schools and to other organisations.";

interface DemoMember {
  name: string;
  access: OrgAccess;
  /** Days before now the member joined; the founders joined with the organisation. */
  joined: number;
  skills: Record<string, number>;
  interests: string[];
  hours: number;
  offers: string[];
  wants: string[];
  /** A demo login, with the shared demo password. */
  email?: string;
}

const FOUNDED = 365;

const MEMBERS = {
  maya: {
    name: "Maya Lindqvist",
    access: "admin",
    joined: FOUNDED,
    email: "demo@polyphony.example",
    skills: { violin: 5, facilitation: 4, education: 3 },
    interests: ["new commissions", "governance"],
    hours: 6,
    offers: ["facilitation"],
    wants: ["finance"],
  },
  tomas: {
    name: "Tomás Ferreira",
    access: "member",
    joined: FOUNDED,
    email: "tomas@polyphony.example",
    skills: { violin: 5, programming: 3 },
    interests: ["baroque performance practice", "recording"],
    hours: 4,
    offers: ["violin"],
    wants: ["facilitation"],
  },
  aiko: {
    name: "Aiko Tanaka",
    access: "member",
    joined: FOUNDED,
    skills: { violin: 4, education: 4, facilitation: 3 },
    interests: ["family concerts"],
    hours: 5,
    offers: ["education"],
    wants: ["fundraising"],
  },
  jonas: {
    name: "Jonas Becker",
    access: "member",
    joined: FOUNDED,
    skills: { violin: 4, logistics: 3 },
    interests: ["touring", "chamber music"],
    hours: 3,
    offers: [],
    wants: ["violin"],
  },
  priya: {
    name: "Priya Raman",
    access: "member",
    joined: FOUNDED,
    skills: { violin: 3, fundraising: 4 },
    interests: ["audience development"],
    hours: 4,
    offers: ["fundraising"],
    wants: ["violin"],
  },
  leah: {
    name: "Leah Okafor",
    access: "admin",
    joined: FOUNDED,
    skills: { viola: 5, facilitation: 4 },
    interests: ["contemporary music", "governance"],
    hours: 5,
    offers: ["facilitation", "viola"],
    wants: [],
  },
  samuel: {
    name: "Samuel Nowak",
    access: "member",
    joined: FOUNDED,
    skills: { viola: 4, finance: 5 },
    interests: ["budgeting"],
    hours: 3,
    offers: ["finance"],
    wants: [],
  },
  ines: {
    name: "Inés Romero",
    access: "member",
    joined: FOUNDED,
    email: "ines@polyphony.example",
    skills: { cello: 5, education: 5, facilitation: 3 },
    interests: ["school workshops", "new audiences"],
    hours: 6,
    offers: ["education", "cello"],
    wants: ["facilitation"],
  },
  oskar: {
    name: "Oskar Hansen",
    access: "member",
    joined: FOUNDED,
    skills: { cello: 4, logistics: 4 },
    interests: ["score editions", "archives"],
    hours: 4,
    offers: ["logistics"],
    wants: [],
  },
  chloe: {
    name: "Chloé Martin",
    access: "member",
    joined: FOUNDED,
    skills: { "double bass": 4, programming: 4, facilitation: 2 },
    interests: ["digital programmes", "data"],
    hours: 3,
    offers: ["programming"],
    wants: ["facilitation"],
  },
  daniel: {
    name: "Daniel Kim",
    access: "member",
    joined: FOUNDED,
    skills: { flute: 5, fundraising: 3 },
    interests: ["programme notes"],
    hours: 3,
    offers: ["flute"],
    wants: [],
  },
  fatima: {
    name: "Fatima Haddad",
    access: "member",
    joined: FOUNDED,
    skills: { oboe: 4, facilitation: 4 },
    interests: ["conflict resolution"],
    hours: 4,
    offers: ["facilitation"],
    wants: [],
  },
  giulia: {
    name: "Giulia Conti",
    access: "member",
    joined: FOUNDED,
    skills: { clarinet: 5, education: 3, facilitation: 3 },
    interests: ["improvisation", "school workshops"],
    hours: 4,
    offers: ["clarinet"],
    wants: ["education"],
  },
  henrik: {
    name: "Henrik Sørensen",
    access: "member",
    joined: FOUNDED,
    skills: { bassoon: 4, finance: 3 },
    interests: ["budgeting"],
    hours: 3,
    offers: [],
    wants: ["finance"],
  },
  amara: {
    name: "Amara Mensah",
    access: "member",
    joined: FOUNDED,
    skills: { horn: 4, logistics: 5 },
    interests: ["touring"],
    hours: 5,
    offers: ["logistics"],
    wants: [],
  },
  ruth: {
    name: "Ruth Abernathy",
    access: "member",
    joined: FOUNDED,
    skills: { finance: 4, fundraising: 5, logistics: 3 },
    interests: ["partnerships", "grants"],
    hours: 12,
    offers: ["fundraising", "finance"],
    wants: [],
  },
  elias: {
    name: "Elias Petrov",
    access: "member",
    joined: 200,
    skills: { violin: 3 },
    interests: ["leading from the first desk"],
    hours: 4,
    offers: [],
    wants: ["violin", "facilitation"],
  },
  noor: {
    name: "Noor Aziz",
    access: "member",
    joined: 150,
    skills: { viola: 3, programming: 2 },
    interests: ["new music"],
    hours: 3,
    offers: [],
    wants: ["viola"],
  },
  beatriz: {
    name: "Beatriz Souza",
    access: "member",
    joined: 90,
    skills: { cello: 3, fundraising: 2, education: 2 },
    interests: ["school workshops"],
    hours: 3,
    offers: [],
    wants: ["fundraising", "cello"],
  },
  felix: {
    name: "Felix Wagner",
    access: "observer",
    joined: 300,
    email: "felix@polyphony.example",
    skills: { finance: 3 },
    interests: ["governance"],
    hours: 1,
    offers: [],
    wants: [],
  },
} satisfies Record<string, DemoMember>;
export type MemberKey = keyof typeof MEMBERS;

interface DemoCircle {
  name: string;
  kind: CircleKind;
  parent: CircleKey | null;
  created: number;
  aim: string;
  domain: string;
  mandate?: string;
  /** Days after now that a committee's mandate ends. */
  sunsetIn?: number;
  /** Members, with the day they joined when later than the circle. */
  members: (MemberKey | [MemberKey, number])[];
}

export type CircleKey = "council" | "artistic" | "operations" | "outreach" | "strings";

const CIRCLES: Record<CircleKey, DemoCircle> = {
  council: {
    name: "Orchestra Council",
    kind: "council",
    parent: null,
    created: 364,
    aim: "Hold the orchestra's purpose and keep its circles working together.",
    domain: "Strategy, the annual budget, membership and the season as a whole",
    members: ["maya", "leah", "samuel", "ruth", "fatima", "chloe", "daniel", ["henrik", 60]],
  },
  artistic: {
    name: "Artistic Planning",
    kind: "circle",
    parent: "council",
    created: 360,
    aim: "Choose the repertoire, the guest artists and who leads each programme.",
    domain: "Repertoire, programmes, seating and the concertmaster rotation",
    members: ["maya", "tomas", "aiko", "jonas", "priya", "leah", "daniel", "giulia", ["elias", 190]],
  },
  operations: {
    name: "Operations",
    kind: "circle",
    parent: "council",
    created: 360,
    aim: "Make every rehearsal, concert and tour happen, on time and on budget.",
    domain: "Venues, travel, the music library and day-to-day finances",
    members: ["ruth", "oskar", "amara", "samuel", "henrik", "chloe", ["noor", 140]],
  },
  outreach: {
    name: "Education Outreach",
    kind: "committee",
    parent: "council",
    created: 120,
    aim: "Bring conductorless music-making into schools.",
    domain: "The workshop pilot with the partner schools",
    mandate:
      "Design and run a pilot of ensemble workshops in three partner schools, then bring the Council a " +
      "proposal for a lasting education programme.",
    sunsetIn: 240,
    members: ["ines", "aiko", "giulia", "priya", "elias", ["beatriz", 85]],
  },
  strings: {
    name: "Strings",
    kind: "community_of_practice",
    parent: "council",
    created: 330,
    aim: "Share bowings, sectional technique and leading from the desk across the string section.",
    domain: "",
    members: [
      "leah",
      "tomas",
      "aiko",
      "maya",
      "jonas",
      "ines",
      "oskar",
      "chloe",
      ["elias", 195],
      ["noor", 145],
      ["beatriz", 80],
    ],
  },
};

interface DemoRole {
  circle: CircleKey;
  kind: RoleKind;
  name: string;
  created: number;
  purpose: string;
  domain?: string;
  accountabilities?: string[];
  fillingPolicy: FillingPolicy;
  termDays: number | null;
  leadership: boolean;
  requiredSkills?: Record<string, number>;
  maxConsecutiveTerms?: number;
}

/** Term lengths of the structural roles (the core fixes how they are filled, the demo how long). */
const STRUCTURAL_TERM_DAYS = { facilitator: 150, leader: null, delegate: 180 } as const;

const CUSTOM_ROLES = {
  concertmaster: {
    circle: "artistic",
    kind: "custom",
    name: "Concertmaster",
    created: 359,
    purpose: "Leads the orchestra from the first desk for one programme.",
    domain: "Bowings and the order of rehearsal for the programme",
    accountabilities: [
      "Proposes the interpretation and leads rehearsals",
      "Gives the upbeat and holds the ensemble together in concert",
      "Hands over to the next concertmaster with notes on the programme",
    ],
    fillingPolicy: "rotation",
    termDays: 56,
    leadership: true,
    requiredSkills: { violin: 4 },
    maxConsecutiveTerms: 1,
  },
  secondViolin: {
    circle: "artistic",
    kind: "custom",
    name: "Principal second violin",
    created: 290,
    purpose: "Leads the second violins and agrees bowings with the concertmaster.",
    accountabilities: ["Leads sectionals of the second violins", "Marks the section's parts"],
    fillingPolicy: "rotation",
    termDays: 112,
    leadership: true,
    requiredSkills: { violin: 3 },
  },
  librarian: {
    circle: "operations",
    kind: "custom",
    name: "Librarian",
    created: 358,
    purpose: "Keeps the scores and parts ready, marked and returned.",
    domain: "The music library and the rental of parts",
    accountabilities: ["Prepares the parts for each programme", "Returns rented material on time"],
    fillingPolicy: "appointment",
    termDays: null,
    leadership: false,
  },
  treasurer: {
    circle: "council",
    kind: "custom",
    name: "Treasurer",
    created: 363,
    purpose: "Keeps the orchestra's money visible and its books in order.",
    domain: "The accounts and the payment of fees",
    accountabilities: ["Reports the budget to the Council each month", "Prepares the annual accounts"],
    fillingPolicy: "appointment",
    termDays: null,
    leadership: true,
    requiredSkills: { finance: 3 },
  },
  tourManager: {
    circle: "operations",
    kind: "custom",
    name: "Tour manager",
    created: 300,
    purpose: "Gets the orchestra and its instruments to every venue, rested and on time.",
    domain: "Travel, hotels and the tour schedule",
    fillingPolicy: "appointment",
    termDays: null,
    leadership: true,
    requiredSkills: { logistics: 3 },
  },
  secretary: {
    circle: "council",
    kind: "secretary",
    name: "Secretary",
    created: 363,
    purpose: "Keeps the Council's minutes, agendas and decision records.",
    fillingPolicy: "election",
    termDays: 180,
    leadership: true,
  },
  meetingHost: {
    circle: "artistic",
    kind: "custom",
    name: "Meeting host",
    created: 100,
    purpose: "Welcomes Artistic Planning to its meetings, so that the facilitator can facilitate.",
    accountabilities: [
      "Books the room and sends the agenda a week ahead",
      "Keeps the time and the tea, and greets guests",
    ],
    fillingPolicy: "rotation",
    termDays: 28,
    leadership: false,
  },
  outreachLead: {
    circle: "outreach",
    kind: "custom",
    name: "Outreach lead",
    created: 119,
    purpose: "Is the partner schools' contact and keeps the pilot on track.",
    accountabilities: ["Schedules the workshops with the schools", "Collects the teachers' feedback"],
    fillingPolicy: "appointment",
    termDays: null,
    leadership: true,
    requiredSkills: { education: 3 },
  },
} satisfies Record<string, DemoRole>;
type CustomRoleKey = keyof typeof CUSTOM_ROLES;

export type RoleKey = CustomRoleKey | `${"facilitator" | "leader" | "delegate"}:${CircleKey}`;

interface Term {
  role: RoleKey;
  member: MemberKey;
  /** Days before now the term started. */
  from: number;
  /** Days before now it ends (negative: in the future); null for an open appointment. */
  to: number | null;
  source: AssignmentSource;
  shadow?: boolean;
  /** The holder stepped down before the planned end. */
  endedEarly?: { at: number; notes: string };
}

const elected = (role: RoleKey, member: MemberKey, from: number, to: number): Term => ({
  role,
  member,
  from,
  to,
  source: "election",
});
const appointed = (role: RoleKey, member: MemberKey, from: number, extra: Partial<Term> = {}): Term => ({
  role,
  member,
  from,
  to: null,
  source: "appointment",
  ...extra,
});

/** Consecutive rotation terms, the last one starting `lastFrom` days ago. */
function rotation(role: CustomRoleKey, holders: MemberKey[], lastFrom: number): Term[] {
  const termDays = CUSTOM_ROLES[role].termDays ?? 0;
  return holders.map((member, i) => {
    const from = lastFrom + (holders.length - 1 - i) * termDays;
    return { role, member, from, to: from - termDays, source: "rotation" };
  });
}

// The concertmasters of the first five programmes; the two since were handed on by the rotation
// use-cases, by consent and then automatically (demo-lifecycle.ts).
const concertmasters = rotation("concertmaster", ["aiko", "tomas", "maya", "jonas", "aiko"], 134);

const TERMS: Term[] = [
  ...concertmasters,
  // The next concertmasters learn beside the current one: Elias beside Jonas in the spring programme.
  { ...(concertmasters[2] as Term), member: "jonas", shadow: true },
  { role: "concertmaster", member: "elias", from: 78, to: 22, source: "rotation", shadow: true },
  ...rotation("secondViolin", ["jonas", "priya", "jonas"], 50),
  elected("facilitator:council", "fatima", 362, 212),
  {
    ...elected("facilitator:council", "leah", 212, 62),
    endedEarly: { at: 100, notes: "Stepping back for the spring tour. Maya knows the open agenda items." },
  },
  elected("facilitator:council", "maya", 100, -50),
  elected("facilitator:artistic", "daniel", 340, 190),
  elected("facilitator:artistic", "giulia", 190, 40),
  elected("facilitator:artistic", "aiko", 40, -110),
  elected("facilitator:operations", "amara", 355, 205),
  elected("facilitator:operations", "oskar", 205, 55),
  elected("facilitator:operations", "chloe", 55, -95),
  elected("facilitator:outreach", "giulia", 118, -32),
  elected("facilitator:strings", "leah", 328, 178),
  elected("facilitator:strings", "ines", 178, 28),
  elected("facilitator:strings", "chloe", 28, -122),
  appointed("leader:artistic", "maya", 359),
  appointed("leader:operations", "ruth", 359),
  appointed("leader:outreach", "ines", 119),
  elected("delegate:artistic", "tomas", 300, 120),
  elected("delegate:artistic", "leah", 120, -60),
  elected("delegate:operations", "amara", 355, 175),
  elected("delegate:operations", "oskar", 175, -5),
  elected("delegate:outreach", "giulia", 118, -62),
  // Chloé's successor was elected through the selection use-cases (demo-lifecycle.ts).
  elected("secretary", "chloe", 350, 170),
  appointed("treasurer", "samuel", 362, {
    endedEarly: {
      at: 180,
      notes:
        "Handed the books to Ruth after the annual accounts; bank access and the budget sheet moved with them.",
    },
  }),
  appointed("treasurer", "ruth", 180),
  appointed("treasurer", "henrik", 60, { shadow: true }),
  appointed("librarian", "oskar", 357),
  appointed("tourManager", "amara", 299),
  appointed("outreachLead", "ines", 118),
];

export const DEMO_ACCOUNTS = (Object.values(MEMBERS) as DemoMember[])
  .filter((member) => member.email !== undefined)
  .map((member) => ({ email: member.email as string, name: member.name, access: member.access }));

/** What a step of the history runs against: the seed's transaction, and a context whose clock reads the step's moment. */
interface DemoScene {
  tx: Queryable;
  ctx: AppContext;
}

/** One moment of the demo history; the steps run in time order. */
export interface DemoStep {
  at: Date;
  run: (scene: DemoScene) => Promise<void>;
}

export type DemoSeedResult = { seeded: true; orgId: string; logEntries: number } | { seeded: false };

/**
 * Seeds the demo organisation unless it exists already (then nothing changes). The whole history is
 * one transaction: a failed seed leaves nothing behind, and a concurrent one stops at the
 * organisation's slug (unique) instead of writing a second, half demo. The price is one long
 * transaction at first start, when nobody else is using the store.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoSeedResult> {
  if (await demoExists(ctx.db)) return { seeded: false };
  const passwordHashes = new Map(
    await Promise.all(
      DEMO_ACCOUNTS.map(async (account) => [account.email, await hashPassword(DEMO_PASSWORD)] as const),
    ),
  );
  const orgId = ctx.newId();
  const steps = demoHistory(ctx, orgId, passwordHashes);
  return ctx.db.transaction(async (tx) => {
    if (await demoExists(tx)) return { seeded: false };
    const taken = await tx.query<{ email: string }>("SELECT email FROM users WHERE lower(email) = ANY ($1)", [
      DEMO_ACCOUNTS.map((account) => account.email),
    ]);
    if (taken.rows.length > 0)
      throw conflict(`The demo needs the account ${taken.rows[0]?.email}, which belongs to someone already`);
    let clock = new Date(0);
    const scene: DemoScene = {
      tx,
      ctx: { db: insideTransaction(ctx.db, tx), now: () => new Date(clock), newId: ctx.newId },
    };
    // Stable sort: steps of the same moment keep the order they were described in.
    for (const step of [...steps].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      clock = step.at;
      await step.run(scene);
    }
    // As the server's sweeper would on its first pass: the terms now due are announced.
    clock = ctx.now();
    await announceTermsDue(scene.ctx, orgId);
    const head = await tx.query<{ seq: number }>("SELECT seq FROM log_heads WHERE org_id = $1", [orgId]);
    return { seeded: true, orgId, logEntries: head.rows[0]?.seq ?? 0 };
  });
}

/**
 * The store as the demo's use-cases see it: each transaction they open is a part of the seed's one
 * transaction. Steps run one at a time, so the transaction's connection is never used twice at once.
 */
function insideTransaction(db: Database, tx: Queryable): Database {
  return {
    kind: db.kind,
    query: <Row>(sql: string, params?: readonly unknown[]) => tx.query<Row>(sql, params),
    transaction: (work) => work(tx),
    exec: async (sql) => {
      await tx.query(sql);
    },
    listen: (channel, onPayload) => db.listen(channel, onPayload),
    close: () => db.close(),
  };
}

/** Seeds the demo only into a store that holds no organisation yet (a first start). */
export async function seedDemoIntoEmptyStore(ctx: AppContext): Promise<DemoSeedResult> {
  const { rows } = await ctx.db.query("SELECT 1 FROM orgs LIMIT 1");
  return rows.length === 0 ? seedDemo(ctx) : { seeded: false };
}

export async function demoExists(db: Queryable) {
  const { rows } = await db.query("SELECT 1 FROM orgs WHERE slug = $1", [DEMO_ORG.slug]);
  return rows.length > 0;
}

function demoHistory(
  ctx: AppContext,
  orgId: string,
  passwordHashes: ReadonlyMap<string, string>,
): DemoStep[] {
  const now = ctx.now().getTime();
  const daysAgo = (days: number) => new Date(now - days * 86_400_000);
  const steps: DemoStep[] = [];
  /** A structural fact: what is written, and the log entry that records it. */
  const fact = (at: Date, entry: NewLogEntry, write: (tx: Queryable) => Promise<unknown>) =>
    steps.push({
      at,
      run: async ({ tx }) => {
        await write(tx);
        await appendLog(tx, orgId, at, [entry]);
      },
    });

  const memberIds = Object.fromEntries(Object.keys(MEMBERS).map((key) => [key, ctx.newId()])) as Record<
    MemberKey,
    string
  >;
  const founder = memberIds.maya;
  const founded = daysAgo(FOUNDED);

  fact(
    founded,
    {
      type: "org.created",
      actor: founder,
      payload: {
        orgId,
        slug: DEMO_ORG.slug,
        name: DEMO_ORG.name,
        purpose: PURPOSE,
        settings: DEFAULT_ORG_SETTINGS,
      },
    },
    async (tx) => {
      await tx.query(
        "INSERT INTO orgs (id, slug, name, purpose, settings, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [orgId, DEMO_ORG.slug, DEMO_ORG.name, PURPOSE, JSON.stringify(DEFAULT_ORG_SETTINGS), founded],
      );
      await startLog(tx, orgId);
    },
  );

  for (const [key, member] of Object.entries(MEMBERS) as [MemberKey, DemoMember][]) {
    const at = daysAgo(member.joined);
    const id = memberIds[key];
    const userId = member.email ? ctx.newId() : null;
    const profile = {
      skills: Object.entries(member.skills).map(([skill, level]) => ({ skill, level })),
      interests: member.interests,
      hoursAvailable: member.hours,
      mentoringOffered: member.offers,
      mentoringWanted: member.wants,
    };
    fact(
      at,
      {
        type: "member.joined",
        actor: founder,
        payload: {
          memberId: id,
          name: member.name,
          access: member.access,
          via: member.joined === FOUNDED ? "founding" : "added_by_admin",
          ...profile,
        },
      },
      async (tx) => {
        if (member.email)
          await tx.query(
            "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            [userId, member.email, member.name, passwordHashes.get(member.email), at],
          );
        await tx.query(
          `INSERT INTO members (org_id, id, user_id, name, access, skills, interests, hours_available,
                                mentoring_offered, mentoring_wanted, joined_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            orgId,
            id,
            userId,
            member.name,
            member.access,
            JSON.stringify(profile.skills),
            JSON.stringify(profile.interests),
            profile.hoursAvailable,
            JSON.stringify(profile.mentoringOffered),
            JSON.stringify(profile.mentoringWanted),
            at,
          ],
        );
      },
    );
  }

  const circleIds = Object.fromEntries(Object.keys(CIRCLES).map((key) => [key, ctx.newId()])) as Record<
    CircleKey,
    string
  >;
  const roleIds = new Map<RoleKey, string>();

  for (const [key, circle] of Object.entries(CIRCLES) as [CircleKey, DemoCircle][]) {
    const at = daysAgo(circle.created);
    const fields = {
      circleId: circleIds[key],
      name: circle.name,
      kind: circle.kind,
      parentId: circle.parent ? circleIds[circle.parent] : null,
      aim: circle.aim,
      domain: circle.domain,
      mandate: circle.mandate ?? "",
      sunsetAt: circle.sunsetIn === undefined ? null : daysAgo(-circle.sunsetIn).toISOString(),
    };
    fact(at, { type: "circle.created", actor: founder, payload: fields }, (tx) =>
      tx.query(
        `INSERT INTO circles (org_id, id, name, kind, parent_id, aim, domain, mandate, sunset_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          orgId,
          fields.circleId,
          fields.name,
          fields.kind,
          fields.parentId,
          fields.aim,
          fields.domain,
          fields.mandate,
          fields.sunsetAt,
          at,
        ],
      ),
    );
    for (const template of structuralRolesFor({
      kind: circle.kind,
      parentId: fields.parentId as CircleId | null,
    })) {
      addRole(`${template.kind}:${key}`, {
        circle: key,
        kind: template.kind,
        name: template.name,
        created: circle.created,
        purpose: template.purpose,
        fillingPolicy: template.fillingPolicy,
        termDays: STRUCTURAL_TERM_DAYS[template.kind],
        leadership: true,
      });
    }
    for (const entry of circle.members) {
      const [memberKey, joined] = typeof entry === "string" ? [entry, circle.created] : entry;
      const joinedAt = daysAgo(joined);
      const payload = { circleId: circleIds[key], memberId: memberIds[memberKey] };
      // A community of practice is open: its members join it themselves.
      const actor = circle.kind === "community_of_practice" ? memberIds[memberKey] : founder;
      fact(joinedAt, { type: "circle.member_added", actor, payload }, (tx) =>
        tx.query(
          "INSERT INTO circle_members (org_id, circle_id, member_id, joined_at) VALUES ($1, $2, $3, $4)",
          [orgId, payload.circleId, payload.memberId, joinedAt],
        ),
      );
    }
  }

  function addRole(key: RoleKey, role: DemoRole) {
    const id = ctx.newId();
    roleIds.set(key, id);
    const at = daysAgo(role.created);
    const fields = {
      roleId: id,
      circleId: circleIds[role.circle],
      kind: role.kind,
      name: role.name,
      purpose: role.purpose,
      domain: role.domain ?? "",
      accountabilities: role.accountabilities ?? [],
      termDays: role.termDays,
      requiredSkills: Object.entries(role.requiredSkills ?? {}).map(([skill, level]) => ({ skill, level })),
      leadership: role.leadership,
      fillingPolicy: role.fillingPolicy,
      maxConsecutiveTerms: role.maxConsecutiveTerms ?? null,
    };
    fact(at, { type: "role.created", actor: founder, payload: fields }, (tx) =>
      insertRole(tx, orgId, id, fields.circleId, fields, at),
    );
  }

  for (const [key, role] of Object.entries(CUSTOM_ROLES) as [CustomRoleKey, DemoRole][]) addRole(key, role);

  for (const term of TERMS) {
    const id = ctx.newId();
    const roleId = roleIds.get(term.role) as string;
    const memberId = memberIds[term.member];
    const startsAt = daysAgo(term.from);
    const plannedEnd = term.to === null ? null : daysAgo(term.to);
    const shadow = term.shadow ?? false;
    fact(
      startsAt,
      {
        type: "assignment.created",
        actor: founder,
        payload: {
          assignmentId: id,
          roleId,
          memberId,
          startsAt: startsAt.toISOString(),
          endsAt: plannedEnd?.toISOString() ?? null,
          source: term.source,
          shadow,
        },
      },
      (tx) =>
        tx.query(
          `INSERT INTO assignments (org_id, id, role_id, member_id, starts_at, ends_at, source, shadow,
                                    handover_notes, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [orgId, id, roleId, memberId, startsAt, plannedEnd, term.source, shadow, "", startsAt],
        ),
    );
    if (term.endedEarly) {
      const endsAt = daysAgo(term.endedEarly.at);
      const handoverNotes = term.endedEarly.notes;
      fact(
        endsAt,
        {
          type: "assignment.ended",
          actor: memberId,
          payload: { assignmentId: id, roleId, memberId, endsAt: endsAt.toISOString(), handoverNotes },
        },
        (tx) =>
          tx.query("UPDATE assignments SET ends_at = $3, handover_notes = $4 WHERE org_id = $1 AND id = $2", [
            orgId,
            id,
            endsAt,
            handoverNotes,
          ]),
      );
    }
  }

  const access = Object.fromEntries(
    (Object.entries(MEMBERS) as [MemberKey, DemoMember][]).map(([key, member]) => [key, member.access]),
  ) as Record<MemberKey, OrgAccess>;
  const cast = { orgId, daysAgo, memberIds, access, circleIds, roleIds };
  steps.push(...governanceHistory(cast), ...lifecycleHistory(cast), ...reflectionHistory(cast));
  return steps;
}
