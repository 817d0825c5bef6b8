import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { addMember, authorizationCast, createCircle, createRole } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { ACTORS, statusesOf } from "./support/matrix.js";
import {
  type CircleStage,
  circleStage,
  everyoneConsents,
  logLength,
  type Person,
  proposalInRound,
} from "./support/proposals.js";

const env = withTestEnv();

const HOUR = 3_600_000;
/** A time `hours` from the test clock's now (2026-01-05T09:00Z). */
const inHours = (hours: number) => new Date(env.clock.now().getTime() + hours * HOUR).toISOString();

const meetingsUrl = (stage: Pick<CircleStage, "org">) => `/orgs/${stage.org.id}/meetings`;

/** The garden circle with Ann (the author) calling its meetings, Fay facilitating. */
async function meetingStage() {
  const stage = await circleStage(env, 2);
  const [ben, cat] = stage.members as [Person, Person];
  return { ...stage, ann: stage.author, fay: stage.facilitator, ben, cat };
}
type Stage = Awaited<ReturnType<typeof meetingStage>>;

async function schedule(stage: Stage, fields: Record<string, unknown> = {}, by: Person = stage.ann) {
  const res = await by.client.post(meetingsUrl(stage), {
    circleId: stage.circleId,
    title: "Garden circle",
    startsAt: inHours(1),
    endsAt: inHours(3),
    location: "The shed",
    ...fields,
  });
  if (res.status !== 201) throw new Error(`schedule failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, url: `${meetingsUrl(stage)}/${res.body.id}`, body: res.body };
}

async function ok<T = any>(request: Promise<{ status: number; body: T }>, status = 200) {
  const res = await request;
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const meetingLog = async (orgId: string) =>
  (
    await env.db.query<{ type: string }>(
      "SELECT type FROM log_entries WHERE org_id = $1 AND type LIKE 'meeting.%' ORDER BY seq",
      [orgId],
    )
  ).rows.map((r) => r.type);

const put = (person: Person, url: string, body: unknown) => person.client.request("PUT", url, body);

describe("a circle meeting", () => {
  it("runs from agenda to evaluation, with the proposal on the agenda decided live through its own process", async () => {
    const stage = await meetingStage();
    const proposalId = await proposalInRound(stage, { title: "Tool library" });
    const { url, body } = await schedule(stage, {
      agenda: [
        { kind: "report", title: "Harvest report", notes: "Ben reports" },
        { kind: "proposal", proposalId, title: "Tool library" },
        { kind: "open_item", title: "Compost" },
      ],
    });
    expect(body).toMatchObject({
      state: "scheduled",
      convenerId: stage.ann.memberId,
      facilitatorIds: [stage.fay.memberId],
      startsAt: "2026-01-05T10:00:00.000Z",
      agenda: [
        { kind: "report", title: "Harvest report", notes: "Ben reports", href: null },
        {
          kind: "proposal",
          proposalId,
          href: `/api/v1/orgs/${stage.org.id}/proposals/${proposalId}`,
        },
        { kind: "open_item", title: "Compost", notes: "" },
      ],
      can: { update: true, open: true, close: false, checkIn: false },
    });

    env.clock.advance(HOUR);
    expect((await stage.ben.client.post(`${url}/open`)).status).toBe(403);
    const opened = await ok(stage.fay.client.post(`${url}/open`));
    expect(opened).toMatchObject({ state: "open", openedAt: "2026-01-05T10:00:00.000Z" });

    await ok(stage.ben.client.post(`${url}/check-ins`, { text: "Sleepy" }), 201);
    const replaced = await ok(stage.ben.client.post(`${url}/check-ins`, { text: "Awake now" }), 201);
    expect(replaced.checkIns).toEqual([
      expect.objectContaining({ memberId: stage.ben.memberId, text: "Awake now" }),
    ]);
    await ok(stage.ann.client.post(`${url}/check-ins`, { text: "Glad to be here" }), 201);
    await ok(stage.cat.client.post(`${url}/attendance`, { memberId: stage.cat.memberId, present: true }));
    await ok(stage.fay.client.post(`${url}/attendance`, { memberId: stage.fay.memberId, present: true }));
    // The proposal runs live: responses go to the proposal, and the meeting shows the link, not a copy.
    await everyoneConsents(stage, proposalId);
    const proposal = await ok(stage.ben.client.get(`/orgs/${stage.org.id}/proposals/${proposalId}`));
    expect(proposal.state).toBe("adopted");
    expect((await ok(stage.ben.client.get(url))).agenda[1]).toEqual({
      kind: "proposal",
      proposalId,
      selectionId: null,
      title: "Tool library",
      notes: "",
      href: `/api/v1/orgs/${stage.org.id}/proposals/${proposalId}`,
    });
    await ok(stage.ben.client.post(`${url}/check-outs`, { text: "Good meeting" }), 201);

    env.clock.advance(2 * HOUR);
    const closed = await ok(stage.ann.client.post(`${url}/close`));
    expect(closed.state).toBe("closed");
    expect(closed.attendance.map((a: { memberId: string }) => a.memberId).sort()).toEqual(
      [stage.ben.memberId, stage.ann.memberId, stage.cat.memberId, stage.fay.memberId].sort(),
    );
    expect((await stage.ben.client.post(`${url}/check-outs`, { text: "Late" })).status).toBe(409);
    const minutes = await ok(put(stage.fay, `${url}/minutes`, { text: "Tool library adopted." }));
    expect(minutes.minutes).toMatchObject({ text: "Tool library adopted.", by: stage.fay.memberId });

    const evaluated = await ok(
      stage.ben.client.post(`${url}/evaluations`, { rating: 4, comment: "Focused" }),
      201,
    );
    expect(evaluated.evaluations).toEqual([
      expect.objectContaining({ memberId: stage.ben.memberId, rating: 4, comment: "Focused" }),
    ]);
    expect((await stage.ben.client.post(`${url}/evaluations`, { rating: 5, comment: "" })).status).toBe(409);
    const second = await ok(stage.cat.client.post(`${url}/evaluations`, { rating: 3, comment: "" }), 201);
    expect(second).toMatchObject({ averageRating: 3.5, can: { evaluate: false } });

    expect(await meetingLog(stage.org.id)).toEqual([
      "meeting.scheduled",
      "meeting.opened",
      "meeting.checked_in",
      "meeting.checked_in",
      "meeting.checked_in",
      "meeting.attendance_marked",
      "meeting.attendance_marked",
      "meeting.checked_out",
      "meeting.closed",
      "meeting.minutes_recorded",
      "meeting.evaluated",
      "meeting.evaluated",
    ]);
  });

  it("lets only attendees evaluate, and only after it closed", async () => {
    const stage = await meetingStage();
    const { url } = await schedule(stage);
    await ok(stage.ann.client.post(`${url}/open`));
    await ok(stage.ben.client.post(`${url}/attendance`, { memberId: stage.ben.memberId, present: true }));
    await ok(stage.fay.client.post(`${url}/attendance`, { memberId: stage.cat.memberId, present: true }));
    await ok(stage.fay.client.post(`${url}/attendance`, { memberId: stage.cat.memberId, present: false }));
    expect((await stage.ben.client.post(`${url}/evaluations`, { rating: 5, comment: "" })).status).toBe(409);
    await ok(stage.ann.client.post(`${url}/close`));
    expect((await stage.cat.client.post(`${url}/evaluations`, { rating: 5, comment: "" })).status).toBe(403);
    expect((await stage.ann.client.post(`${url}/evaluations`, { rating: 5, comment: "" })).status).toBe(403);
    await ok(stage.ben.client.post(`${url}/evaluations`, { rating: 5, comment: "" }), 201);
  });

  it("loses nothing to concurrent requests: every check-in counts, an evaluation counts once", async () => {
    const stage = await meetingStage();
    const { url } = await schedule(stage);
    await ok(stage.fay.client.post(`${url}/open`));
    const checkIns = await Promise.all(
      stage.everyone.map((p) => p.client.post(`${url}/check-ins`, { text: "Here" })),
    );
    expect(checkIns.map((r) => r.status)).toEqual(stage.everyone.map(() => 201));
    const closed = await ok(stage.fay.client.post(`${url}/close`));
    expect(closed.checkIns).toHaveLength(stage.everyone.length);
    const twice = await Promise.all(
      [5, 1].map((rating) => stage.ben.client.post(`${url}/evaluations`, { rating, comment: "" })),
    );
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await ok(stage.ben.client.get(url))).evaluations).toHaveLength(1);
  });

  it("links only the circle's own proposals and elections on the agenda", async () => {
    const stage = await meetingStage();
    const kitchen = await createCircle(env, stage.org, {
      name: "Kitchen",
      memberIds: stage.everyone.map((p) => p.memberId),
    });
    const elsewhere = await proposalInRound({ ...stage, circleId: kitchen, facilitator: stage.ann });
    const role = await createRole(env, stage.org, stage.circleId, {
      name: "Treasurer",
      fillingPolicy: "election",
    });
    const election = await ok(
      stage.ann.client.post(`/orgs/${stage.org.id}/elections`, { roleId: role }),
      201,
    );
    const agendaOf = (item: object) =>
      stage.ann.client.post(meetingsUrl(stage), {
        circleId: stage.circleId,
        title: "Garden circle",
        startsAt: inHours(1),
        endsAt: inHours(2),
        agenda: [item],
      });
    const wrongCircle = await agendaOf({ kind: "proposal", proposalId: elsewhere, title: "Kitchen thing" });
    expect(wrongCircle.status).toBe(400);
    expect(wrongCircle.body.error.details).toMatchObject({ field: "agenda", proposalId: elsewhere });
    expect((await agendaOf({ kind: "selection", selectionId: env.ctx.newId(), title: "Ghost" })).status).toBe(
      400,
    );
    const linked = await agendaOf({ kind: "selection", selectionId: election.id, title: "Treasurer" });
    expect(linked.status).toBe(201);
    expect(linked.body.agenda[0]).toMatchObject({
      kind: "selection",
      selectionId: election.id,
      href: `/api/v1/orgs/${stage.org.id}/elections/${election.id}`,
    });
  });

  it("changes while not closed, by its facilitator or convener, recording only what changed", async () => {
    const stage = await meetingStage();
    const { url } = await schedule(stage);
    expect((await stage.ben.client.patch(url, { title: "Mine" })).status).toBe(403);
    const moved = await ok(
      stage.fay.client.patch(url, { startsAt: inHours(2), endsAt: inHours(4), location: "Online" }),
    );
    expect(moved).toMatchObject({ startsAt: "2026-01-05T11:00:00.000Z", location: "Online" });
    await ok(stage.ann.client.patch(url, { location: "Online" }));
    await ok(stage.ann.client.patch(url, { agenda: [{ kind: "report", title: "Budget" }] }));
    await ok(stage.ann.client.post(`${url}/open`));
    await ok(stage.ann.client.post(`${url}/close`));
    expect((await stage.ann.client.patch(url, { title: "Later" })).status).toBe(409);
    const changes = await env.db.query<{ payload: { changed: string[] } }>(
      "SELECT payload FROM log_entries WHERE org_id = $1 AND type = 'meeting.updated' ORDER BY seq",
      [stage.org.id],
    );
    expect(changes.rows.map((r) => r.payload.changed)).toEqual([
      ["startsAt", "endsAt", "location"],
      ["agenda"],
    ]);
  });

  it("lists meetings in order, by circle and time window", async () => {
    const stage = await meetingStage();
    const kitchen = await createCircle(env, stage.org, { name: "Kitchen", memberIds: [stage.ann.memberId] });
    const later = await schedule(stage, { title: "Later", startsAt: inHours(48), endsAt: inHours(49) });
    const sooner = await schedule(stage, { title: "Sooner", startsAt: inHours(2), endsAt: inHours(3) });
    const cooking = await schedule(stage, {
      circleId: kitchen,
      title: "Cooking",
      startsAt: inHours(5),
      endsAt: inHours(6),
    });
    const ids = async (query = "") =>
      (await ok(stage.ben.client.get(`${meetingsUrl(stage)}${query}`))).meetings.map(
        (m: { id: string }) => m.id,
      );
    expect(await ids()).toEqual([sooner.id, cooking.id, later.id]);
    expect(await ids(`?circleId=${stage.circleId}`)).toEqual([sooner.id, later.id]);
    expect(await ids(`?from=${inHours(4)}`)).toEqual([cooking.id, later.id]);
    expect(await ids(`?from=${inHours(4)}&to=${inHours(24)}`)).toEqual([cooking.id]);
    expect(await ids("?limit=1&offset=1")).toEqual([cooking.id]);
    expect((await stage.ben.client.get(`${meetingsUrl(stage)}?from=soon`)).status).toBe(400);
  });

  it("is an iCalendar file of its own, with the UID the feeds use", async () => {
    const stage = await meetingStage();
    const { id, url, body } = await schedule(stage, {
      agenda: [{ kind: "report", title: "Harvest report" }],
    });
    expect(body.ics).toBe(`/api/v1/orgs/${stage.org.id}/meetings/${id}.ics`);
    const res = await stage.ben.client.get(`${url}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(res.body as string))
      .getAllSubcomponents("vevent")
      .map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(1);
    const [event] = events as [ICAL.Event];
    expect(event.uid).toBe(`meeting-${id}@polyphony`);
    expect(event.summary).toBe("Garden circle (Garden)");
    expect(event.location).toBe("The shed");
    expect(event.description).toContain("1. Harvest report");
    expect(event.startDate.toJSDate().toISOString()).toBe("2026-01-05T10:00:00.000Z");
    expect(event.endDate.toJSDate().toISOString()).toBe("2026-01-05T12:00:00.000Z");
    expect((await stage.ben.client.get(`${meetingsUrl(stage)}/${env.ctx.newId()}.ics`)).status).toBe(404);
  });

  it("is hidden from observers of other circles where the organisation says so", async () => {
    const stage = await meetingStage();
    const { url } = await schedule(stage);
    const observer = await addMember(env, stage.org, "observer", "Olive Observer");
    expect((await observer.client.get(url)).status).toBe(200);
    await ok(stage.org.admin.patch(`/orgs/${stage.org.id}`, { settings: { observersReadCircles: false } }));
    expect((await observer.client.get(url)).status).toBe(404);
    expect((await observer.client.get(`${url}.ics`)).status).toBe(404);
    expect((await ok(observer.client.get(meetingsUrl(stage)))).meetings).toEqual([]);
  });
});

