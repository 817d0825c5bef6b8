import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { OrgFixture } from "../test/support/factories.js";
import type { Person } from "../test/support/proposals.js";
import {
  desktop,
  expectAccessible,
  expectNoSidewaysScroll,
  openPage,
  phone,
  screenshotDir,
  withBrowserEnv,
} from "./support/browser-env.js";
import {
  electionStage,
  emailOf,
  grantGardenCrisis,
  STAGE_PASSWORD,
  seedCoop,
  seedRotationProfiles,
} from "./support/seed.js";

const app = withBrowserEnv();

/** A browser of its own for one person, logged in through the log-in page. */
async function browserOf(person: Person, options: typeof desktop | typeof phone = desktop) {
  const opened = await openPage(app, options);
  const { page } = opened;
  await page.goto("/login");
  await page.getByLabel("Email").fill(emailOf(person));
  await page.getByLabel("Password").fill(STAGE_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Your organisations" }).waitFor();
  return opened;
}

const stepNow = (page: Page) => page.locator('.steps [aria-current="step"] .step-label').textContent();

const electionApi = (org: OrgFixture, electionId: string, path: string) =>
  `/orgs/${org.id}/elections/${electionId}${path}`;

async function post(person: Person, path: string, body: object = {}) {
  const res = await person.client.post(path, body);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The banner's countdown in seconds ("01:59:58", or "2 days 01:59:58"). */
async function countdownSeconds(page: Page) {
  const text = (await page.getByTestId("crisis-countdown").first().textContent()) ?? "";
  const match = text.match(/(?:(\d+) days? )?(\d\d):(\d\d):(\d\d)/);
  if (!match) throw new Error(`not a countdown: ${text}`);
  const [, days = "0", h, m, s] = match;
  return Number(days) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

const idByName = async (org: OrgFixture, table: "roles" | "members", name: string) => {
  const { rows } = await app.env.db.query<{ id: string }>(
    `SELECT id FROM ${table} WHERE org_id = $1 AND name = $2`,
    [org.id, name],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`no ${table} named ${name}`);
  return id;
};

describe("elections, rotation and crisis authority in the browser", () => {
  it("fills a role by election: hidden nominations, the reveal, a change, a proposal, the nominee last", async () => {
    const stage = await electionStage(app.env);
    const { org, facilitator: fay, author: ann } = stage;
    const [ben, cat, dan] = stage.members as [Person, Person, Person];

    // Fay, the Garden's facilitator, starts the election and takes it to nominations.
    const fayBrowser = await browserOf(fay);
    const fayPage = fayBrowser.page;
    await fayPage.goto(`/orgs/${org.slug}`);
    await fayPage.getByRole("link", { name: "Leadership", exact: true }).click();
    await fayPage
      .getByRole("navigation", { name: "Leadership pages" })
      .getByRole("link", { name: "Elections" })
      .click();
    await fayPage.getByLabel("Start an election for").selectOption({ label: "Treasurer · Garden" });
    await fayPage.getByRole("button", { name: "Start the election" }).click();
    await fayPage.getByRole("heading", { level: 1, name: "Election: Treasurer" }).waitFor();
    expect(await stepNow(fayPage)).toBe("Describing");
    await fayPage.getByRole("button", { name: "Term agreed: name qualifications" }).click();
    await fayPage.getByLabel("Qualifications, one a line").fill("Careful with numbers\nAvailable monthly");
    await fayPage.getByRole("button", { name: "Qualifications agreed: open nominations" }).click();
    await fayPage.getByText("Nominations stay hidden until the facilitator reveals them").waitFor();
    expect(await stepNow(fayPage)).toBe("Nominating");
    const electionPath = new URL(fayPage.url()).pathname;
    const electionId = electionPath.split("/").at(-1) ?? "";

    // Ann nominates Ben with a reason in her browser; she sees only her own.
    const annBrowser = await browserOf(ann);
    const annPage = annBrowser.page;
    await annPage.goto(electionPath);
    await annPage.getByLabel("Who you nominate").selectOption({ label: "Ben Ito" });
    await annPage.getByLabel("Your reason").fill("Ben keeps the seed accounts tidy");
    await annPage.getByRole("button", { name: "Nominate", exact: true }).click();
    await annPage.getByText("You nominated").waitFor();

    // Cat nominates Dan in hers, and her page shows nothing of Ann's nomination.
    const catBrowser = await browserOf(cat);
    const catPage = catBrowser.page;
    await catPage.goto(electionPath);
    await catPage.getByText("Nominations stay hidden until the facilitator reveals them").waitFor();
    await catPage.getByLabel("Who you nominate").selectOption({ label: "Dan Reyes" });
    await catPage.getByLabel("Your reason").fill("Dan knows the suppliers");
    await catPage.getByRole("button", { name: "Nominate", exact: true }).click();
    await catPage.getByText("You nominated").waitFor();
    expect(await catPage.getByText("Ben keeps the seed accounts tidy").count()).toBe(0);
    expect(await catPage.getByText("Ben Ito:").count()).toBe(0);

    for (const [person, nominee, reason] of [
      [ben, ben, "I would like to learn the books"],
      [dan, ben, "Ben is careful and patient"],
    ] as const)
      await post(person, electionApi(org, electionId, "/nominations"), {
        nomineeId: nominee.memberId,
        reason,
      });

    // Fay nominates too, then reveals: every reason and the counts show.
    await fayPage.getByLabel("Who you nominate").selectOption({ label: "Cat Duarte" });
    await fayPage.getByLabel("Your reason").fill("Cat ran the plant sale's till");
    await fayPage.getByRole("button", { name: "Nominate", exact: true }).click();
    await fayPage.getByRole("button", { name: "Close nominations and reveal" }).click();
    const nominees = fayPage.getByRole("list", { name: "Nominees, with their reasons" });
    await nominees.getByText("Ben keeps the seed accounts tidy").waitFor();
    expect(await nominees.locator(".nominee").first().textContent()).toContain("3 nominations");
    expect(await stepNow(fayPage)).toBe("Changing");

    // Cat's page shows the reveal live; she changes her nomination to Ben.
    await catPage.getByText("Ben keeps the seed accounts tidy").waitFor({ timeout: 5_000 });
    await catPage.getByLabel("Your nomination now").selectOption({ label: "Ben Ito" });
    await catPage.getByLabel("Your reason").fill("The reasons for Ben convinced me");
    await catPage.getByRole("button", { name: "Change my nomination" }).click();
    await fayPage.getByText("changed from Dan Reyes").waitFor({ timeout: 5_000 });

    // Fay closes the change round, proposes Ben for the term, and opens the consent round.
    await fayPage.getByRole("button", { name: "Close the change round" }).click();
    await fayPage.getByLabel("Nominee", { exact: true }).selectOption(ben.memberId);
    await fayPage
      .getByLabel("Reasons", { exact: true })
      .fill("Four nominations, and the strongest reasons: careful and willing");
    await fayPage.getByRole("button", { name: "Propose this nominee" }).click();
    await fayPage.getByRole("heading", { name: "Proposed nominee" }).waitFor();
    await fayPage.getByRole("button", { name: "Open the consent round" }).click();
    await fayPage.getByRole("heading", { name: "Consent round" }).waitFor();
    expect(await stepNow(fayPage)).toBe("Consent round");

    // Ben, the nominee, answers last: his button is disabled, and the page says why.
    const benBrowser = await browserOf(ben);
    const benPage = benBrowser.page;
    await benPage.goto(electionPath);
    const why = benPage.getByText("You are the nominee, so you answer last");
    await why.waitFor();
    expect(await benPage.getByRole("button", { name: "Send response" }).isDisabled()).toBe(true);

    for (const person of [fay, ann, cat, dan])
      await post(person, electionApi(org, electionId, "/responses"), { kind: "consent" });

    // Everyone else has consented: Ben's page opens up without a reload, and his consent elects him.
    await why.waitFor({ state: "detached", timeout: 5_000 });
    await benPage.getByRole("radio", { name: /^Consent I can support/ }).check();
    await benPage.getByRole("button", { name: "Send response" }).click();
    const outcome = benPage.getByTestId("election-outcome");
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/Ben Ito holds the role for 1 year/);
    expect(await stepNow(benPage)).toBe("Elected");
    await expect.poll(() => benPage.getByTestId("role-holder").textContent()).toContain("Ben Ito");
    await expect.poll(() => fayPage.getByTestId("role-holder").textContent()).toContain("Ben Ito");

    for (const browser of [fayBrowser, annBrowser, catBrowser, benBrowser]) {
      expect(browser.crashes).toEqual([]);
      await browser.context.close();
    }
  }, 240_000);

  it("shows an active crisis on every page of the organisation, counting down, until it ends", async () => {
    const stage = await electionStage(app.env);
    const { org, author: ann } = stage;
    const ben = stage.members[0] as Person;
    await grantGardenCrisis(stage, ben, {
      scope: "Move the seedlings out of the flooded shed and buy what replaces them",
      hours: 2,
      now: app.env.clock.now(),
    });

    const { context, page, crashes } = await browserOf(ann);
    const banner = page.getByTestId("crisis-banner");
    for (const path of ["", "/proposals", "/decisions", "/circles", "/elections", "/rotation", "/crises"]) {
      await page.goto(`/orgs/${org.slug}${path}`);
      await banner.waitFor();
      const text = await banner.textContent();
      expect(text).toContain("Move the seedlings out of the flooded shed");
      expect(text).toContain("Ben Ito");
      expect(text).toContain("Garden");
    }
    // The polite announcement is coarse; the visible clock ticks.
    expect(await banner.getByRole("status").textContent()).toBe("about 2 hours left");
    const before = await countdownSeconds(page);
    expect(before).toBeGreaterThan(7100);
    await expect.poll(() => countdownSeconds(page), { timeout: 5_000 }).toBeLessThan(before);

    await banner.getByRole("link", { name: "Open the crisis" }).click();
    await page.getByRole("heading", { level: 1, name: "Crisis authority" }).waitFor();

    // The server's clock passes the end: the banner asks again and is gone, with no event needed.
    app.env.clock.advance(3 * 3_600_000);
    await banner.waitFor({ state: "detached", timeout: 25_000 });
    await page.goto(`/orgs/${org.slug}/crises`);
    await page.getByRole("heading", { name: "Crises" }).waitFor();
    await page.locator(".crisis-row").first().waitFor();
    expect(await page.getByTestId("crisis-banner").count()).toBe(0);
    expect(crashes).toEqual([]);
    await context.close();
  }, 120_000);

  it("passes axe on the election, rotation and crisis pages and fits a phone; screenshots for the docs", async () => {
    const stage = await electionStage(app.env);
    const { org, facilitator: fay, author: ann, roleId } = stage;
    const [ben, cat, dan] = stage.members as [Person, Person, Person];
    await seedCoop(app.env, org);
    await seedRotationProfiles(app.env, org);

    // An election in its consent round, with the reveal and a change behind it.
    const election = await post(fay, `/orgs/${org.id}/elections`, { roleId });
    const api = (path: string) => electionApi(org, election.id, path);
    await post(fay, api("/advance"), {
      to: "qualifying",
      termDays: 365,
      description: "Keeps the Garden's accounts and pays its suppliers.",
    });
    await post(fay, api("/advance"), {
      to: "nominating",
      qualifications: ["Careful with numbers", "Available monthly"],
    });
    const nominations: [Person, Person, string][] = [
      [fay, cat, "Cat ran the plant sale's till without a single error"],
      [ann, ben, "Ben keeps the seed accounts tidy"],
      [ben, ben, "I would like to learn the books"],
      [cat, dan, "Dan knows the suppliers"],
      [dan, ben, "Ben is careful and patient"],
    ];
    for (const [by, nominee, reason] of nominations)
      await post(by, api("/nominations"), { nomineeId: nominee.memberId, reason });
    await post(fay, api("/advance"), { to: "changing" });
    await post(cat, api("/nominations"), {
      nomineeId: ben.memberId,
      reason: "The reasons for Ben convinced me",
    });
    await post(fay, api("/advance"), { to: "proposing" });
    await post(fay, api("/proposal"), {
      nomineeId: ben.memberId,
      reasons: "Four nominations, and the strongest reasons: careful, patient and willing to learn.",
    });
    await post(fay, api("/advance"), { to: "consent_round" });
    await post(ann, api("/responses"), { kind: "consent" });
    await post(cat, api("/responses"), {
      kind: "consent_with_concern",
      concern: "A year is long for a first term",
    });

    // Crisis authority held by Fay, with two decisions recorded.
    const crisis = await grantGardenCrisis(stage, fay, {
      scope: "Move the seedlings out of the flooded shed and buy what replaces them, up to 400 euros",
      hours: 52,
      now: app.env.clock.now(),
    });
    for (const text of ["Borrow the school's greenhouse for two weeks", "Buy 200 seed trays from Verdant"])
      await post(fay, `/orgs/${org.id}/crises/${crisis.id}/decisions`, { text });
    // A minute later: a release may not fall at the very moment of a decision.
    app.env.clock.advance(60_000);

    // A rota for the General circle's Secretary.
    const order = await Promise.all(
      ["Bea Okafor", "Chen Wei", "Dara Kelly"].map((name) => idByName(org, "members", name)),
    );
    await org.admin.post(`/orgs/${org.id}/rotas`, {
      roleId: await idByName(org, "roles", "Secretary"),
      order,
    });

    const base = `/orgs/${org.slug}`;
    const pages = [
      { name: "election", path: `${base}/elections/${election.id}`, ready: "Election: Treasurer" },
      { name: "elections", path: `${base}/elections`, ready: "Elections" },
      { name: "rotation", path: `${base}/rotation`, ready: "Rotation" },
      { name: "rotation-plan", path: `${base}/rotation/plan`, ready: "Rotation plan" },
      { name: "rotas", path: `${base}/rotation/rotas`, ready: "Rotas" },
      { name: "crisis", path: `${base}/crises/${crisis.id}`, ready: "Crisis authority" },
      { name: "crises", path: `${base}/crises`, ready: "Crises" },
    ];
    const shots = new Set(["election", "rotation-plan", "crisis"]);
    for (const [width, options] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      const { context, page, crashes } = await browserOf(fay, options);
      for (const { name, path, ready } of pages) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1, name: ready, exact: true }).waitFor();
        await page.getByTestId("crisis-banner").waitFor();
        await page.locator(".loading").first().waitFor({ state: "detached" });
        await expectAccessible(page);
        if (width === "phone") await expectNoSidewaysScroll(page);
        if (shots.has(name))
          await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
      }
      expect(crashes).toEqual([]);
      await context.close();
    }
  }, 240_000);
});
