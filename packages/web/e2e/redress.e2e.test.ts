import { describe, expect, inject, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { gotoRoute, openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

describe("redress", () => {
  it("files a citizenship claim (blocking action at once), takes it into review and resolves it", async () => {
    const page = await newPage(browser());
    const personId = inject("seeded").actionable[5]!;
    await signInAs(page, "data_steward");
    await statePurpose(page, "Redress review");
    await openSection(page, "Redress");
    const form = page.getByRole("form", { name: "File a redress request" });
    await form.getByLabel("Person ID").fill(personId);
    await form.getByLabel("What is wrong").selectOption("citizenship");
    await form.getByLabel("Statement").fill("I was born in El Paso, Texas.");
    await form.getByLabel("Document type").fill("U.S. birth certificate");
    await form.getByLabel("Document number").fill("TX-1985-0042");
    await form.getByLabel("Issued by").fill("Texas Department of State Health Services");
    await form.getByRole("button", { name: "File request" }).click();
    await form.getByText("Request filed.").waitFor();
    await expectAccessible(page);

    // The claim holds at once: the person's status shows it.
    await gotoRoute(page, `/persons/${personId}`);
    await page.getByRole("heading", { name: "Blockers" }).waitFor();
    expect(await page.getByTestId("blocker").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/citizen/i)]),
    );

    await openSection(page, "Redress");
    const requests = page.getByRole("table", { name: "Redress requests, newest first" });
    await requests.locator("tr", { hasText: personId }).getByRole("button").first().click();
    const redressCase = page.getByTestId("redress-case");
    await redressCase.getByRole("button", { name: "Take into review" }).click();
    await redressCase.getByRole("form", { name: "Resolve the request" }).waitFor();
    await redressCase.getByLabel("Outcome").selectOption("denied");
    await redressCase.getByLabel("Reason").fill("The certificate number does not match the state registry.");
    await redressCase.getByRole("button", { name: "Resolve request" }).click();
    await redressCase.getByText(/resolved in \d+ day/).waitFor();
    const history = await redressCase.locator("ol.timeline li").allTextContents();
    expect(history.map((step) => step.split(" · ")[0])).toEqual(["filed", "review started", "resolved"]);

    // The person's page keeps the request and what came of it.
    await gotoRoute(page, `/persons/${personId}`);
    await page.getByRole("tab", { name: "Redress history" }).click();
    const personHistory = page.getByRole("table", {
      name: "Redress requests about this person, newest first",
    });
    const row = personHistory.locator("tbody tr", { hasText: "citizenship" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/resolved.*denied: The certificate number does not match/);
    await expectAccessible(page);
    await page.close();
  });
});
