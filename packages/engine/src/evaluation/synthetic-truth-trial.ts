import path from "node:path";
import type { AuditedAccess } from "@passage/access";
import { FEEDS, PassageError } from "@passage/core";
import type { TrainingOptions } from "@passage/linkage";
import { executeSql, type Store } from "@passage/store";
import type { SynthOptionsInput } from "@passage/synth";
import type { App } from "../app/create-app.ts";
import { ingestFile } from "../ingest/ingest-file.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import type { LinkEvaluation } from "../linkage/batch-evaluation.ts";
import { LinkageServiceErrors } from "../linkage/linkage-errors.ts";
import { writeSyntheticPopulation } from "../synth/write-synthetic-population.ts";
import { createTransportService } from "../transport/transport-service.ts";
import { examplePolicyDirectory } from "../worklist/policy-versions.ts";
import { WORKLIST_PAGE_SIZES } from "../worklist/worklist-service.ts";
import { type ActionList, type BarredOnListsReport, findTrulyBarredOnLists } from "./barred-on-lists.ts";
import {
  evaluateLifecycleAgainstTruth,
  readTruthCsv,
  type TruthEvaluationReport,
} from "./evaluate-lifecycle-truth.ts";

/** The two example policies (DOMAIN.md §4), each ranked on the fly as a worklist of its own. */
export const EXAMPLE_POLICY_FILES = ["mayorkas-2021.yaml", "posture-2025.yaml"] as const;

export interface SyntheticTruthTrialOptions {
  /** Who runs the trial (linking, worklists and plans are audited like any command). */
  readonly access: AuditedAccess;
  /** Where the generated feed files and truth go (an empty or missing directory). */
  readonly directory: string;
  /** The population; `asOf` is required because statuses are derived as of the truth's date. */
  readonly synth: SynthOptionsInput & { readonly asOf: string };
  /** Linkage training when no model is active (default: linkage's own defaults). */
  readonly training?: TrainingOptions;
  /** Days after `asOf` the transport plan covers (default 30; 0 plans nothing). */
  readonly transportDays?: number;
  /**
   * After the first comparison, work the review queue as a reviewer who knows the truth would
   * (accept a pair of one true person, reject any other) through the review decisions officers
   * use, then derive, list and compare again: what Passage gives once its human review is done.
   */
  readonly workReviewQueue?: boolean;
  readonly onProgress?: (step: TrialStep, done: number, total: number) => void;
}

export type TrialStep =
  | "synth"
  | "ingest"
  | "link"
  | "derive"
  | "worklist"
  | "transport"
  | "compare"
  | "review";

/** The derived statuses and action lists of one moment of the trial, against the truth. */
export interface TrialOutcome {
  /** Issue 4: derived status against the true lifecycle, every mismatch classified. */
  readonly lifecycle: TruthEvaluationReport;
  /** Issue 5: truly blocked or gated persons on any worklist or manifest. */
  readonly barredOnLists: BarredOnListsReport;
  readonly transport: {
    readonly planId: string;
    readonly from: string;
    readonly to: string;
    readonly flights: number;
    readonly casesOffered: number;
    readonly manifested: number;
  } | null;
}

/** The review queue worked from the truth (`workReviewQueue`). */
export interface ReviewedOutcome extends TrialOutcome {
  readonly enginePersons: number;
  /** Review decisions made, by outcome, and the rounds it took (a decision can open new items). */
  readonly decisions: { readonly accepted: number; readonly rejected: number; readonly rounds: number };
  /** Items still open when the rounds ran out (0 when the queue was emptied). */
  readonly stillOpen: number;
}

export interface SyntheticTruthTrialReport {
  readonly asOf: string;
  readonly persons: number;
  readonly records: number;
  readonly rejected: number;
  readonly enginePersons: number;
  /** Linkage against the truth (`passage link --truth`). */
  readonly linkage: Pick<LinkEvaluation, "pairwise" | "clusters"> | null;
  /** Issue 4: derived status against the true lifecycle, every mismatch classified. */
  readonly lifecycle: TruthEvaluationReport;
  /** Issue 5: truly blocked or gated persons on any worklist or manifest. */
  readonly barredOnLists: BarredOnListsReport;
  readonly transport: TrialOutcome["transport"];
  /** The same after the review queue was worked from the truth, when asked for. */
  readonly afterReview: ReviewedOutcome | null;
  /** Wall-clock seconds per step (those after the review included in `review`). */
  readonly seconds: Readonly<Partial<Record<TrialStep, number>>>;
}

