// Reads a `passage synth` output directory (DIR/<feed>.csv or .csv.gz, DIR/truth.csv) into
// linkage records: each feed row is normalised by the ingest contract, rows are grouped into
// the linkage unit `feed:keyValue`, and truth.csv (feed,key,person_id) gives the true person.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { FEED_SCHEMAS, FEEDS, linkageEntityId, normaliseRow, type SourceRecord } from "@passage/core";
import { type LinkageRecord, linkageRecordOfSourceRecords } from "@passage/linkage";
import { parse } from "csv-parse/sync";

export interface SynthDirectory {
  readonly records: LinkageRecord[];
  readonly truth: Map<string, string>;
  readonly aNumberOf: Map<string, string>;
  readonly rejectedRows: number;
}

function readCsv(file: string): Record<string, string>[] {
  const bytes = fs.readFileSync(file);
  const text = (file.endsWith(".gz") ? zlib.gunzipSync(bytes) : bytes).toString("utf8");
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

function findFile(directory: string, name: string): string | undefined {
  for (const candidate of [`${name}.csv`, `${name}.csv.gz`]) {
    const file = path.join(directory, candidate);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

export function readSynthDirectory(directory: string): SynthDirectory {
  const grouped = new Map<string, SourceRecord[]>();
  let rejectedRows = 0;
  let version = 0;
  for (const feed of FEEDS) {
    if (!FEED_SCHEMAS[feed].aboutPerson) continue;
    const file = findFile(directory, feed);
    if (file === undefined) continue;
    for (const raw of readCsv(file)) {
      const row = normaliseRow(feed, raw);
      if (!row.ok) {
        rejectedRows += 1;
        continue;
      }
      const entity = linkageEntityId(feed, row.keyValue);
      const rows = grouped.get(entity) ?? [];
      version += 1;
      rows.push({
        id: String(version),
        feed,
        keyValue: row.keyValue,
        recordKey: row.recordKey,
        version: 1,
        fields: row.fields,
        recordedAt: new Date(version).toISOString(),
      });
      grouped.set(entity, rows);
    }
  }
  const records = [...grouped.values()].map((rows) => linkageRecordOfSourceRecords(rows));
  const truth = new Map<string, string>();
  const truthFile = findFile(directory, "truth");
  if (truthFile === undefined) throw new Error(`${directory} has no truth.csv`);
  for (const row of readCsv(truthFile)) truth.set(`${row.feed}:${row.key}`, row.person_id!);
  const aNumberOf = new Map<string, string>();
  for (const record of records) {
    const aNumber = record.values.a_number;
    if (aNumber !== undefined) aNumberOf.set(record.id, aNumber);
  }
  return { records, truth, aNumberOf, rejectedRows };
}
