import type { TestProject } from "vitest/node";
import { buildWeb } from "./harness/build-web.ts";
import { type DemoAccount, seedDemoAccounts } from "./harness/demo-users.ts";
import { type RunningPassage, startPassage } from "./harness/passage-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    passageUrl: string;
    passageDataDir: string;
    demoAccounts: Record<string, DemoAccount>;
  }
}

let passage: RunningPassage | undefined;

/**
 * Once per run of the browser tests: build the UI, start the real `passage serve` on a new data
 * directory, and seed it through the CLI. Every test file drives this one server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildWeb();
  passage = await startPassage();
  project.provide("passageUrl", passage.url);
  project.provide("passageDataDir", passage.dataDir);
  project.provide("demoAccounts", await seedDemoAccounts(passage));
  return async () => {
    await passage?.stop();
  };
}
