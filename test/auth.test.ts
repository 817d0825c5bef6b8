import { describe, expect, it } from "vitest";
import { ApiClient, signUpClient } from "./support/client.js";
import { addMember, createOrg } from "./support/factories.js";
import { withTestEnv } from "./support/harness.js";

const env = withTestEnv();

describe("accounts and sessions", () => {
  it("signs up, sees itself, logs out and logs back in", async () => {
    const client = new ApiClient(env.server);
    const signup = await client.post("/auth/signup", {
      email: "Mira@Example.org",
      name: "Mira",
      password: "a long enough secret",
    });
    expect(signup.status).toBe(201);
    const cookie = String(signup.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    client.csrfToken = signup.body.csrfToken;

    const me = await client.get("/auth/me");
    expect(me.body.user).toMatchObject({ email: "Mira@Example.org", name: "Mira" });

    expect((await client.post("/auth/logout")).status).toBe(204);
    expect((await client.get("/auth/me")).status).toBe(401);

    const login = await client.post("/auth/login", {
      email: "mira@example.org",
      password: "a long enough secret",
    });
    expect(login.status).toBe(200);
    expect((await client.get("/auth/me")).body.user.name).toBe("Mira");
  });

  it("stores passwords as argon2id hashes, never in clear", async () => {
    await signUpClient(env.server, "Hash Check");
    const { rows } = await env.db.query<{ password_hash: string }>("SELECT password_hash FROM users");
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it("refuses a wrong password and an unknown email with the same answer", async () => {
    await signUpClient(env.server, "Known");
    const client = new ApiClient(env.server);
    const wrong = await client.post("/auth/login", {
      email: "known.1@example.org",
      password: "nope nope nope",
    });
    const unknown = await client.post("/auth/login", {
      email: "nobody@example.org",
      password: "nope nope nope",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it("rejects a duplicate email, a short password and a malformed email without creating accounts", async () => {
    const client = new ApiClient(env.server);
    await client.post("/auth/signup", {
      email: "dup@example.org",
      name: "A",
      password: "long enough secret",
    });
    const dup = await client.post("/auth/signup", {
      email: "DUP@example.org",
      name: "B",
      password: "long enough secret",
    });
    expect(dup.status).toBe(409);
    expect(
      (await client.post("/auth/signup", { email: "x@example.org", name: "C", password: "short" })).status,
    ).toBe(400);
    expect(
      (
        await client.post("/auth/signup", {
          email: "not-an-email",
          name: "D",
          password: "long enough secret",
        })
      ).status,
    ).toBe(400);
    const { rows } = await env.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
    expect(rows[0]?.n).toBe(1);
  });

  it("reads the session and the member together inside an organisation, and refuses what either refuses", async () => {
    const org = await createOrg(env);
    const member = await addMember(env, org, "member", "Milo Member");
    const outsider = await signUpClient(env.server, "Oona Outsider");
    for (const ref of [org.id, org.slug])
      expect((await member.client.get(`/orgs/${ref}/members`)).status).toBe(200);
    // Not a member: the organisation is "not found", by id and by slug; an archived member is no member.
    for (const ref of [org.id, org.slug])
      expect((await outsider.get(`/orgs/${ref}/members`)).body.error.code).toBe("not_found");
    await env.db.query("UPDATE members SET archived_at = $2 WHERE id = $1", [
      member.memberId,
      env.clock.now(),
    ]);
    expect((await member.client.get(`/orgs/${org.id}/members`)).status).toBe(404);
    // A session past its end is no session, inside an organisation or not.
    env.clock.advanceDays(31);
    for (const path of [`/orgs/${org.id}/members`, "/auth/me"])
      expect((await org.admin.get(path)).status).toBe(401);
  });

  it("requires the CSRF token for cookie-authenticated writes", async () => {
    const client = await signUpClient(env.server, "Csrf");
    const token = client.csrfToken;
    client.csrfToken = undefined;
    const forged = await client.post("/orgs", { name: "Forged" });
    expect(forged.status).toBe(403);
    expect(forged.body.error.details.reason).toBe("csrf");
    client.csrfToken = token;
    expect((await client.post("/orgs", { name: "Real" })).status).toBe(201);
    expect((await client.get("/orgs")).body.orgs).toHaveLength(1);
  });
});

describe("API tokens", () => {
  it("shows the secret once, stores only its hash, authenticates by Bearer and can be revoked", async () => {
    const owner = await signUpClient(env.server, "Token Owner");
    const created = await owner.post("/auth/tokens", { name: "my script" });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    const stored = await env.db.query<{ token_hash: string }>("SELECT token_hash FROM api_tokens");
    expect(stored.rows[0]?.token_hash).not.toContain(secret);
    const listed = await owner.get("/auth/tokens");
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const script = new ApiClient(env.server);
    script.bearer = secret;
    expect((await script.get("/auth/me")).body).toMatchObject({
      via: "token",
      user: { name: "Token Owner" },
    });
    // Bearer writes need no CSRF token: no browser sends it on its own.
    expect((await script.post("/orgs", { name: "Scripted" })).status).toBe(201);

    expect((await owner.delete(`/auth/tokens/${created.body.token.id}`)).status).toBe(204);
    expect((await script.get("/auth/me")).status).toBe(401);
  });

  it("does not let one user revoke another's token", async () => {
    const owner = await signUpClient(env.server, "Owner");
    const other = await signUpClient(env.server, "Other");
    const created = await owner.post("/auth/tokens", { name: "mine" });
    expect((await other.delete(`/auth/tokens/${created.body.token.id}`)).status).toBe(404);
    expect((await other.delete("/auth/tokens/not-a-uuid")).status).toBe(400);
  });

  it("refuses an invalid bearer token", async () => {
    const script = new ApiClient(env.server);
    script.bearer = "pt_forged";
    expect((await script.get("/auth/me")).status).toBe(401);
  });
});

describe("the API contract", () => {
  it("answers health checks", async () => {
    const res = await new ApiClient(env.server).get("/healthz");
    expect(res.body).toMatchObject({ ok: true });
  });

  it("publishes an OpenAPI 3 document generated from the request schemas", async () => {
    const res = await new ApiClient(env.server).get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const signup = res.body.paths["/api/v1/auth/signup"].post;
    expect(signup.requestBody.content["application/json"].schema.required).toEqual([
      "email",
      "name",
      "password",
    ]);
    expect(signup.responses["400"]).toBeDefined();
  });

  it("answers unknown routes, bad JSON and oversize bodies with the error shape, never a 500", async () => {
    const client = await signUpClient(env.server, "Edge");
    const missing = await client.get("/no-such-thing");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    const badJson = await client.request("POST", "/orgs", "{not json", {
      "content-type": "application/json",
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe("invalid_json");
    const huge = await client.post("/orgs", { name: "Big", purpose: "x".repeat(300_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: "payload_too_large" });
  });
});

describe("rate limiting", () => {
  const limited = withTestEnv({ authRateLimit: 3 });
  it("slows down repeated login attempts", async () => {
    const client = new ApiClient(limited.server);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await client.post("/auth/login", { email: "a@example.org", password: "guess guess" })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
