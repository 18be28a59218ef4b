import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { hourLabel } from "../src/pages/departures/departure-figures.ts";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { waitForProjections } from "./harness/seed-synthetic.ts";
import { gotoRoute, openSection, signInAs } from "./harness/sign-in.ts";

const browser = sharedBrowser();
const PURPOSE = "Departure feed";

/** A visitor of this test's own, so no other test's case changes when they leave. */
const TRAVELLER = {
  family_name: "Vasquez-Lindgren",
  given_names: "Marisol",
  date_of_birth: "1987-08-19",
  a_number: "A318840027",
};

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Posts NDJSON rows of a feed through the feeds API as the data steward, and checks each was stored. */
async function postFeed(feed: string, rows: Record<string, string>[]): Promise<void> {
  const url = inject("passageUrl");
  const steward = inject("demoAccounts").data_steward!;
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: steward.username, password: steward.password }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const response = await fetch(`${url}/api/v1/feeds/${feed}/records`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-ndjson", "x-passage-purpose": PURPOSE },
    body: `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`,
  });
  const summary = await response.json();
  expect(summary, JSON.stringify(summary)).toMatchObject({ new: rows.length, rejected: 0, refused: 0 });
}

async function figure(page: Page, id: string): Promise<number> {
  const text = await page.getByTestId(`departures-${id}`).textContent();
  return Number(text!.replaceAll(",", ""));
}

/** Waits, without reloading, until a key figure reads `expected`. */
async function figureBecomes(page: Page, id: string, expected: number): Promise<void> {
  await page.waitForFunction(
    ([testId, wanted]) =>
      document.querySelector(`[data-testid="${testId}"]`)?.textContent?.replaceAll(",", "") === wanted,
    [`departures-${id}`, String(expected)] as const,
    { timeout: 75_000 },
  );
}

beforeAll(async () => {
  // The traveller is admitted (still within the admission period) before the dashboard opens.
  await postFeed("admission", [
    {
      ...TRAVELLER,
      i94_number: "31884002700",
      class_of_admission: "B2",
      admission_date: day(-12),
      admit_until: day(60),
      port_of_entry: "JFK",
    },
  ]);
  await waitForProjections(inject("passageUrl"));
});

describe("the departures dashboard", () => {
  it("updates its figures and charts live when a departure is streamed in through the feeds API", async () => {
    const page = await newPage(browser());
    await signInAs(page, "supervisor");
    await openSection(page, "Departures");
    await page.getByRole("heading", { name: "Departures", level: 1 }).waitFor();
    await page.getByTestId("departures-confirmed-recent").waitFor();
    await page.getByTestId("departures-connection").getByText("Live").waitFor();
    await expectAccessible(page);

    const before = {
      recent: await figure(page, "confirmed-recent"),
      verified: await figure(page, "dated-verified"),
    };
    // Set in this document: still there afterwards means the page was never reloaded.
    await page.evaluate(() => {
      (window as unknown as { departuresMarker: boolean }).departuresMarker = true;
    });

    const reportedAt = new Date().toISOString();
    await postFeed("departure", [
      {
        ...TRAVELLER,
        departure_id: "DEP-E2E-1",
        departure_date: day(0),
        mode: "air",
        evidence: "carrier_manifest",
        reported_at: reportedAt,
      },
    ]);

    await figureBecomes(page, "confirmed-recent", before.recent + 1);
    expect(await figure(page, "dated-verified")).toBe(before.verified + 1);
    const hourRow = page
      .getByRole("figure", { name: "Departures confirmed per hour, by evidence tier" })
      .locator("tr", { has: page.locator("th", { hasText: hourLabel(reportedAt) }) });
    expect(Number(await hourRow.locator("td").first().textContent())).toBeGreaterThanOrEqual(1);
    expect(
      await page.evaluate(() => (window as unknown as { departuresMarker?: boolean }).departuresMarker),
    ).toBe(true);
    expect(await page.getByTestId("departures-connection").textContent()).toMatch(/Live/);
    // Aggregates only: the traveller's name is nowhere on the page.
    expect(await page.getByRole("main").textContent()).not.toContain(TRAVELLER.family_name);
    await page.close();
  });

  it("is absent for a role without departure metrics", async () => {
    const page = await newPage(browser());
    await signInAs(page, "investigator");
    const navigation = page.getByRole("navigation", { name: "Sections" });
    expect(await navigation.getByRole("link", { name: "Departures" }).count()).toBe(0);
    await gotoRoute(page, "/departures");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    const stream = await page.evaluate(async () => (await fetch("/api/v1/departures/stream")).status);
    expect(stream).toBe(403);
    await page.close();
  });
});
