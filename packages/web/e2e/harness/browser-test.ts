import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { describeViolations, seriousAccessibilityViolations } from "./axe-check.ts";
import { type BrowserOptions, type LaunchedBrowser, launchChromium } from "./chromium.ts";

/** One Chromium per test file; each test opens its own page (own cookies via signOut/close). */
export function sharedBrowser(options: BrowserOptions = {}): () => LaunchedBrowser {
  let browser: LaunchedBrowser | undefined;
  beforeAll(async () => {
    browser = await launchChromium(options);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is not running");
    return browser;
  };
}

/** A fresh page with no session: cookies of earlier tests are cleared first. */
export async function newPage(browser: LaunchedBrowser): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** Fails with the list of serious or critical axe-core violations on the page as it stands. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}