const DERIVE_BATCH = 1000;

/**
 * The synthetic ground-truth trial of issues 4 and 5, through the paths real data takes:
 * generate a population with its truth, ingest every feed file, link the records table
 * (`passage link`), derive every status as of the truth's date, build the worklist (the active
 * policy, and each example policy ranked on the fly) and a transport plan over the synthetic
 * flights; then compare every person's derived status with the truth and look for truly blocked
 * or gated persons on any worklist or manifest. Expects an empty database.
 */
export async function runSyntheticTruthTrial(
  app: Pick<App, "linkage" | "lifecycle" | "worklist" | "transport"> & {
    readonly store: Pick<Store, "db" | "pool">;
  },
  options: SyntheticTruthTrialOptions,
): Promise<SyntheticTruthTrialReport> {
  const seconds = {} as Record<TrialStep, number>;
  const progress = options.onProgress ?? (() => undefined);
  const timed = async <T>(step: TrialStep, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    seconds[step] = Math.round(performance.now() - started) / 1000;
    return result;
  };
  const { db } = app.store;
  const asOf = options.synth.asOf;

  const written = await timed("synth", () =>
    writeSyntheticPopulation({
      outDir: options.directory,
      synth: options.synth,
      onProgress: (done, total) => progress("synth", done, total),
    }),
  );

  let records = 0;
  let rejected = 0;
  await timed("ingest", async () => {
    for (const feed of FEEDS) {
      const name = written.files.find((candidate) => path.basename(candidate).startsWith(`${feed}.csv`));
      if (name === undefined) continue;
      const summary = await ingestFile({
        pool: app.store.pool,
        feed,
        file: path.resolve(options.directory, name),
        onProgress: ({ bytesRead, totalBytes }) => progress("ingest", bytesRead, totalBytes),
      });
      records += summary.new + summary.corrected;
      rejected += summary.rejected;
    }
    await executeSql(db, "ANALYZE source_record");
  });

  const truth = await readTruthCsv(path.join(options.directory, "truth.csv"));
  const linked = await timed("link", () =>
    app.linkage.linkAll(options.access, {
      training: options.training,
      truth,
      onProgress: (_phase, done) => progress("link", done ?? 0, records),
    }),
  );

  const outcome = await deriveListAndCompare(app, options, written.persons, timed);
  const afterReview = options.workReviewQueue
    ? await timed("review", async () => {
        const decisions = await workReviewQueueFromTruth(app, options.access, truth);
        const outcome = await deriveListAndCompare(app, options, written.persons, (_step, work) => work(), {
          reviewed: true,
        });
        const [counts] = await executeSql<{ persons: number; open: number }>(
          db,
          `SELECT (SELECT count(DISTINCT person_id)::int FROM person_member) AS persons,
                  (SELECT count(*)::int FROM linkage_review WHERE status IN ('open', 'unsure')) AS open`,
        );
        return { ...outcome, enginePersons: counts!.persons, decisions, stillOpen: counts!.open };
      })
    : null;

  return {
    asOf,
    persons: written.persons,
    records,
    rejected,
    enginePersons: linked.persons,
    linkage: linked.evaluation
      ? { pairwise: linked.evaluation.pairwise, clusters: linked.evaluation.clusters }
      : null,
    ...outcome,
    afterReview,
    seconds,
  };
}

type TrialApp = Parameters<typeof runSyntheticTruthTrial>[0];
type Timed = <T>(step: TrialStep, work: () => Promise<T>) => Promise<T>;

/**
 * Derives every person's status as of the truth's date, builds the worklists (the active policy
 * and each example policy) and a transport plan, and compares statuses and lists with the truth.
 */
