import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { gotoRoute, openSection, signInAs, statePurpose } from "./harness/sign-in.ts";

const browser = sharedBrowser();

/** Calls the API from inside the signed-in page (its cookie), with a purpose of use. */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (address) => {
    const response = await fetch(`/api/v1${address}`, { headers: { "x-passage-purpose": "Test" } });
    if (!response.ok) throw new Error(`${address}: ${response.status} ${await response.text()}`);
    return response.json();
  }, path) as Promise<T>;
}

interface Review {
  reviewId: string;
  leftRecord: string;
  rightRecord: string;
  left?: { values: Record<string, string> };
}

describe("search and links", () => {
  it("finds a person by name in either order and by document number, with the match reason, and explains a link", async () => {
    const page = await newPage(browser());
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    // A name the synthetic population holds, read from a record of the review queue.
    const { reviews } = await apiGet<{ reviews: Review[] }>(page, "/reviews?status=all&limit=20");
    const named = reviews.find((review) => review.left?.values.family_name && review.left.values.given_names);
    expect(named, "the synthetic population has reviewable records with names").toBeDefined();
    const { family_name: family, given_names: given } = named!.left!.values;

    await openSection(page, "Search");
    await page.getByLabel("Name or document number").fill(`${family} ${given}`);
    await page.getByRole("button", { name: "Search" }).click();
    const results = page.getByTestId("search-result");
    await results.first().waitFor();
    expect(await results.first().textContent()).toMatch(/\w+/);
    await expectAccessible(page);

    // Find a result whose person is held together by at least one link, and open it.
    const ids = await results.locator("a").allTextContents();
    let linked: string | undefined;
    let counts = { records: 0, links: 0 };
    for (const id of ids) {
      const links = await apiGet<{ records: unknown[]; links: unknown[] }>(
        page,
        `/persons/${encodeURIComponent(id)}/links`,
      );
      if (links.links.length > 0) {
        linked = id;
        counts = { records: links.records.length, links: links.links.length };
        break;
      }
    }
    expect(linked, `one of ${ids.join(", ")} has links`).toBeDefined();
    await results.locator("a", { hasText: linked! }).first().click();
    await page.getByRole("tab", { name: "Links" }).click();
    const weakest = page.getByTestId("weakest-link");
    await weakest.waitFor();
    // Counted in the singular when there is one ("1 link", never "1 links").
    const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
    const summary = `${counted(counts.records, "record")} held together by ${counted(counts.links, "link")}`;
    await page.getByText(new RegExp(`^${summary}\\b`)).waitFor();
    expect(await weakest.textContent()).toMatch(/weakest link/);
    await weakest.getByRole("button", { name: /Explain the link/ }).click();
    const explanation = page.getByTestId("link-explanation");
    await explanation.getByText("Figures as a table").click();
    expect(await explanation.textContent()).toMatch(/Prior \(base rate\)/);
    expect(await explanation.textContent()).toMatch(/bits, \d+(\.\d)?%/);
    await expectAccessible(page);
    await page.close();
  });

  it("finds a person by document number", async () => {
    const page = await newPage(browser());
    await signInAs(page, "legal_counsel");
    await statePurpose(page, "Legal review");
    const { reviews } = await apiGet<{ reviews: Review[] }>(page, "/reviews?status=all&limit=50");
    const withNumber = reviews.find((review) => review.left?.values.a_number);
    expect(withNumber, "a reviewable record carries an A-number").toBeDefined();
    await gotoRoute(page, `/search?q=${encodeURIComponent(withNumber!.left!.values.a_number!)}`);
    const result = page.getByTestId("search-result").first();
    await result.waitFor();
    expect(await result.textContent()).toMatch(/A-number/i);
    await page.close();
  });
});

