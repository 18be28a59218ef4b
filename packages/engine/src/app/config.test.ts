import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PassageError } from "@passage/core";
import { describe, expect, it } from "vitest";
import { type ConfigSources, LIFECYCLE_RULES_FILE, loadConfigOrThrow } from "./config.ts";

const cwd = "/tmp/passage-config-test/work";
const home = "/tmp/passage-config-test/home";
const load = (env: Record<string, string> = {}, overrides: ConfigSources["overrides"] = {}) =>
  loadConfigOrThrow({ cwd, env, home, overrides });

/** The coded error `work` throws. */
function errorOf(work: () => unknown): PassageError {
  try {
    work();
  } catch (error) {
    if (error instanceof PassageError) return error;
    throw error;
  }
  throw new Error("expected a PassageError");
}

describe("configuration", () => {
  it("defaults the data directory to $PWD/.passage; the flag wins over the environment", () => {
    expect(load().dataDir).toBe(path.join(cwd, ".passage"));
    expect(load({ PASSAGE_DATA_DIR: "../data" }).dataDir).toBe("/tmp/passage-config-test/data");
    expect(load({ PASSAGE_DATA_DIR: "/srv/a" }, { dataDir: "b" }).dataDir).toBe(path.join(cwd, "b"));
  });

  it("takes an empty environment variable as unset, as a shell's VAR= means", () => {
    expect(load({ PASSAGE_DATA_DIR: "", PASSAGE_PORT: "", DATABASE_URL: "" })).toMatchObject({
      dataDir: path.join(cwd, ".passage"),
      http: { port: 8080 },
    });
  });

  it("refuses an empty --data-dir rather than writing into the working directory", () => {
    const error = errorOf(() => load({}, { dataDir: "" }));
    expect(error.code).toBe("PASSAGE_ERR_CONFIG_INVALID");
    expect(error.message).toMatch(/--data-dir is empty/);
  });

  it("never uses the home directory, the filesystem root or the install directory as the data directory", () => {
    const install = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
    expect(fs.existsSync(path.join(install, "package.json"))).toBe(true);
    for (const [dataDir, reason] of [
      [home, /home directory/],
      ["/", /filesystem root/],
      [install, /installed in/],
    ] as const) {
      const error = errorOf(() => load({ PASSAGE_DATA_DIR: dataDir }));
      expect(error.code).toBe("PASSAGE_ERR_DATA_DIR_REFUSED");
      expect(error.message).toMatch(reason);
    }
    // A directory below them is fine: $HOME/.passage is the default when working in $HOME.
    expect(loadConfigOrThrow({ cwd: home, env: {}, home }).dataDir).toBe(path.join(home, ".passage"));
  });

  it("refuses a data directory that is a file", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-config-"));
    try {
      const file = path.join(directory, "not-a-dir");
      fs.writeFileSync(file, "x");
      const error = errorOf(() => load({}, { dataDir: file }));
      expect(error.code).toBe("PASSAGE_ERR_DATA_DIR_REFUSED");
      expect(error.message).toMatch(/not a directory/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it("names the bad setting and the variable or flag it came from, with a coded error", () => {
    for (const [env, pattern] of [
      [{ PASSAGE_PORT: "abc" }, /http\.port \(--port \/ PASSAGE_PORT\)/],
      [{ DATABASE_URL: "not-a-url" }, /databaseUrl \(DATABASE_URL\)/],
      [{ PASSAGE_LOG_LEVEL: "loud" }, /logLevel \(PASSAGE_LOG_LEVEL\)/],
      [{ PASSAGE_DB_MAX_CONNECTIONS: "1" }, /database\.maxConnections \(PASSAGE_DB_MAX_CONNECTIONS\)/],
    ] as const) {
      const error = errorOf(() => load(env));
      expect(error.code).toBe("PASSAGE_ERR_CONFIG_INVALID");
      expect(error.message).toMatch(pattern);
    }
  });

  it("reads the lifecycle rules from the data directory's rules file, defaults where it says nothing", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-config-"));
    try {
      expect(load({}, { dataDir }).lifecycleRules).toMatchObject({
        extraClosedDates: [],
        policyDependentBlockersHold: ["DEFERRED_ACTION", "VICTIM_PROTECTION"],
      });
      const file = path.join(dataDir, LIFECYCLE_RULES_FILE);
      fs.writeFileSync(
        file,
        JSON.stringify({ extraClosedDates: ["2024-12-24"], policyDependentBlockersHold: [] }),
      );
      expect(load({}, { dataDir }).lifecycleRules).toMatchObject({
        extraClosedDates: ["2024-12-24"],
        policyDependentBlockersHold: [],
        appealWindowDays: 30,
      });
      for (const [text, pattern] of [
        ["{ not json", /lifecycle-rules\.json: not JSON/],
        ["[]", /lifecycle-rules\.json: must be a JSON object/],
        [
          '{"extraClosedDate": ["2024-12-24"]}',
          /lifecycleRules \(lifecycle-rules\.json in the data directory\): .*extraClosedDate/,
        ],
        [
          '{"extraClosedDates": ["24/12/2024"]}',
          /lifecycleRules\.extraClosedDates\.0 \(lifecycle-rules\.json in the data directory\): must be a date/,
        ],
      ] as const) {
        fs.writeFileSync(file, text);
        const error = errorOf(() => load({}, { dataDir }));
        expect(error.code).toBe("PASSAGE_ERR_CONFIG_INVALID");
        expect(error.message).toMatch(pattern);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
