import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium (installed by scripts/debian-packages.mjs and .ci/run); never a downloaded build. */
export const CHROMIUM_PATH = process.env.PASSAGE_CHROMIUM ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** How a test's browser differs from the default laptop in UTC. */
export interface BrowserOptions {
  readonly width?: number;
  readonly height?: number;
  /** The IANA time zone pages run in (default UTC). */
  readonly timezoneId?: string;
}

/** Starts headless Chromium with a new, empty profile, at a laptop-sized viewport (1280x800). */
export async function launchChromium(options: BrowserOptions = {}): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), "passage-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: "en-US",
    timezoneId: options.timezoneId ?? "UTC",
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
