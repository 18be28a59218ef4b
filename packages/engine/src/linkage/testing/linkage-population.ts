import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Access, createAccess, LOCAL_OPERATOR } from "@passage/access";
import { FEEDS } from "@passage/core";
import type { TrainingOptions } from "@passage/linkage";
import type { DatabaseHandle } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { createSyntheticPopulation } from "@passage/synth";
import { createConsumerRunner } from "../../consumers/consumer-runner.ts";
import { ingestFile } from "../../ingest/ingest-file.ts";
import { createModelCache } from "../active-model.ts";
import { createLinkageHandler } from "../linkage-handler.ts";
import { createLinkageService, type LinkageService } from "../linkage-service.ts";

/** Training small enough for a test run (the defaults sample 500,000 random pairs). */
export const TEST_TRAINING: TrainingOptions = { seed: 7, randomPairs: 60_000, pairsPerSession: 30_000 };

/** A `passage synth` population written to a temporary directory. */
export interface SynthFiles {
  readonly directory: string;
  readonly truth: Map<string, string>;
  /** The CSV file of each person feed. */
  readonly files: readonly { readonly feed: string; readonly file: string }[];
}

/**
 * Writes a synthetic population (default noise) from `@passage/synth` as one CSV per person feed
 * (the rows `passage synth` writes) and its linkage truth (each person's records).
 */
export async function writeSynthFiles(persons: number, seed: string): Promise<SynthFiles> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-linkage-"));
  const population = createSyntheticPopulation({ persons, seed, asOf: "2025-06-30" });
  const lines = new Map<string, string[]>();
  const truth = new Map<string, string>();
  for (const person of population.persons()) {
    for (const record of person.truth.records) truth.set(record, person.personId);
    for (const { feed, row } of person.rows) {
      let list = lines.get(feed);
      if (!list) {
        list = [Object.keys(row).map(csvCell).join(",")];
        lines.set(feed, list);
      }
      list.push(Object.values(row).map(csvCell).join(","));
    }
  }
  const files = FEEDS.flatMap((feed) => {
    const list = lines.get(feed);
    if (!list) return [];
    const file = path.join(directory, `${feed}.csv`);
    fs.writeFileSync(file, `${list.join("\n")}\n`);
    return [{ feed, file }];
  });
  return { directory, truth, files };
}

/** Removes the directory `writeSynthFiles` wrote (and any files `holdOutRows` split into it). */
export function removeSynthFiles(files: SynthFiles): void {
  fs.rmSync(files.directory, { recursive: true, force: true });
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Splits each feed file in two: the rows whose line number modulo `every` is `remainder` go to a
 * second file ("arrivals" ingested later), the rest stay (the header goes to both).
 */
export function holdOutRows(
  files: SynthFiles,
  every: number,
  remainder = 0,
): { base: SynthFiles; arrivals: SynthFiles } {
  const split = (suffix: string, keep: (line: number) => boolean) =>
    files.files.map(({ feed, file }) => {
      const [header, ...rows] = fs.readFileSync(file, "utf8").trimEnd().split("\n");
      const target = path.join(files.directory, `${feed}.${suffix}.csv`);
      fs.writeFileSync(target, `${[header, ...rows.filter((_, line) => keep(line))].join("\n")}\n`);
      return { feed, file: target };
    });
  return {
    base: { ...files, files: split("base", (line) => line % every !== remainder) },
    arrivals: { ...files, files: split("arrivals", (line) => line % every === remainder) },
  };
}

/** Ingests every feed file through the real ingest path (outbox events included). */
export async function ingestSynthFiles(
  database: Pick<DatabaseHandle, "pool">,
  files: SynthFiles,
  options: { readonly batchSize?: number } = {},
): Promise<void> {
  for (const { feed, file } of files.files) {
    await ingestFile({ pool: database.pool, feed, file, batchSize: options.batchSize });
  }
}

/**
 * The access layer over a test database, and the local operator's audited access; `close` closes
 * the access layer and removes its data directory (signing keys, checkpoints).
 */
export function operatorAccess(database: DatabaseHandle): {
  access: Access;
  operator: ReturnType<Access["forRequest"]>;
  close: () => Promise<void>;
} {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-linkage-audit-"));
  const access = createAccess({ database, dataDir });
  return {
    access,
    operator: access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "linkage-test" }),
    close: async () => {
      await access.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test database with a synthetic population ingested (not linked), the operator's access and linkage. */
export interface LinkageTestBed {
  readonly database: TestDatabase;
  readonly operator: ReturnType<Access["forRequest"]>;
  readonly linkage: LinkageService;
  /** Closes the access layer and drops the database. */
  close(): Promise<void>;
}

/** A fresh test database holding `persons` synthetic persons of `seed`, ready for `linkage.linkAll`. */
export async function createLinkageTestBed(persons: number, seed: string): Promise<LinkageTestBed> {
  const database = await createTestDatabase();
  const { operator, close } = operatorAccess(database);
  const files = await writeSynthFiles(persons, seed);
  await ingestSynthFiles(database, files);
  removeSynthFiles(files);
  return {
    database,
    operator,
    linkage: createLinkageService({ store: database }),
    async close() {
      await close();
      await database.drop();
    },
  };
}

/** Every membership: entity key -> person. */
export async function membershipOf(database: Pick<DatabaseHandle, "pool">): Promise<Map<string, string>> {
  const { rows } = await database.pool.query<{ feed: string; key_value: string; person_id: string }>(
    "SELECT feed, key_value, person_id FROM person_member",
  );
  return new Map(rows.map((row) => [`${row.feed}:${row.key_value}`, row.person_id]));
}

/** The persons as sets of records, independent of ids (to compare two runs). */
export function partitionOf(membership: ReadonlyMap<string, string>): string[] {
  const groups = new Map<string, string[]>();
  for (const [key, person] of membership) {
    const list = groups.get(person) ?? [];
    list.push(key);
    groups.set(person, list);
  }
  return [...groups.values()].map((keys) => keys.sort().join(" ")).sort();
}

/** Applies the incremental linkage handler to every event not yet applied: one partition, one event a batch. */
export function linkPendingEvents(database: DatabaseHandle) {
  return createConsumerRunner({
    db: database.db,
    pool: database.pool,
    partitions: 1,
    batchSize: 1,
    handlers: [createLinkageHandler(createModelCache())],
  }).catchUp();
}
