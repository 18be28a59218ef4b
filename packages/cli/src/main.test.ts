import { describe, expect, it } from "vitest";
import { type LoadedModules, modulesLoadedBy } from "./testing/loaded-modules.ts";
import { runPassage } from "./testing/run-passage.ts";

// What a command loads decides how fast it starts (issue 6: `passage audit verify` of 1M entries
// within 5 s end to end). These tests state it by the modules loaded, never by a time.

/** A run from the bundle; the first run after a change may still be building it, or running from the sources meanwhile. */
async function fromBundle(args: readonly string[]): Promise<LoadedModules> {
  for (let attempt = 0; ; attempt++) {
    const loaded = await modulesLoadedBy(args, { sources: false });
    if (loaded.mode === "bundle" && !loaded.packages.includes("esbuild")) return loaded;
    if (attempt === 10) throw new Error(`passage ${args.join(" ")} did not run from the bundle`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const TSX = ["esbuild", "tsx"];

describe("passage --help", () => {
  it("loads only the command registrations and commander, from the bundle", async () => {
    const loaded = await fromBundle(["--help"]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.packages).toEqual(["commander"]);
    expect(loaded.sources.length).toBeGreaterThan(20);
    for (const source of loaded.sources) expect(source).toMatch(/^packages\/cli\/(bin\/|src\/(?!actions\/))/);
  }, 60_000);

  it("loads the same from the sources through tsx", async () => {
    const loaded = await modulesLoadedBy(["--help"], { sources: true });
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.mode).toBe("sources");
    expect(loaded.packages.filter((name) => !TSX.includes(name))).toEqual(["commander"]);
    expect(loaded.sources).toContain("packages/cli/src/commands/audit.ts");
    for (const source of loaded.sources) expect(source).toMatch(/^packages\/cli\/(bin\/|src\/(?!actions\/))/);
  }, 60_000);
});

describe("a usage error", () => {
  it("loads the error registry to report it, and nothing of the engine, the store or the access layer", async () => {
    for (const loaded of [
      await fromBundle(["ingest", "visa", "rows.csv", "--batch-size", "0"]),
      await modulesLoadedBy(["ingest", "visa", "rows.csv", "--batch-size", "0"], { sources: true }),
    ]) {
      expect(loaded.code).toBe(2);
      expect(loaded.stderr).toMatch(/^error PASSAGE_ERR_CLI_USAGE: --batch-size must be/);
      expect(loaded.sources).toContain("packages/cli/src/cli-errors.ts");
      for (const source of loaded.sources) expect(source).toMatch(/^packages\/(cli|core)\//);
      expect(loaded.packages.filter((name) => !TSX.includes(name))).toEqual(["commander", "zod"]);
    }
  }, 60_000);
});

describe("an error message", () => {
  it("is one line even when commander adds a suggestion on a line of its own (CLI.md: one-line error)", async () => {
    const result = await runPassage(["status", "--record", "admission:1", "--as-off", "2020-01-01"], {
      env: { PASSAGE_CLI_SOURCES: "1" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error PASSAGE_ERR_CLI_USAGE: unknown option '--as-off' (Did you mean --as-of?)\n",
    );
  }, 60_000);

  it("refuses a plan horizon given to a subcommand that reads plans, rather than ignore it", async () => {
    const result = await runPassage(["plan-transport", "list", "--from", "2026-01-01"], {
      env: { PASSAGE_CLI_SOURCES: "1" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error PASSAGE_ERR_CLI_USAGE: --from chooses the horizon of a new plan; "plan-transport list" takes none\n',
    );
  }, 60_000);

  it("says a command is required when none or no subcommand is given, not commander's placeholder", async () => {
    for (const args of [[], ["audit"]]) {
      const result = await runPassage(args, { env: { PASSAGE_CLI_SOURCES: "1" } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^error PASSAGE_ERR_CLI_USAGE: a command is required here: "passage --help"/,
      );
      expect(result.stderr).not.toContain("outputHelp");
    }
  }, 60_000);
});
