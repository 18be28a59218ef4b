import fs from "node:fs";
import path from "node:path";
import { type AuditedAccess, DEMO_USERS } from "@passage/access";
import { FEEDS, type Feed } from "@passage/core";
import { assignUnassignedCases, executeSql } from "@passage/store";
import type { App } from "../app/create-app.ts";
import { rebuildProjections } from "../app/rebuild-projections.ts";
import { ingestCountsOf, ingestFile } from "../ingest/ingest-file.ts";
import { writeSyntheticPopulation } from "../synth/write-synthetic-population.ts";
import { worklistResource } from "../worklist/worklist-service.ts";
import { DemoErrors } from "./demo-errors.ts";

/**
 * The field offices the demo's cases are assigned to (its records name none): the demo removal
 * officer, investigator and supervisor work in the first, so each reads a share of the cases
 * (own office) and sees the rest refused; the investigator is assigned one in ten of its cases.
 */
export const DEMO_CASE_OFFICES = ["NYC", "LAX", "MIA", "CHI"] as const;
const DEMO_INVESTIGATOR = DEMO_USERS.find((user) => user.roles.includes("investigator"))!;
const INVESTIGATOR_ASSIGNED_EVERY = 10;

/** A step of loading the demo, for progress display. */
export type DemoStep =
  | { readonly step: "synth"; readonly done: number; readonly total: number }
  | { readonly step: "ingest"; readonly feed: Feed; readonly done: number; readonly total: number }
  | { readonly step: "link"; readonly phase: string; readonly done: number; readonly total: number }
  | { readonly step: "derive"; readonly done: number; readonly total: number };

export interface DemoPopulationOptions {
  /** Who loads the demo (the local operator), audited like any other command. */
  readonly access: AuditedAccess;
  readonly persons: number;
  readonly seed: string;
  /** Where the generated files go (kept, so the ground truth can be compared later). */
  readonly directory: string;
  readonly onProgress?: (step: DemoStep) => void;
  /**
   * Finishes the interrupted load recorded in `directory` (see `demoPopulationState`): its files,
   * persons and seed are used as generated, not generated again.
   */
  readonly resume?: boolean;
  /** Stops the load at the next step when aborted (throwing the signal's reason). */
  readonly signal?: AbortSignal;
}

export interface DemoPopulationReport {
  readonly persons: number;
  readonly records: number;
  readonly rejected: number;
  readonly linkedPersons: number;
  readonly directory: string;
}

/** Whether the records table holds anything. */
export async function hasRecords(app: Pick<App, "store">): Promise<boolean> {
  const rows = await executeSql<{ any: boolean }>(
    app.store.db,
    "SELECT EXISTS (SELECT 1 FROM source_record) AS any",
  );
  return rows[0]?.any === true;
}

/**
 * The demo's record of its load, `demo-load.json` in its directory: written once the feed files
 * are generated (before anything is ingested), and rewritten with `complete` only after the last
 * step (every feed ingested, linked, derived, ranked and assigned).
 */
export const DEMO_LOAD_FILE = "demo-load.json";

interface DemoLoadRecord {
  readonly persons: number;
  readonly seed: string;
  /** The generated feed files, as ingested (absolute paths, FEEDS order). */
  readonly feedFiles: readonly { readonly feed: Feed; readonly file: string }[];
  readonly complete: boolean;
}

/** What `passage start` finds in the database and the demo's directory. */
export type DemoPopulationState =
  /** No records: load the demo. */
  | { readonly state: "empty" }
  /** A whole demo load, or records that are not the demo's (ingested by hand): serve them. */
  | { readonly state: "loaded" }
  /** A demo load begun into this database and never finished (interrupted, killed): finish it. */
  | { readonly state: "interrupted"; readonly persons: number; readonly seed: string };

/**
 * Whether the demo needs loading, finishing or neither. A load counts as begun here when the
 * database holds batches of the files its record names, and as finished only when the record says
 * so: records alone never mean a whole demo (an interrupted load leaves some feeds, unlinked).
 */
export async function demoPopulationState(
  app: Pick<App, "store">,
  directory: string,
): Promise<DemoPopulationState> {
  if (!(await hasRecords(app))) return { state: "empty" };
  const record = readDemoLoadRecord(directory);
  if (record === undefined || record.complete) return { state: "loaded" };
  const rows = await executeSql<{ any: boolean }>(
    app.store.db,
    "SELECT EXISTS (SELECT 1 FROM ingest_batch WHERE source_kind = 'file' AND source_name = ANY ($1)) AS any",
    [record.feedFiles.map((entry) => entry.file)],
  );
  return rows[0]?.any === true
    ? { state: "interrupted", persons: record.persons, seed: record.seed }
    : { state: "loaded" };
}

function readDemoLoadRecord(directory: string): DemoLoadRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(directory, DEMO_LOAD_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const record = JSON.parse(text) as DemoLoadRecord;
    return Array.isArray(record.feedFiles) ? record : undefined;
  } catch {
    // A record cut short by a crash while it was written (it is written by rename, so only by
    // a damaged disk): treated as absent.
    return undefined;
  }
}

