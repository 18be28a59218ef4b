import { describe, expect, inject, it } from "vitest";
import { newPage, sharedBrowser } from "./harness/browser-test.ts";
import { gotoRoute, openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("the session and the purpose of use", () => {
  it("goes back to the sign-in page with the reason when the session ended in another tab", async () => {
    const page = await newPage(browser());
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    // Another tab of the same browser signs out: the session cookie is no longer valid.
    const otherTab = await browser().context.newPage();
    await otherTab.goto(inject("passageUrl"));
    await otherTab.evaluate(() =>
      fetch("/api/v1/auth/logout", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    );
    await otherTab.close();
    await gotoRoute(page, `/persons/${inject("seeded").stayed}`);
    await page.getByText("Your session has ended. Sign in again.").waitFor();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.getByTestId("signed-in-user").count()).toBe(0);
    expect(await page.getByText("Sign in or present an API token").count()).toBe(0);
    await page.close();
  });

  it("sends a purpose outside Latin-1 intact, and refuses an over-long one in the picker", async () => {
    const page = await newPage(browser());
    await signInAs(page, "legal_counsel");
    const purpose = "Проверка – officer’s review";
    await statePurpose(page, purpose);
    await gotoRoute(page, `/persons/${inject("seeded").stayed}`);
    await page.getByRole("heading", { name: "Blockers" }).waitFor();
    expect(await page.getByText("could not be reached").count()).toBe(0);

    await page.getByLabel("Purpose of use").fill("x".repeat(600));
    await page.getByText("A purpose of use may be at most 200 characters; this one has 600").waitFor();
    expect(await page.getByRole("button", { name: "Set purpose" }).isDisabled()).toBe(true);
    await page.getByLabel("Purpose of use").press("Enter");
    expect(await page.getByText(`Stated: ${purpose}`).count()).toBe(1);
    await page.close();
  });

  it("opens the departures stream with the stated purpose, which EventSource cannot send as a header", async () => {
    const page = await newPage(browser());
    await signInAs(page, "supervisor");
    const purpose = "Departures oversight – weekly";
    await statePurpose(page, purpose);
    const stream = page.waitForRequest((request) => request.url().includes("/api/v1/departures/stream"));
    await openSection(page, "Departures");
    const url = new URL((await stream).url());
    expect(url.searchParams.get("purpose")).toBe(purpose);
    await page.close();
  });
});
