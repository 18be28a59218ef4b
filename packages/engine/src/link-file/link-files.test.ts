import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generatePersonRows, PERSON_ROW_COLUMNS, type PersonRow } from "@passage/linkage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkFiles } from "./link-files.ts";

let directory: string;
let rows: PersonRow[];

const FIXTURE_CONFIG = {
  id: "person_ref",
  fields: [
    { column: "first_name", kind: "given_name" },
    { column: "surname", kind: "family_name" },
    { column: "birth_date", kind: "date", format: "DD/MM/YYYY" },
    { column: "street", kind: "text" },
    { column: "town", kind: "text" },
    { column: "postcode", kind: "postcode" },
  ],
  training: { randomPairs: 200_000 },
};

function writeCsv(file: string, table: readonly PersonRow[]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [
    PERSON_ROW_COLUMNS.join(","),
    ...table.map((row) => PERSON_ROW_COLUMNS.map((c) => quote(row[c])).join(",")),
  ];
  const target = path.join(directory, file);
  fs.writeFileSync(target, `${lines.join("\n")}\n`);
  return target;
}

function writeJson(file: string, value: unknown): string {
  const target = path.join(directory, file);
  fs.writeFileSync(target, JSON.stringify(value));
  return target;
}

function readCsv(file: string): string[][] {
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(","));
}

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-link-file-"));
  rows = generatePersonRows({ persons: 7_200, seed: 11 });
});