describe("the link review queue", () => {
  it("shows a pair side by side with its field weights, and a decision by keyboard re-forms the person", async () => {
    const page = await newPage(browser());
    await signInAs(page, "data_steward");
    await statePurpose(page, "Link review (data quality)");
    await openSection(page, "Link review");
    const item = page.getByTestId("review-item");
    await item.waitFor();
    await page.getByTestId("pair-comparison").waitFor();
    await page.getByRole("table", { name: "Field weights by the active model" }).waitFor();
    await expectAccessible(page);

    const { reviews } = await apiGet<{ reviews: Review[] }>(page, "/reviews?status=open&limit=1");
    const pair = reviews[0]!;
    // Without a reason, the decision is refused and the reason field says why.
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("a");
    await page.getByText("Give the reason for the decision").waitFor();
    await page
      .getByLabel("Reason for the decision")
      .fill("Same A-number and birth date; the name is transliterated.");
    await page.getByRole("heading", { name: "Link review" }).click();
    await page.keyboard.press("a");
    await page.getByText(`Pair ${pair.leftRecord} ↔ ${pair.rightRecord} accepted: one person.`).waitFor();

    const [left, right] = await Promise.all(
      [pair.leftRecord, pair.rightRecord].map((reference) => {
        const [feed, ...key] = reference.split(":");
        return apiGet<{ personId: string | null }>(
          page,
          `/records/${feed}/${encodeURIComponent(key.join(":"))}`,
        );
      }),
    );
    expect(left!.personId).not.toBeNull();
    expect(right!.personId).toBe(left!.personId);
    await gotoRoute(page, `/persons/${left!.personId}`);
    await page.getByRole("tab", { name: "Links" }).click();
    const links = page.getByRole("table", { name: "Links holding the person together" });
    await links.waitFor();
    const text = await links.textContent();
    expect(text).toContain(pair.leftRecord);
    expect(text).toContain(pair.rightRecord);
    await page.close();
  });

  it("counts every open pair, and shows a pair marked unsure as such when it comes round again", async () => {
    const page = await newPage(browser());
    await signInAs(page, "data_steward");
    await statePurpose(page, "Link review (data quality)");
    const { reviews } = await apiGet<{ reviews: Review[] }>(page, "/reviews?status=open&limit=1000");
    await openSection(page, "Link review");
    const status = page.getByTestId("review-item").getByRole("status");
    await status.filter({ hasText: `Pair 1 of ${reviews.length}:` }).waitFor();
    expect(await status.getByText("marked unsure earlier").count()).toBe(0);

    await page.getByLabel("Reason for the decision").fill("The birth dates disagree by a year; escalating.");
    await page.getByRole("button", { name: /Unsure: escalate/ }).click();
    await page.getByText(/marked unsure: escalated\./).waitFor();
    // The queue moved on to the next pair; going back shows the escalated one, marked.
    await status.filter({ hasText: "Pair 2 of" }).waitFor();
    await page.getByRole("heading", { name: "Link review" }).click();
    await page.keyboard.press("k");
    await status.filter({ hasText: "Pair 1 of" }).waitFor();
    await status.getByText("marked unsure earlier: escalated").waitFor();
    await page.close();
  });

  it("moves on to the next open pair when the pair shown was decided meanwhile elsewhere", async () => {
    const page = await newPage(browser());
    await signInAs(page, "data_steward");
    await statePurpose(page, "Link review (data quality)");
    const { reviews } = await apiGet<{ reviews: Review[] }>(page, "/reviews?status=open&limit=1000");
    expect(reviews.length, "at least two pairs wait for review").toBeGreaterThan(1);
    await openSection(page, "Link review");
    const status = page.getByTestId("review-item").getByRole("status");
    await status.filter({ hasText: `Pair 1 of ${reviews.length}:` }).waitFor();
    const shown = reviews[0]!;

    // Another tab (the same steward) rejects the pair this page shows.
    const answer = await page.evaluate(async (reviewId) => {
      const response = await fetch(`/api/v1/reviews/${encodeURIComponent(reviewId)}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-passage-purpose": "Test" },
        body: JSON.stringify({ outcome: "reject", reason: "Decided in another tab." }),
      });
      return response.status;
    }, shown.reviewId);
    expect(answer).toBeLessThan(300);

    await page.getByLabel("Reason for the decision").fill("Same A-number and birth date.");
    await page.getByRole("button", { name: /Accept: same person/ }).click();
    await page
      .getByText(`Pair ${shown.leftRecord} ↔ ${shown.rightRecord} was decided meanwhile`, { exact: false })
      .waitFor();
    // The queue was read again: the decided pair is gone, the next open pair is shown, no error.
    await status.filter({ hasText: `Pair 1 of ${reviews.length - 1}:` }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.getByLabel("Reason for the decision").inputValue()).toBe("");

    // A decision on the pair now shown is taken, and the earlier warning goes.
    const { reviews: after } = await apiGet<{ reviews: Review[] }>(page, "/reviews?status=open&limit=1");
    const next = after[0]!;
    await page.getByLabel("Reason for the decision").fill("The birth dates disagree by a year.");
    await page.getByRole("button", { name: /Unsure: escalate/ }).click();
    await page.getByText(`Pair ${next.leftRecord} ↔ ${next.rightRecord} marked unsure: escalated.`).waitFor();
    expect(await page.getByText("was decided meanwhile").count()).toBe(0);
    await expectAccessible(page);
    await page.close();
  });
});
