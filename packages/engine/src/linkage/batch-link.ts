import os from "node:os";
import {
  assignStableIds,
  type BatchLinkOptions,
  type BatchLinkResult,
  type ComparisonPlan,
  createComparisonPlan,
  FEED_LINKAGE_SETTINGS,
  type HumanDecision,
  LINK_BANDS,
  type LinkageRecord,
  linkBatch,
  linkBatchInParallel,
  serialiseLinkageModel,
  type TrainingOptions,
} from "@passage/linkage";
import { WorkerLinkageHelper } from "@passage/linkage/threads";
import {
  activateLinkageModel,
  advanceHandlerOffsets,
  applyMembershipChanges,
  applyReviewQueue,
  copyOutboxEvents,
  encodeCopyField,
  finishLinkageRun,
  insertDecisions,
  insertLinkageModel,
  lockLinkageForSession,
  markMustLinksOutdated,
  replaceIdentityIssuesInBulk,
  replaceLinkageIndex,
  retirePersons,
  type Store,
  startLinkageRun,
  unlockLinkageForSession,
} from "@passage/store";
import { type ActiveModel, activeModelOf, type ModelCache, outgrownReason } from "./active-model.ts";
import { evaluateBatch, type LinkEvaluation } from "./batch-evaluation.ts";
import { type BatchPopulation, readBatchPopulation } from "./batch-population.ts";
import {
  type BatchReviewItem,
  batchIdentityIssues,
  blockLines,
  chunked,
  entityIdsOf,
  entityLines,
  pairLines,
  personsWithChangedIssues,
  retirementsOf,
  reviewItemsOf,
  searchLines,
} from "./batch-writes.ts";
import { personsChangedEvents } from "./identity-issues.ts";
import { LINKAGE_HANDLER_NAME } from "./linkage-handler.ts";
import { honouredDecisions, mustLinksOutdatedBy, outdatedMustLinkReview } from "./outdated-must-links.ts";
import { mintPersonId } from "./person-ids.ts";
import { consistentPlacements } from "./placements.ts";

export interface BatchLinkRunOptions {
  /** Train a new model even when one is active (the default reuses the active model). */
  readonly train?: boolean | undefined;
  readonly training?: TrainingOptions | undefined;
  readonly kind?: "link" | "rebuild";
  /** Who asked (recorded on the run and on a new model). */
  readonly requestedBy: string;
  /** Known truth (entity key -> person) to evaluate the result against. */
  readonly truth?: ReadonlyMap<string, string> | undefined;
  /** Progress on phases (`read`, `link`, `write`) and records read. */
  readonly onProgress?: ((phase: string, done?: number) => void) | undefined;
  readonly mint?: () => string;
  /** Do nothing unless a model is active (a rebuild re-links what linkage formed; it never trains). */
  readonly onlyWithActiveModel?: boolean;
  /**
   * Train a new model when the active one was trained on a table much smaller than this one
   * (`outgrownReason`: `passage link`; never a rebuild).
   */
  readonly retrainWhenOutgrown?: boolean;
  /**
   * Threads for the engine: 2 puts a helper on a worker thread (blocking while this thread trains,
   * half the scoring). Default: 2 from PARALLEL_FROM_RECORDS records on a machine with 2 cores or more.
   */
  readonly threads?: 1 | 2;
}

/** Below this many records a worker thread costs more to start than it saves. */
const PARALLEL_FROM_RECORDS = 50_000;

