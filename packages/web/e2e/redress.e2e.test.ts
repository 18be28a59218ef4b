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
    await form.getByText(/^Request \S+ filed\.$/).waitFor();
    await expectAccessible(page);

    // The claim holds at once: the person's status shows it.
    await gotoRoute(page, `/persons/${personId}`);
    await page.getByRole("heading", { name: "Blockers" }).waitFor();
    expect(await page.getByTestId("blocker").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/citizen/i)]),
    );

    // A steward without both confidentiality needs decides no request it filed (a refusal on a
    // flagged person's request alone would name the person as one): another steward reviews it.
    await browser().context.clearCookies();
    await signInAs(page, "protected.steward");
    await statePurpose(page, "Redress decision");
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

  it("names a half-filled document, says which request was filed, and grants a request other than a citizenship claim", async () => {
    const page = await newPage(browser());
    const { actionable, records } = inject("seeded");
    const personId = actionable[4]!;
    await signInAs(page, "data_steward");
    await statePurpose(page, "Redress review");
    await openSection(page, "Redress");
    const form = page.getByRole("form", { name: "File a redress request" });
    await form.getByLabel("Person ID").fill(personId);
    await form.getByLabel("What is wrong").selectOption("not_my_record");
    await form.getByLabel("Statement").fill("The court record CE-905 is my cousin's.");
    await form.getByLabel("Records that are not the person's").fill(records[4]!);
    await form.getByLabel("Document type").fill("U.S. passport");
    await form.getByLabel("Document number").fill("P-5551234");
    await form.getByRole("button", { name: "File request" }).click();
    await form.getByRole("alert").filter({ hasText: "fill in “Issued by”" }).waitFor();
    expect(await form.getByText(/filed\./).count()).toBe(0);

    await form.getByLabel("Issued by").fill("U.S. Department of State");
    await form.getByRole("button", { name: "File request" }).click();
    const filed = form.getByText(/^Request \S+ filed\.$/);
    await filed.waitFor();
    const requestId = /^Request (\S+) filed\.$/.exec((await filed.textContent())!)![1]!;

    // A second filing that fails shows its error alone, not the first one's success beside it.
    await form.getByLabel("Person ID").fill("P-NO-SUCH-PERSON");
    await form.getByLabel("Statement").fill("Again.");
    await form.getByLabel("Records that are not the person's").fill("court:NO-SUCH-RECORD");
    await form.getByRole("button", { name: "File request" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByText(/filed\./).count()).toBe(0);

    // A steward without both confidentiality needs decides no request it filed (a refusal on a
    // flagged person's request alone would name the person as one): another steward reviews it.
    await browser().context.clearCookies();
    await signInAs(page, "protected.steward");
    await statePurpose(page, "Redress decision");
    await openSection(page, "Redress");
    const requests = page.getByRole("table", { name: "Redress requests, newest first" });
    await requests.locator("tr", { hasText: requestId }).getByRole("button").first().click();
    const redressCase = page.getByTestId("redress-case");
    // What was claimed is shown before anything is decided, not only in the form's prefilled box.
    expect(await redressCase.getByTestId("redress-claim").textContent()).toContain(records[4]);
    await redressCase.getByRole("button", { name: "Take into review" }).click();
    const resolve = redressCase.getByRole("form", { name: "Resolve the request" });
    await resolve.waitFor();
    await resolve.getByLabel("Outcome").selectOption("granted");
    await resolve.getByLabel("Reason", { exact: true }).fill("The court record is another person's.");
    // The disputed record is offered for unlinking; this grant keeps it and decides a pair instead.
    expect(await resolve.getByLabel("Records to unlink from the person").inputValue()).toBe(records[4]);
    await resolve.getByLabel("Records to unlink from the person").fill("");
    await resolve.getByRole("button", { name: "Resolve request" }).click();
    await redressCase.getByRole("alert").filter({ hasText: "at least one correction record" }).waitFor();

    await resolve.getByLabel("Records never to link").fill(`${records[4]} ${records[3]}`);
    await resolve.getByRole("button", { name: "Resolve request" }).click();
    await redressCase.getByText(/resolved in \d+ day/).waitFor();
    expect(await redressCase.getByText("granted").count()).toBeGreaterThan(0);
    // What the grant did stays in the view: the pair never to be linked; the disputed record too.
    expect(await redressCase.getByTestId("redress-corrections").textContent()).toContain(
      `${records[4]} and ${records[3]}: never to be linked`,
    );
    expect(await redressCase.getByTestId("redress-claim").textContent()).toContain(records[4]);
    await expectAccessible(page);
    await page.close();
  });

  it("shows the departure date a departed request claims", async () => {
    const page = await newPage(browser());
    const personId = inject("seeded").actionable[3]!;
    await signInAs(page, "data_steward");
    await statePurpose(page, "Redress review");
    await openSection(page, "Redress");
    const form = page.getByRole("form", { name: "File a redress request" });
    await form.getByLabel("Person ID").fill(personId);
    await form.getByLabel("What is wrong").selectOption("departed");
    await form.getByLabel("Statement").fill("I left by bus through Laredo.");
    await form.getByLabel("Departure date").fill("2026-11-01");
    await form.getByRole("button", { name: "File request" }).click();
    const filed = form.getByText(/^Request \S+ filed\.$/);
    await filed.waitFor();
    const requestId = /^Request (\S+) filed\.$/.exec((await filed.textContent())!)![1]!;
    const requests = page.getByRole("table", { name: "Redress requests, newest first" });
    await requests.locator("tr", { hasText: requestId }).getByRole("button").first().click();
    const claim = page.getByTestId("redress-case").getByTestId("redress-claim");
    await claim.waitFor();
    expect(await claim.textContent()).toMatch(/Departed on\s*2026-11-01/);
    // The filer, a steward without both needs, is told another steward decides: no button to refuse.
    const redressCase = page.getByTestId("redress-case");
    await redressCase.getByTestId("decided-by-another").waitFor();
    expect(await redressCase.getByRole("button", { name: "Take into review" }).count()).toBe(0);
    await expectAccessible(page);
    await page.close();
  });
});
