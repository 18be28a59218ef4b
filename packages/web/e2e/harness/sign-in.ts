import type { Page } from "playwright-core";
import { inject } from "vitest";

/** Signs in through the sign-in page as the demo user of a role and waits for the shell. */
export async function signInAs(page: Page, role: string): Promise<void> {
  const account = inject("demoAccounts")[role];
  if (!account) throw new Error(`no demo account for role ${role}`);
  await page.goto(inject("passageUrl"));
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-user").waitFor();
}

/** States a purpose of use in the top bar, as the officer must before seeing case data. */
export async function statePurpose(page: Page, purpose: string): Promise<void> {
  await page.getByLabel("Purpose of use").fill(purpose);
  await page.getByRole("button", { name: "Set purpose" }).click();
  await page.getByText(`Stated: ${purpose}`).waitFor();
}

/** Opens a section from the navigation, as a person would. */
export async function openSection(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: label }).click();
}

/** Goes to a route of the app (`/persons/P-1`) in the signed-in session. */
export async function gotoRoute(page: Page, route: string): Promise<void> {
  await page.goto(`${inject("passageUrl")}/#${route}`);
}