/** What a batch run did, with where the time went. */
export interface BatchLinkReport {
  readonly runId: string;
  readonly modelVersion: number | null;
  readonly trained: boolean;
  /** Why a model was trained although one was active and none was asked for (else null). */
  readonly trainedBecause: string | null;
  /** How many records the model used was trained on (null: no model, or an unknown count). */
  readonly modelTrainedOnRecords: number | null;
  /**
   * Why the model used holds the built-in default parameters rather than trained ones (a table of
   * fewer than MINIMUM_TRAINING_RECORDS records), or null for a trained model (or none).
   */
  readonly modelDefaultParameters: string | null;
  readonly records: number;
  readonly persons: number;
  readonly personsCreated: number;
  readonly personsRetired: number;
  readonly personsChanged: number;
  readonly recordsMoved: number;
  readonly autoLinkPairs: number;
  readonly reviewBandPairs: number;
  readonly reviewItems: number;
  readonly reviewReasons: Readonly<Record<string, number>>;
  readonly personsWithIdentityIssues: number;
  readonly decisionsHonoured: number;
  /**
   * Must-links this run found outdated (a record changed its compared values since they were
   * decided): no longer honoured, and the persons holding their records gated until re-decided.
   */
  readonly mustLinksOutdated: number;
  /** Threads the engine ran on. */
  readonly threads: number;
  readonly placementsAdopted: number;
  readonly snapshotPosition: string;
  /** Seconds: reading the population, the engine (`linkBatch`), preparing rows, writing them. */
  readonly seconds: {
    readonly read: number;
    readonly engine: number;
    readonly prepare: number;
    readonly write: number;
    readonly total: number;
  };
  /** The database write's steps, milliseconds (the write seconds, broken down). */
  readonly writePhases: Readonly<Record<string, number>>;
  /** The engine's own phases, milliseconds. */
  readonly enginePhases: Readonly<Record<string, number>>;
  readonly evaluation?: LinkEvaluation | undefined;
}

/**
 * `passage link`: links the whole records table with one model and writes the result. Holds the
 * linkage lock from before its snapshot until its commit, so the incremental handler, review
 * decisions and unlinks wait and then continue from the result. Honours every current human
 * decision (and adopts records placed in persons outside linkage as must-links), carries person
 * ids over by overlap (`assignStableIds`), so an unchanged population keeps every id, and emits
 * PersonsChanged only for persons whose membership or identity issues changed.
 */
