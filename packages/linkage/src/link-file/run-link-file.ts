import { type ClusterFigures, evaluateClusters } from "../evaluate/evaluate-clusters.ts";
import {
  evaluateClusterPairs,
  evaluatePairs,
  type PairwiseFigures,
  precisionRecallTable,
  type ThresholdRow,
  type TruthSpace,
} from "../evaluate/evaluate-pairs.ts";
import { type BatchLinkResult, linkBatch } from "../link-batch.ts";
import { LinkageErrors } from "../linkage-errors.ts";
import { LINK_BANDS } from "../model/classify-pair.ts";
import { probabilityOfWeight } from "../model/compiled-model.ts";
import type { LinkageRecord } from "../model/prepared-record.ts";
import { type LinkFileConfig, settingsFor } from "./link-file-config.ts";

/** One input table: its name (for messages) and its rows as column -> text. */
export interface LinkFileInput {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string | undefined>>[];
}

/** One output pair: ids as written in the inputs. */
export interface LinkFilePair {
  readonly leftId: string;
  readonly rightId: string;
  readonly matchWeight: number;
  readonly matchProbability: number;
}

export interface LinkFileEvaluation {
  readonly truthColumn: string;
  /**
   * At the auto-link threshold: the pairs of records the clusters put together (auto-links
   * and their transitive closure; review-band pairs count as not linked).
   */
  readonly pairwise: PairwiseFigures;
  /** The same over the auto-link pairs themselves, before clustering. */
  readonly pairwiseLinks: PairwiseFigures;
  readonly threshold: number;
  readonly table: readonly ThresholdRow[];
  readonly clusters: ClusterFigures;
}

export interface LinkFileResult {
  readonly batch: BatchLinkResult;
  readonly pairs: readonly LinkFilePair[];
  /** Each record's id (as written) and its cluster id (the id of the cluster's first record). */
  readonly clusters: readonly { readonly id: string; readonly clusterId: string }[];
  readonly evaluation: LinkFileEvaluation | undefined;
}

/**
 * `passage link-file` without the files: checks the inputs against the configuration, links
 * (one input: dedupe; two: across only), and evaluates against a truth column when asked.
 * The truth column is never compared.
 */
export function runLinkFile(
  config: LinkFileConfig,
  inputs: readonly LinkFileInput[],
  options: { readonly truthColumn?: string } = {},
): LinkFileResult {
  if (inputs.length < 1 || inputs.length > 2) {
    throw LinkageErrors.settingsInvalid.create(
      "--input",
      `give one input (dedupe) or two (link across), not ${inputs.length}`,
    );
  }
  const settings = settingsFor(config, inputs.length);
  const required = [
    config.idColumn,
    ...settings.comparisons.flatMap((c) => (c.scopeColumn ? [c.column, c.scopeColumn] : [c.column])),
  ];
  if (options.truthColumn !== undefined) {
    if (settings.comparisons.some((c) => c.column === options.truthColumn)) {
      throw LinkageErrors.settingsInvalid.create(
        "--evaluate",
        `"${options.truthColumn}" is a compared column; the truth must not be used for linking`,
      );
    }
    required.push(options.truthColumn);
  }
  const records: LinkageRecord[] = [];
  const originalIds: string[] = [];
  const truth = new Map<string, string>();
  inputs.forEach((input, source) => {
    const missing = required.filter((column) => !input.columns.includes(column));
    if (missing.length > 0) {
      throw LinkageErrors.settingsInvalid.create(
        input.name,
        `has no column ${missing.map((c) => `"${c}"`).join(", ")} (it has ${input.columns.join(", ")})`,
      );
    }
    const seen = new Set<string>();
    input.rows.forEach((row, rowIndex) => {
      const id = row[config.idColumn]?.trim() ?? "";
      if (id === "")
        throw LinkageErrors.settingsInvalid.create(
          `${input.name} row ${rowIndex + 1}`,
          `empty id column "${config.idColumn}"`,
        );
      if (seen.has(id)) {
        throw LinkageErrors.settingsInvalid.create(
          `${input.name} row ${rowIndex + 1}`,
          `id "${id}" appears more than once`,
        );
      }
      seen.add(id);
      const internalId = inputs.length === 2 ? `${source}:${id}` : id;
      records.push({ id: internalId, source, values: row });
      originalIds.push(id);
      const truthValue = options.truthColumn === undefined ? undefined : row[options.truthColumn]?.trim();
      if (truthValue) truth.set(internalId, truthValue);
    });
  });
  const batch = linkBatch(settings, records, {
    ...(config.model ? { model: { ...config.model, settings } } : {}),
    training: config.training,
  });
  const pairs: LinkFilePair[] = [];
  for (let pair = 0; pair < batch.pairs.count; pair += 1) {
    const weight = batch.pairs.weight[pair]!;
    pairs.push({
      leftId: originalIds[batch.pairs.left[pair]!]!,
      rightId: originalIds[batch.pairs.right[pair]!]!,
      matchWeight: weight,
      matchProbability: probabilityOfWeight(weight),
    });
  }
  const { clusterOf, clusters } = batch.clustering;
  const clusterRows = records.map((_, index) => ({
    id: originalIds[index]!,
    clusterId: originalIds[clusters[clusterOf[index]!]![0]!]!,
  }));
  const evaluation =
    options.truthColumn === undefined ? undefined : evaluate(batch, records, truth, options.truthColumn);
  return { batch, pairs, clusters: clusterRows, evaluation };
}

function evaluate(
  batch: BatchLinkResult,
  records: readonly LinkageRecord[],
  truth: ReadonlyMap<string, string>,
  truthColumn: string,
): LinkFileEvaluation {
  const ids = records.map((record) => record.id);
  const space: TruthSpace = {
    truth,
    linkType: batch.model.settings.linkType,
    sourceOf: (id) => (id.startsWith("1:") ? 1 : 0),
  };
  const autoLink = LINK_BANDS.indexOf("auto_link");
  const links: [string, string][] = [];
  const scored: { left: string; right: string; probability: number }[] = [];
  for (let pair = 0; pair < batch.pairs.count; pair += 1) {
    const left = ids[batch.pairs.left[pair]!]!;
    const right = ids[batch.pairs.right[pair]!]!;
    if (batch.pairs.band[pair] === autoLink) links.push([left, right]);
    scored.push({ left, right, probability: probabilityOfWeight(batch.pairs.weight[pair]!) });
  }
  const clusterOf = new Map(ids.map((id, index) => [id, String(batch.clustering.clusterOf[index])]));
  return {
    truthColumn,
    pairwise: evaluateClusterPairs(clusterOf, space),
    pairwiseLinks: evaluatePairs(links, space),
    threshold: batch.model.settings.thresholds.autoLinkProbability,
    table: precisionRecallTable(scored, space),
    clusters: evaluateClusters(clusterOf, truth),
  };
}