afterAll(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

describe("link-file on person data in a shape unlike the feeds", () => {
  it("deduplicates 10,000+ rows with F1 >= 0.98 without the national id column", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10_000);
    const input = writeCsv("people.csv", rows);
    const pairs = path.join(directory, "pairs.csv");
    const clusters = path.join(directory, "clusters.csv");
    const summary = linkFiles({
      configFile: writeJson("model.json", FIXTURE_CONFIG),
      inputFiles: [input],
      pairsFile: pairs,
      clustersFile: clusters,
      truthColumn: "true_person",
    });
    const evaluation = summary.evaluation!;
    expect(evaluation.pairwise.f1).toBeGreaterThanOrEqual(0.98);
    expect(evaluation.pairwise.precision).toBeGreaterThanOrEqual(0.99);
    const pairLines = readCsv(pairs);
    expect(pairLines[0]).toEqual(["left_id", "right_id", "match_weight", "match_probability", "decision"]);
    expect(pairLines.length - 1).toBe(summary.pairs);
    for (const [, , weight, probability] of pairLines.slice(1, 200)) {
      expect(Number(probability)).toBeCloseTo(1 / (1 + 2 ** -Number(weight)), 4);
    }
    const clusterLines = readCsv(clusters);
    expect(clusterLines[0]).toEqual(["id", "cluster_id"]);
    expect(new Set(clusterLines.slice(1).map(([id]) => id)).size).toBe(rows.length);
    // Every pair's decision agrees with clusters.csv: "link" exactly when its records share a cluster.
    const clusterOf = new Map(clusterLines.slice(1).map(([id, cluster]) => [id!, cluster!]));
    for (const [left, right, , , decision] of pairLines.slice(1)) {
      expect(decision === "link").toBe(clusterOf.get(left!) === clusterOf.get(right!));
    }
  });

  it("links across two inputs only, and a saved model reproduces the same scores", () => {
    const left = writeCsv(
      "left.csv",
      rows.slice(0, 3_000).filter((_, index) => index % 2 === 0),
    );
    const right = writeCsv(
      "right.csv",
      rows.slice(0, 3_000).filter((_, index) => index % 2 === 1),
    );
    const leftIds = new Set(
      readCsv(left)
        .slice(1)
        .map(([id]) => id),
    );
    const pairs = path.join(directory, "cross.csv");
    const model = path.join(directory, "trained.json");
    const summary = linkFiles({
      configFile: writeJson("cross-model.json", FIXTURE_CONFIG),
      inputFiles: [left, right],
      pairsFile: pairs,
      modelFile: model,
    });
    expect(summary.linkType).toBe("link_only");
    const scored = readCsv(pairs).slice(1);
    expect(scored.length).toBeGreaterThan(0);
    for (const [leftId, rightId] of scored) {
      expect(leftIds.has(leftId!)).toBe(true);
      expect(leftIds.has(rightId!)).toBe(false);
    }
    const again = path.join(directory, "cross-again.csv");
    linkFiles({ configFile: model, inputFiles: [left, right], pairsFile: again });
    expect(fs.readFileSync(again, "utf8")).toBe(fs.readFileSync(pairs, "utf8"));
  });

  it("marks a likely pair that a safeguard kept apart as review, not as a link, whatever its probability", () => {
    const base = rows.slice(0, 3_000);
    const twin = { ...base[0]!, person_ref: "twin-of-first", national_id: "ZZ9999999" };
    const input = writeCsv("twins.csv", [...base, twin]);
    const pairs = path.join(directory, "twin-pairs.csv");
    const clusters = path.join(directory, "twin-clusters.csv");
    linkFiles({
      configFile: writeJson("twin-model.json", {
        ...FIXTURE_CONFIG,
        fields: [...FIXTURE_CONFIG.fields, { column: "national_id", kind: "identifier", strong: true }],
      }),
      inputFiles: [input],
      pairsFile: pairs,
      clustersFile: clusters,
    });
    const twinPair = readCsv(pairs).find(
      ([left, right]) =>
        [left, right].includes("twin-of-first") && [left, right].includes(base[0]!.person_ref),
    );
    expect(twinPair).toBeDefined();
    const [, , , probability, decision] = twinPair!;
    expect(Number(probability)).toBeGreaterThanOrEqual(0.5);
    expect(decision).toBe("review");
    const clusterOf = new Map(readCsv(clusters).slice(1) as [string, string][]);
    expect(clusterOf.get("twin-of-first")).not.toBe(clusterOf.get(base[0]!.person_ref));
  });

  it("counts in its summary the decisions pairs.csv states, a pair a safeguard held back as review", () => {
    const base = rows.slice(0, 800);
    const twin = { ...base[0]!, person_ref: "twin-of-first", national_id: "ZZ9999999" };
    const pairs = path.join(directory, "held-pairs.csv");
    const summary = linkFiles({
      configFile: writeJson("held-model.json", {
        ...FIXTURE_CONFIG,
        fields: [...FIXTURE_CONFIG.fields, { column: "national_id", kind: "identifier", strong: true }],
      }),
      inputFiles: [writeCsv("held.csv", [...base, twin])],
      pairsFile: pairs,
    });
    const scored = readCsv(pairs).slice(1);
    const decided = (decision: string) => scored.filter((row) => row[4] === decision);
    const held = decided("review").filter((row) => Number(row[3]) >= 0.5);
    expect(held.map((row) => row.slice(0, 2).sort())).toEqual([
      [base[0]!.person_ref, "twin-of-first"].sort(),
    ]);
    expect(summary).toMatchObject({
      pairs: scored.length,
      links: decided("link").length,
      review: decided("review").length,
      held: 1,
    });
  });

  it("refuses a date format that most of the column does not match, and reports the few that do not", () => {
    const sample = rows.slice(0, 400);
    const configFile = writeJson("dates.json", FIXTURE_CONFIG);
    const pairsFile = path.join(directory, "dates-pairs.csv");
    const reformatted = sample.map((row) => ({
      ...row,
      birth_date: row.birth_date.split("/").reverse().join(""),
    }));
    expect(() =>
      linkFiles({ configFile, inputFiles: [writeCsv("yyyymmdd.csv", reformatted)], pairsFile }),
    ).toThrow(
      /column "birth_date": \d+ of its \d+ dates do not match the declared format DD\/MM\/YYYY \(e\.g\. "\d{8}"\)/,
    );
    expect(fs.existsSync(pairsFile)).toBe(false);
    const dirty = sample.map((row, index) => (index % 10 === 0 ? { ...row, birth_date: "unknown" } : row));
    const summary = linkFiles({ configFile, inputFiles: [writeCsv("dirty-dates.csv", dirty)], pairsFile });
    expect(summary.unparsedDates).toEqual([
      expect.objectContaining({ column: "birth_date", unparsed: 40, example: "unknown" }),
    ]);
  });

  it("refuses an empty second input, and an output that would overwrite an input", () => {
    const input = writeCsv("some.csv", rows.slice(0, 50));
    const configFile = writeJson("plain.json", FIXTURE_CONFIG);
    const empty = writeCsv("empty.csv", []);
    expect(() =>
      linkFiles({ configFile, inputFiles: [input, empty], pairsFile: path.join(directory, "e.csv") }),
    ).toThrow(/empty\.csv: has no rows: there is nothing to link across/);
    const before = fs.readFileSync(input, "utf8");
    expect(() => linkFiles({ configFile, inputFiles: [input], pairsFile: input })).toThrow(
      /cannot write the pairs file .*: it is one of the files link-file reads/,
    );
    expect(() =>
      linkFiles({
        configFile,
        inputFiles: [input],
        pairsFile: path.join(directory, "same.csv"),
        clustersFile: path.join(directory, "same.csv"),
      }),
    ).toThrow(/another output is written to the same file/);
    expect(fs.readFileSync(input, "utf8")).toBe(before);
  });

  it("refuses an output that is a link to an input or to another output, whatever its name", () => {
    const victim = writeCsv("victim.csv", rows.slice(0, 50));
    const configFile = writeJson("victim-model.json", FIXTURE_CONFIG);
    const before = fs.readFileSync(victim, "utf8");
    const alias = path.join(directory, "alias.csv");
    fs.symlinkSync(victim, alias);
    const hardLink = path.join(directory, "hard-link.csv");
    fs.linkSync(victim, hardLink);
    const pairsFile = path.join(directory, "victim-pairs.csv");
    expect(() => linkFiles({ configFile, inputFiles: [victim], pairsFile: alias })).toThrow(
      /cannot write the pairs file .*alias\.csv: it is one of the files link-file reads/,
    );
    expect(() => linkFiles({ configFile, inputFiles: [victim], pairsFile, clustersFile: alias })).toThrow(
      /cannot write the clusters file .*alias\.csv: it is one of the files link-file reads/,
    );
    expect(() => linkFiles({ configFile, inputFiles: [victim], pairsFile: hardLink })).toThrow(
      /it is one of the files link-file reads/,
    );
    const configAlias = path.join(directory, "model-alias.json");
    fs.symlinkSync(configFile, configAlias);
    expect(() => linkFiles({ configFile, inputFiles: [victim], pairsFile, modelFile: configAlias })).toThrow(
      /cannot write the model file .*: it is one of the files link-file reads/,
    );
    // A link to a directory holding the input, and a dangling link to the file another output creates.
    const linkedDirectory = path.join(directory, "linked-directory");
    fs.symlinkSync(directory, linkedDirectory);
    expect(() =>
      linkFiles({ configFile, inputFiles: [victim], pairsFile: path.join(linkedDirectory, "victim.csv") }),
    ).toThrow(/it is one of the files link-file reads/);
    const dangling = path.join(directory, "dangling.csv");
    fs.symlinkSync(path.join(directory, "not-yet.csv"), dangling);
    expect(() =>
      linkFiles({
        configFile,
        inputFiles: [victim],
        pairsFile: path.join(directory, "not-yet.csv"),
        clustersFile: dangling,
      }),
    ).toThrow(/cannot write the clusters file .*dangling\.csv: another output is written to the same file/);
    expect(fs.readFileSync(victim, "utf8")).toBe(before);
    expect(fs.existsSync(pairsFile)).toBe(false);
  });

  it("rejects a bad configuration with an error naming the problem", () => {
    const input = writeCsv("small.csv", rows.slice(0, 50));
    const run = (config: unknown) => () =>
      linkFiles({
        configFile: writeJson("bad.json", config),
        inputFiles: [input],
        pairsFile: path.join(directory, "x.csv"),
      });
    expect(run({ ...FIXTURE_CONFIG, fields: [{ column: "surname", kind: "surname" }] })).toThrow(
      /fields\[0\]\.kind.*given_name/,
    );
    expect(
      run({ ...FIXTURE_CONFIG, fields: [{ column: "birth_date", kind: "date", format: "DD-MON-YY" }] }),
    ).toThrow(/format.*YYYYMMDD/);
    expect(run({ ...FIXTURE_CONFIG, id: undefined })).toThrow(/id: must name the id column/);
    expect(run({ ...FIXTURE_CONFIG, blocking: ["phonetic:nowhere"] })).toThrow(
      /no comparison named "nowhere"/,
    );
    expect(run({ ...FIXTURE_CONFIG, colour: "blue" })).toThrow(/colour: unknown key/);
    // A misspelt "strong" would switch off the strong-identifier safeguard if it were ignored.
    expect(
      run({ ...FIXTURE_CONFIG, fields: [{ column: "national_id", kind: "identifier", stong: true }] }),
    ).toThrow(/bad\.json fields\[0\]\.stong: unknown key \(known: .*strong/);
    expect(run({ ...FIXTURE_CONFIG, fields: [{ column: "passport", kind: "identifier" }] })).toThrow(
      /has no column "passport"/,
    );
    expect(run({ id: "person_ref", fields: [{ column: "surname", kind: "family_name" }] })).toThrow(
      /requireCorroboration/,
    );
    fs.writeFileSync(path.join(directory, "broken.json"), "{ not json");
    expect(() =>
      linkFiles({
        configFile: path.join(directory, "broken.json"),
        inputFiles: [input],
        pairsFile: path.join(directory, "x.csv"),
      }),
    ).toThrow(/PASSAGE_ERR_LINK_FILE_CONFIG_NOT_JSON|is not JSON/);
  });

  it("refuses an output it cannot write before linking, naming the file", () => {
    const input = writeCsv("small.csv", rows.slice(0, 50));
    const configFile = writeJson("config.json", FIXTURE_CONFIG);
    const missing = path.join(directory, "no-such-directory", "pairs.csv");
    expect(() => linkFiles({ configFile, inputFiles: [input], pairsFile: missing })).toThrow(
      expect.objectContaining({ code: "PASSAGE_ERR_LINK_FILE_OUTPUT_UNWRITABLE" }),
    );
    const pairsFile = path.join(directory, "written-first.csv");
    expect(() => linkFiles({ configFile, inputFiles: [input], pairsFile, clustersFile: directory })).toThrow(
      /cannot write the clusters file .*: it is a directory/,
    );
    expect(fs.existsSync(pairsFile)).toBe(false);
  });
});
