import {
  type CompiledBlockingRule,
  type CompiledModel,
  compileBlockingRule,
  compileModel,
  type LinkageModel,
  MINIMUM_TRAINING_RECORDS,
  parseLinkageModelOrThrow,
} from "@passage/linkage";
import { findActiveLinkageModelVersion, findLinkageModel, type SqlExecutor } from "@passage/store";

/** A stored model made ready to score and block with. */
export interface ActiveModel {
  readonly version: number;
  readonly artefact: LinkageModel;
  readonly compiled: CompiledModel;
  readonly rules: readonly CompiledBlockingRule[];
  /**
   * How many records the model was trained on: the stored row's count (`linkage_model.records`),
   * else the artefact's `training.records`; undefined when neither holds a positive count (an
   * older or hand-made artefact), which never triggers a retrain.
   */
  readonly trainedOnRecords: number | undefined;
  /**
   * Why the model holds the built-in default parameters rather than trained ones (its table was
   * too small to train on: `training.defaultParameters`), or undefined for a trained model.
   */
  readonly defaultParameters: string | undefined;
}

/**
 * Compiles a stored artefact (the settings it carries are the ones it was trained with);
 * `storedRecords` is the count stored beside it, when there is one.
 */
export function activeModelOf(version: number, artefact: LinkageModel, storedRecords?: number): ActiveModel {
  const compiled = compileModel(artefact);
  const rules = artefact.settings.blockingRules.map((rule) => compileBlockingRule(rule, compiled.plan));
  const trainedOnRecords =
    recordCount(storedRecords) ??
    recordCount((artefact.training as { records?: unknown } | undefined)?.records);
  const defaults = (artefact.training as { defaultParameters?: { reason?: unknown } } | undefined)
    ?.defaultParameters;
  const defaultParameters =
    defaults === undefined ? undefined : typeof defaults.reason === "string" ? defaults.reason : "built-in";
  return { version, artefact, compiled, rules, trainedOnRecords, defaultParameters };
}

function recordCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * `passage link` (without `--train`) trains a new model when the linkable records have grown to at
 * least this many times the records the active model was trained on: a model trained on a handful
 * of records (EM and u on a few dozen pairs) is degenerate, and reusing it for ever would leave
 * every pair in review. Growth below it (1% more records, or even 90%) keeps the model, so person
 * ids and scores stay as they were.
 */
export const RETRAIN_GROWTH_FACTOR = 2;

/**
 * A model trained on fewer records than this is flagged by `passage link` as unreliable; below it
 * training now gives the built-in default parameters (`MINIMUM_TRAINING_RECORDS`), which
 * `passage link` names.
 */
export const FEW_TRAINING_RECORDS = MINIMUM_TRAINING_RECORDS;

/**
 * Why `passage link` should train a new model rather than reuse `model` on `records` linkable
 * records, or undefined to reuse it: the table has grown to RETRAIN_GROWTH_FACTOR times the
 * records it was trained on, or a model of built-in defaults now has enough records to train on.
 * A model whose count is unknown is always reused.
 */
export function outgrownReason(model: ActiveModel, records: number): string | undefined {
  const trainedOn = model.trainedOnRecords;
  if (trainedOn === undefined) return undefined;
  const grew = `the table grew from ${trainedOn} to ${records} records since v${model.version}`;
  if (records >= trainedOn * RETRAIN_GROWTH_FACTOR) return grew;
  if (model.defaultParameters !== undefined && records >= MINIMUM_TRAINING_RECORDS && records > trainedOn)
    return `${grew}, enough to train on`;
  return undefined;
}

/** Models compiled once per version; the active version is looked up on every call (it is one row). */
export interface ModelCache {
  /** The active model, or undefined when no batch link has trained one yet. */
  active(executor: SqlExecutor): Promise<ActiveModel | undefined>;
  version(executor: SqlExecutor, version: number): Promise<ActiveModel | undefined>;
  /** Puts a model the caller just built (a batch run), so the next lookup need not parse it. */
  remember(model: ActiveModel): void;
}

export function createModelCache(): ModelCache {
  const compiled = new Map<number, ActiveModel>();
  const cache: ModelCache = {
    async active(executor) {
      const version = await findActiveLinkageModelVersion(executor);
      return version === undefined ? undefined : cache.version(executor, version);
    },
    async version(executor, version) {
      const known = compiled.get(version);
      if (known) return known;
      const stored = await findLinkageModel(executor, version);
      if (!stored) return undefined;
      const model = activeModelOf(version, parseLinkageModelOrThrow(stored.artefact), stored.records);
      cache.remember(model);
      return model;
    },
    remember(model) {
      // Two versions at most: the active one and the one being replaced.
      if (compiled.size >= 2 && !compiled.has(model.version)) compiled.delete(compiled.keys().next().value!);
      compiled.set(model.version, model);
    },
  };
  return cache;
}
