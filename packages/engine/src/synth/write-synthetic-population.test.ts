import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { FEED_SCHEMAS, FEEDS, isPassageError, normaliseRow } from "@passage/core";
import { createSyntheticPopulation } from "@passage/synth";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { compileCsvRowWriter, csvField, csvLine } from "./csv-line.ts";
import { FEED_COLUMNS } from "./synth-chunk.ts";
import { Utf8Buffer } from "./utf8-buffer.ts";
import { writeSyntheticPopulation } from "./write-synthetic-population.ts";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "passage-synth-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const AS_OF = "2025-06-30";
const EXPECTED_FILES = [
  ...FEEDS.map((feed) => `${feed}.csv`),
  "summary.json",
  "truth.csv",
  "truth.lifecycle.ndjson",
].sort();

function hashes(directory: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(directory)
      .sort()
      .map((file) => [
        file,
        createHash("sha256")
          .update(fs.readFileSync(path.join(directory, file)))
          .digest("hex"),
      ]),
  );
}

async function write(
  name: string,
  options: Partial<Parameters<typeof writeSyntheticPopulation>[0]> & { seed?: string; persons?: number },
) {
  const outDir = path.join(scratch, name);
  const summary = await writeSyntheticPopulation({
    outDir,
    workers: options.workers ?? 0,
    gzip: options.gzip ?? false,
    synth: { persons: options.persons ?? 400, seed: options.seed ?? "writer", asOf: AS_OF, ...options.synth },
  });
  return { outDir, summary };
}

describe("writeSyntheticPopulation", () => {
  it("writes only the contract's files, every row valid, the truth covering every record", async () => {
    const { outDir, summary } = await write("plain", {});
    expect(fs.readdirSync(outDir).sort()).toEqual(EXPECTED_FILES);
    const keys = new Set<string>();
    for (const feed of FEEDS) {
      const text = fs.readFileSync(path.join(outDir, `${feed}.csv`), "utf8");
      expect(text.split("\n", 1)[0]).toBe(FEED_SCHEMAS[feed].fields.map((field) => field.name).join(","));
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      expect(rows.length).toBe(summary.records[feed].rows);
      for (const row of rows) {
        const result = normaliseRow(feed, row);
        expect(result.ok, `${feed} ${JSON.stringify(row)}`).toBe(true);
        if (result.ok && feed !== "flight") keys.add(`${feed},${result.keyValue}`);
      }
    }
    const truth = parse(fs.readFileSync(path.join(outDir, "truth.csv"), "utf8"), { columns: true }) as Record<
      string,
      string
    >[];
    expect(new Set(truth.map((row) => `${row.feed},${row.key}`))).toEqual(keys);
    expect(truth.length).toBe(keys.size);
    const lifecycle = fs
      .readFileSync(path.join(outDir, "truth.lifecycle.ndjson"), "utf8")
      .trimEnd()
      .split("\n");
    expect(lifecycle).toHaveLength(400);
    const persons = new Set(lifecycle.map((line) => JSON.parse(line).person_id as string));
    expect(new Set(truth.map((row) => row.person_id)).size).toBeLessThanOrEqual(persons.size);
    const onDisk = JSON.parse(fs.readFileSync(path.join(outDir, "summary.json"), "utf8"));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(onDisk).toMatchObject({ seed: "writer", persons: 400, asOf: AS_OF, gzip: false });
    expect(onDisk.noise.typo).toMatchObject({ configured: 0.02 });
  });

  it("writes byte-identical files for the same seed, whatever the number of worker threads", async () => {
    const first = await write("same-a", { persons: 1200 });
    const second = await write("same-b", { persons: 1200, workers: 2 });
    expect(hashes(second.outDir)).toEqual(hashes(first.outDir));
    const other = await write("other", { persons: 1200, seed: "another" });
    expect(hashes(other.outDir)["court.csv"]).not.toBe(hashes(first.outDir)["court.csv"]);
  }, 120_000);

  it("gzips the feeds to the same content", async () => {
    const plain = await write("gzip-plain", { persons: 200 });
    const zipped = await write("gzip", { persons: 200, gzip: true });
    expect(zipped.summary.files).toContain("court.csv.gz");
    for (const feed of FEEDS) {
      const inflated = zlib.gunzipSync(fs.readFileSync(path.join(zipped.outDir, `${feed}.csv.gz`)));
      expect(inflated.equals(fs.readFileSync(path.join(plain.outDir, `${feed}.csv`)))).toBe(true);
    }
  });

  it("writes a flight inventory larger than one write buffer whole and in order", async () => {
    // About 50 bytes a flight: 3,000 flights fill the writer's 64 KiB flight buffer twice over.
    const synth = { persons: 50, seed: "flights", asOf: AS_OF, flights: 3000 };
    const { outDir } = await write("many-flights", { synth });
    const columns = FEED_COLUMNS.get("flight")!;
    const expected = [...createSyntheticPopulation(synth).flights()].map((row) => csvLine(columns, row));
    expect(expected.join("").length).toBeGreaterThan(2 * 64 * 1024);
    expect(fs.readFileSync(path.join(outDir, "flight.csv"), "utf8")).toBe(
      `${columns.join(",")}\n${expected.join("")}`,
    );
  });

  it("refuses an output path it cannot write, leaving nothing behind", async () => {
    const blocker = path.join(scratch, "not-a-directory");
    fs.writeFileSync(blocker, "x");
    const error = await write("not-a-directory/inside", {}).catch((caught: unknown) => caught);
    expect(isPassageError(error) && error.code).toBe("PASSAGE_ERR_SYNTH_OUTPUT_UNWRITABLE");
    expect(fs.readFileSync(blocker, "utf8")).toBe("x");
  });

  it("refuses bad options before touching the disk", async () => {
    const error = await write("bad-options", { synth: { persons: -1 } }).catch((caught: unknown) => caught);
    expect(isPassageError(error) && error.code).toBe("PASSAGE_ERR_SYNTH_OPTION_INVALID");
    expect(fs.existsSync(path.join(scratch, "bad-options"))).toBe(false);
  });
});

describe("CSV lines", () => {
  const bytesOf = (columns: string[], rows: Record<string, string>[]) => {
    const writeRow = compileCsvRowWriter(columns);
    const buffer = new Utf8Buffer(16);
    for (const row of rows) writeRow(row, buffer);
    return new TextDecoder().decode(buffer.finish());
  };

  it("quotes only fields that need it, and the compiled writer writes what csvLine writes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", twice')).toBe('"say ""hi"", twice"');
    const row = { a: "x,y", b: "", c: "line\nbreak", d: "O'Brien" };
    const columns = ["a", "b", "c", "d", "e"];
    expect(csvLine(columns, row)).toBe('"x,y",,"line\nbreak",O\'Brien,\n');
    expect(bytesOf(columns, [row])).toBe(csvLine(columns, row));
    expect(parse(csvLine(columns, row), { columns })).toEqual([{ ...row, e: "" }]);
    expect(() => compileCsvRowWriter(["ok", "not ok"])).toThrow(/not a plain field name/);
  });

  it("writes rows one a line, names with diacritics as UTF-8", () => {
    const columns = ["a", "b", "c"];
    const rows = [
      { a: "x", b: "", c: "Ñúñez" },
      { a: "A 123 456 789", b: "O'Brien", c: 'Núñez, "Pepe"' },
    ];
    expect(bytesOf(columns, rows)).toBe(rows.map((row) => csvLine(columns, row)).join(""));
    expect(bytesOf(columns, [{ a: "x" }])).toBe("x,,\n");
  });
});
