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
import type { LinkageSettings } from "../model/linkage-settings.ts";
import type { LinkageRecord } from "../model/prepared-record.ts";
import { standardiseDate } from "../standardise/standardise-date.ts";
import { type LinkFileConfig, settingsFor } from "./link-file-config.ts";

/** One input table: its name (for messages) and its rows as column -> text. */
export interface LinkFileInput {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string | undefined>>[];
}

/**
 * What became of a scored pair's two records: `link` (one cluster, by this pair or through
 * others), `review` (kept apart pending a human decision: a review-band pair, or an auto-link a
 * safeguard held back, such as conflicting strong identifiers, whatever its probability) or
 * `no_link`.
 */
export type LinkFileDecision = "link" | "review" | "no_link";

/** One output pair: ids as written in the inputs. */
export interface LinkFilePair {
  readonly leftId: string;
  readonly rightId: string;
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly decision: LinkFileDecision;
}

/** A date column some of whose values do not match its declared format (they count as missing). */
export interface UnparsedDates {
  readonly column: string;
  readonly format: string;
  readonly unparsed: number;
  readonly present: number;
  readonly example: string;
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
  /** Date columns with values that do not match the declared format (fewer than half of them). */
  readonly unparsedDates: readonly UnparsedDates[];
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
  inputs.forEach((input) => {
    if (inputs.length === 2 && input.rows.length === 0) {
      throw LinkageErrors.settingsInvalid.create(input.name, "has no rows: there is nothing to link across");
    }
  });
  const unparsedDates = checkDateColumnsOrThrow(settings, inputs);
  const batch = linkBatch(settings, records, {
    ...(config.model ? { model: { ...config.model, settings } } : {}),
    training: config.training,
  });
  const pairs: LinkFilePair[] = [];
  const { clusterOf, clusters } = batch.clustering;
  const noLink = LINK_BANDS.indexOf("no_link");
  for (let pair = 0; pair < batch.pairs.count; pair += 1) {
    const weight = batch.pairs.weight[pair]!;
    const left = batch.pairs.left[pair]!;
    const right = batch.pairs.right[pair]!;
    const decision: LinkFileDecision =
      clusterOf[left] === clusterOf[right]
        ? "link"
        : batch.pairs.band[pair] === noLink
          ? "no_link"
          : "review";
    pairs.push({
      leftId: originalIds[left]!,
      rightId: originalIds[right]!,
      matchWeight: weight,
      matchProbability: probabilityOfWeight(weight),
      decision,
    });
  }
  const clusterRows = records.map((_, index) => ({
    id: originalIds[index]!,
    clusterId: originalIds[clusters[clusterOf[index]!]![0]!]!,
  }));
  const evaluation =
    options.truthColumn === undefined ? undefined : evaluate(batch, records, truth, options.truthColumn);
  return { batch, pairs, clusters: clusterRows, evaluation, unparsedDates };
}

/**
 * Counts, per date column, the present values that do not match the declared format. A column
 * where half or more of them do not is refused (the format is wrong, and every date would count
 * as missing without a word); fewer are reported, as dirty data.
 */
function checkDateColumnsOrThrow(
  settings: LinkageSettings,
  inputs: readonly LinkFileInput[],
): UnparsedDates[] {
  const report: UnparsedDates[] = [];
  for (const comparison of settings.comparisons) {
    if (comparison.kind !== "date" || comparison.format === undefined) continue;
    const format = comparison.format;
    let present = 0;
    let unparsed = 0;
    let example = "";
    for (const input of inputs) {
      for (const row of input.rows) {
        const value = row[comparison.column]?.trim();
        if (!value) continue;
        present += 1;
        if (standardiseDate(value, format) === undefined) {
          unparsed += 1;
          if (example === "") example = value;
        }
      }
    }
    if (unparsed === 0) continue;
    if (unparsed * 2 >= present) {
      throw LinkageErrors.settingsInvalid.create(
        `column "${comparison.column}"`,
        `${unparsed} of its ${present} dates do not match the declared format ${format} (e.g. "${example}"); declare the format the file uses`,
      );
    }
    report.push({ column: comparison.column, format, unparsed, present, example });
  }
  return report;
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