describe("bad input", () => {
  it("is a 4xx and changes nothing", async () => {
    const stage = await meetingStage();
    const { url } = await schedule(stage, { agenda: [{ kind: "report", title: "Harvest" }] });
    await ok(stage.ann.client.post(`${url}/open`));
    await ok(stage.ben.client.post(`${url}/check-ins`, { text: "Hello" }), 201);
    const before = await logLength(env, stage.org.id);
    const snapshot = await ok(stage.ben.client.get(url));
    const valid = {
      circleId: stage.circleId,
      title: "Another",
      startsAt: inHours(1),
      endsAt: inHours(2),
    };
    const schedules = [
      { ...valid, extra: true },
      { ...valid, circleId: "not-a-uuid" },
      { ...valid, circleId: env.ctx.newId() },
      { ...valid, title: "" },
      { ...valid, title: "   " },
      { ...valid, startsAt: "tomorrow" },
      { ...valid, endsAt: inHours(1) },
      { ...valid, endsAt: inHours(24 * 8) },
      { ...valid, agenda: [{ kind: "speech", title: "Hi" }] },
      { ...valid, agenda: [{ kind: "proposal", title: "No id" }] },
      { ...valid, agenda: [{ kind: "report", title: "Hi", proposalId: env.ctx.newId() }] },
      { ...valid, agenda: [{ kind: "report", title: "Hi", extra: 1 }] },
      { ...valid, agenda: [{ kind: "proposal", proposalId: env.ctx.newId(), title: "Ghost" }] },
    ];
    for (const body of schedules) {
      const res = await stage.ann.client.post(meetingsUrl(stage), body);
      expect([400, 404], JSON.stringify(body)).toContain(res.status);
    }
    const writes: [Person, string, string, unknown, number][] = [
      [stage.ann, "PATCH", "", {}, 400],
      [stage.ann, "PATCH", "", { title: "" }, 400],
      [stage.ann, "PATCH", "", { endsAt: inHours(0) }, 400],
      [stage.ann, "PATCH", "", { agenda: "none" }, 400],
      [stage.ann, "PATCH", "", { state: "closed" }, 400],
      [stage.ben, "POST", "/check-ins", { text: "" }, 400],
      [stage.ben, "POST", "/check-ins", { text: "   " }, 400],
      [stage.ben, "POST", "/check-ins", { text: 42 }, 400],
      [stage.ben, "POST", "/check-outs", { text: "Bye", extra: 1 }, 400],
      [stage.ann, "POST", "/attendance", { memberId: "nobody", present: true }, 400],
      [stage.ann, "POST", "/attendance", { memberId: env.ctx.newId(), present: true }, 400],
      [stage.ann, "POST", "/attendance", { memberId: stage.cat.memberId, present: "yes" }, 400],
      [stage.ann, "PUT", "/minutes", { text: "" }, 400],
      [stage.ann, "PUT", "/minutes", { text: "  " }, 400],
      [stage.ben, "POST", "/evaluations", { rating: 4, comment: "" }, 409],
      [stage.ben, "POST", "/evaluations", { rating: 6, comment: "" }, 400],
      [stage.ben, "POST", "/evaluations", { rating: 2.5, comment: "" }, 400],
      [stage.ben, "POST", "/evaluations", { rating: 4 }, 400],
      [stage.ann, "POST", "/open", undefined, 409],
    ];
    for (const [who, method, path, body, status] of writes)
      expect(
        (await who.client.request(method, `${url}${path}`, body)).status,
        `${method} ${path} ${JSON.stringify(body)}`,
      ).toBe(status);
    expect((await stage.ann.client.post(`${meetingsUrl(stage)}/${env.ctx.newId()}/close`)).status).toBe(404);
    expect((await stage.ann.client.get(`${meetingsUrl(stage)}/not-a-uuid`)).status).toBe(400);
    expect(await logLength(env, stage.org.id)).toBe(before);
    expect(await ok(stage.ben.client.get(url))).toEqual(snapshot);
    expect((await ok(stage.ben.client.get(meetingsUrl(stage)))).meetings).toHaveLength(1);
  });
});

