import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { addMember, createCircle } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";
import { advance, circleStage, type Person, proposalInRound } from "./support/proposals.js";
import { credentialsOf, EventStreamReader, listenOnRandomPort } from "./support/sse.js";

const env = withTestEnv();
let baseUrl: string;
beforeAll(async () => {
  baseUrl = await listenOnRandomPort(env.server);
});
const openStreams: EventStreamReader[] = [];
afterEach(async () => {
  await Promise.all(openStreams.splice(0).map((stream) => stream.close()));
});

/** The types of the proposal entries among `entries`. */
const typesOf = (entries: { type: string }[]) =>
  entries.map((e) => e.type).filter((type) => type.startsWith("proposal."));

describe("a draft in the governance log", () => {
  it("reaches its author alone until it is presented, on the log and on the live stream", async () => {
    const stage = await circleStage(env, 1);
    const { org, author } = stage;
    const [ben] = stage.members as [Person];
    const stream = async (person: Person) => {
      const opened = await EventStreamReader.open(
        `${baseUrl}/orgs/${org.id}/events`,
        credentialsOf(person.client),
      );
      if (!opened.stream) throw new Error(`no stream: ${opened.status}`);
      openStreams.push(opened.stream);
      return opened.stream;
    };
    const bensStream = await stream(ben);
    const authorsStream = await stream(author);
    const logOf = async (person: Person) => (await person.client.get(`/orgs/${org.id}/log`)).body.entries;

    // A draft revised once, and another drafted and dropped: private work.
    const draft = async (title: string) =>
      (
        await author.client.post(`/orgs/${org.id}/proposals`, {
          circleId: stage.circleId,
          title,
          text: "Lend tools from the shed.",
        })
      ).body.id as string;
    const id = await draft("Tool library");
    await author.client.post(`/orgs/${org.id}/proposals/${id}/amendments`, {
      text: "Lend tools on Saturdays.",
    });
    const dropped = await draft("Secret plan");
    const withdrawn = await author.client.post(`/orgs/${org.id}/proposals/${dropped}/advance`, {
      to: "withdrawn",
    });
    expect(withdrawn.status).toBe(200);

    expect(typesOf(await logOf(ben))).toEqual([]);
    expect(JSON.stringify(await logOf(ben))).not.toContain("Secret plan");
    expect(typesOf(await logOf(author))).toEqual([
      "proposal.created",
      "proposal.amended",
      "proposal.created",
      "proposal.withdrawn",
    ]);

    // Presenting it is its first public step, and says what it is.
    await advance(stage, id, "presented");
    const bensLog = await logOf(ben);
    expect(typesOf(bensLog)).toEqual(["proposal.presented"]);
    expect(bensLog.find((e: { type: string }) => e.type === "proposal.presented").payload).toMatchObject({
      proposalId: id,
      title: "Tool library",
      circleId: stage.circleId,
    });
    const bensFirst = await bensStream.next();
    expect(bensFirst.event).toBe("proposal.presented");
    expect((await authorsStream.take(5)).map((e) => e.event)).toEqual([
      "proposal.created",
      "proposal.amended",
      "proposal.created",
      "proposal.withdrawn",
      "proposal.presented",
    ]);

    // Later steps are the circle's, as always.
    await advance(stage, id, "clarifying");
    expect(typesOf(await logOf(ben))).toEqual(["proposal.presented", "proposal.advanced"]);
    // The chain is whole for everyone: hiding an entry from a reader does not change the log.
    expect((await ben.client.get(`/orgs/${org.id}/log/verify`)).body).toMatchObject({ ok: true });
  });
});

describe("an observer kept to their own circles", () => {
  it("reads the governance of those circles alone in the log and on the live stream", async () => {
    const stage = await circleStage(env, 1);
    const { org } = stage;
    const observer = await addMember(env, org, "observer", "Olive Observer");
    const cook = await addMember(env, org, "member", "Kim Cook");
    const ownCircle = await createCircle(env, org, {
      name: "Kitchen",
      memberIds: [observer.memberId, cook.memberId],
    });
    const other = await proposalInRound(stage, { title: "Garden secret" });
    const own = await cook.client.post(`/orgs/${org.id}/proposals`, {
      circleId: ownCircle,
      title: "Menu",
      text: "Soup on Fridays.",
    });
    expect(own.status).toBe(201);
    await cook.client.post(`/orgs/${org.id}/proposals/${own.body.id}/advance`, { to: "presented" });
    const proposalIdsIn = (entries: { type: string; payload: { proposalId?: string } }[]) => [
      ...new Set(entries.filter((e) => e.type.startsWith("proposal.")).map((e) => e.payload.proposalId)),
    ];
    const observersLog = async () => (await observer.client.get(`/orgs/${org.id}/log`)).body.entries;
    expect(proposalIdsIn(await observersLog()).sort()).toEqual([other, own.body.id].sort());

    expect(
      (await org.admin.patch(`/orgs/${org.id}`, { settings: { observersReadCircles: false } })).status,
    ).toBe(200);
    const limited = await observersLog();
    expect(proposalIdsIn(limited)).toEqual([own.body.id]);
    expect(JSON.stringify(limited)).not.toContain("Garden secret");
    // What is not a circle's governance stays open to every member.
    expect(limited.map((e: { type: string }) => e.type)).toContain("member.joined");
    const recent = (await observer.client.get(`/orgs/${org.id}/log?newestFirst=true`)).body.entries;
    expect(proposalIdsIn(recent)).toEqual([own.body.id]);
    // Members of the garden read it as before.
    const bens = (await (stage.members[0] as Person).client.get(`/orgs/${org.id}/log`)).body.entries;
    expect(proposalIdsIn(bens)).toContain(other);

    const opened = await EventStreamReader.open(
      `${baseUrl}/orgs/${org.id}/events`,
      credentialsOf(observer.client),
    );
    if (!opened.stream) throw new Error(`no stream: ${opened.status}`);
    openStreams.push(opened.stream);
    await stage.author.client.post(`/orgs/${org.id}/proposals/${other}/responses`, { kind: "consent" });
    await cook.client.post(`/orgs/${org.id}/proposals/${own.body.id}/advance`, { to: "clarifying" });
    const next = await opened.stream.next();
    expect(next).toMatchObject({
      event: "proposal.advanced",
      data: { payload: { proposalId: own.body.id } },
    });
  });
});
