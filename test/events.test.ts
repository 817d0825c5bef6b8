import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildServer } from "../src/server/app.js";
import { addMember, createOrg, type OrgFixture } from "./support/factories.js";
import { testServerConfig, withTestEnv } from "./support/harness.js";
import { credentialsOf, EventStreamReader, listenOnRandomPort } from "./support/sse.js";

const env = withTestEnv();
let baseUrl: string;

beforeAll(async () => {
  baseUrl = await listenOnRandomPort(env.server);
});

const openStreams: EventStreamReader[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(openStreams.splice(0).map((stream) => stream.close()));
});

/** Opens the organisation's event stream and expects it to be served. */
async function openEvents(org: OrgFixture, headers: Record<string, string>, query = "", url = baseUrl) {
  const opened = await EventStreamReader.open(`${url}/orgs/${org.id}/events${query}`, headers);
  if (!opened.stream)
    throw new Error(`expected a stream, got ${opened.status} ${JSON.stringify(opened.body)}`);
  openStreams.push(opened.stream);
  return opened.stream;
}

const changePurpose = (org: OrgFixture, purpose: string) => org.admin.patch(`/orgs/${org.id}`, { purpose });

const ids = (events: { id: string | undefined }[]) => events.map((e) => Number(e.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Waits, on real timers, until `condition` holds. */
async function eventually(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the realtime event stream", () => {
  it("delivers entries committed after connecting, each as id, event type and entry", async () => {
    const org = await createOrg(env);
    const observer = await addMember(env, org, "observer", "Olive Observer");
    const opened = await EventStreamReader.open(
      `${baseUrl}/orgs/${org.slug}/events`,
      credentialsOf(observer.client),
    );
    expect(opened.headers?.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const stream = opened.stream!;
    openStreams.push(stream);

    await changePurpose(org, "Clean water");
    await changePurpose(org, "Clean air");

    const [first, second] = await stream.take(2);
    expect(first).toMatchObject({
      id: "3",
      event: "org.updated",
      data: { seq: 3, type: "org.updated", actorName: "Ada Admin", payload: { purpose: "Clean water" } },
    });
    expect(second).toMatchObject({ id: "4", data: { payload: { purpose: "Clean air" } } });
    expect(second?.data.prevHash).toBe(first?.data.hash);
  });

  it("resumes after Last-Event-ID with every entry missed, then live ones", async () => {
    const org = await createOrg(env);
    for (const purpose of ["one", "two", "three"]) await changePurpose(org, purpose);

    const stream = await openEvents(org, { ...credentialsOf(org.admin), "last-event-id": "2" });
    expect(ids(await stream.take(3))).toEqual([3, 4, 5]);
    await changePurpose(org, "four");
    expect(ids(await stream.take(1))).toEqual([6]);
  });

  it("takes lastEventId from the query for EventSource fallbacks, the header winning over it", async () => {
    const org = await createOrg(env);
    for (const purpose of ["one", "two", "three"]) await changePurpose(org, purpose);

    const byQuery = await openEvents(org, credentialsOf(org.admin), "?lastEventId=3");
    expect(ids(await byQuery.take(2))).toEqual([4, 5]);
    const both = await openEvents(
      org,
      { ...credentialsOf(org.admin), "last-event-id": "4" },
      "?lastEventId=1",
    );
    expect(ids(await both.take(1))).toEqual([5]);
    await changePurpose(org, "four");
    expect(ids(await both.take(1))).toEqual([6]);
  });

  it("loses and repeats nothing when a client reconnects in the middle of concurrent writes", async () => {
    const org = await createOrg(env);
    const first = await openEvents(org, credentialsOf(org.admin));
    const writes = Promise.all(range(1, 40).map((n) => changePurpose(org, `purpose ${n}`)));

    const before = await first.take(10);
    await first.close();
    const lastSeen = String(before[before.length - 1]?.id);
    const resumed = await openEvents(org, { ...credentialsOf(org.admin), "last-event-id": lastSeen });
    const after = await resumed.take(42 - Number(lastSeen));
    await writes;

    expect([...ids(before), ...ids(after)]).toEqual(range(3, 42));
    await changePurpose(org, "marker");
    expect(ids(await resumed.take(1))).toEqual([43]);
  });

  it("accepts an API token as well as a session", async () => {
    const org = await createOrg(env);
    const token = await org.admin.post("/auth/tokens", { name: "dashboard" });
    const stream = await openEvents(org, {
      authorization: `Bearer ${token.body.secret}`,
      "last-event-id": "0",
    });
    expect(ids(await stream.take(2))).toEqual([1, 2]);
  });

  it("refuses anonymous callers with 401, other organisations with 404 and a malformed id with 400", async () => {
    const org = await createOrg(env);
    const other = await createOrg(env, "Other Org");
    const url = `${baseUrl}/orgs/${org.id}/events`;

    const anonymous = await EventStreamReader.open(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("unauthenticated");
    const foreign = await EventStreamReader.open(url, credentialsOf(other.admin));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
    const badHeader = await EventStreamReader.open(url, {
      ...credentialsOf(org.admin),
      "last-event-id": "abc",
    });
    expect(badHeader.status).toBe(400);
    const badQuery = await EventStreamReader.open(`${url}?lastEventId=-1`, credentialsOf(org.admin));
    expect(badQuery.status).toBe(400);
  });

  it("lets go of a client that disconnects", async () => {
    const org = await createOrg(env);
    const stream = await openEvents(org, credentialsOf(org.admin));
    expect(env.server.logHub.followerCount(org.id)).toBe(1);
    await stream.close();
    await eventually(() => env.server.logHub.followerCount(org.id) === 0);
    expect((await changePurpose(org, "after the client left")).status).toBe(200);
  });

  it("sends a heartbeat, and ends the stream of a member who was archived or logged out", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const org = await createOrg(env);
    const leaving = await addMember(env, org, "member", "Lee Leaving");
    const loggingOut = await addMember(env, org, "observer", "Lou Logout");
    const staying = await openEvents(org, credentialsOf(org.admin));
    const archived = await openEvents(org, credentialsOf(leaving.client));
    const loggedOut = await openEvents(org, credentialsOf(loggingOut.client));

    await vi.advanceTimersByTimeAsync(20_000);
    await eventually(() => staying.comments.includes("heartbeat"));

    await env.db.query("UPDATE members SET archived_at = $2 WHERE id = $1", [
      leaving.memberId,
      env.clock.now(),
    ]);
    await loggingOut.client.post("/auth/logout");
    await vi.advanceTimersByTimeAsync(20_000);
    await archived.ended;
    await loggedOut.ended;

    await changePurpose(org, "still streaming");
    expect(ids(await staying.take(1))).toEqual([3]);
    expect(env.server.logHub.followerCount(org.id)).toBe(1);
  });

  it("ends open streams when the server closes, so that closing does not hang", async () => {
    const org = await createOrg(env);
    const second = await buildServer(env.ctx, testServerConfig);
    const secondUrl = await listenOnRandomPort(second);
    const stream = await openEvents(org, credentialsOf(org.admin), "", secondUrl);
    await changePurpose(org, "before closing");
    expect(ids(await stream.take(1))).toEqual([3]);

    await second.close();
    await stream.ended;
  });
});

describe("the log hub", () => {
  it("never reads for a follower that is still delivering, so each entry arrives once and in order", async () => {
    const org = await createOrg(env);
    const delivered: number[] = [];
    let delivering = 0;
    let mostAtOnce = 0;
    let release: () => void = () => {};
    const slowClient = new Promise<void>((resolve) => {
      release = resolve;
    });
    const follower = env.server.logHub.follow(org.id, 0, {
      deliver: async (entries) => {
        delivering++;
        mostAtOnce = Math.max(mostAtOnce, delivering);
        await slowClient;
        delivered.push(...entries.map((e) => e.seq));
        delivering--;
      },
      end: () => {},
    });
    await eventually(() => delivering === 1);
    for (const n of range(1, 5)) {
      await changePurpose(org, `purpose ${n}`);
      follower.wake();
    }
    release();
    await eventually(() => delivered.length >= 7 && delivering === 0);
    follower.stop();

    expect(delivered).toEqual(range(1, 7));
    expect(mostAtOnce).toBe(1);
  });
});
