import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { expectAccessible, newPage, sharedBrowser } from "./harness/browser-test.ts";
import { gotoRoute, signInAs, statePurpose } from "./harness/sign-in.ts";

/**
 * The shell and the pages fit the screen: nothing scrolls sideways (wide tables scroll in their own
 * frame), on a phone (390x844) as on a laptop (1280x800), and the menu never covers the signed-in user.
 */

const phone = sharedBrowser({ width: 390, height: 844 });
const laptop = sharedBrowser();

/** Waits for the page's heading and for every "Loading …" line to go. */
async function settle(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll("p[role=status]")].some((node) =>
        /^Loading /.test(node.textContent ?? ""),
      ),
    undefined,
    { timeout: 15_000 },
  );
  // Charts and late table rows draw in the next frames.
  await page.waitForTimeout(500);
}

/** How far the document is wider than the window, and the widest elements that make it so. */
async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const overflow = document.documentElement.scrollWidth - width;
    const culprits: string[] = [];
    if (overflow > 0) {
      const inScroller = (element: Element) => {
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
          if (["auto", "scroll", "hidden"].includes(getComputedStyle(parent).overflowX)) return true;
        }
        return false;
      };
      for (const element of document.querySelectorAll("body *")) {
        const box = element.getBoundingClientRect();
        // An absolutely positioned element may escape its scrolling ancestor's clip: it counts.
        const escapes = ["absolute", "fixed"].includes(getComputedStyle(element).position);
        if (box.right > width + 1 && culprits.length < 6 && (escapes || !inScroller(element))) {
          culprits.push(
            `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} right=${Math.round(box.right)}`,
          );
        }
      }
      // Text wider than its element (a long word) overflows without its element doing so.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && culprits.length < 6; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const right = range.getBoundingClientRect().right;
        if (right > width + 1 && node.parentElement && !inScroller(node.parentElement)) {
          culprits.push(`text "${(node.textContent ?? "").slice(0, 40)}" right=${Math.round(right)}`);
        }
      }
    }
    return { overflow, culprits };
  });
}

/** The signed-in user is drawn inside the window, clear of the menu, and nothing lies over it. */
async function signedInUserUncovered(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const user = document.querySelector('[data-testid="signed-in-user"]');
    const menu = document.querySelector('nav[aria-label="Sections"]');
    if (!user || !menu) return false;
    const box = user.getBoundingClientRect();
    const menuBox = menu.getBoundingClientRect();
    const apart =
      box.right <= menuBox.left ||
      box.left >= menuBox.right ||
      box.bottom <= menuBox.top ||
      box.top >= menuBox.bottom;
    if (!apart || box.left < 0 || box.right > window.innerWidth) return false;
    const points = [
      [box.left + 2, box.top + 2],
      [box.left + box.width / 2, box.top + box.height / 2],
      [box.right - 2, box.bottom - 2],
    ] as const;
    return points.every(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === user || user.contains(hit));
    });
  });
}

/**
 * The targets of axe's `region` rule (content outside every landmark; a moderate finding, which
 * expectAccessible leaves out), axe being loaded by an expectAccessible call before.
 */
async function outsideLandmarks(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { runOnly: { type: "rule", values: ["region"] } })) as {
      violations: { nodes: { target: string[] }[] }[];
    };
    return result.violations.flatMap((violation) => violation.nodes.map((node) => node.target.join(" ")));
  });
}

/** What does not fit on the route: sideways scrolling (with its widest elements), a covered user. */
async function misfits(page: Page, route: string): Promise<string[]> {
  await gotoRoute(page, route);
  await settle(page);
  const problems: string[] = [];
  const { overflow, culprits } = await sidewaysOverflow(page);
  if (overflow > 0) problems.push(`${route} scrolls sideways by ${overflow}px: ${culprits.join(", ")}`);
  if (!(await signedInUserUncovered(page)))
    problems.push(`${route}: the signed-in user is covered or cut off`);
  return problems;
}

async function expectFits(page: Page, ...routes: string[]): Promise<void> {
  const problems: string[] = [];
  for (const route of routes) problems.push(...(await misfits(page, route)));
  expect(problems).toEqual([]);
}

describe("layout on a phone (390x844)", () => {
  it("shows every section of a supervisor without sideways scrolling, the user uncovered", async () => {
    const page = await newPage(phone());
    await signInAs(page, "supervisor");
    await statePurpose(page, "Case review");
    const personId = inject("seeded").actionable[0]!;
    const routes = await page
      .getByRole("navigation", { name: "Sections" })
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => (link.getAttribute("href") ?? "#/").replace(/^#/, "")));
    await expectFits(page, ...routes, `/persons/${personId}`, "/search?q=Okonkwo");
    await gotoRoute(page, "/redress");
    await settle(page);
    await expectAccessible(page);
    // The purpose and the signed-in user are in the banner landmark.
    expect(await outsideLandmarks(page)).toEqual([]);
    await page.close();
  });

  it("shows the link review queue of a data steward without sideways scrolling, and accessibly", async () => {
    const page = await newPage(phone());
    await signInAs(page, "data_steward");
    await statePurpose(page, "Link review (data quality)");
    await expectFits(page, "/reviews");
    await page.getByTestId("pair-comparison").waitFor();
    await expectAccessible(page);
    await expectFits(page, "/redress");
    await page.close();
  });
});

describe("layout on a laptop (1280x800)", () => {
  it("shows the redress page whole, the filing form included", async () => {
    // Requests in the list (their ids and filers are long words) are what widened its column.
    const setUp = await newPage(laptop());
    await signInAs(setUp, "supervisor");
    const personId = inject("seeded").actionable[2]!;
    for (const statement of ["My name is misspelt on one record.", "An address is out of date."]) {
      const status = await setUp.evaluate(
        async (body) =>
          (
            await fetch("/api/v1/redress", {
              method: "POST",
              headers: { "content-type": "application/json", "x-passage-purpose": "Layout test" },
              body: JSON.stringify(body),
            })
          ).status,
        { personId, kind: "other", statement, documents: [] },
      );
      expect(status).toBe(201);
    }
    await setUp.close();
    for (const role of ["supervisor", "data_steward"]) {
      const page = await newPage(laptop());
      await signInAs(page, role);
      await statePurpose(page, "Case review");
      await expectFits(page, "/redress");
      const form = page.getByRole("heading", { name: "File a redress request" });
      const box = await form.boundingBox();
      expect(box, `${role}: the filing form is shown`).not.toBeNull();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
      await expectAccessible(page);
      await page.close();
    }
  });
});
