import { describe, expect, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { openSection, signInAs } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("the oversight report", () => {
  it("shows the published aggregates with small cells withheld, and links the CSV and HTML versions", async () => {
    const page = await newPage(browser());
    await signInAs(page, "privacy_officer");
    await openSection(page, "Reports");
    await page.getByRole("heading", { name: "Oversight report" }).waitFor();
    await page.getByRole("heading", { name: "Time to resolve redress requests" }).waitFor();
    // The seeded population is small: its counts are under the threshold, so they are withheld.
    expect(await page.getByText("withheld").count()).toBeGreaterThan(0);
    const csv = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    const answer = await page.evaluate(async (href) => (await fetch(href!)).status, csv);
    expect(answer).toBe(200);
    await expectAccessible(page);
    await page.close();
  });
});