export async function runBatchLink(
  store: Pick<Store, "pool">,
  models: ModelCache,
  options: BatchLinkRunOptions,
): Promise<BatchLinkReport> {
  const started = performance.now();
  const writer = await store.pool.connect();
  let failed: Error | undefined;
  try {
    await lockLinkageForSession(writer);
    const runId = await startLinkageRun(writer, {
      kind: options.kind ?? "link",
      requestedBy: options.requestedBy,
    });
    options.onProgress?.("read", 0);
    const reader = await store.pool.connect();
    let population: BatchPopulation;
    let active: ActiveModel | undefined;
    try {
      population = await readBatchPopulation(reader, (records) => options.onProgress?.("read", records));
      active = options.train ? undefined : await models.active(reader);
    } finally {
      reader.release();
    }
    const trainedBecause =
      active && options.retrainWhenOutgrown ? (outgrownReason(active, population.keys.length) ?? null) : null;
    if (trainedBecause !== null) active = undefined;
    const readSeconds = (performance.now() - started) / 1000;
    if ((population.keys.length < 2 || options.onlyWithActiveModel) && !active) {
      await finishLinkageRun(writer, runId, {
        modelVersion: 0,
        snapshotPosition: population.snapshotPosition,
        figures: { records: population.keys.length, skipped: "no active model, and none to train" },
      });
      const report = emptyReport(runId, population, readSeconds);
      // Evaluated as a run that linked nothing (figures n/a, with notes), as `--evaluate` promises.
      return options.truth ? { ...report, evaluation: evaluateUnlinked(population, options.truth) } : report;
    }
    const outdated = outdatedMustLinksOf(
      population,
      active?.compiled.plan ?? createComparisonPlan(FEED_LINKAGE_SETTINGS),
    );
    const newlyOutdated = new Set(outdated.map((item) => item.decisionId));
    const honoured = honouredDecisions(population.decisions).filter(
      (row) => !newlyOutdated.has(row.decisionId),
    );
    const placements = consistentPlacements({ ...population, decisions: honoured }, options.requestedBy);
    const decisions: HumanDecision[] = [
      ...honoured.map((row) => ({
        leftId: row.leftRecord,
        rightId: row.rightRecord,
        decision: row.decision,
        placedRecordId: row.placedRecord ?? undefined,
      })),
      ...placements.map((row) => ({
        leftId: row.leftRecord,
        rightId: row.rightRecord,
        decision: row.decision,
        placedRecordId: row.placedRecord ?? undefined,
      })),
    ];
    options.onProgress?.("link");
    const engineStarted = performance.now();
    const threads =
      options.threads ??
      (population.keys.length >= PARALLEL_FROM_RECORDS && os.availableParallelism() >= 2 ? 2 : 1);
    const result = await linkPopulation(population.records, threads, {
      model: active?.artefact,
      training: { trainedAt: new Date().toISOString(), ...options.training },
      decisions,
    });
    const engineSeconds = (performance.now() - engineStarted) / 1000;

    const prepareStarted = performance.now();
    const plan = planWrites(population, result, options.mint ?? mintPersonId);
    const prepareSeconds = (performance.now() - prepareStarted) / 1000;

    options.onProgress?.("write");
    const writeStarted = performance.now();
    const writePhases: Record<string, number> = {};
    let lap = performance.now();
    const step = (name: string) => {
      const now = performance.now();
      writePhases[name] = (writePhases[name] ?? 0) + now - lap;
      lap = now;
    };
    await writer.query("BEGIN");
    let model: ActiveModel;
    if (active) model = active;
    else {
      const version = await insertLinkageModel(writer, {
        artefact: serialiseLinkageModel(result.model),
        records: population.keys.length,
        trainedBy: options.requestedBy,
      });
      await activateLinkageModel(writer, version);
      model = activeModelOf(version, result.model, population.keys.length);
    }
    await insertDecisions(writer, placements);
    await markMustLinksOutdated(writer, outdated, "batch");
    step("model and placements");
    const ids = entityIdsOf(population);
    const search = searchLines(population, ids);
    step("search terms (JavaScript)");
    await replaceLinkageIndex(
      writer,
      {
        entities: chunked(entityLines(population, ids)),
        blocks: chunked(blockLines(model, result, ids)),
        pairs: chunked(pairLines(result, ids, model.version)),
        names: chunked(search.names),
        documents: chunked(search.documents),
      },
      step,
    );
    await applyMembershipChanges(writer, { assign: chunked(plan.assign), remove: chunked(plan.remove) });
    await retirePersons(writer, plan.retirements);
    step("persons and members");
    const reviews = withOutdatedMustLinkReviews(
      reviewItemsOf(population, result, model),
      population,
      outdated.map((item) => item.decisionId),
      model,
    );
    const issues = batchIdentityIssues(
      population,
      reviews,
      (index) => plan.personIds[result.clustering.clusterOf[index]!]!,
    );
    const issuesChanged = personsWithChangedIssues(population, issues);
    await replaceIdentityIssuesInBulk(
      writer,
      chunked([...issuesChanged].map((personId) => `${encodeCopyField(personId)}\n`)),
      chunked(
        issues
          .filter((issue) => issuesChanged.has(issue.personId))
          .map(
            (issue) =>
              `${encodeCopyField(issue.personId)}\t${issue.kind}\t${encodeCopyField(issue.detail)}\t${issue.matchProbability ?? "\\N"}\t${encodeCopyField(JSON.stringify(issue.evidence))}\n`,
          ),
      ),
    );
    step("identity issues");
    const reviewed = new Set(reviews.map((item) => `${item.leftRecord}\u0000${item.rightRecord}`));
    await applyReviewQueue(writer, {
      open: chunked(
        reviews.map(
          (item) =>
            `${encodeCopyField(item.leftRecord)}\t${encodeCopyField(item.rightRecord)}\t${item.reason}\t{${item.conflictingIdentifiers.map((name) => `"${name}"`).join(",")}}\t${item.weight}\t${item.probability}\t${model.version}\n`,
        ),
      ),
      supersede: chunked(
        [...population.openReviews]
          .filter(([pair]) => !reviewed.has(pair))
          .map(([, reviewId]) => `${reviewId}\n`),
      ),
    });
    step("review queue");
    const retiredIds = plan.retirements.map((retirement) => retirement.personId);
    const changed = new Set([...plan.changed, ...issuesChanged]);
    // A must-link outdated now gates the persons holding either of its records: they re-derive.
    const indexOfKey =
      newlyOutdated.size === 0 ? new Map() : new Map(population.keys.map((key, index) => [key, index]));
    for (const row of population.decisions) {
      if (!newlyOutdated.has(row.decisionId)) continue;
      for (const key of [row.leftRecord, row.rightRecord]) {
        const index = indexOfKey.get(key);
        if (index !== undefined) changed.add(plan.personIds[result.clustering.clusterOf[index]!]!);
      }
    }
    for (const retired of retiredIds) changed.delete(retired);
    await copyOutboxEvents(writer, personsChangedEvents(changed, retiredIds, "batch_link"));
    step("PersonsChanged events");
    const counts = countBands(result);
    const reviewReasons: Record<string, number> = {};
    for (const item of reviews) reviewReasons[item.reason] = (reviewReasons[item.reason] ?? 0) + 1;
    const evaluation = options.truth
      ? evaluateBatch(
          population.keys,
          population.records.map((record) => record.values.a_number),
          result,
          reviews,
          options.truth,
        )
      : undefined;
    const report: Omit<BatchLinkReport, "seconds"> = {
      runId,
      modelVersion: model.version,
      trained: !active,
      trainedBecause,
      modelTrainedOnRecords: model.trainedOnRecords ?? null,
      modelDefaultParameters: model.defaultParameters ?? null,
      records: population.keys.length,
      persons: result.clustering.clusters.length,
      personsCreated: plan.created,
      personsRetired: retiredIds.length,
      personsChanged: changed.size,
      recordsMoved: plan.moved,
      autoLinkPairs: counts.autoLink,
      reviewBandPairs: counts.review,
      reviewItems: reviews.length,
      reviewReasons,
      personsWithIdentityIssues: new Set(issues.map((issue) => issue.personId)).size,
      decisionsHonoured: honoured.length,
      mustLinksOutdated: outdated.length,
      threads,
      placementsAdopted: placements.length,
      snapshotPosition: population.snapshotPosition,
      enginePhases: result.timings,
      writePhases,
      evaluation,
    };
    await finishLinkageRun(writer, runId, {
      modelVersion: model.version,
      snapshotPosition: population.snapshotPosition,
      figures: {
        ...report,
        evaluation: evaluation ? { pairwise: evaluation.pairwise, clusters: evaluation.clusters } : undefined,
      },
    });
    await writer.query("COMMIT");
    step("commit");
    models.remember(model);
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    await unlockLinkageForSession(writer);
    // After the lock is released: a handler batch waiting for it holds its offset row until it
    // commits (it skips events the snapshot covers), and only then can the offsets move.
    await advanceHandlerOffsets(writer, LINKAGE_HANDLER_NAME, population.snapshotPosition);
    return {
      ...report,
      seconds: {
        read: readSeconds,
        engine: engineSeconds,
        prepare: prepareSeconds,
        write: writeSeconds,
        total: (performance.now() - started) / 1000,
      },
    };
  } catch (error) {
    failed = error as Error;
    await writer.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    if (!failed) writer.release();
    else {
      await unlockLinkageForSession(writer).catch(() => undefined);
      writer.release(failed);
    }
  }
}

