import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  desktop,
  expectAccessible,
  expectNoSidewaysScroll,
  openPage,
  phone,
  screenshotDir,
  withBrowserEnv,
} from "./support/browser-env.js";
import { orgCreatedInBrowser, seedCoop } from "./support/seed.js";

const app = withBrowserEnv();
const credentials = { email: "ada@example.org", password: "correct horse battery" };
const ada = { name: "Ada Lovelace", ...credentials };

async function signUpInBrowser(page: Page) {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(ada.name);
  await page.getByLabel("Email").fill(ada.email);
  await page.getByLabel("Password").fill(ada.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your organisations" }).waitFor();
}

async function createOrgInBrowser(page: Page) {
  await page.getByLabel("Name", { exact: true }).fill("River Co-op");
  await page.getByLabel("Purpose").fill("A clean river that the whole valley enjoys and looks after.");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await page.getByRole("heading", { level: 1, name: "River Co-op" }).waitFor();
}

describe("the web shell", () => {
  it("takes a newcomer from sign-up to the overview of their circles and who holds which role", async () => {
    const { context, page, crashes } = await openPage(app);
    await page.goto("/");
    await page.waitForURL("**/login");
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: join(screenshotDir, "login.png") });

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await expectAccessible(page);
    await signUpInBrowser(page);
    await page.getByText("You are not in any organisation yet").waitFor();
    await expectAccessible(page);

    await createOrgInBrowser(page);
    expect(new URL(page.url()).pathname).toBe("/orgs/river-co-op");
    await page.getByText("A clean river that the whole valley enjoys").waitFor();
    await page.getByText("No circles yet.").waitFor();

    const org = await orgCreatedInBrowser(app.env, "river-co-op", credentials);
    await seedCoop(app.env, org);
    // A reload of a deep link is served index.html by the server and lands on the same page.
    await page.reload();
    const circles = page.getByRole("list", { name: "Circles, nested" });
    await circles.waitFor();
    expect(await page.locator(".circle-map [data-circle-id]").count()).toBe(6);
    const circleNames = (list: typeof circles) =>
      list.locator(":scope > li > .circle-card .circle-name").allTextContents();
    expect(await circleNames(circles)).toEqual(["Facilitation practice", "General circle"]);
    expect(await circleNames(circles.getByRole("list", { name: "Inside General circle" }))).toEqual([
      "Finance committee",
      "Operations",
      "Outreach",
    ]);
    expect(await circleNames(circles.getByRole("list", { name: "Inside Operations" }))).toEqual(["Website"]);
    const treasurer = page
      .getByRole("list", { name: "Roles in Operations" })
      .getByRole("listitem")
      .filter({ hasText: "Treasurer" });
    expect(await treasurer.textContent()).toMatch(/Treasurer.*Chen Wei.*Femi Adeyemi.*shadowing/);
    expect(await page.getByRole("list", { name: "Roles in Website" }).textContent()).toContain("Vacant");
    const chensRoles = page.getByRole("list", { name: "Roles of Chen Wei" }).getByRole("listitem");
    expect((await chensRoles.allTextContents()).sort()).toEqual([
      "Secretary in General circle",
      "Treasurer in Operations",
    ]);
    expect(await page.getByText("Ada Lovelace (you)").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(screenshotDir, "overview-desktop.png"), fullPage: true });

    // Picking a circle on the map points it out in the list, and the list's button does the same by keyboard.
    const websiteButton = page.getByRole("button", { name: "Website" });
    const websiteBubble = page.locator(".circle-map [data-circle-id]").filter({ hasText: "Website" });
    await websiteBubble.locator("circle").click();
    expect(await websiteButton.getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("button", { name: "Outreach" }).focus();
    await page.keyboard.press("Enter");
    expect(await websiteButton.getAttribute("aria-pressed")).toBe("false");
    expect(await page.locator(".map-node.is-selected").textContent()).toBe("Outreach");

    // After a reload the CSRF token comes from /auth/me; logging out is a write that needs it.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL("**/login");
    await page.goto("/orgs/river-co-op");
    await page.waitForURL("**/login");
    expect(crashes).toEqual([]);
    await context.close();
  }, 120_000);

  it("shows the overview on a 390 px wide phone without sideways scrolling", async () => {
    const desk = await openPage(app, desktop);
    await signUpInBrowser(desk.page);
    await createOrgInBrowser(desk.page);
    await desk.context.close();
    await seedCoop(app.env, await orgCreatedInBrowser(app.env, "river-co-op", credentials));

    const { context, page } = await openPage(app, phone);
    await page.goto("/login");
    await page.getByLabel("Email").fill(ada.email);
    await page.getByLabel("Password").fill(ada.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("link", { name: /River Co-op/ }).click();
    await page.getByRole("list", { name: "Circles, nested" }).waitFor();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);
    await page.screenshot({ path: join(screenshotDir, "overview-phone.png"), fullPage: true });
    await context.close();
  }, 120_000);

  it("sends a visitor to log in and back to the page they asked for", async () => {
    const first = await openPage(app);
    await signUpInBrowser(first.page);
    await createOrgInBrowser(first.page);
    await first.context.close();

    const { context, page } = await openPage(app);
    await page.goto("/orgs/river-co-op");
    await page.waitForURL("**/login");
    await page.getByLabel("Email").fill(ada.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("Email or password is wrong");
    await page.getByLabel("Password").fill(ada.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { level: 1, name: "River Co-op" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/orgs/river-co-op");
    await context.close();
  }, 60_000);

  it("explains failures in words, never as raw JSON", async () => {
    const { context, page } = await openPage(app);
    await signUpInBrowser(page);
    await page.goto("/orgs/no-such-org");
    await page.getByRole("heading", { name: "Organisation not available" }).waitFor();
    expect(await page.getByText("does not exist, or you are not one of its members").count()).toBe(1);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL("**/login");

    await page.goto("/signup");
    await page.getByLabel("Your name").fill("Someone Else");
    await page.getByLabel("Email").fill(ada.email);
    await page.getByLabel("Password").fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    expect(await page.getByRole("alert").textContent()).toBe(
      "An account with this email exists; log in instead",
    );
    await context.close();
  }, 60_000);
});