/** Replaces the record whole (a temporary file renamed over it), so it is never half-written. */
function writeDemoLoadRecord(directory: string, record: DemoLoadRecord): void {
  const file = path.join(directory, DEMO_LOAD_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

/**
 * Fills an empty database with a synthetic population, through the same paths real data takes:
 * generate the feed files (as of today), ingest every feed, link the whole records table, then
 * derive every status, gate and worklist entry, and assign the cases to the demo's field offices
 * (DEMO_CASE_OFFICES) — each step authorized and audited for
 * `options.access` as the commands that do it alone are. The generated files stay in `directory`.
 *
 * Resumable: `demo-load.json` records the load once the files exist and marks it complete at
 * the end; with `resume` an interrupted load is finished from its files (ingest skips the batches
 * already committed; linking, deriving and assigning are re-run over the whole database).
 */
export async function loadDemoPopulation(
  app: Pick<App, "store" | "linkage" | "lifecycle" | "worklist">,
  options: DemoPopulationOptions,
): Promise<DemoPopulationReport> {
  const record = options.resume ? resumableRecordOrThrow(options.directory) : await generate(options);
  let records = 0;
  let rejected = 0;
  for (const { feed, file } of record.feedFiles) {
    options.signal?.throwIfAborted();
    const summary = await options.access.run(
      "feed.ingest",
      { type: "Feed", id: feed },
      () =>
        ingestFile({
          pool: app.store.pool,
          feed,
          file,
          onProgress: ({ bytesRead, totalBytes }) =>
            options.onProgress?.({ step: "ingest", feed, done: bytesRead, total: totalBytes }),
        }),
      { file },
      ingestCountsOf,
    );
    records += summary.new + summary.corrected;
    rejected += summary.rejected;
  }
  options.signal?.throwIfAborted();
  // Fresh statistics after a bulk load: the planner (and the planner-estimate gauges) need them
  // before autovacuum would get round to it.
  await executeSql(app.store.db, "ANALYZE source_record");
  options.signal?.throwIfAborted();
  const linked = await app.linkage.linkAll(options.access, {
    onProgress: (phase, done) =>
      options.onProgress?.({ step: "link", phase, done: done ?? 0, total: records }),
  });
  options.signal?.throwIfAborted();
  await options.access.run(
    "projection.rebuild",
    { type: "Projection", id: "all" },
    () =>
      rebuildProjections(app, (done) =>
        options.onProgress?.({ step: "derive", done, total: linked.persons }),
      ),
    {},
    (rebuilt) => ({ persons: rebuilt.persons, worklistEntries: rebuilt.worklistEntries }),
  );
  for (const office of DEMO_CASE_OFFICES) {
    options.signal?.throwIfAborted();
    await options.access.run(
      "case.assign",
      worklistResource(office),
      () =>
        assignUnassignedCases(app.store.db, {
          offices: DEMO_CASE_OFFICES,
          office,
          assignee:
            office === DEMO_INVESTIGATOR.office
              ? { username: DEMO_INVESTIGATOR.username, every: INVESTIGATOR_ASSIGNED_EVERY }
              : undefined,
          updatedBy: "demo",
        }),
      { offices: DEMO_CASE_OFFICES.length },
      (assigned) => ({ assigned }),
    );
  }
  await executeSql(app.store.db, "ANALYZE");
  writeDemoLoadRecord(options.directory, { ...record, complete: true });
  return {
    persons: record.persons,
    records,
    rejected,
    linkedPersons: linked.persons,
    directory: options.directory,
  };
}

/** Generates the feed files and records the load as begun (before anything is ingested). */
async function generate(options: DemoPopulationOptions): Promise<DemoLoadRecord> {
  fs.mkdirSync(path.dirname(options.directory), { recursive: true });
  const written = await writeSyntheticPopulation({
    outDir: options.directory,
    synth: { persons: options.persons, seed: options.seed },
    onProgress: (done, total) => options.onProgress?.({ step: "synth", done, total }),
  });
  const feedFiles = FEEDS.flatMap((feed) => {
    const name = written.files.find((candidate) => path.basename(candidate).startsWith(`${feed}.csv`));
    return name === undefined ? [] : [{ feed, file: path.resolve(options.directory, name) }];
  });
  const record = { persons: options.persons, seed: options.seed, feedFiles, complete: false };
  writeDemoLoadRecord(options.directory, record);
  return record;
}

/** The interrupted load's record, its files all still there. */
function resumableRecordOrThrow(directory: string): DemoLoadRecord {
  const record = readDemoLoadRecord(directory);
  const missing = record?.feedFiles.find((entry) => !fs.existsSync(entry.file));
  if (record === undefined || missing !== undefined) {
    throw DemoErrors.cannotResume.create(
      directory,
      record === undefined ? `${DEMO_LOAD_FILE} is missing` : `${missing!.file} is missing`,
    );
  }
  return record;
}
