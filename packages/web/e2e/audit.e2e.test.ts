import { describe, expect, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("the audit log", () => {
  it("shows entries with actor and purpose, verifies the log, and lists the signed checkpoints", async () => {
    const page = await newPage(browser());
    await signInAs(page, "auditor");
    await statePurpose(page, "Oversight");
    await openSection(page, "Audit");
    const entries = page.getByRole("table", { name: "Audit entries" });
    await entries.locator("tbody tr").first().waitFor();
    expect(await entries.textContent()).toMatch(/user:auditor/);
    // An entry's inclusion proof: proven against a checkpoint, or none covers it yet (newest entry).
    await entries
      .getByRole("button", { name: /^Prove entry \d+$/ })
      .first()
      .click();
    await page
      .getByRole("region", { name: "Inclusion proof" })
      .getByText(/is in the signed log|No signed checkpoint covers entry \d+ yet/)
      .waitFor();
    await expectAccessible(page);

    await page.getByRole("tab", { name: "Verification" }).click();
    await page.getByRole("button", { name: "Verify the audit log" }).click();
    await page.getByText("Done: The audit log verifies").waitFor();
    await expectAccessible(page);

    await page.getByRole("tab", { name: "Checkpoints" }).click();
    await page.getByRole("table", { name: /Signed checkpoints/ }).waitFor();
    await page.close();
  });

  it("keeps the keyboard focus on a Prove button pressed with Enter", async () => {
    const page = await newPage(browser());
    await signInAs(page, "auditor");
    await statePurpose(page, "Oversight");
    await openSection(page, "Audit");
    const entries = page.getByRole("table", { name: "Audit entries" });
    const prove = entries.getByRole("button", { name: /^Prove entry \d+$/ }).nth(1);
    const label = await prove.getAttribute("aria-label");
    await prove.focus();
    await page.keyboard.press("Enter");
    await page
      .getByRole("region", { name: "Inclusion proof" })
      .getByText(/is in the signed log|No signed checkpoint covers entry \d+ yet/)
      .waitFor();
    // The same button, not a remounted copy: focus neither falls to <body> nor moves elsewhere.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(label);
    await page.close();
  });

  it("asks again when Prove is pressed again, and drops the proof when the filter changes", async () => {
    const page = await newPage(browser());
    await signInAs(page, "auditor");
    await statePurpose(page, "Oversight");
    await openSection(page, "Audit");
    const asked: string[] = [];
    page.on("request", (request) => {
      if (/\/api\/v1\/audit\/entries\/\d+\/proof$/.test(new URL(request.url()).pathname))
        asked.push(request.url());
    });
    const entries = page.getByRole("table", { name: "Audit entries" });
    const prove = entries.getByRole("button", { name: /^Prove entry \d+$/ }).nth(1);
    const answer = page
      .getByRole("region", { name: "Inclusion proof" })
      .getByText(/is in the signed log|No signed checkpoint covers entry \d+ yet/);
    await prove.click();
    await answer.waitFor();
    await prove.click();
    await expect.poll(() => asked.length).toBe(2);
    await answer.waitFor();
    expect(new Set(asked).size).toBe(1);

    await page.getByLabel("Actor").fill("user:auditor");
    await page.getByRole("button", { name: "Filter" }).click();
    await entries.locator("tbody tr").first().waitFor();
    await page.getByText(/the latest \d+ matching are shown/).waitFor();
    expect(await page.getByRole("region", { name: "Inclusion proof" }).count()).toBe(0);
    await page.close();
  });

  it("lets an administrator sign a checkpoint, which the verification then counts", async () => {
    const page = await newPage(browser());
    await signInAs(page, "admin");
    await openSection(page, "Audit");
    expect(await page.getByRole("tab", { name: "Entries" }).count()).toBe(0);
    await page.getByRole("tab", { name: "Checkpoints" }).click();
    await page.getByRole("button", { name: "Sign a checkpoint now" }).click();
    await page.getByText(/Checkpoint signed over the first [\d,]+ entries|nothing to sign/).waitFor();
    await page.getByRole("tab", { name: "Verification" }).click();
    await page.getByRole("button", { name: "Verify the audit log" }).click();
    const verified = page.getByText("Done: The audit log verifies");
    await verified.waitFor();
    expect(await page.getByRole("status").filter({ hasText: "verifies" }).textContent()).toMatch(
      /[1-9]\d* signed checkpoints? verified/,
    );
    await expectAccessible(page);
    await page.close();
  });
});
