import { describe, expect, it } from "vitest";
import { ApiClient, signUpClient } from "./support/client.js";
import { withTestEnv } from "./support/harness.js";

const env = withTestEnv();

describe("organisations", () => {
  it("founds an organisation whose founder is its first admin", async () => {
    const alice = await signUpClient(env.server, "Alice");
    const created = await alice.post("/orgs", { name: "River Co-op", purpose: "Keep the river clean" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: "river-co-op",
      purpose: "Keep the river clean",
      me: { access: "admin" },
    });
    expect(created.body.can.update).toBe(true);
    const bySlug = await alice.get("/orgs/river-co-op");
    expect(bySlug.body.id).toBe(created.body.id);
    const mine = await alice.get("/orgs");
    expect(mine.body.orgs.map((o: { slug: string }) => o.slug)).toEqual(["river-co-op"]);
  });

  it("hides an organisation from users outside it and from anonymous callers", async () => {
    const alice = await signUpClient(env.server, "Alice");
    const bob = await signUpClient(env.server, "Bob");
    const org = (await alice.post("/orgs", { name: "River Co-op" })).body;
    expect((await bob.get(`/orgs/${org.id}`)).status).toBe(404);
    expect((await new ApiClient(env.server).get(`/orgs/${org.id}`)).status).toBe(401);
  });

  it("rejects unknown fields and wrong types without creating anything", async () => {
    const alice = await signUpClient(env.server, "Alice");
    const unknown = await alice.post("/orgs", { name: "X", colour: "red" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("validation_failed");
    expect((await alice.post("/orgs", { name: 42 })).status).toBe(400);
    expect((await alice.get("/orgs")).body.orgs).toEqual([]);
  });
});
