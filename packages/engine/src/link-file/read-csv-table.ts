import fs from "node:fs";
import zlib from "node:zlib";
import type { LinkFileInput } from "@passage/linkage";
import { parse } from "csv-parse/sync";
import { LinkFileErrors } from "./link-file-errors.ts";

/** Reads a CSV file (RFC 4180, UTF-8, header row; `.csv.gz` accepted) as a link-file input. */
export function readCsvTable(file: string): LinkFileInput {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw LinkFileErrors.fileNotFound.create("input", file);
  let text: string;
  try {
    const bytes = fs.readFileSync(file);
    text = (file.endsWith(".gz") ? zlib.gunzipSync(bytes) : bytes).toString("utf8");
  } catch (error) {
    throw LinkFileErrors.csvInvalid.create(file, (error as Error).message);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_quotes: false }) as string[][];
  } catch (error) {
    throw LinkFileErrors.csvInvalid.create(file, (error as Error).message);
  }
  const header = records[0];
  if (header === undefined)
    throw LinkFileErrors.csvInvalid.create(file, "the file is empty: a header row is needed");
  const columns = header.map((column) => column.trim());
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate !== undefined)
    throw LinkFileErrors.csvInvalid.create(file, `the header names column "${duplicate}" twice`);
  const rows = records.slice(1).map((cells, index) => {
    if (cells.length !== columns.length) {
      throw LinkFileErrors.csvInvalid.create(
        file,
        `line ${index + 2} has ${cells.length} fields, the header ${columns.length}`,
      );
    }
    const row: Record<string, string> = {};
    columns.forEach((column, position) => {
      row[column] = cells[position]!;
    });
    return row;
  });
  return { name: file, columns, rows };
}