/**
 * The must-links one of whose records its source changed since they were decided (a version
 * recorded after `decided_at`, not a redress correction) to values the model sees otherwise than
 * the decision did. Read from the records' history (`findRowsDecidedOn`), not from what linkage last
 * indexed: the incremental path marks what it links, this finds what it did not (a correction
 * stored while no model was active, or made stale before migration 0071, whose indexed values an
 * older handler already overwrote).
 */
function outdatedMustLinksOf(population: BatchPopulation, plan: ComparisonPlan) {
  if (population.decidedOnValues.size === 0) return [];
  const changed = new Set(
    [...population.decidedOnValues.keys()].map((id) => id.slice(id.indexOf("\u0000") + 1)),
  );
  const indexOfKey = new Map<string, number>();
  population.keys.forEach((key, index) => {
    if (changed.has(key)) indexOfKey.set(key, index);
  });
  return mustLinksOutdatedBy(
    population.decisions,
    (key, decision) => {
      const decidedOn = population.decidedOnValues.get(`${decision.decisionId}\u0000${key}`);
      const index = indexOfKey.get(key);
      if (decidedOn === undefined || index === undefined) return undefined;
      return {
        values: population.records[index]!.values,
        indexedValues: decidedOn,
        citations: population.citations[index]!,
      };
    },
    plan,
  );
}

