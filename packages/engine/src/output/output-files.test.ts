import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareOutputDirectoryOrThrow, writeOutputFilesOrThrow } from "./output-files.ts";

let directory: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-output-files-"));
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

const unwritable = (reason: string) => new Error(`unwritable: ${reason}`);

describe("output files", () => {
  it("writes every file under its name and leaves no partial file", async () => {
    await writeOutputFilesOrThrow(
      directory,
      [
        ["a.json", "{}\n"],
        ["b.csv", "x\n"],
      ],
      unwritable,
    );
    expect(fs.readdirSync(directory).sort()).toEqual(["a.json", "b.csv"]);
    expect(fs.readFileSync(path.join(directory, "b.csv"), "utf8")).toBe("x\n");
  });

  it("writes none of them when one cannot be written, as the caller's error", async () => {
    await expect(
      writeOutputFilesOrThrow(
        directory,
        [
          ["a.json", "{}\n"],
          [path.join("missing", "b.csv"), "x\n"],
        ],
        unwritable,
      ),
    ).rejects.toThrow(/^unwritable: ENOENT/);
    expect(fs.readdirSync(directory)).toEqual([]);
  });

  it("creates a missing directory, and refuses a file in the directory's place", async () => {
    const nested = path.join(directory, "new", "out");
    await prepareOutputDirectoryOrThrow(nested, unwritable);
    expect(fs.statSync(nested).isDirectory()).toBe(true);
    const file = path.join(directory, "a-file");
    fs.writeFileSync(file, "");
    await expect(prepareOutputDirectoryOrThrow(file, unwritable)).rejects.toThrow(/^unwritable: EEXIST/);
  });

  it("refuses a directory under /proc at once (recursive mkdir never settled there on Node 20)", async () => {
    const outcome = await Promise.race([
      prepareOutputDirectoryOrThrow("/proc/nope/out", unwritable).then(
        () => "created",
        (error: Error) => error.message,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve("still waiting after 3 s"), 3000).unref()),
    ]);
    expect(outcome).toMatch(/^unwritable: ENOENT: no such file or directory, mkdir '\/proc\/nope'/);
  });

  it("refuses a path through a file, naming the file system's reason", async () => {
    const file = path.join(directory, "a-file");
    fs.writeFileSync(file, "");
    await expect(prepareOutputDirectoryOrThrow(path.join(file, "out"), unwritable)).rejects.toThrow(
      /^unwritable: ENOTDIR/,
    );
  });
});
