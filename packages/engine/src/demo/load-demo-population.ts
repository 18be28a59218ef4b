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
}

export interface DemoPopulationReport {
  readonly persons: number;
  readonly records: number;
  readonly rejected: number;
  readonly linkedPersons: number;
  readonly directory: string;
}

/** Whether the records table holds anything (the demo populates an empty database only). */
export async function hasRecords(app: Pick<App, "store">): Promise<boolean> {
  const rows = await executeSql<{ any: boolean }>(
    app.store.db,
    "SELECT EXISTS (SELECT 1 FROM source_record) AS any",
  );
  return rows[0]?.any === true;
}

/**
 * Fills an empty database with a synthetic population, through the same paths real data takes:
 * generate the feed files (as of today), ingest every feed, link the whole records table, then
 * derive every status, gate and worklist entry, and assign the cases to the demo's field offices
 * (DEMO_CASE_OFFICES) — each step authorized and audited for
 * `options.access` as the commands that do it alone are. The generated files stay in `directory`.
 */
export async function loadDemoPopulation(
  app: Pick<App, "store" | "linkage" | "lifecycle" | "worklist">,
  options: DemoPopulationOptions,
): Promise<DemoPopulationReport> {
  fs.mkdirSync(path.dirname(options.directory), { recursive: true });
  const written = await writeSyntheticPopulation({
    outDir: options.directory,
    synth: { persons: options.persons, seed: options.seed },
    onProgress: (done, total) => options.onProgress?.({ step: "synth", done, total }),
  });
  let records = 0;
  let rejected = 0;
  for (const feed of FEEDS) {
    const name = written.files.find((candidate) => path.basename(candidate).startsWith(`${feed}.csv`));
    if (name === undefined) continue;
    const file = path.resolve(options.directory, name);
    const summary = await options.access.runRecordedAtStart(
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
  // Fresh statistics after a bulk load: the planner (and the planner-estimate gauges) need them
  // before autovacuum would get round to it.
  await executeSql(app.store.db, "ANALYZE source_record");
  const linked = await app.linkage.linkAll(options.access, {
    onProgress: (phase, done) =>
      options.onProgress?.({ step: "link", phase, done: done ?? 0, total: records }),
  });
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
  return {
    persons: options.persons,
    records,
    rejected,
    linkedPersons: linked.persons,
    directory: options.directory,
  };
}
