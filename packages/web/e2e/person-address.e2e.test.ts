import { describe, expect, inject, it } from "vitest";
import { newPage, sharedBrowser } from "./harness/browser-test.ts";
import { gotoRoute, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();
const browserInTokyo = sharedBrowser({ timezoneId: "Asia/Tokyo" });

/** The person page follows its address: another person, another query, back and forward. */
describe("the person page's address", () => {
  it("never shows one person's status under another person's id, nor an old query's answer after a failed one", async () => {
    const page = await newPage(browser());
    const { stayed } = inject("seeded");
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    await gotoRoute(page, `/persons/${stayed}`);
    await page.getByRole("heading", { name: new RegExp(`\\(${stayed}\\)`) }).waitFor();
    await page.getByRole("heading", { name: "Blockers" }).waitFor();

    // A hash change to a person that cannot be read: nothing of the first person stays.
    await gotoRoute(page, "/persons/P-DOESNOTEXIST");
    await page.getByRole("alert").first().waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Person P-DOESNOTEXIST");
    expect(await page.getByRole("heading", { name: "Blockers" }).count()).toBe(0);
    expect(await page.getByText("not actionable").count()).toBe(0);

    // Back: the first person again, whole.
    await page.goBack();
    await page.getByRole("heading", { name: "Blockers" }).waitFor();

    // A query the server refuses: its error alone, not the last answer's status beside it.
    await gotoRoute(page, `/persons/${stayed}?asOf=not-a-date`);
    await page.getByRole("alert").first().waitFor();
    expect(await page.getByRole("heading", { name: "Blockers" }).count()).toBe(0);
    expect(await page.getByText("not actionable").count()).toBe(0);
    await page.close();
  });

  it("names a knownAt that is not an instant instead of crashing, and the as-of fields follow back and forward", async () => {
    const page = await newPage(browser());
    const { stayed } = inject("seeded");
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    await gotoRoute(page, `/persons/${stayed}?knownAt=bogus`);
    const alert = page.getByRole("alert").filter({ hasText: "knownAt=bogus" });
    await alert.waitFor();
    expect(await page.getByText("Unexpected Application Error").count()).toBe(0);
    expect(await page.getByText("Invalid time value").count()).toBe(0);

    await gotoRoute(page, `/persons/${stayed}`);
    await page.getByRole("heading", { name: "Blockers" }).waitFor();
    const earlier = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Status as of (date)").fill(earlier);
    await page.getByRole("button", { name: "Show status" }).click();
    await page.getByTestId("status-as-of").filter({ hasText: earlier }).waitFor();
    await page.goBack();
    await page.waitForFunction(() => !location.hash.includes("asOf"));
    await expect.poll(() => page.getByLabel("Status as of (date)").inputValue()).toBe("");
    await page.goForward();
    await expect.poll(() => page.getByLabel("Status as of (date)").inputValue()).toBe(earlier);
    await page.close();
  });

  it("reads 'as known at' in the reader's own time zone and puts the UTC instant in the address", async () => {
    const page = await newPage(browserInTokyo());
    const { stayed } = inject("seeded");
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    await gotoRoute(page, `/persons/${stayed}`);
    await page.getByRole("heading", { name: "Blockers" }).waitFor();
    expect(await page.getByText(/Asia\/Tokyo \(UTC\+09:00\)/).count()).toBe(1);
    await page.getByLabel("As known at (time)").fill("2026-03-01T14:30");
    await page.getByRole("button", { name: "Show status" }).click();
    await page.waitForFunction(() => location.hash.includes("knownAt"));
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain("knownAt=2026-03-01T05:30:00.000Z");
    // Reloaded from the address, the field shows the same local time again.
    await page.reload();
    await expect.poll(() => page.getByLabel("As known at (time)").inputValue()).toBe("2026-03-01T14:30");
    await page.close();
  });

  it("says plainly that a person may not exist or be out of reach, and refuses an over-long search alone", async () => {
    const page = await newPage(browser());
    await signInAs(page, "removal_officer");
    await statePurpose(page, "Case review");
    // The person's refusal comes after the status's (as a loaded server may answer): the page
    // says the person's once, not first the status's.
    await page.route(/\/api\/v1\/persons\/P-DOESNOTEXIST(\?|$)/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    await gotoRoute(page, "/persons/P-DOESNOTEXIST");
    const alert = page.getByRole("alert").first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /You may not see person P-DOESNOTEXIST: it does not exist, or it is outside what your role and office may see/,
    );
    expect(await alert.textContent()).not.toMatch(/person\.read|User:/);

    await gotoRoute(page, `/search?q=${"a".repeat(300)}`);
    await page.getByRole("alert").filter({ hasText: "at most 200 characters" }).waitFor();
    expect(await page.getByText(/persons? for/).count()).toBe(0);
    await page.close();
  });
});
