import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";
import {
  type BatchLinkResult,
  type ClusterFigures,
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

/** How a batch run compares with a known truth (`passage link --evaluate`). */
export interface LinkEvaluation {
  /** Pairwise at the auto-link threshold: the pairs the persons join; review-band pairs count as not linked. */
  readonly pairwise: PairwiseFigures;
  readonly thresholds: readonly ThresholdRow[];
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
 * key (`feed:key`) -> true person.
 */
export async function readLinkageTruthFileOrThrow(file: string): Promise<Map<string, string>> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw LinkageServiceErrors.truthInvalid.create(file, "no such file");
  const input = fs.createReadStream(file);
  const lines = readline.createInterface({
    input: file.endsWith(".gz") ? input.pipe(zlib.createGunzip()) : input,
    crlfDelay: Infinity,
  });
  const truth = new Map<string, string>();
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
    truth.set(`${feed}:${key}`, person);
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
  return {
    pairwise: evaluateClusterPairs(clusterOf, space),
    thresholds: precisionRecallTable(scoredPairs(keys, result), space),
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
