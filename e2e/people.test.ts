import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addMember } from "../test/support/factories.js";
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
import { electionStage, emailOf, gardenStage, STAGE_PASSWORD, seedDemoOrg } from "./support/seed.js";

const app = withBrowserEnv();

async function logIn(page: Page, login: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(login.email);
  await page.getByLabel("Password").fill(login.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Your organisations" }).waitFor();
}

/** A browser of its own for one person of a stage, logged in. */
async function browserOf(person: Person, options: typeof desktop | typeof phone = desktop) {
  const opened = await openPage(app, options);
  await logIn(opened.page, { email: emailOf(person), password: STAGE_PASSWORD });
  return opened;
}

const settled = (page: Page) => page.locator(".loading").first().waitFor({ state: "detached" });

describe("people, circles and settings in the browser", () => {
  it("lets a member edit their own profile, and nobody else", async () => {
    const stage = await gardenStage(app.env);
    const { org, author: ann } = stage;
    const [ben] = stage.members as [Person];

    const { context, page, crashes } = await browserOf(ann);
    await page.goto(`/orgs/${org.slug}`);
    await page
      .getByRole("navigation", { name: /sections/ })
      .getByRole("link", { name: "People" })
      .click();
    await page
      .getByRole("navigation", { name: "People pages" })
      .getByRole("link", { name: "Members" })
      .click();
    await page.getByLabel("Search by name").fill("lindq");
    await page.getByRole("list", { name: "Members" }).getByRole("link", { name: "Ann Lindqvist" }).click();
    await page.getByRole("heading", { level: 1, name: /Ann Lindqvist/ }).waitFor();

    await page.getByRole("button", { name: "Edit profile" }).click();
    await page.getByRole("button", { name: "Add a skill" }).click();
    await page.getByLabel("Skill 1", { exact: true }).fill("Pruning");
    await page.getByLabel("Level of skill 1").selectOption("4");
    await page.getByLabel("Interests", { exact: true }).fill("composting, seed saving");
    await page.getByLabel("Hours available per week").fill("3");
    await page.getByLabel("Offers mentoring in", { exact: true }).fill("pruning");
    await page.getByLabel("Would like mentoring in", { exact: true }).fill("bookkeeping");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Profile saved.").waitFor();
    await expectAccessible(page);

    // Saved on the server, and shown again after a reload.
    const saved = await ann.client.get(`/orgs/${org.id}/members/${ann.memberId}`);
    expect(saved.body.profile).toEqual({
      skills: [{ skill: "Pruning", level: 4 }],
      interests: ["composting", "seed saving"],
      hoursAvailable: 3,
      mentoringOffered: ["pruning"],
      mentoringWanted: ["bookkeeping"],
    });
    await page.reload();
    await page.getByText("Pruning 4 of 5").waitFor();
    expect(await page.getByText("3 hours a week").count()).toBe(1);
    expect(crashes).toEqual([]);
    await context.close();

    // Ben reads Ann's profile but has nothing to edit it with.
    const benBrowser = await browserOf(ben);
    await benBrowser.page.goto(`/orgs/${org.slug}/members/${ann.memberId}`);
    await benBrowser.page.getByText("Pruning 4 of 5").waitFor();
    expect(await benBrowser.page.getByRole("button", { name: "Edit profile" }).count()).toBe(0);
    expect(await benBrowser.page.getByRole("form", { name: "Your profile" }).count()).toBe(0);
    await benBrowser.context.close();
  }, 120_000);

  it("lets the admin invite by link, and the invited person joins from a browser of their own", async () => {
    const stage = await gardenStage(app.env);
    const { org } = stage;
    const admin = { client: org.admin, memberId: org.adminMemberId };
    const { context, page, crashes } = await browserOf(admin);

    // The purpose is the admin's to change.
    await page.goto(`/orgs/${org.slug}`);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
    await page.getByLabel("Purpose").fill("Grow food and friendship on every spare patch of the valley.");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    expect((await org.admin.get(`/orgs/${org.id}`)).body.purpose).toBe(
      "Grow food and friendship on every spare patch of the valley.",
    );

    await page.getByLabel("Access", { exact: true }).selectOption("member");
    await page.getByLabel("Note").fill("Welcome to the garden, Gil!");
    await page.getByRole("button", { name: "Create invitation link" }).click();
    const link = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();
    expect(link).toMatch(/\/join\/[A-Za-z0-9_-]+$/);
    const invitations = page.getByRole("list", { name: "Invitations, newest first" });
    await invitations.getByText("Open", { exact: true }).waitFor();
    await expectAccessible(page);

    // Gil opens the link in a browser of his own, signs up, comes back to it and joins.
    const gil = await openPage(app, phone);
    await gil.page.goto(link);
    await gil.page.getByRole("heading", { name: "Join River Co-op" }).waitFor();
    await gil.page.getByText("Welcome to the garden, Gil!").waitFor();
    await expectAccessible(gil.page);
    await gil.page.getByRole("link", { name: "Create an account" }).click();
    await gil.page.getByLabel("Your name").fill("Gil Moreno");
    await gil.page.getByLabel("Email").fill("gil@example.org");
    await gil.page.getByLabel("Password").fill(STAGE_PASSWORD);
    await gil.page.getByRole("button", { name: "Create account" }).click();
    await gil.page.getByRole("button", { name: "Join River Co-op" }).click();
    // Joining lands on the organisation's home (the join page names the organisation too, so wait for the address).
    await gil.page.waitForURL(`**/orgs/${org.slug}`);
    await gil.page.getByRole("heading", { level: 1, name: "River Co-op" }).waitFor();
    await gil.page.getByText("Grow food and friendship on every spare patch").waitFor();
    expect(gil.crashes).toEqual([]);
    await gil.context.close();

    // The admin sees the invitation used and Gil among the members.
    await page.reload();
    await invitations.getByText("Accepted", { exact: true }).waitFor();
    expect(await invitations.textContent()).toContain("accepted by Gil Moreno");
    await page.goto(`/orgs/${org.slug}/members?q=gil`);
    await page.getByRole("link", { name: "Gil Moreno" }).waitFor();

    // A second link, revoked before anyone used it.
    await page.goto(`/orgs/${org.slug}/settings`);
    await page.getByRole("button", { name: "Create invitation link" }).click();
    const unused = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();
    await page.getByRole("button", { name: /^Revoke/ }).click();
    await invitations.getByText("Revoked", { exact: true }).waitFor();
    const late = await openPage(app);
    await late.page.goto(unused);
    await late.page.getByText("This invitation was withdrawn by an admin.").waitFor();
    await late.context.close();
    expect(crashes).toEqual([]);
    await context.close();
  }, 120_000);

  it("lets an admin edit a role's terms, with the server's rules shown beside the form", async () => {
    const { org, roleId } = await electionStage(app.env);
    const admin = { client: org.admin, memberId: org.adminMemberId };
    const { context, page, crashes } = await browserOf(admin);
    await page.goto(`/orgs/${org.slug}/roles/${roleId}`);
    await page.getByRole("heading", { level: 1, name: "Treasurer" }).waitFor();
    await page.getByText("365 days per term", { exact: true }).waitFor();

    await page.getByRole("button", { name: "Edit role" }).click();
    const form = page.getByRole("form", { name: "Edit Treasurer" });
    // An elected role needs a term: the server says so, and the form shows its words.
    await form.getByLabel("Term in days").fill("");
    await form.getByRole("button", { name: "Save role" }).click();
    await form.getByText("An elected or rotating role needs a term length").waitFor();
    await form.getByLabel("Term in days").fill("180");
    await form.getByLabel("Most terms in a row").fill("2");
    await expectAccessible(page);
    await form.getByRole("button", { name: "Save role" }).click();
    await page.getByText("180 days per term, at most 2 terms in a row").waitFor();
    expect(await form.count()).toBe(0);

    // Only what changed went out, so the log says what the admin changed.
    const log = await org.admin.get(`/orgs/${org.id}/log?newestFirst=true&limit=5`);
    const updated = log.body.entries.find((entry: { type: string }) => entry.type === "role.updated");
    expect(updated.payload).toEqual({ roleId, termDays: 180, maxConsecutiveTerms: 2 });
    expect(crashes).toEqual([]);
    await context.close();

    // A role is its circle's (and the admins') to change: a member outside the Garden circle only reads it.
    const outsider = await addMember(app.env, org, "member", "Gil Moreno");
    const outsiderBrowser = await browserOf(outsider);
    await outsiderBrowser.page.goto(`/orgs/${org.slug}/roles/${roleId}`);
    await outsiderBrowser.page.getByText("180 days per term, at most 2 terms in a row").waitFor();
    expect(await outsiderBrowser.page.getByRole("button", { name: "Edit role" }).count()).toBe(0);
    expect(outsiderBrowser.crashes).toEqual([]);
    await outsiderBrowser.context.close();
  }, 120_000);

  it("passes axe on the circle, role, member, members and settings pages; screenshots for the docs", async () => {
    const demo = await seedDemoOrg(app.env);
    const [council, artistic, concertmaster, treasurer, maya] = await Promise.all([
      demo.idOf("circles", "Orchestra Council"),
      demo.idOf("circles", "Artistic Planning"),
      demo.idOf("roles", "Concertmaster"),
      demo.idOf("roles", "Treasurer"),
      demo.idOf("members", demo.login.name),
    ]);
    const base = `/orgs/${demo.slug}`;
    const pages = [
      { name: "circle", path: `${base}/circles/${artistic}`, ready: "Artistic Planning" },
      { name: "role", path: `${base}/roles/${concertmaster}`, ready: "Concertmaster" },
      { name: "member", path: `${base}/members/${maya}`, ready: `${demo.login.name} (you)` },
      { name: "members", path: `${base}/members`, ready: "Members" },
      { name: "settings", path: `${base}/settings`, ready: "Settings" },
      { name: "circles", path: `${base}/circles`, ready: "Circles" },
    ];
    for (const [width, options] of [
      ["desktop", desktop],
      ["phone", phone],
    ] as const) {
      const { context, page, crashes } = await openPage(app, options);
      await logIn(page, demo.login);
      for (const { name, path, ready } of pages) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1, name: ready, exact: true }).waitFor();
        await settled(page);
        await expectAccessible(page);
        if (width === "phone") await expectNoSidewaysScroll(page);
        await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
      }
      expect(crashes).toEqual([]);
      await context.close();
    }

    const { context, page } = await openPage(app, desktop);
    await logIn(page, demo.login);
    await page.goto(base);
    await page.getByRole("heading", { name: "Needs you now" }).waitFor();
    await settled(page);
    await page.screenshot({ path: join(screenshotDir, "demo-home.png") });

    // The role keeps its history: the treasurer's handover notes, and who shadows the role now.
    await page.goto(`${base}/roles/${treasurer}`);
    await page.getByText("Handed the books to Ruth after the annual accounts").waitFor();
    expect(await page.locator(".shadows").textContent()).toContain("Henrik");

    // Choosing a circle zooms the map in on it (a circle without circles inside shows within its
    // parent); Escape zooms back out.
    await page.goto(`${base}/circles`);
    const status = page.locator(".map-zoom-status");
    await status.getByText("Choose a circle to zoom in").waitFor();
    await page.getByRole("button", { name: "Operations", exact: true }).click();
    await status.getByText("Zoomed in on Orchestra Council").waitFor();
    await page.keyboard.press("Escape");
    await status.getByText("Choose a circle to zoom in").waitFor();
    // A click on the council's rim, above the circles inside it.
    const councilRim = page.locator(`.circle-map [data-circle-id="${council}"] > circle`);
    const box = await councilRim.boundingBox();
    await councilRim.click({ position: { x: (box?.width ?? 0) / 2, y: 6 } });
    await status.getByText("Zoomed in on Orchestra Council").waitFor();
    await page.getByRole("button", { name: "Zoom out" }).click();
    await status.getByText("Choose a circle to zoom in").waitFor();

    // The member page lists every term, leadership ones marked.
    await page.goto(`${base}/members/${maya}`);
    const terms = page.getByRole("list", { name: `Terms of ${demo.login.name}, newest first` });
    await terms.getByText("Concertmaster").first().waitFor();
    expect(await terms.getByRole("listitem").count()).toBeGreaterThan(2);
    await context.close();
  }, 300_000);
});
