import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type TestEnv, withTestEnv } from "../../test/support/harness.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const webSources = join(repoRoot, "src/web");
export const webDir = join(repoRoot, "dist/web");
export const screenshotDir = join(repoRoot, "docs/screenshots");

const newestChange = (folder: string): number =>
  Math.max(
    ...readdirSync(folder, { withFileTypes: true }).map((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs;
    }),
  );

/** Builds the web app when there is no build, or when its sources changed after the last one. */
function ensureWebBuild() {
  const index = join(webDir, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestChange(webSources)) return;
  execFileSync(join(repoRoot, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], {
    cwd: repoRoot,
    // Vitest sets NODE_ENV=test, which would bundle React's development build.
    env: { ...process.env, NODE_ENV: "production" },
    stdio: "inherit",
  });
}

export interface BrowserEnv {
  env: TestEnv;
  browser: Browser;
  /** Where the in-process server listens, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
}

/**
 * A test file's browser journey: the built web app served by an in-process server (on a fresh test
 * database, see withTestEnv) and Debian's Chromium driven by playwright-core.
 */
export function withBrowserEnv(): BrowserEnv {
  const browserEnv = {} as BrowserEnv;
  beforeAll(ensureWebBuild, 120_000);
  browserEnv.env = withTestEnv({ webDir });
  beforeAll(async () => {
    browserEnv.baseUrl = await browserEnv.env.server.listen({ port: 0, host: "127.0.0.1" });
    browserEnv.browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browserEnv.browser?.close();
  });
  return browserEnv;
}

export const desktop = { viewport: { width: 1280, height: 900 } };
export const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/**
 * A fresh browser profile (no cookies) whose pages resolve paths against the test server. `crashes`
 * collects uncaught errors in the page, which a journey expects to stay empty.
 */
export async function openPage(
  { browser, baseUrl }: BrowserEnv,
  options: typeof desktop | typeof phone = desktop,
): Promise<{ context: BrowserContext; page: Page; crashes: string[] }> {
  const context = await browser.newContext({ ...options, baseURL: baseUrl, reducedMotion: "reduce" });
  const page = await context.newPage();
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(error.stack ?? error.message));
  return { context, page, crashes };
}

/** Runs axe on the page as it stands and fails on any serious or critical violation, naming them. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
  expect(severe, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** The page's content is no wider than its viewport: nothing to scroll sideways on a phone. */
export async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}
