import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";
import {
  type BatchLinkResult,
  type ClusterFigures,
  countTruePairs,
  evaluateClusterPairs,
  evaluateClusters,
  LINK_BANDS,
  type PairwiseFigures,
  precisionRecallTable,
  probabilityOfWeight,
  standardiseIdentifier,
  type ThresholdRow,
  type TruthSpace,
} from "@passage/linkage";
import { LinkageServiceErrors } from "./linkage-errors.ts";

/**
 * Pairwise figures with what 0/0 leaves undefined as null, not 1: precision where no pair is linked,
 * recall where the truth holds no true pair (no two records of one person), F1 where either is.
 */
export type EvaluatedFigures<Figures extends PairwiseFigures> = Omit<
  Figures,
  "precision" | "recall" | "f1"
> & {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
};

/** How a batch run compares with a known truth (`passage link --evaluate`). */
export interface LinkEvaluation {
  /** Pairwise at the auto-link threshold: the pairs the persons join; review-band pairs count as not linked. */
  readonly pairwise: EvaluatedFigures<PairwiseFigures>;
  readonly thresholds: readonly EvaluatedFigures<ThresholdRow>[];
  /** Pairs of records of one true person among the records evaluated (recall's denominator). */
  readonly truePairs: number;
  /** What the figures cannot say (e.g. recall undefined without a true pair). */
  readonly notes: readonly string[];
  readonly clusters: ClusterFigures;
  /** The review band on its own: scored pairs in it, how many are true matches; queue items likewise. */
  readonly reviewBand: {
    readonly pairs: number;
    readonly truePairs: number;
    readonly items: number;
    readonly trueItems: number;
  };
  /** Records named by the truth file, and how many of them are in the records table. */
  readonly truthRecords: number;
  readonly evaluatedRecords: number;
}

/**
 * Reads `feed,key,person_id` lines (`passage synth`'s truth.csv, optionally gzipped) into entity
 * key (`feed:key`) -> true person. A record named twice with different persons is refused, naming
 * the record and both lines (the same person twice is the same fact).
 */
export async function readLinkageTruthFileOrThrow(file: string): Promise<Map<string, string>> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw LinkageServiceErrors.truthNotFound.create(file);
  const input = fs.createReadStream(file);
  const lines = readline.createInterface({
    input: file.endsWith(".gz") ? input.pipe(zlib.createGunzip()) : input,
    crlfDelay: Infinity,
  });
  const truth = new Map<string, string>();
  const lineOf = new Map<string, number>();
  let header: string[] | undefined;
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === "") continue;
    const cells = line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
    if (!header) {
      header = cells;
      if (!["feed", "key", "person_id"].every((name) => header!.includes(name))) {
        throw LinkageServiceErrors.truthInvalid.create(
          file,
          `line 1 must name the columns feed,key,person_id (found ${line})`,
        );
      }
      continue;
    }
    const feed = cells[header.indexOf("feed")];
    const key = cells[header.indexOf("key")];
    const person = cells[header.indexOf("person_id")];
    if (!feed || !key || !person)
      throw LinkageServiceErrors.truthInvalid.create(file, `line ${number} lacks a feed, key or person_id`);
    const record = `${feed}:${key}`;
    const earlier = truth.get(record);
    if (earlier !== undefined && earlier !== person) {
      throw LinkageServiceErrors.truthInvalid.create(
        file,
        `${record} is person ${earlier} on line ${lineOf.get(record)} and person ${person} on line ${number}: a record is one person`,
      );
    }
    if (earlier === undefined) lineOf.set(record, number);
    truth.set(record, person);
  }
  if (!header) throw LinkageServiceErrors.truthInvalid.create(file, "the file is empty");
  return truth;
}

/** Evaluates a batch result against the truth (records absent from the table are left out). */
export function evaluateBatch(
  keys: readonly string[],
  aNumbers: readonly (string | undefined)[],
  result: BatchLinkResult,
  reviewItems: readonly { readonly leftRecord: string; readonly rightRecord: string }[],
  truth: ReadonlyMap<string, string>,
): LinkEvaluation {
  const present = new Map<string, string>();
  const clusterOf = new Map<string, string>();
  const aNumberOf = new Map<string, string>();
  keys.forEach((key, index) => {
    const person = truth.get(key);
    if (person === undefined) return;
    present.set(key, person);
    clusterOf.set(key, String(result.clustering.clusterOf[index]));
    const raw = aNumbers[index];
    const aNumber = raw === undefined ? undefined : standardiseIdentifier(raw, "a_number");
    if (aNumber !== undefined) aNumberOf.set(key, aNumber);
  });
  const space: TruthSpace = { truth: present, linkType: "dedupe" };
  const { pairs } = result;
  const reviewBand = LINK_BANDS.indexOf("review");
  let bandPairs = 0;
  let bandTrue = 0;
  for (let pair = 0; pair < pairs.count; pair += 1) {
    if (pairs.band[pair] !== reviewBand) continue;
    bandPairs += 1;
    const left = present.get(keys[pairs.left[pair]!]!);
    if (left !== undefined && left === present.get(keys[pairs.right[pair]!]!)) bandTrue += 1;
  }
  const trueItems = reviewItems.filter((item) => {
    const left = present.get(item.leftRecord);
    return left !== undefined && left === present.get(item.rightRecord);
  }).length;
  const truePairs = countTruePairs(space);
  const evaluated = <Figures extends PairwiseFigures>(figures: Figures): EvaluatedFigures<Figures> => {
    const linked = figures.truePositives + figures.falsePositives;
    return {
      ...figures,
      precision: linked === 0 ? null : figures.precision,
      recall: truePairs === 0 ? null : figures.recall,
      f1: linked === 0 || truePairs === 0 ? null : figures.f1,
    };
  };
  const pairwise = evaluated(evaluateClusterPairs(clusterOf, space));
  return {
    pairwise,
    thresholds: precisionRecallTable(scoredPairs(keys, result), space).map(evaluated),
    truePairs,
    notes: [
      // A truth for other data (another data directory, another seed) evaluates nothing; its
      // figures would read as perfect clusters.
      ...(present.size === 0
        ? [
            `none of the truth file's ${truth.size} records is in the records table: nothing was evaluated (a truth file for other data, or another data directory?)`,
          ]
        : []),
      ...(truePairs === 0
        ? [
            "the truth names no two records of one person among the records evaluated: recall and F1 are undefined (n/a)",
          ]
        : []),
      ...(pairwise.precision === null
        ? ["no two records evaluated were linked: precision and F1 are undefined (n/a)"]
        : []),
    ],
    clusters: evaluateClusters(clusterOf, present, (id) => aNumberOf.get(id)),
    reviewBand: { pairs: bandPairs, truePairs: bandTrue, items: reviewItems.length, trueItems },
    truthRecords: truth.size,
    evaluatedRecords: present.size,
  };
}

function* scoredPairs(keys: readonly string[], result: BatchLinkResult) {
  const { pairs } = result;
  for (let pair = 0; pair < pairs.count; pair += 1) {
    yield {
      left: keys[pairs.left[pair]!]!,
      right: keys[pairs.right[pair]!]!,
      probability: probabilityOfWeight(pairs.weight[pair]!),
    };
  }
}
