import { describe, expect, inject, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("the worklist", () => {
  it("lists the actionable cases, never the gated one, and explains a case's tier on demand", async () => {
    const page = await newPage(browser());
    const { actionable, stayed } = inject("seeded");
    await signInAs(page, "transport_planner");
    await statePurpose(page, "Removal planning");
    await openSection(page, "Worklists");
    const table = page.getByRole("table", { name: /^Worklist:/ });
    await table.getByText(actionable[0]!).waitFor();
    expect(await table.getByText(stayed).count()).toBe(0);
    // The tier filter offers the tiers of the policy in force (posture-2025 has six), not a fixed five.
    const tierFilter = page.getByLabel("Tier", { exact: true });
    await tierFilter.locator("option", { hasText: "Tier 6" }).waitFor({ state: "attached" });
    expect(await tierFilter.locator("option").allTextContents()).toEqual([
      "All tiers",
      "Tier 1: Public safety and national security",
      "Tier 2: Criminal history or recent entry",
      "Tier 3: Order non-compliance or status ended",
      "Tier 4: Other removable",
      "Tier 5: OPLA consultation before action",
      "Tier 6: Self-reported departure awaiting corroboration",
    ]);
    await expectAccessible(page);

    // Keyboard: focus the first row, move down, back up, and open it with Enter.
    await table.locator("tbody tr[data-index='0']").focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: /is on the worklist/ });
    await dialog.getByTestId("priority-explanation").waitFor();
    expect(await dialog.getByRole("table", { name: "Rules that fired" }).textContent()).toMatch(
      /set the tier/,
    );
    expect(await dialog.getByText("Override the tier").count()).toBe(0);
    await expectAccessible(page);
    await page.close();
  });

  it("lets a supervisor override a tier only with a reason, and shows the override", async () => {
    const page = await newPage(browser());
    const personId = inject("seeded").actionable[1]!;
    await signInAs(page, "supervisor");
    await statePurpose(page, "Case review");
    await openSection(page, "Worklists");
    const table = page.getByRole("table", { name: /^Worklist:/ });
    await table.getByText(personId).click();
    const dialog = page.getByRole("dialog", { name: `Why ${personId} is on the worklist` });
    await dialog.getByRole("heading", { name: "Override the tier" }).waitFor();
    await dialog.getByLabel("New tier").fill("3");
    await dialog.getByRole("button", { name: "Record override" }).click();
    await dialog.getByText(/Give the reason for the override/).waitFor();
    await dialog.getByLabel("Reason").fill("Humanitarian factors documented by counsel");
    await dialog.getByRole("button", { name: "Record override" }).click();
    await dialog.getByText("Override recorded.").waitFor();
    // The open explanation is read again: the tier in force and the override, without reopening.
    const explanation = dialog.getByTestId("priority-explanation");
    await explanation.getByText(/overridden by a supervisor: the policy gives tier/).waitFor();
    expect(await explanation.locator(".badge").first().textContent()).toMatch(/Tier 3$/);
    await dialog.getByRole("button", { name: "Close" }).click();
    const row = table.locator("tr", { hasText: personId });
    await row.getByText("overridden").first().waitFor();
    expect(await row.textContent()).toMatch(/Tier 3/);
    await page.close();
  });

  it("says there is no case when the worklist is empty, and that the tier filter left none when filtered", async () => {
    const page = await newPage(browser());
    // The server's answers, emptied: every case the reader may read is off the worklist.
    await page.route(/\/api\/v1\/worklist(\?|$)/, async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...answer, total: 0, entries: [] } });
    });
    await signInAs(page, "transport_planner");
    await statePurpose(page, "Removal planning");
    await openSection(page, "Worklists");
    const empty = page.getByTestId("worklist-empty");
    await empty
      .getByText(/^No case is on the worklist: none of the cases you may read is actionable/)
      .waitFor();
    expect(await page.getByRole("table", { name: /^Worklist:/ }).count()).toBe(0);
    await page.getByLabel("Tier", { exact: true }).selectOption("3");
    await empty.getByText(/^No case in tier 3: the tier filter leaves none\. Choose All tiers/).waitFor();
    await expectAccessible(page);
    await page.close();
  });
});
