import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generatePersonRows, PERSON_ROW_COLUMNS } from "@passage/linkage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PASSAGE = path.resolve(import.meta.dirname, "../../bin/passage.js");
let directory: string;

function passage(...args: string[]) {
  // A data directory that must stay untouched: link-file never starts or touches the database.
  return spawnSync(process.execPath, [PASSAGE, ...args], {
    cwd: directory,
    encoding: "utf8",
    env: { ...process.env, PASSAGE_DATA_DIR: path.join(directory, "data") },
  });
}

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-cli-link-file-"));
  const rows = generatePersonRows({ persons: 300, seed: 5 });
  const lines = [
    PERSON_ROW_COLUMNS.join(","),
    ...rows.map((row) => PERSON_ROW_COLUMNS.map((column) => row[column]).join(",")),
  ];
  fs.writeFileSync(path.join(directory, "people.csv"), `${lines.join("\n")}\n`);
  fs.writeFileSync(
    path.join(directory, "model.json"),
    JSON.stringify({
      id: "person_ref",
      fields: [
        { column: "first_name", kind: "given_name" },
        { column: "surname", kind: "family_name" },
        { column: "birth_date", kind: "date", format: "DD/MM/YYYY" },
        { column: "postcode", kind: "postcode" },
      ],
    }),
  );
});

afterAll(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

describe("passage link-file", () => {
  it("links file to file, prints the evaluation line first, and never creates a data directory", () => {
    const run = passage(
      "link-file",
      "--config",
      "model.json",
      "--input",
      "people.csv",
      "--out",
      "pairs.csv",
      "--clusters",
      "clusters.csv",
      "--evaluate",
      "true_person",
    );
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^precision=\d\.\d+ recall=\d\.\d+ f1=\d\.\d+$/);
    expect(run.stdout.split("\n")[1]).toBe("threshold  precision  recall     f1");
    expect(run.stdout).toMatch(
      /^clusters: predicted=\d+ true=\d+ exact=\d+ split=\d+ merged=\d+ b-cubed precision=\d\.\d+ recall=\d\.\d+$/m,
    );
    expect(fs.readFileSync(path.join(directory, "pairs.csv"), "utf8").split("\n")[0]).toBe(
      "left_id,right_id,match_weight,match_probability,decision",
    );
    expect(fs.readFileSync(path.join(directory, "clusters.csv"), "utf8").split("\n")[0]).toBe(
      "id,cluster_id",
    );
    expect(run.stdout.trim().split("\n").at(-1)).toMatch(
      /^records=\d+ pairs=\d+ links=\d+ review=\d+ clusters=\d+ held=\d+$/,
    );
    expect(fs.existsSync(path.join(directory, "data"))).toBe(false);
  });

  it("prints exactly one JSON document with --json", () => {
    const run = passage(
      "--json",
      "link-file",
      "--config",
      "model.json",
      "--input",
      "people.csv",
      "--out",
      "pairs.csv",
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ linkType: "dedupe" });
  });

  it("fails with one coded line naming the problem", () => {
    fs.writeFileSync(
      path.join(directory, "bad.json"),
      JSON.stringify({ id: "person_ref", fields: [{ column: "surname", kind: "surnme" }] }),
    );
    const run = passage("link-file", "--config", "bad.json", "--input", "people.csv", "--out", "pairs.csv");
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^error PASSAGE_ERR_LINKAGE_SETTINGS_INVALID: bad\.json fields\[0\]\.kind: "surnme" is not one of/,
    );
    const missing = passage(
      "link-file",
      "--config",
      "model.json",
      "--input",
      "nowhere.csv",
      "--out",
      "pairs.csv",
    );
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/error PASSAGE_ERR_LINK_FILE_NOT_FOUND: input nowhere.csv/);
  });
});
