import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../src/app/context.js";
import { type Database, openDatabase } from "../src/db/database.js";
import { buildServer } from "../src/server/app.js";
import { ApiClient } from "./support/client.js";
import { createOrg } from "./support/factories.js";
import { testServerConfig, withTestEnv } from "./support/harness.js";
import { credentialsOf, EventStreamReader, listenOnRandomPort } from "./support/sse.js";

const env = withTestEnv();

// PGlite lives inside one process; two server processes share a PostgreSQL server.
describe.runIf(!!process.env.DATABASE_URL)("two server processes on one PostgreSQL database", () => {
  let secondDb: Database;
  let second: Awaited<ReturnType<typeof buildServer>>;
  let firstUrl: string;
  let secondUrl: string;

  beforeAll(async () => {
    firstUrl = await listenOnRandomPort(env.server);
    secondDb = await openDatabase({
      databaseUrl: process.env.DATABASE_URL,
      schema: env.schema,
      poolSize: 20,
    });
    const secondCtx: AppContext = { db: secondDb, now: env.clock.now, newId: env.ctx.newId };
    second = await buildServer(secondCtx, testServerConfig);
    secondUrl = await listenOnRandomPort(second);
  });

  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
  });

  it("delivers an entry written through one process to a stream served by the other", async () => {
    const org = await createOrg(env);
    const opened = await EventStreamReader.open(
      `${secondUrl}/orgs/${org.id}/events`,
      credentialsOf(org.admin),
    );
    const stream = opened.stream!;

    await org.admin.patch(`/orgs/${org.id}`, { purpose: "Written through the first process" });
    expect(await stream.next()).toMatchObject({
      id: "3",
      event: "org.updated",
      data: { payload: { purpose: "Written through the first process" } },
    });
    await stream.close();
  });

  it("keeps one unbroken chain when both processes write at once, and both streams see all of it", async () => {
    const org = await createOrg(env);
    const throughSecond = new ApiClient(second);
    throughSecond.cookie = org.admin.cookie;
    throughSecond.csrfToken = org.admin.csrfToken;
    const streams = await Promise.all(
      [firstUrl, secondUrl].map(async (url) => {
        const opened = await EventStreamReader.open(`${url}/orgs/${org.id}/events`, credentialsOf(org.admin));
        return opened.stream!;
      }),
    );

    const writes = Array.from({ length: 30 }, (_, i) =>
      (i % 2 === 0 ? org.admin : throughSecond).patch(`/orgs/${org.id}`, { purpose: `purpose ${i}` }),
    );
    expect((await Promise.all(writes)).map((r) => r.status)).toEqual(writes.map(() => 200));

    const expected = Array.from({ length: 30 }, (_, i) => i + 3);
    for (const stream of streams) {
      expect((await stream.take(30)).map((e) => Number(e.id))).toEqual(expected);
      await stream.close();
    }
    expect((await throughSecond.get(`/orgs/${org.id}/log/verify`)).body).toMatchObject({
      ok: true,
      entries: 32,
    });
  });
});
