import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.js";
import { addMember, assignRole, authorizationCast, createCircle, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { orgStatusesOf } from "./support/matrix.js";
import { adoptedProposal, circleStage, type Person } from "./support/proposals.js";

const env = withTestEnv();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const inHours = (hours: number) => new Date(env.clock.now().getTime() + hours * HOUR).toISOString();

interface FeedEvent {
  uid: string;
  summary: string;
  start: string;
  allDay: boolean;
}

/** A feed parsed back with ical.js, its events sorted by UID. */
function parseFeed(text: string): FeedEvent[] {
  return new ICAL.Component(ICAL.parse(text))
    .getAllSubcomponents("vevent")
    .map((component) => new ICAL.Event(component))
    .map((event) => ({
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.isDate ? event.startDate.toString() : event.startDate.toJSDate().toISOString(),
      allDay: event.startDate.isDate,
    }))
    .sort((a, b) => a.uid.localeCompare(b.uid));
}

/** Fetches a feed the way a calendar app does: no cookie, no token header, only the URL. */
async function fetchFeed(url: string) {
  const path = new URL(url).pathname;
  return new ApiClient(env.server).get<string>(path);
}

async function feedOf(person: Person, orgId: string) {
  const res = await person.client.post(`/orgs/${orgId}/calendar/token`);
  if (res.status !== 201) throw new Error(`token failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { url: string; circleUrlTemplate: string; createdAt: string };
}

/**
 * The garden circle: a weekly meeting, Ann's term as treasurer ending in February, Ben's as secretary
 * in March, an adopted decision (reviewed in six months); and a kitchen circle Ann is not in, with a
 * meeting of its own.
 */
async function calendarStage() {
  const stage = await circleStage(env, 2);
  const [ben, cat] = stage.members as [Person, Person];
  const ann = stage.author;
  const meeting = await stage.author.client.post(`/orgs/${stage.org.id}/meetings`, {
    circleId: stage.circleId,
    title: "Garden circle",
    startsAt: inHours(24),
    endsAt: inHours(26),
  });
  const treasurer = await createRole(env, stage.org, stage.circleId, { name: "Treasurer" });
  const annTerm = await assignRole(env, stage.org, treasurer, ann.memberId, {
    endsAt: new Date("2026-02-05T09:00:00.000Z"),
  });
  const secretary = await createRole(env, stage.org, stage.circleId, {
    kind: "secretary",
    name: "Secretary",
  });
  const benTerm = await assignRole(env, stage.org, secretary, ben.memberId, {
    endsAt: new Date("2026-03-01T12:00:00.000Z"),
  });
  const decision = await adoptedProposal(stage, { title: "Tool library" });
  const kitchen = await createCircle(env, stage.org, { name: "Kitchen", memberIds: [ben.memberId] });
  const cooking = await ben.client.post(`/orgs/${stage.org.id}/meetings`, {
    circleId: kitchen,
    title: "Menu planning",
    startsAt: inHours(48),
    endsAt: inHours(49),
  });
  return {
    ...stage,
    ann,
    ben,
    cat,
    meetingId: meeting.body.id as string,
    cookingId: cooking.body.id as string,
    annTerm,
    benTerm,
    decision,
    kitchen,
  };
}

describe("calendar feeds", () => {
  it("gives a member their circles' meetings, their own term ends and their circles' decision reviews", async () => {
    const stage = await calendarStage();
    const feed = await feedOf(stage.ann, stage.org.id);
    expect(feed.url).toMatch(/^http:\/\/localhost(:\d+)?\/api\/v1\/calendar\/pcal_[A-Za-z0-9_-]{43}\.ics$/);
    const res = await fetchFeed(feed.url);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/calendar/);
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(parseFeed(res.body)).toEqual(
      [
        {
          uid: `decision-review-${stage.decision}@polyphony`,
          summary: "Decision review: Tool library (Garden)",
          start: "2026-07-05",
          allDay: true,
        },
        {
          uid: `meeting-${stage.meetingId}@polyphony`,
          summary: "Garden circle (Garden)",
          start: "2026-01-06T09:00:00.000Z",
          allDay: false,
        },
        {
          uid: `term-end-${stage.annTerm}@polyphony`,
          summary: "Term ends: Treasurer (Garden)",
          start: "2026-02-05",
          allDay: true,
        },
      ].sort((a, b) => a.uid.localeCompare(b.uid)),
    );
  });

  it("gives one circle's feed with the same credential: its meetings, every term end of its roles, its reviews", async () => {
    const stage = await calendarStage();
    const feed = await feedOf(stage.ann, stage.org.id);
    const circleUrl = (circleId: string) => feed.circleUrlTemplate.replace("{circleId}", circleId);
    const garden = parseFeed((await fetchFeed(circleUrl(stage.circleId))).body);
    expect(garden.map((e) => [e.uid, e.summary])).toEqual(
      [
        [`decision-review-${stage.decision}@polyphony`, "Decision review: Tool library (Garden)"],
        [`meeting-${stage.meetingId}@polyphony`, "Garden circle (Garden)"],
        [`term-end-${stage.annTerm}@polyphony`, "Term ends: Ann Author as Treasurer (Garden)"],
        [`term-end-${stage.benTerm}@polyphony`, "Term ends: Member 1 as Secretary (Garden)"],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    // Ann is not in the kitchen circle, but may read its governance like any member.
    const kitchen = parseFeed((await fetchFeed(circleUrl(stage.kitchen))).body);
    expect(kitchen).toEqual([
      {
        uid: `meeting-${stage.cookingId}@polyphony`,
        summary: "Menu planning (Kitchen)",
        start: "2026-01-07T09:00:00.000Z",
        allDay: false,
      },
    ]);
    expect((await fetchFeed(circleUrl(env.ctx.newId()))).status).toBe(404);
  });

  it("keeps UIDs stable, so a calendar app updates a moved meeting rather than adding a copy", async () => {
    const stage = await calendarStage();
    const feed = await feedOf(stage.ann, stage.org.id);
    const first = parseFeed((await fetchFeed(feed.url)).body);
    const meetingUrl = `/orgs/${stage.org.id}/meetings/${stage.meetingId}`;
    const moved = await stage.ann.client.patch(meetingUrl, { startsAt: inHours(30), endsAt: inHours(31) });
    expect(moved.status).toBe(200);
    const second = parseFeed((await fetchFeed(feed.url)).body);
    expect(second.map((e) => e.uid)).toEqual(first.map((e) => e.uid));
    expect(second.find((e) => e.uid === `meeting-${stage.meetingId}@polyphony`)?.start).toBe(
      "2026-01-06T15:00:00.000Z",
    );
    const single = parseFeed((await stage.ann.client.get<string>(`${meetingUrl}.ics`)).body);
    expect(single).toEqual([expect.objectContaining({ uid: `meeting-${stage.meetingId}@polyphony` })]);
  });

  it("leaves out meetings and reviews long past and decisions no longer in force", async () => {
    const stage = await calendarStage();
    const feed = await feedOf(stage.ann, stage.org.id);
    await env.db.query("UPDATE decisions SET status = 'retired' WHERE org_id = $1", [stage.org.id]);
    // Past the 90 days a feed looks back: Ann's term ended on 5 February, the meeting in January.
    env.clock.advance(130 * DAY);
    expect(parseFeed((await fetchFeed(feed.url)).body)).toEqual([]);
  });

  it("rotates: the new URL works and the old one stops at once", async () => {
    const stage = await calendarStage();
    const old = await feedOf(stage.ann, stage.org.id);
    const rotated = await feedOf(stage.ann, stage.org.id);
    expect(rotated.url).not.toBe(old.url);
    expect((await fetchFeed(old.url)).status).toBe(404);
    expect((await fetchFeed(rotated.url)).status).toBe(200);
    const stored = await env.db.query<{ token_hash: string }>("SELECT token_hash FROM calendar_feeds");
    expect(stored.rows).toHaveLength(1);
    expect(rotated.url).not.toContain(stored.rows[0]?.token_hash);
  });

  it("refuses unknown secrets, departed members, and circles an observer may not read", async () => {
    const stage = await calendarStage();
    expect((await new ApiClient(env.server).get("/api/v1/calendar/pcal_unknown.ics")).status).toBe(404);
    expect((await new ApiClient(env.server).get("/api/v1/calendar/pcal.bad.ics")).status).toBe(400);
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    const observed = await feedOf(observer, stage.org.id);
    const circleUrl = observed.circleUrlTemplate.replace("{circleId}", stage.circleId);
    expect((await fetchFeed(circleUrl)).status).toBe(200);
    await stage.org.admin.patch(`/orgs/${stage.org.id}`, { settings: { observersReadCircles: false } });
    expect((await fetchFeed(circleUrl)).status).toBe(404);
    expect((await fetchFeed(observed.url)).status).toBe(200);
    const leaving = await feedOf(stage.cat, stage.org.id);
    await env.db.query("UPDATE members SET archived_at = $1 WHERE org_id = $2 AND id = $3", [
      env.clock.now(),
      stage.org.id,
      stage.cat.memberId,
    ]);
    expect((await fetchFeed(leaving.url)).status).toBe(404);
  });

  it("lets every member of the organisation create a feed, and no one else", async () => {
    const cast = await authorizationCast(env);
    expect(await orgStatusesOf(cast, (c) => c.post(`/orgs/${cast.org.id}/calendar/token`))).toEqual({
      anonymous: 401,
      otherOrg: 404,
      observer: 201,
      member: 201,
      admin: 201,
    });
    expect((await cast.circleMember.client.post(`/orgs/${cast.org.id}/calendar/token`)).status).toBe(201);
  });
});
