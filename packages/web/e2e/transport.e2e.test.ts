import { describe, expect, inject, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("the transport planner", () => {
  it("builds a plan for the ready cases, leaves the gated one off, and freezes it after a re-check", async () => {
    const page = await newPage(browser());
    const { actionable, stayed, flightId } = inject("seeded");
    await signInAs(page, "transport_planner");
    await statePurpose(page, "Transport planning");
    await openSection(page, "Transport planner");
    await page.getByRole("button", { name: "Plan flights" }).click();
    const plan = page.getByTestId("transport-plan");
    const manifest = plan.getByRole("region", { name: `Flight ${flightId}` });
    await manifest.waitFor();
    expect(await manifest.getByRole("link", { name: actionable[0]! }).count()).toBe(1);
    expect(await manifest.getByText(stayed).count()).toBe(0);
    expect(await plan.textContent()).toMatch(/draft/);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Re-check and freeze" }).click();
    await page.getByText(/Re-checked at .*; \d+ struck/).waitFor();
    await plan.getByText(/frozen \d{4}-\d{2}-\d{2}/).waitFor();
    expect(await page.getByRole("button", { name: "Re-check and freeze" }).count()).toBe(0);
    await page.close();

    // A supervisor of another office (NYC; the plan is HQ's) is not told that no plan exists.
    const supervisor = await newPage(browser());
    await signInAs(supervisor, "supervisor");
    await statePurpose(supervisor, "Case review");
    await openSection(supervisor, "Transport planner");
    await supervisor.getByText(/No plan you may see: plans are read by office \(yours is NYC\)/).waitFor();
    expect(await supervisor.getByText("No plan yet.").count()).toBe(0);
    await supervisor.close();
  });

  it("is absent for a role without transport plans", async () => {
    const page = await newPage(browser());
    await signInAs(page, "legal_counsel");
    const navigation = page.getByRole("navigation", { name: "Sections" });
    expect(await navigation.getByRole("link", { name: "Transport planner" }).count()).toBe(0);
    await page.goto(`${inject("passageUrl")}/#/transport`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await page.close();
  });
});