/**
 * The review queue with an item (`must_link_outdated`) on the pair of every outdated must-link
 * nobody judged since (those outdated before this run, and those it outdates), as the incremental
 * path asks them (`openOutdatedMustLinkReviews`): the queue offers the re-decision. An item the
 * clustering asks on the same pair is that item.
 */
function withOutdatedMustLinkReviews(
  reviews: BatchReviewItem[],
  population: BatchPopulation,
  newlyOutdated: readonly string[],
  model: ActiveModel,
): BatchReviewItem[] {
  const newly = new Set(newlyOutdated);
  const pairs = new Map<string, { leftRecord: string; rightRecord: string }>();
  for (const row of population.standingOutdated) pairs.set(`${row.leftRecord}\u0000${row.rightRecord}`, row);
  for (const row of population.decisions)
    if (newly.has(row.decisionId)) pairs.set(`${row.leftRecord}\u0000${row.rightRecord}`, row);
  if (pairs.size === 0) return reviews;
  const indexOf = new Map(population.keys.map((key, index) => [key, index]));
  const asked: BatchReviewItem[] = [];
  for (const row of pairs.values()) {
    const left = indexOf.get(row.leftRecord);
    const right = indexOf.get(row.rightRecord);
    if (left === undefined || right === undefined) continue;
    const item = outdatedMustLinkReview(
      model.compiled,
      row,
      population.records[left]!.values,
      population.records[right]!.values,
    );
    asked.push({
      left,
      right,
      leftRecord: row.leftRecord,
      rightRecord: row.rightRecord,
      reason: item.reason,
      conflictingIdentifiers: [],
      weight: item.matchWeight,
      probability: item.matchProbability,
    });
  }
  const askedPairs = new Set(asked.map((item) => `${item.leftRecord}\u0000${item.rightRecord}`));
  return [
    ...reviews.filter((item) => !askedPairs.has(`${item.leftRecord}\u0000${item.rightRecord}`)),
    ...asked,
  ];
}

/** The engine on one thread, or with a helper on a worker thread (identical results). */
async function linkPopulation(
  records: readonly LinkageRecord[],
  threads: 1 | 2,
  options: BatchLinkOptions,
): Promise<BatchLinkResult> {
  if (threads === 1) return linkBatch(FEED_LINKAGE_SETTINGS, records, options);
  const helper = new WorkerLinkageHelper();
  try {
    return await linkBatchInParallel(FEED_LINKAGE_SETTINGS, records, { ...options, helper });
  } finally {
    await helper.close();
  }
}

interface WritePlan {
  /** Person id of each cluster. */
  readonly personIds: readonly string[];
  /** COPY lines: records whose person is new or different. */
  readonly assign: string[];
  /** COPY lines: members that are no longer in the population. */
  readonly remove: string[];
  readonly retirements: ReturnType<typeof retirementsOf>;
  readonly changed: Set<string>;
  readonly created: number;
  readonly moved: number;
}