async function deriveListAndCompare(
  app: TrialApp,
  options: SyntheticTruthTrialOptions,
  truePersons: number,
  timed: Timed,
  /** Compare with the truth once review confirmed identities (after the queue was worked). */
  { reviewed = false } = {},
): Promise<TrialOutcome> {
  const { db } = app.store;
  const asOf = options.synth.asOf;
  const progress = options.onProgress ?? (() => undefined);
  await timed("derive", async () => {
    const personIds = (
      await executeSql<{ person_id: string }>(
        db,
        "SELECT DISTINCT person_id FROM person_member ORDER BY person_id",
      )
    ).map((row) => row.person_id);
    for (let from = 0; from < personIds.length; from += DERIVE_BATCH) {
      const batch = personIds.slice(from, from + DERIVE_BATCH);
      await db.transaction().execute((transaction) => app.lifecycle.derivePersons(transaction, batch, asOf));
      progress("derive", from + batch.length, personIds.length);
    }
    await executeSql(db, "ANALYZE");
  });

  const lists: ActionList[] = [];
  await timed("worklist", async () => {
    await app.worklist.rebuild();
    const stored: string[] = [];
    let policy = "";
    for (let page = 1; ; page++) {
      const listed = await app.worklist.list(options.access, { page, pageSize: WORKLIST_PAGE_SIZES.max });
      policy = `${listed.policy.id}@${listed.policy.version}`;
      stored.push(...listed.entries.map((entry) => entry.personId));
      if (stored.length >= listed.total || listed.entries.length === 0) break;
    }
    lists.push({ name: `worklist (active policy ${policy})`, personIds: stored });
    for (const file of EXAMPLE_POLICY_FILES) {
      const ranked = await app.worklist.rankWithPolicyFile(
        options.access,
        path.join(examplePolicyDirectory(), file),
      );
      lists.push({
        name: `worklist ranked by ${ranked.policy.definition.id}@${ranked.policy.definition.version}`,
        personIds: ranked.entries.map((entry) => entry.personId),
      });
    }
  });

  const transportDays = options.transportDays ?? 30;
  const transport = await timed("transport", async () => {
    if (transportDays === 0) return null;
    const from = dayAfter(asOf, 1);
    const to = dayAfter(asOf, transportDays);
    // The trial's world is as of its truth date: flights after it are still to fly.
    const transport = createTransportService({ store: app.store, today: () => asOf });
    const plan = await transport.createPlan(options.access, { from, to });
    const manifested = plan.manifests.flatMap((manifest) =>
      manifest.passengers.map((passenger) => passenger.personId),
    );
    lists.push({ name: `manifests of ${plan.planId}`, personIds: manifested });
    const solver = plan.solver as { flightsInHorizon?: number; casesOffered?: number };
    return {
      planId: plan.planId,
      from,
      to,
      flights: solver.flightsInHorizon ?? 0,
      casesOffered: solver.casesOffered ?? 0,
      manifested: manifested.length,
    };
  });

  const [lifecycle, barredOnLists] = await timed("compare", () =>
    Promise.all([
      evaluateLifecycleAgainstTruth(app.store, {
        truthDir: options.directory,
        reviewed,
        rules: app.lifecycle.rules,
        sources: DATABASE_LIFECYCLE_SOURCES,
        onProgress: (done) => progress("compare", done, truePersons),
      }),
      findTrulyBarredOnLists(app.store, { truthDir: options.directory, lists, reviewed }),
    ]),
  );
  return { lifecycle, barredOnLists, transport };
}

/**
 * Rounds of the review queue at most: accepting a pair joins two clusters, and the joined cluster
 * can open a new item (two passports of one country held by one person), decided next round.
 */
const REVIEW_ROUNDS = 20;

/**
 * Decides every open or unsure review item as a reviewer who knows the truth would, through the
 * same review decision officers make (`passage review decide`): accept when both records belong
 * to one true person, reject otherwise. Repeats while decisions open new items.
 */
async function workReviewQueueFromTruth(
  app: TrialApp,
  access: AuditedAccess,
  truth: ReadonlyMap<string, string>,
): Promise<ReviewedOutcome["decisions"]> {
  let accepted = 0;
  let rejected = 0;
  let rounds = 0;
  while (rounds < REVIEW_ROUNDS) {
    const open = await executeSql<{ review_id: string; left_record: string; right_record: string }>(
      app.store.db,
      `SELECT review_id, left_record, right_record FROM linkage_review
        WHERE status IN ('open', 'unsure') ORDER BY review_id`,
    );
    if (open.length === 0) break;
    rounds += 1;
    for (const item of open) {
      const left = truth.get(item.left_record);
      const same = left !== undefined && left === truth.get(item.right_record);
      try {
        await app.linkage.decideReview(access, item.review_id, {
          outcome: same ? "accept" : "reject",
          reason: same ? "truth trial: one true person" : "truth trial: two true persons",
        });
      } catch (error) {
        // An earlier decision of this round closed or superseded the item: nothing to decide.
        if (error instanceof PassageError && error.code === LinkageServiceErrors.reviewClosed.code) continue;
        throw error;
      }
      if (same) accepted += 1;
      else rejected += 1;
    }
  }
  return { accepted, rejected, rounds };
}

/** `YYYY-MM-DD` plus whole days (UTC calendar arithmetic). */
function dayAfter(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
