import { describe, expect, inject, it } from "vitest";
import { SECTIONS } from "../src/app/navigation.ts";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { signInAs } from "./harness/sign-in.ts";

const browser = sharedBrowser();

/** Which actions each role's section depends on is the UI's business; which roles hold them is the access layer's. */
const ROLES = [
  "removal_officer",
  "investigator",
  "supervisor",
  "legal_counsel",
  "transport_planner",
  "data_steward",
  "auditor",
  "privacy_officer",
  "admin",
] as const;

/** Sections a role must never be given (packages/access/README.md role table), whatever the UI builds. */
const ROLE_MUST_NOT_SEE: Partial<Record<(typeof ROLES)[number], string[]>> = {
  removal_officer: ["audit", "link_review"],
  investigator: ["worklist", "audit", "transport", "link_review"],
  auditor: ["person", "worklist", "transport", "redress", "link_review"],
  admin: ["person", "worklist", "redress"],
  transport_planner: ["audit", "link_review", "redress"],
};

describe("an anonymous visitor", () => {
  it("sees what Passage is and is not, and a sign-in form, at / and at any deep link", async () => {
    const page = await newPage(browser());
    for (const address of ["/", "/#/worklists"]) {
      await page.goto(`${inject("passageUrl")}${address}`);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      const about = await page.getByRole("main").textContent();
      expect(about).toContain(
        "what is this person's status, what may lawfully be done, and on what evidence",
      );
      expect(about).toMatch(/no addresses and no location data/);
      expect(about).toMatch(/no biometric or facial matching/);
    }
    await expectAccessible(page);
    await page.close();
  });

  it("is brought back by single sign-on to the page that asked, its #/ route included", async () => {
    const page = await newPage(browser());
    // The demo server offers no single sign-on: answer auth/methods as one that does would.
    await page.route("**/api/v1/auth/methods", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({ oidc: { providerName: "Agency ID", loginPath: "/api/v1/auth/oidc/login" } }),
      }),
    );
    await page.goto(`${inject("passageUrl")}/#/persons/P-1?tab=links`);
    const link = page.getByRole("link", { name: "Sign in with Agency ID" });
    await link.waitFor();
    const href = new URL((await link.getAttribute("href"))!, inject("passageUrl"));
    expect(href.pathname).toBe("/api/v1/auth/oidc/login");
    expect(href.searchParams.get("returnTo")).toBe("/#/persons/P-1?tab=links");
    await page.close();
  });

  it("is told plainly when the password is wrong, and stays signed out", async () => {
    const page = await newPage(browser());
    await page.goto(inject("passageUrl"));
    await page.getByLabel("Username").fill("supervisor");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).not.toMatch(/^Error:\s*$/);
    expect(await page.getByTestId("signed-in-user").count()).toBe(0);
    await page.close();
  });
});

describe.each(ROLES)("signed in as %s", (role) => {
  it("shows who is signed in and exactly the sections the role permits, and signs out", async () => {
    const page = await newPage(browser());
    await signInAs(page, role);
    const account = inject("demoAccounts")[role]!;
    expect(await page.getByTestId("signed-in-user").textContent()).toContain(account.displayName);

    const me = (await page.evaluate(async () => (await fetch("/api/v1/auth/me")).json())) as {
      sections: string[];
    };
    for (const id of ROLE_MUST_NOT_SEE[role] ?? []) expect(me.sections).not.toContain(id);
    const expected = SECTIONS.filter((section) => me.sections.includes(section.id));
    const navigation = page.getByRole("navigation", { name: "Sections" });
    const links = (await navigation.getByRole("link").allTextContents()).map((label) => label.trim());
    expect(links).toEqual(["Home", ...expected.map((section) => section.label)]);
    // The home page is one component for every role: one accessibility check covers it.
    if (role === ROLES[0]) await expectAccessible(page);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const after = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).status);
    expect(after).toBe(401);
    await page.close();
  });
});