describe("meeting authorization", () => {
  const denied = { anonymous: 401, otherOrgAdmin: 404, observer: 403, outsider: 403 };

  async function meetingCast() {
    const cast = await authorizationCast(env);
    const url = `/orgs/${cast.org.id}/meetings`;
    /** A meeting the circle member calls (and so runs); opened and closed as asked. */
    const meeting = async (state: "scheduled" | "open" | "closed" = "scheduled") => {
      const res = await cast.circleMember.client.post(url, {
        circleId: cast.circleId,
        title: "Operations",
        startsAt: inHours(1),
        endsAt: inHours(2),
      });
      if (res.status !== 201) throw new Error(`schedule failed: ${JSON.stringify(res.body)}`);
      const at = `${url}/${res.body.id}`;
      if (state !== "scheduled") await ok(cast.circleMember.client.post(`${at}/open`));
      if (state === "closed") {
        await ok(cast.circleMember.client.post(`${at}/check-ins`, { text: "Here" }), 201);
        await ok(cast.circleMember.client.post(`${at}/close`));
      }
      return at;
    };
    return { cast, url, meeting };
  }

  it("shows meetings to every member of the organisation", async () => {
    const { cast, url, meeting } = await meetingCast();
    const one = await meeting();
    const readers = {
      anonymous: 401,
      otherOrgAdmin: 404,
      observer: 200,
      outsider: 200,
      circleMember: 200,
      admin: 200,
    };
    expect(await statusesOf(cast, (c) => c.get(url))).toEqual(readers);
    expect(await statusesOf(cast, (c) => c.get(one))).toEqual(readers);
    expect(await statusesOf(cast, (c) => c.get(`${one}.ics`))).toEqual(readers);
  });

  it("lets those who take part in the circle call a meeting, and whoever runs it change, open and close it", async () => {
    const { cast, url, meeting } = await meetingCast();
    const body = { circleId: cast.circleId, title: "Ops", startsAt: inHours(1), endsAt: inHours(2) };
    expect(await statusesOf(cast, (c) => c.post(url, body))).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
    const one = await meeting();
    expect(await statusesOf(cast, (c, actor) => c.patch(one, { title: `By ${actor}` }))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
    const scheduled: Record<string, string> = {};
    for (const actor of ACTORS) scheduled[actor] = await meeting();
    expect(await statusesOf(cast, (c, actor) => c.post(`${scheduled[actor]}/open`))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
    const open: Record<string, string> = {};
    for (const actor of ACTORS) open[actor] = await meeting("open");
    expect(await statusesOf(cast, (c, actor) => c.post(`${open[actor]}/close`))).toEqual({
      ...denied,
      circleMember: 200,
      admin: 403,
    });
  });

  it("lets circle participants attend and speak, whoever runs it record minutes, attendees evaluate", async () => {
    const { cast, meeting } = await meetingCast();
    const open = await meeting("open");
    expect(
      await statusesOf(cast, (c, actor) =>
        c.post(`${open}/attendance`, {
          memberId:
            actor === "anonymous" || actor === "otherOrgAdmin" ? env.ctx.newId() : cast[actor].memberId,
          present: true,
        }),
      ),
    ).toEqual({ ...denied, circleMember: 200, admin: 403 });
    expect(await statusesOf(cast, (c) => c.post(`${open}/check-ins`, { text: "Hi" }))).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
    expect(await statusesOf(cast, (c) => c.post(`${open}/check-outs`, { text: "Bye" }))).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
    expect(
      await statusesOf(cast, (c, actor) => c.request("PUT", `${open}/minutes`, { text: `By ${actor}` })),
    ).toEqual({ ...denied, circleMember: 200, admin: 403 });
    const closed = await meeting("closed");
    expect(
      await statusesOf(cast, (c) => c.post(`${closed}/evaluations`, { rating: 4, comment: "" })),
    ).toEqual({
      ...denied,
      circleMember: 201,
      admin: 403,
    });
  });
});