function planWrites(population: BatchPopulation, result: BatchLinkResult, mint: () => string): WritePlan {
  const previous = new Map<string, string[]>();
  for (const [key, personId] of population.membership) {
    const list = previous.get(personId);
    if (list) list.push(key);
    else previous.set(personId, [key]);
  }
  const next = result.clustering.clusters.map((members) => members.map((index) => population.keys[index]!));
  const assignment = assignStableIds(previous, next, mint);
  const personIds = assignment.ids;
  const changed = new Set<string>();
  const assign: string[] = [];
  let moved = 0;
  population.keys.forEach((key, index) => {
    const personId = personIds[result.clustering.clusterOf[index]!]!;
    const before = population.membership.get(key);
    if (before === personId) return;
    if (before !== undefined) {
      changed.add(before);
      moved += 1;
    }
    changed.add(personId);
    const separator = key.indexOf(":");
    assign.push(
      `${encodeCopyField(key.slice(0, separator))}\t${encodeCopyField(key.slice(separator + 1))}\t${encodeCopyField(personId)}\n`,
    );
  });
  const inPopulation = new Set(population.keys);
  const remove: string[] = [];
  for (const [key, personId] of population.membership) {
    if (inPopulation.has(key)) continue;
    changed.add(personId);
    const separator = key.indexOf(":");
    remove.push(
      `${encodeCopyField(key.slice(0, separator))}\t${encodeCopyField(key.slice(separator + 1))}\n`,
    );
  }
  const newPersonOf = new Map<string, string>();
  population.keys.forEach((key, index) => {
    newPersonOf.set(key, personIds[result.clustering.clusterOf[index]!]!);
  });
  return {
    personIds,
    assign,
    remove,
    retirements: retirementsOf(assignment.retired, previous, (key) => newPersonOf.get(key)),
    changed,
    created: assignment.minted,
    moved,
  };
}

function countBands(result: BatchLinkResult): { autoLink: number; review: number } {
  const autoLink = LINK_BANDS.indexOf("auto_link");
  const review = LINK_BANDS.indexOf("review");
  let autoLinks = 0;
  let reviews = 0;
  for (let pair = 0; pair < result.pairs.count; pair += 1) {
    if (result.pairs.band[pair] === autoLink) autoLinks += 1;
    else if (result.pairs.band[pair] === review) reviews += 1;
  }
  return { autoLink: autoLinks, review: reviews };
}

/** The evaluation of a run that linked nothing (no records, or nothing to link with): each record alone. */
function evaluateUnlinked(population: BatchPopulation, truth: ReadonlyMap<string, string>): LinkEvaluation {
  const none = {
    count: 0,
    left: new Int32Array(0),
    right: new Int32Array(0),
    weight: new Float64Array(0),
    band: new Uint8Array(0),
    reason: new Uint8Array(0),
  };
  const clusterOf = Int32Array.from(population.keys, (_, index) => index);
  // evaluateBatch reads only the scored pairs and each record's cluster of a result.
  const unlinked = { pairs: none, clustering: { clusterOf } } as BatchLinkResult;
  return evaluateBatch(
    population.keys,
    population.records.map((record) => record.values.a_number),
    unlinked,
    [],
    truth,
  );
}

function emptyReport(runId: string, population: BatchPopulation, readSeconds: number): BatchLinkReport {
  return {
    runId,
    modelVersion: null,
    trained: false,
    trainedBecause: null,
    modelTrainedOnRecords: null,
    modelDefaultParameters: null,
    records: population.keys.length,
    persons: 0,
    personsCreated: 0,
    personsRetired: 0,
    personsChanged: 0,
    recordsMoved: 0,
    autoLinkPairs: 0,
    reviewBandPairs: 0,
    reviewItems: 0,
    reviewReasons: {},
    personsWithIdentityIssues: 0,
    decisionsHonoured: honouredDecisions(population.decisions).length,
    mustLinksOutdated: 0,
    threads: 0,
    placementsAdopted: 0,
    snapshotPosition: population.snapshotPosition,
    seconds: { read: readSeconds, engine: 0, prepare: 0, write: 0, total: readSeconds },
    enginePhases: {},
    writePhases: {},
  };
}
