import { describe, expect, inject, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { gotoRoute, openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("the person page", () => {
  it("asks for a purpose of use before it shows case data", async () => {
    const page = await newPage(browser());
    await signInAs(page, "legal_counsel");
    await gotoRoute(page, `/persons/${inject("seeded").stayed}`);
    await page.getByText("State a purpose of use").waitFor();
    expect(await page.getByRole("heading", { name: "Blockers" }).count()).toBe(0);
    await page.close();
  });

  it("explains a status: the blocker and the gate that hold, with the records they rest on, as of any date", async () => {
    const page = await newPage(browser());
    const { stayed } = inject("seeded");
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    await openSection(page, "Open a case");
    await page.getByLabel("Person ID or record reference").fill(stayed);
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByRole("heading", { name: new RegExp(`\\(${stayed}\\)`) }).waitFor();
    await page.getByRole("heading", { name: "Blockers" }).waitFor();
    expect(await page.getByText("not actionable").first().isVisible()).toBe(true);

    const blocker = page.getByTestId("blocker").filter({ hasText: /stay/i }).first();
    expect(await blocker.textContent()).toMatch(/Basis:/);
    const stayEvidence = blocker.getByRole("button", { name: /Open record court:CE-950-stay@v1/ });
    await stayEvidence.click();
    const dialog = page.getByRole("dialog", { name: "Record court:CE-950-stay" });
    await dialog.getByText("Version 1").waitFor();
    expect(await dialog.textContent()).toMatch(/stay_granted/);
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Close" }).click();

    const gates = page.getByRole("table", { name: "Every gate considered" });
    expect(await gates.getByText("holds").count()).toBeGreaterThan(0);

    // Five days ago the stay had not been granted: the blocker is gone from that day's status.
    const earlier = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Status as of (date)").fill(earlier);
    await page.getByRole("button", { name: "Show status" }).click();
    await page.getByTestId("status-as-of").filter({ hasText: earlier }).waitFor();
    expect(await page.getByTestId("blocker").filter({ hasText: /stay/i }).count()).toBe(0);

    await page.getByRole("tab", { name: "Timeline" }).click();
    await page.getByRole("list", { name: "Lifecycle timeline" }).waitFor();
    await page.getByRole("tab", { name: "Identity and records" }).click();
    await page.getByRole("heading", { name: "Every source record, with provenance" }).waitFor();
    await page.getByTestId("source-record").first().waitFor();
    await expectAccessible(page);
    await page.close();
  });

  it("opens a case by one of its records, and names an unknown record plainly", async () => {
    const page = await newPage(browser());
    await signInAs(page, "data_steward");
    await statePurpose(page, "Data quality");
    await openSection(page, "Open a case");
    await page.getByLabel("Person ID or record reference").fill("court:CE-901-2");
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByRole("heading", { name: `(${inject("seeded").actionable[0]})`, exact: false }).waitFor();
    await openSection(page, "Open a case");
    await page.getByLabel("Person ID or record reference").fill("court:NO-SUCH-EVENT");
    await page.getByRole("button", { name: "Open" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/court:NO-SUCH-EVENT/);
    await page.close();
  });

  it("opens a person ID typed in lower case", async () => {
    const page = await newPage(browser());
    const { stayed } = inject("seeded");
    await signInAs(page, "supervisor");
    await statePurpose(page, "Case review");
    await openSection(page, "Open a case");
    await page.getByLabel("Person ID or record reference").fill(`  ${stayed.toLowerCase()} `);
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByRole("heading", { name: new RegExp(`\\(${stayed}\\)`) }).waitFor();
    expect(page.url()).toContain(`#/persons/${stayed}`);
    await page.close();
  });

  it("says once, and alone, that a person that does not exist cannot be shown", async () => {
    const page = await newPage(browser());
    await signInAs(page, "supervisor");
    await statePurpose(page, "Case review");
    await gotoRoute(page, "/persons/P-NOSUCHPERSON0");
    const alert = page.getByRole("alert");
    await alert.first().waitFor();
    // Give the page's other loads (status, priority) time to answer too: still one message.
    await page.waitForTimeout(1000);
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toMatch(/P-NOSUCHPERSON0/);
    expect(await page.getByRole("form", { name: "Status as of" }).count()).toBe(0);
    expect(await page.getByRole("tablist").count()).toBe(0);
    await expectAccessible(page);
    await page.close();
  });
});
