import { describe, expect, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { openSection, signInAs } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("policies", () => {
  it("lists the versions, diffs and dry-runs a proposal, and names a broken policy's problems", async () => {
    const page = await newPage(browser());
    await signInAs(page, "auditor");
    await openSection(page, "Policies");
    const versions = page.getByRole("table", { name: "Policy versions" });
    await versions.getByText("active").waitFor();
    await expectAccessible(page);

    const stored = await page
      .getByLabel("Start from a stored version")
      .locator("option")
      .nth(1)
      .getAttribute("value");
    await page.getByLabel("Start from a stored version").selectOption(stored!);
    const text = await page.getByLabel("Policy (YAML)").inputValue();
    expect(text).toMatch(/rules/);
    const proposal = text.replace(/version:\s*"?([\d.]+)"?/, 'version: "9.9.9"');
    await page.getByLabel("Policy (YAML)").fill(proposal);

    await page.getByRole("button", { name: "Diff against active" }).click();
    await page
      .getByTestId("policy-diff")
      .getByText(/9\.9\.9/)
      .first()
      .waitFor();

    await page.getByRole("button", { name: "Dry-run impact" }).click();
    const dryRun = page.getByTestId("dry-run");
    await dryRun.waitFor();
    expect(await dryRun.textContent()).toMatch(/actionable cases would change tier/);
    await expectAccessible(page);

    await page.getByLabel("Policy (YAML)").fill(`${proposal}\nrules: [oops`);
    await page.getByRole("button", { name: "Check" }).click();
    await page.getByText("The policy has problems").waitFor();
    await page.close();
  });
});
