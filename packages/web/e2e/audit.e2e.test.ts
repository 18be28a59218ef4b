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
