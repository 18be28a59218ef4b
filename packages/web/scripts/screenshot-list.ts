import type { Page } from "playwright-core";
import type { SeededCases } from "../e2e/harness/seed-cases.ts";

/** One screenshot: who is signed in, which page, what to wait for. */
export interface Screenshot {
  readonly name: string;
  readonly title: string;
  /** The demo role to sign in as; none for the anonymous sign-in page. */
  readonly role?: string;
  readonly purpose?: string;
  /** The route after `#`, e.g. `/worklists`. */
  readonly route?: string | ((cases: SeededCases) => string);
  /** A heading that shows the page is ready. */
  readonly heading: string | RegExp;
  readonly prepare?: (page: Page) => Promise<void>;
}

/** The main pages, in the order the README shows them. Pages are added here as they are built. */
export const SCREENSHOTS: readonly Screenshot[] = [
  { name: "sign-in", title: "Sign-in page: what Passage is, and is not", heading: "Sign in" },
  {
    name: "person-status",
    title: "Person: status with evidence, gates that hold, as of any date",
    role: "legal_counsel",
    purpose: "Legal review",
    route: (cases) => `/persons/${cases.stayed}`,
    heading: "Blockers",
  },
  {
    name: "person-identity",
    title: "Person: identity as each source gives it, every record with provenance",
    role: "legal_counsel",
    purpose: "Legal review",
    route: (cases) => `/persons/${cases.actionable[0]}`,
    heading: "State",
    prepare: async (page) => {
      await page.getByRole("tab", { name: "Identity and records" }).click();
      await page.getByTestId("source-record").first().waitFor();
    },
  },
  {
    name: "worklist",
    title: "Worklist: virtualised, tiered, filtered",
    role: "supervisor",
    purpose: "Case review",
    route: "/worklists",
    heading: "Worklist",
    prepare: async (page) => {
      await page
        .getByRole("table", { name: /^Worklist:/ })
        .locator("tbody tr[data-index='0']")
        .waitFor();
    },
  },
  {
    name: "worklist-explanation",
    title: "Worklist: why a case is at its tier (rules that fired, evidence), supervisor override",
    role: "supervisor",
    purpose: "Case review",
    route: "/worklists",
    heading: "Worklist",
    prepare: async (page) => {
      await page
        .getByRole("table", { name: /^Worklist:/ })
        .locator("tbody tr[data-index='0']")
        .click();
      await page.getByTestId("priority-explanation").waitFor();
    },
  },
  {
    name: "departures",
    title: "Departures: live confirmations per hour by evidence tier, claims, overstays, time to departure",
    role: "supervisor",
    route: "/departures",
    heading: "Key figures",
  },
  {
    name: "transport",
    title: "Transport planner: manifests, strikes with reasons, re-check before freeze",
    role: "transport_planner",
    purpose: "Transport planning",
    route: "/transport",
    heading: "Transport planner",
    prepare: async (page) => {
      await page.getByRole("button", { name: "Plan flights" }).click();
      await page.getByTestId("transport-plan").waitFor();
    },
  },
  {
    name: "redress",
    title: "Redress: file with document references, review, resolve",
    role: "data_steward",
    purpose: "Redress review",
    route: "/redress",
    heading: "Redress",
  },
  {
    name: "audit",
    title: "Audit: entries with actor and purpose, verification, checkpoints",
    role: "auditor",
    purpose: "Oversight",
    route: "/audit",
    heading: "Audit log",
    prepare: async (page) => {
      await page.getByRole("tab", { name: "Verification" }).click();
      await page.getByRole("button", { name: "Verify the audit log" }).click();
      await page.getByText("Done: The audit log verifies").waitFor();
    },
  },
  {
    name: "policies",
    title: "Policies: versions, activation history, diff and dry-run impact",
    role: "auditor",
    route: "/policies",
    heading: "Policies",
    prepare: async (page) => {
      const choice = page.getByLabel("Start from a stored version");
      await choice.selectOption((await choice.locator("option").nth(1).getAttribute("value")) ?? "");
      await page.getByRole("button", { name: "Dry-run impact" }).click();
      await page.getByTestId("dry-run").waitFor();
      await page.getByTestId("dry-run").scrollIntoViewIfNeeded();
    },
  },
  {
    name: "reports",
    title: "Oversight report",
    role: "privacy_officer",
    route: "/reports",
    heading: "Oversight report",
  },
];
