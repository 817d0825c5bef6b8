import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Person } from "../test/support/proposals.js";
import { advance, moveClock, proposalInRound } from "../test/support/proposals.js";
import {
  desktop,
  expectAccessible,
  expectNoSidewaysScroll,
  openPage,
  phone,
  screenshotDir,
  withBrowserEnv,
} from "./support/browser-env.js";
import { emailOf, gardenStage, STAGE_PASSWORD, seedCoop } from "./support/seed.js";

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

async function respondInBrowser(page: Page, choice: RegExp, fields: Record<string, string> = {}) {
  await page.getByRole("radio", { name: choice }).check();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Send response" }).click();
}

const respondByApi = async (person: Person, orgId: string, proposalId: string, body: object) => {
  const res = await person.client.post(`/orgs/${orgId}/proposals/${proposalId}/responses`, body);
  expect(res.status).toBe(201);
};

describe("proposals in the browser", () => {
  it("takes a proposal from a draft through an objection integrated by amendment to adoption", async () => {
    const stage = await gardenStage(app.env);
    const { org, facilitator: fay, author: ann } = stage;
    const [ben, cat, dan] = stage.members as [Person, Person, Person];

    // Ann drafts it.
    const annBrowser = await browserOf(ann);
    const annPage = annBrowser.page;
    await annPage.goto(`/orgs/${org.slug}`);
    await annPage.getByRole("link", { name: "Proposals" }).click();
    await annPage.getByRole("link", { name: "New proposal" }).click();
    // The proposals list has a circle filter too: wait for the form before choosing the circle.
    await annPage.getByRole("heading", { level: 1, name: "New proposal" }).waitFor();
    await annPage.getByLabel("Circle", { exact: true }).selectOption({ label: "Garden" });
    await annPage.getByLabel("Title").fill("Tool library");
    await annPage
      .getByLabel("Proposal", { exact: true })
      .fill("Lend tools from the shed.\nReturn them within a week.");
    expect(await annPage.getByRole("radio", { name: /^Consent Decided/ }).isChecked()).toBe(true);
    await annPage.getByRole("button", { name: "Save draft" }).click();
    await annPage.getByRole("heading", { level: 1, name: "Tool library" }).waitFor();
    const proposalPath = new URL(annPage.url()).pathname;
    const proposalId = proposalPath.split("/").at(-1) ?? "";
    expect(await stepNow(annPage)).toBe("Draft");

    // Fay, the facilitator, presents it and takes it through the phases.
    const fayBrowser = await browserOf(fay);
    const fayPage = fayBrowser.page;
    await fayPage.goto(proposalPath);
    await fayPage.getByRole("button", { name: "Present to the circle" }).click();
    await fayPage.getByRole("button", { name: "Open clarifying questions" }).click();
    await fayPage.getByText("Clarifying questions", { exact: true }).first().waitFor();
    expect(await stepNow(fayPage)).toBe("Clarifying");
    const asked = await ben.client.post(`/orgs/${org.id}/proposals/${proposalId}/questions`, {
      text: "Which tools?",
    });
    expect(asked.status).toBe(201);
    // Ann's page shows the question live, and she answers it there.
    await annPage.getByText("Which tools?").waitFor({ timeout: 5_000 });
    await annPage.getByLabel("Your answer").fill("Hand tools only.");
    await annPage.getByRole("button", { name: "Answer" }).click();
    await annPage.getByText("Hand tools only.").waitFor();

    await fayPage.getByRole("button", { name: "Move on to reactions" }).click();
    await fayPage.getByLabel("Your reaction").fill("Good idea.");
    await fayPage.getByRole("button", { name: "React" }).click();
    await fayPage.getByRole("button", { name: "Open the consent round" }).click();
    await fayPage.getByRole("heading", { name: "Consent round" }).waitFor();
    expect(await stepNow(fayPage)).toBe("Consent round");

    // Cat objects in her browser, with a reason and a suggested amendment.
    const catBrowser = await browserOf(cat);
    const catPage = catBrowser.page;
    await catPage.goto(proposalPath);
    await respondInBrowser(catPage, /^Object/, {
      "Your objection": "A week is too long: others wait for the mower",
      "Suggested amendment (optional)": "Return them within three days.",
    });
    await catPage.getByText("You responded: Objection").waitFor();

    for (const person of [fay, ann, dan]) await respondByApi(person, org.id, proposalId, { kind: "consent" });
    await respondByApi(ben, org.id, proposalId, {
      kind: "consent_with_concern",
      concern: "Tools may come back broken",
    });

    // Everyone has responded: the round closed with the objection open, and Fay's page knows it.
    await fayPage.getByRole("button", { name: "Start integrating objections" }).click();
    const amendment = fayPage.getByLabel("Amend to integrate objections");
    await amendment.fill("Lend hand tools from the shed.\nReturn them within three days.");
    await fayPage.getByRole("button", { name: "Save amendment" }).click();
    await fayPage.getByText("(version 2)").waitFor();
    await fayPage.getByRole("button", { name: "Integrate…" }).click();
    expect(await fayPage.getByLabel("Version", { exact: true }).inputValue()).toBe("2");
    await fayPage.getByRole("button", { name: "Mark integrated" }).click();
    await fayPage.getByText("Integrated by amendment: version 2.").waitFor();
    // The diff shows what changed between the versions.
    const diff = fayPage.locator(".diff");
    expect(await diff.locator("del").textContent()).toContain("within a week");
    expect(await diff.locator("ins").textContent()).toContain("within three days");

    await fayPage.getByRole("button", { name: "Open the consent round" }).click();
    await fayPage.getByRole("heading", { name: "Consent round 2" }).waitFor();

    // Everyone consents, Fay in her browser last: adopted, with its review date.
    for (const person of [ann, ben, cat, dan])
      await respondByApi(person, org.id, proposalId, { kind: "consent" });
    await respondInBrowser(fayPage, /^Consent I can live/);
    await fayPage.getByRole("heading", { name: "Decision" }).waitFor();
    expect(await fayPage.locator(".proposal-title-row .badge").textContent()).toBe("Adopted");
    expect(await fayPage.getByTestId("review-date").textContent()).toMatch(/Jul.*2026.*\(6 months\)/);
    expect(await stepNow(fayPage)).toBe("Adopted");
    await fayPage.evaluate(() => window.scrollTo(0, 0));
    await fayPage.screenshot({ path: join(screenshotDir, "proposal-adopted-desktop.png"), fullPage: true });

    await fayPage.getByRole("link", { name: "Decisions" }).click();
    await fayPage.getByRole("link", { name: "Tool library" }).waitFor();

    for (const browser of [annBrowser, fayBrowser, catBrowser]) {
      expect(browser.crashes).toEqual([]);
      await browser.context.close();
    }
  }, 180_000);

  it("shows another member's response on the facilitator's open page without a reload", async () => {
    const stage = await gardenStage(app.env);
    const { org, facilitator: fay } = stage;
    const ben = stage.members[0] as Person;
    const proposalId = await proposalInRound(stage, { title: "Quiet hours" });
    const path = `/orgs/${org.slug}/proposals/${proposalId}`;

    const fayBrowser = await browserOf(fay);
    await fayBrowser.page.goto(path);
    const tally = fayBrowser.page.getByTestId("tally");
    expect(await tally.locator(".tally-summary").textContent()).toMatch(/^0 of 5 responded/);
    await fayBrowser.page.getByText("Live", { exact: true }).waitFor();
    await fayBrowser.page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const benBrowser = await browserOf(ben);
    await benBrowser.page.goto(path);
    await respondInBrowser(benBrowser.page, /^Consent with concern/, { "Your concern": "Summer evenings" });
    await benBrowser.page.getByText("You responded: Consent with concern").waitFor();

    await fayBrowser.page
      .locator(".tally-summary", { hasText: /^1 of 5 responded/ })
      .waitFor({ timeout: 4_000 });
    await fayBrowser.page
      .getByRole("list", { name: "Participants and their responses" })
      .getByText("Consent with concern")
      .waitFor({ timeout: 4_000 });
    expect(
      await fayBrowser.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    await fayBrowser.context.close();
    await benBrowser.context.close();
  }, 120_000);

  it("passes axe on the main pages and fits a phone; screenshots for the docs", async () => {
    const stage = await gardenStage(app.env);
    const { org, facilitator: fay, author: ann } = stage;
    const [ben, cat] = stage.members as [Person, Person];
    await seedCoop(app.env, org);
    // A decision adopted in January with a one-month term is due for review by February.
    const quiet = await proposalInRound(stage, { title: "Quiet hours after ten", reviewMonths: 1 });
    for (const person of stage.everyone) await respondByApi(person, org.id, quiet, { kind: "consent" });
    const compost = await proposalInRound(stage, { title: "Compost rota", reviewMonths: 12 });
    for (const person of stage.everyone) await respondByApi(person, org.id, compost, { kind: "consent" });
    await moveClock(app.env, "2026-02-10T09:00:00.000Z");
    const tools = await proposalInRound(
      stage,
      { title: "Tool library", text: "Lend hand tools from the shed.\nReturn them within three days." },
      { deadline: "2026-02-17T18:00:00.000Z" },
    );
    await respondByApi(ann, org.id, tools, { kind: "consent" });
    await respondByApi(ben, org.id, tools, {
      kind: "consent_with_concern",
      concern: "Tools may come back broken",
    });
    await respondByApi(cat, org.id, tools, {
      kind: "object",
      reason: "The mower is needed every weekend; lending it leaves the verges uncut",
      suggestedAmendment: "Keep the mower out of the library.",
    });
    const seedling = await ann.client.post(`/orgs/${org.id}/proposals`, {
      circleId: stage.circleId,
      title: "Seedling swap in spring",
      text: "Hold a seedling swap on the first Saturday of April.",
    });
    await advance(stage, seedling.body.id, "presented");
    await advance(stage, seedling.body.id, "clarifying");

    const pages = [
      { name: "home", path: `/orgs/${org.slug}`, ready: "Needs you now" },
      { name: "proposals", path: `/orgs/${org.slug}/proposals`, ready: "Proposals" },
      { name: "proposal-round", path: `/orgs/${org.slug}/proposals/${tools}`, ready: "Consent round" },
      { name: "decisions", path: `/orgs/${org.slug}/decisions`, ready: "Decisions" },
    ];
    const shots = new Set(["home", "proposals", "proposal-round", "decisions"]);
    for (const [width, options] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      const { context, page, crashes } = await browserOf(fay, options);
      for (const { name, path, ready } of pages) {
        await page.goto(path);
        await page.getByRole("heading", { name: ready, exact: true }).waitFor();
        await page.locator(".loading").first().waitFor({ state: "detached" });
        await expectAccessible(page);
        if (width === "phone") await expectNoSidewaysScroll(page);
        if (shots.has(name))
          await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
      }
      // The due decision stands out (the decisions page is the last one visited above).
      const due = page.locator(".decision-row.is-due");
      await due.first().waitFor();
      expect(await due.count()).toBe(1);
      expect(await due.locator(".proposal-row-title").textContent()).toBe("Quiet hours after ten");
      expect(crashes).toEqual([]);
      await context.close();
    }

    const { context, page } = await browserOf(fay);
    // The list narrows to what waits for Fay's response.
    await page.goto(`/orgs/${org.slug}/proposals`);
    const titles = page.getByRole("list", { name: "Proposals" }).locator(".proposal-row-title");
    await titles.first().waitFor();
    expect((await titles.allTextContents()).sort()).toEqual(["Seedling swap in spring", "Tool library"]);
    // The filter lives in the address (the box follows it once the navigation lands), so a filtered list can be shared.
    await page.getByLabel("Needs my response").click();
    await page.waitForURL("**/proposals?mine=1");
    await expect.poll(() => page.getByLabel("Needs my response").isChecked()).toBe(true);
    await page.getByText("Seedling swap in spring").waitFor({ state: "detached" });
    await titles.first().waitFor();
    expect(await titles.allTextContents()).toEqual(["Tool library"]);

    await page.goto(`/orgs/${org.slug}`);
    await page.getByRole("link", { name: "Quiet hours after ten" }).first().click();
    await page.locator(".decision-row.is-target").waitFor();
    await page.locator(".is-target").getByRole("button", { name: "Review" }).click();
    await page.getByRole("heading", { level: 1, name: "Review: Quiet hours after ten" }).waitFor();
    await context.close();
  }, 240_000);
});
