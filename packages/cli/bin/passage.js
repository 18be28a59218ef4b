#!/usr/bin/env node
// The `passage` command. Passage is written in TypeScript and runs from its sources, with no build
// step after `npm ci`: this launcher runs the bundle of the sources that cli-bundle.js keeps in
// node_modules/.cache (built on the first run after the sources change), or the sources
// themselves through tsx's loader when there is no such bundle, or when PASSAGE_CLI_SOURCES=1.
import { buildBundleEntry, freshBundleEntry } from "./cli-bundle.js";

const bundle =
  process.env.PASSAGE_CLI_SOURCES === "1" ? undefined : (freshBundleEntry() ?? (await buildBundleEntry()));
// Stack traces name the TypeScript sources when debugging.
if (bundle && process.env.PASSAGE_DEBUG) process.setSourceMapsEnabled(true);
// main.ts reports every error of the command itself: a failed import of the bundle's entry means
// it could not be loaded (nothing ran yet), and the sources still can be.
const loaded = bundle !== undefined && (await import(bundle).then(() => true, failedBundle));
if (!loaded) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main.ts");
}

function failedBundle(error) {
  if (process.env.PASSAGE_DEBUG)
    process.stderr.write(`passage: the bundle did not load (${String(error)})\n`);
  return false;
}
