import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPassage } from "../testing/run-passage.ts";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-cli-synth-"));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

/** Runs `passage ARGS` in a scratch working directory, with no database configured. */
function run(args: string[]) {
  return runPassage(args, { cwd: directory, env: { DATABASE_URL: undefined, PASSAGE_DATA_DIR: undefined } });
}

describe("passage synth", () => {
  it("writes the population as one JSON document without a database, and refuses a bad option in one line", async () => {
    const out = path.join(directory, "population");
    const never = path.join(directory, "never");
    const [result, refused] = await Promise.all([
      run([
        "synth",
        "--persons",
        "40",
        "--seed",
        "cli",
        "--as-of",
        "2025-06-30",
        "--typo-rate",
        "0.1",
        "--out",
        out,
        "--json",
      ]),
      run(["synth", "--persons", "many", "--out", never]),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ persons: 40, seed: "cli", asOf: "2025-06-30", gzip: false });
    expect(summary.noise.typo.configured).toBe(0.1);
    expect(fs.readdirSync(out).sort()).toEqual([...summary.files].sort());
    expect(fs.existsSync(path.join(directory, ".passage"))).toBe(false);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'error PASSAGE_ERR_SYNTH_OPTION_INVALID: --persons: "many" is not a whole number\n',
    );
    expect(fs.existsSync(never)).toBe(false);
  }, 60_000);

  it("names the flag of an option out of range, not the generator's field", async () => {
    const refusals: [string[], string][] = [
      [["--persons", "0"], "--persons: must be a whole number from 1 to 5000000, got 0"],
      [
        ["--as-of", "2024-02-30"],
        '--as-of: must be a date YYYY-MM-DD from 2015-01-01 to 2100-12-31, got "2024-02-30"',
      ],
      [["--typo-rate", "2"], "--typo-rate: must be a rate between 0 and 1, got 2"],
      [["--name-swap-rate", "1.5"], "--name-swap-rate: must be a rate between 0 and 1, got 1.5"],
      [["--malformed-rate", "1.5"], "--malformed-rate: must be a rate between 0 and 1, got 1.5"],
      [["--flights", "99999999999"], "--flights: must be a whole number from 0 to 10000000, got 99999999999"],
    ];
    const never = path.join(directory, "never-flags");
    const results = await Promise.all(
      refusals.map(([args]) => run(["synth", "--persons", "5", ...args, "--out", never])),
    );
    results.forEach((result, index) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`error PASSAGE_ERR_SYNTH_OPTION_INVALID: ${refusals[index]![1]}\n`);
    });
    expect(fs.existsSync(never)).toBe(false);
  }, 60_000);
});
