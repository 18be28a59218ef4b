import type { TestProject } from "vitest/node";
import { buildWeb, typeCheckWeb } from "./harness/build-web.ts";
import { type DemoAccount, seedDemoAccounts } from "./harness/demo-users.ts";
import { type RunningPassage, startPassage } from "./harness/passage-server.ts";
import { type SeededCases, seedRemovalCases } from "./harness/seed-cases.ts";
import { ingestSyntheticFeeds, waitForProjections, writeSyntheticFeeds } from "./harness/seed-synthetic.ts";

declare module "vitest" {
  export interface ProvidedContext {
    passageUrl: string;
    passageDataDir: string;
    demoAccounts: Record<string, DemoAccount>;
    seeded: SeededCases;
  }
}

let passage: RunningPassage | undefined;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  console.error(`web e2e set-up: ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * Once per run of the browser tests: build the UI, start the real `passage serve` on a new data
 * directory (type-checking the UI meanwhile), and seed it. Every test file drives this one server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = Boolean(process.env.PASSAGE_WEB_E2E_URL);
  // The server lists the build's files when it starts, so the build comes first; an already
  // running server (PASSAGE_WEB_E2E_URL) serves the build it started with.
  if (!external) await timed("vite build", buildWeb);
  const [running] = await Promise.all([
    timed("passage serve answering", startPassage),
    timed("type check", typeCheckWeb),
  ]);
  passage = running;
  project.provide("passageUrl", running.url);
  project.provide("passageDataDir", running.dataDir);
  const [accounts, feeds] = await Promise.all([
    timed("demo users (passage users demo)", () => seedDemoAccounts(running)),
    timed("synthetic feeds written (passage synth)", () =>
      writeSyntheticFeeds(running, { persons: 120, seed: 11 }),
    ),
  ]);
  // A small synthetic population through the feeds API and `passage link` (search, links and the
  // review queue need linkage's own persons), then the fixed removal cases the tests rely on.
  await timed("synthetic population posted, linked and projected", () =>
    ingestSyntheticFeeds(running, accounts.data_steward!, feeds),
  );
  const seeded = await timed("removal cases seeded and projected", () =>
    seedRemovalCases(running.url, running.dataDir),
  );
  await waitForProjections(running.url);
  project.provide("demoAccounts", accounts);
  project.provide("seeded", seeded);
  return async () => {
    await passage?.stop();
  };
}
