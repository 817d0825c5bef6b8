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
import { seedDemoOrg } from "./support/seed.js";

const app = withBrowserEnv();

async function logIn(page: Page, login: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(login.email);
  await page.getByLabel("Password").fill(login.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Your organisations" }).waitFor();
}

/** The metrics as the API gives them to the same logged-in browser. */
async function apiMetrics(page: Page, slug: string, query = "") {
  const response = await page.request.get(`/api/v1/orgs/${slug}/metrics${query}`);
  expect(response.status()).toBe(200);
  return response.json();
}

const shownScope = (page: Page) => page.locator(".dashboard-scope");

describe("the leadership dashboard in the browser", () => {
  it("shows the demo organisation's metrics as the API gives them, by circle, with tables and CSV", async () => {
    const demo = await seedDemoOrg(app.env);
    const artistic = await demo.idOf("circles", "Artistic Planning");
    const { context, page, crashes } = await openPage(app, desktop);
    await logIn(page, demo.login);

    // The dashboard is one of the organisation's sections.
    await page.goto(`/orgs/${demo.slug}`);
    await page
      .getByRole("navigation", { name: /sections/ })
      .getByRole("link", { name: "Dashboard" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Leadership dashboard" }).waitFor();
    await shownScope(page).getByText("Orpheus Chamber Orchestra,").waitFor();

    const metrics = await apiMetrics(page, demo.slug, "?windowDays=365");
    expect(await page.getByTestId("gini").textContent()).toBe(metrics.concentration.gini.toFixed(2));
    await page.getByText(metrics.reach.reading, { exact: true }).waitFor();
    await page.getByText(metrics.concentration.reading, { exact: true }).waitFor();
    for (const name of [
      "How evenly leadership-days are shared",
      "Members who have ever led",
      "Who worked with whom",
    ])
      await page.getByRole("figure", { name: new RegExp(name) }).waitFor();
    await expectAccessible(page);
    await page.screenshot({ path: join(screenshotDir, "dashboard-desktop.png"), fullPage: true });

    // The Lorenz curve's numbers as a table, opened from the keyboard.
    const lorenz = page.getByRole("figure", { name: /How evenly leadership-days are shared/ });
    await lorenz.locator("summary").focus();
    await page.keyboard.press("Enter");
    const table = lorenz.getByRole("table", { name: /Lorenz curve/ });
    await table.waitFor();
    expect(await table.getByRole("row").count()).toBe(metrics.concentration.lorenz.length + 1);
    await expectAccessible(page);

    // The CSV links follow the scope.
    const csvLink = page.getByRole("link", { name: "the metrics" });
    expect(await csvLink.getAttribute("href")).toBe(
      `/api/v1/orgs/${demo.slug}/metrics.csv?windowDays=365&table=metrics`,
    );
    const csv = await page.request.get((await csvLink.getAttribute("href")) ?? "");
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain("leadershipGini");

    // One circle over three years: the address, the scope line and the numbers follow.
    await page.getByLabel("Period", { exact: true }).selectOption({ label: "Last 3 years" });
    await page.getByLabel("Circle", { exact: true }).selectOption({ label: "Artistic Planning" });
    await shownScope(page).getByText("Artistic Planning,").waitFor();
    expect(new URL(page.url()).searchParams.get("circle")).toBe(artistic);
    const circleMetrics = await apiMetrics(page, demo.slug, `?windowDays=1095&circleId=${artistic}`);
    expect(await page.getByTestId("gini").textContent()).toBe(circleMetrics.concentration.gini.toFixed(2));
    await page.getByText(circleMetrics.reach.reading, { exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "leadership-days by member" }).getAttribute("href")).toBe(
      `/api/v1/orgs/${demo.slug}/metrics.csv?windowDays=1095&circleId=${artistic}&table=leadershipDays`,
    );
    expect(crashes).toEqual([]);
    await context.close();
  }, 180_000);

  it("fits a 390 px phone and passes axe there", async () => {
    const demo = await seedDemoOrg(app.env);
    const { context, page, crashes } = await openPage(app, phone);
    await logIn(page, demo.login);
    await page.goto(`/orgs/${demo.slug}/dashboard`);
    await shownScope(page).getByText("Orpheus Chamber Orchestra,").waitFor();
    await page.getByRole("figure", { name: /Who worked with whom/ }).waitFor();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);
    await page.screenshot({ path: join(screenshotDir, "dashboard-phone.png"), fullPage: true });

    // A circle that is not there: the failure in words, with a way to try again.
    await page.goto(`/orgs/${demo.slug}/dashboard?circle=00000000-0000-4000-8000-000000000000`);
    const failure = page.getByRole("alert");
    await failure.getByText("The metrics could not be loaded").waitFor();
    await failure.getByRole("button", { name: "Try again" }).waitFor();
    expect(crashes).toEqual([]);
    await context.close();
  }, 120_000);
});
