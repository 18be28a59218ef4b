import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PassageError } from "@passage/core";
import { describe, expect, it } from "vitest";
import {
  type ConfigSources,
  dataDirectoryError,
  LIFECYCLE_RULES_FILE,
  loadConfigOrThrow,
  prepareDataDirectoryOrThrow,
} from "./config.ts";

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

  it("refuses a data directory below a file, naming the file, not with a raw errno", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-config-"));
    try {
      const file = path.join(directory, "afile");
      fs.writeFileSync(file, "x");
      const dataDir = path.join(file, "sub", "deeper");
      for (const work of [() => load({}, { dataDir }), () => prepareDataDirectoryOrThrow(dataDir)]) {
        const error = errorOf(work);
        expect(error.code).toBe("PASSAGE_ERR_DATA_DIR_UNUSABLE");
        expect(error.message).toBe(
          `cannot use data directory ${dataDir}: ${file} is a file, not a directory; give --data-dir DIR or PASSAGE_DATA_DIR (the default is $PWD/.passage)`,
        );
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it("creates a missing data directory, and refuses one that cannot be written with the reason", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-config-"));
    try {
      const dataDir = path.join(directory, "a", "b");
      prepareDataDirectoryOrThrow(dataDir);
      expect(fs.statSync(dataDir).isDirectory()).toBe(true);
      for (const [code, reason] of [
        ["EACCES", /permission denied: the user running Passage may not write in \/srv\/x/],
        ["EPERM", /operation not permitted in \/srv\/x \(an immutable or protected directory\)/],
        ["EROFS", /\/srv\/x is on a read-only file system/],
        ["EIO", /\/srv\/x: i\/o error/],
      ] as const) {
        const failure = Object.assign(new Error("i/o error"), { code });
        const error = dataDirectoryError("/srv/x/data", "/srv/x", failure) as PassageError;
        expect(error.code).toBe("PASSAGE_ERR_DATA_DIR_UNUSABLE");
        expect(error.message).toMatch(/^cannot use data directory \/srv\/x\/data: /);
        expect(error.message).toMatch(reason);
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it.skipIf(!fs.existsSync("/proc/self"))(
    "refuses a data directory under /proc at once (Node's recursive mkdir never returns there)",
    () => {
      const dataDir = "/proc/passage-no-such/data";
      const error = errorOf(() => prepareDataDirectoryOrThrow(dataDir));
      expect(error.code).toBe("PASSAGE_ERR_DATA_DIR_UNUSABLE");
      expect(error.message).toMatch(/^cannot use data directory \/proc\/passage-no-such\/data: /);
    },
  );

  it.skipIf(!canMakeImmutable())("refuses an immutable data directory (not writable even by root)", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-config-"));
    try {
      execFileSync("chattr", ["+i", directory]);
      for (const dataDir of [directory, path.join(directory, "sub")]) {
        const error = errorOf(() => prepareDataDirectoryOrThrow(dataDir));
        expect(error.code).toBe("PASSAGE_ERR_DATA_DIR_UNUSABLE");
        expect(error.message).toContain(`operation not permitted in ${directory}`);
      }
    } finally {
      execFileSync("chattr", ["-i", directory]);
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

/** Whether `chattr +i` works here (root on a file system with attributes). */
function canMakeImmutable(): boolean {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-config-chattr-"));
  try {
    execFileSync("chattr", ["+i", directory], { stdio: "ignore" });
    execFileSync("chattr", ["-i", directory], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
