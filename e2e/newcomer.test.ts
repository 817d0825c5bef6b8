import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible, openPage, withBrowserEnv } from "./support/browser-env.js";

const app = withBrowserEnv();

const PASSWORD = "correct horse battery";
const ORG = "Valley Growers";

/** A datetime-local value `days` after the server's clock, in the browser's (and this process's) time zone. */
function daysFromNow(days: number) {
  const at = new Date(app.env.clock.now().getTime() + days * 86_400_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

const stepNow = (page: Page) => page.locator('.steps [aria-current="step"] .step-label').textContent();

async function respondInBrowser(page: Page, choice: RegExp, fields: Record<string, string> = {}) {
  await page.getByRole("radio", { name: choice }).check();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Send response" }).click();
}

async function signUp(page: Page, person: { name: string; email: string }) {
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function invitationLink(page: Page, previous?: string) {
  await page.getByLabel("Access", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const box = page.getByRole("textbox", { name: "Invitation link" });
  await expect.poll(() => box.inputValue()).not.toBe(previous ?? "");
  return box.inputValue();
}

/** Someone invited opens the link in a browser of their own, signs up there and joins. */
async function joinByLink(link: string, person: { name: string; email: string }) {
  const opened = await openPage(app);
  await opened.page.goto(link);
  await opened.page.getByRole("link", { name: "Create an account" }).click();
  await signUp(opened.page, person);
  await opened.page.getByRole("button", { name: `Join ${ORG}` }).click();
  await opened.page.getByRole("heading", { level: 1, name: ORG }).waitFor();
  return opened;
}

describe("a newcomer's first decision, all in the browser", () => {
  it("signs up, organises a circle and takes a proposal through an integrated objection to adoption", async () => {
    // Ada signs up and creates the organisation.
    const ada = await openPage(app);
    const page = ada.page;
    await page.goto("/signup");
    await signUp(page, { name: "Ada Lovelace", email: "ada@valley.example" });
    await page.getByRole("heading", { name: "Your organisations" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill(ORG);
    await page.getByLabel("Purpose").fill("Grow food for the whole valley.");
    await page.getByRole("button", { name: "Create organisation" }).click();
    await page.getByRole("heading", { level: 1, name: ORG }).waitFor();
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";

    // She invites Ben and Cat by link; each joins from a browser of their own.
    await page.goto(`/orgs/${slug}/settings`);
    const benLink = await invitationLink(page);
    const catLink = await invitationLink(page, benLink);
    const ben = await joinByLink(benLink, { name: "Ben Ito", email: "ben@valley.example" });
    const cat = await joinByLink(catLink, { name: "Cat Duarte", email: "cat@valley.example" });

    // A circle with the three of them.
    await page.goto(`/orgs/${slug}/circles`);
    await page.getByText("No circles yet.", { exact: false }).waitFor();
    await page.getByRole("button", { name: "New circle" }).click();
    const circleForm = page.getByRole("form", { name: "New circle" });
    await circleForm.getByLabel("Name").fill("Garden");
    await circleForm.getByLabel("Aim").fill("Grow food and flowers for the neighbourhood");
    expect(await circleForm.getByRole("checkbox", { name: "Ada Lovelace" }).isChecked()).toBe(true);
    await circleForm.getByRole("checkbox", { name: "Ben Ito" }).check();
    await circleForm.getByRole("checkbox", { name: "Cat Duarte" }).check();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Create circle" }).click();
    await page.getByRole("heading", { level: 1, name: "Garden" }).waitFor();
    await page.getByRole("heading", { name: "Members (3)" }).waitFor();

    // Ada appoints herself to the Facilitator role the circle came with.
    await page
      .getByRole("list", { name: "Roles in Garden" })
      .getByRole("link", { name: "Facilitator" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Facilitator" }).waitFor();
    await page.getByRole("button", { name: "Appoint" }).click();
    await page.getByLabel("Member").selectOption({ label: "Ada Lovelace" });
    await expectAccessible(page);
    await page
      .getByRole("form", { name: "Appoint to Facilitator" })
      .getByRole("button", { name: "Appoint" })
      .click();
    await page.getByRole("form", { name: "Appoint to Facilitator" }).waitFor({ state: "detached" });
    const heldNow = page.locator("section", { has: page.getByRole("heading", { name: "Held now" }) });
    await heldNow.getByText("Ada Lovelace").waitFor();

    // And creates a Tool keeper role.
    await page.getByRole("link", { name: "Garden" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Garden" }).waitFor();
    await page.getByRole("button", { name: "New role" }).click();
    await page.getByLabel("Role name").fill("Tool keeper");
    await page.getByLabel("Purpose").fill("Tools are where people expect them, sharp and mended");
    await page.getByLabel("Accountabilities").fill("Keep the shed tidy\nMend broken tools");
    await page.getByLabel("How it is filled").selectOption({ label: "Rotates" });
    await page.getByLabel("Term in days").fill("30");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Create role" }).click();
    await page.getByRole("heading", { level: 1, name: "Tool keeper" }).waitFor();
    await page.getByText("Mend broken tools").waitFor();

    // The add-member form, seen once (everyone is in the circle already).
    await page.getByRole("link", { name: "Garden" }).first().click();
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByText("Every member of the organisation is already in Garden.").waitFor();

    // Ada drafts a proposal and takes it through the phases to a consent round.
    await page.getByRole("link", { name: "Proposals" }).click();
    await page.getByRole("link", { name: "New proposal" }).click();
    // The proposals list has a circle filter too: wait for the form before choosing the circle.
    await page.getByRole("heading", { level: 1, name: "New proposal" }).waitFor();
    await page.getByLabel("Circle", { exact: true }).selectOption({ label: "Garden" });
    await page.getByLabel("Title").fill("Tool library");
    await page
      .getByLabel("Proposal", { exact: true })
      .fill("Lend tools from the shed.\nReturn them within a week.");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByRole("heading", { level: 1, name: "Tool library" }).waitFor();
    const proposalPath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "Present to the circle" }).click();
    await page.getByRole("button", { name: "Open clarifying questions" }).click();
    await page.getByRole("button", { name: "Move on to reactions" }).click();
    await page.getByRole("button", { name: "Open the consent round" }).click();
    await page.getByRole("heading", { name: "Consent round" }).waitFor();
    expect(await stepNow(page)).toBe("Consent round");

    // Ben consents, Cat objects with a reason, Ada consents.
    await ben.page.goto(proposalPath);
    await respondInBrowser(ben.page, /^Consent I can live/);
    await ben.page.getByText("You responded: Consent").waitFor();
    await cat.page.goto(proposalPath);
    await respondInBrowser(cat.page, /^Object/, {
      "Your objection": "A week is too long: others wait for the mower",
    });
    await cat.page.getByText("You responded: Objection").waitFor();
    await respondInBrowser(page, /^Consent I can live/);

    // Ada integrates the objection by amending the text, and opens a new round.
    await page.getByRole("button", { name: "Start integrating objections" }).click();
    await page
      .getByLabel("Amend to integrate objections")
      .fill("Lend tools from the shed.\nReturn them within three days.");
    await page.getByRole("button", { name: "Save amendment" }).click();
    await page.getByText("(version 2)").waitFor();
    await page.getByRole("button", { name: "Integrate…" }).click();
    expect(await page.getByLabel("Version", { exact: true }).inputValue()).toBe("2");
    await page.getByRole("button", { name: "Mark integrated" }).click();
    await page.getByText("Integrated by amendment: version 2.").waitFor();
    await page.getByRole("button", { name: "Open the consent round" }).click();
    await page.getByRole("heading", { name: "Consent round 2" }).waitFor();

    // All three consent: adopted, with its review date.
    for (const other of [ben.page, cat.page]) {
      await other.goto(proposalPath);
      await other.getByRole("heading", { name: "Consent round 2" }).waitFor();
      await respondInBrowser(other, /^Consent I can live/);
      await other.getByText("You responded: Consent").waitFor();
    }
    await respondInBrowser(page, /^Consent I can live/);
    await page.getByRole("heading", { name: "Decision" }).waitFor();
    expect(await page.locator(".proposal-title-row .badge").textContent()).toBe("Adopted");
    expect(await page.getByTestId("review-date").textContent()).toMatch(/\d{4} \(\d+ months\)$/);
    expect(await stepNow(page)).toBe("Adopted");

    // The adopted proposal grants Ben crisis authority, from the Crises page.
    await page.goto(`/orgs/${slug}/crises`);
    await page.getByRole("button", { name: "Grant crisis authority" }).click();
    await page.getByLabel("Circle", { exact: true }).selectOption({ label: "Garden" });
    const grantForm = page.getByRole("form", { name: "Grant crisis authority in Garden" });
    await grantForm.getByLabel("Held by").selectOption({ label: "Ben Ito" });
    await grantForm.getByLabel("Scope").fill("Decide how to protect the beds from the flood");
    await grantForm.getByLabel("Ends at").fill(daysFromNow(2));
    await grantForm.getByLabel("Adopted proposal", { exact: true }).selectOption({ label: "Tool library" });
    await expectAccessible(page);
    await grantForm.getByRole("radio", { name: /^Expedited/ }).check();
    await grantForm.getByLabel("Co-granting leadership holder").waitFor();
    await expectAccessible(page);
    await grantForm.getByRole("radio", { name: /^The circle's consent/ }).check();
    await grantForm.getByLabel("Adopted proposal", { exact: true }).selectOption({ label: "Tool library" });
    await grantForm.getByRole("button", { name: "Grant crisis authority" }).click();
    await page.waitForURL(/\/crises\/[^/]+$/);
    await page.getByText("Decide how to protect the beds from the flood").first().waitFor();

    // A rota for the Tool keeper, Cat first.
    await page.goto(`/orgs/${slug}/rotation/rotas`);
    await page.getByRole("button", { name: "Start a rota" }).click();
    await page.getByLabel("Role").selectOption({ label: "Tool keeper" });
    const rotaForm = page.getByRole("form", { name: "Start a rota" });
    await rotaForm.getByRole("button", { name: "Up Cat Duarte" }).click();
    await rotaForm.getByRole("button", { name: "Up Cat Duarte" }).click();
    await expectAccessible(page);
    await rotaForm.getByRole("button", { name: "Start the rota" }).click();
    await page.getByRole("heading", { name: /Tool keeper/ }).waitFor();
    expect(await page.locator(".rota-next strong").textContent()).toBe("Cat Duarte");

    for (const browser of [ada, ben, cat]) {
      expect(browser.crashes).toEqual([]);
      await browser.context.close();
    }
  }, 240_000);
});
