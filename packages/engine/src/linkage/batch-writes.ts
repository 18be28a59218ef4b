import {
  type BatchLinkResult,
  conflictingSchemes,
  LINK_BANDS,
  NO_REASON,
  probabilityOfWeight,
  REVIEW_REASONS,
  type StrongIdentifier,
} from "@passage/linkage";
import { encodeCopyField, type PersonRetirement } from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import type { BatchPopulation } from "./batch-population.ts";
import { issueText } from "./batch-population.ts";
import { blockKeysOf } from "./block-keys.ts";
import { splitEntityKey } from "./entity-records.ts";
import { identityIssuesOf, type OpenReviewTouch, type PersonIdentityIssue } from "./identity-issues.ts";
import { strongestPerClusterPair } from "./person-pair-reviews.ts";
import { searchTermsOf } from "./search-terms.ts";

/** Lines joined into chunks of about a mebibyte, the unit COPY text travels in. */
export function* chunked(lines: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer = "";
  for (const line of lines) {
    buffer += line;
    if (buffer.length >= size) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer.length > 0) yield buffer;
}

const field = encodeCopyField;

/** The entity id of each record: kept from earlier runs, new ones numbered after the largest. */
export function entityIdsOf(population: BatchPopulation): Int32Array {
  let next = 0;
  for (const id of population.entityIds.values()) if (id > next) next = id;
  const ids = new Int32Array(population.keys.length);
  population.keys.forEach((key, index) => {
    ids[index] = population.entityIds.get(key) ?? ++next;
  });
  return ids;
}

/** COPY lines of linkage_entity. */
export function* entityLines(population: BatchPopulation, ids: Int32Array): Generator<string> {
  for (let index = 0; index < population.keys.length; index += 1) {
    const { feed, keyValue } = splitEntityKey(population.keys[index]!);
    yield `${ids[index]}\t${field(feed)}\t${field(keyValue)}\t${field(JSON.stringify(population.records[index]!.values))}\t${field(JSON.stringify(population.citations[index]))}\n`;
  }
}

/** COPY lines of linkage_block: every key of every record, as the incremental path computes them. */
export function* blockLines(model: ActiveModel, result: BatchLinkResult, ids: Int32Array): Generator<string> {
  for (let index = 0; index < result.records.length; index += 1) {
    for (const key of blockKeysOf(model.rules, result.records[index]!)) yield `${key.block}\t${ids[index]}\n`;
  }
}

const NO_LINK = LINK_BANDS.indexOf("no_link");

/** COPY lines of linkage_pair: the auto-link and review pairs, left < right by entity id. */
export function* pairLines(
  result: BatchLinkResult,
  ids: Int32Array,
  modelVersion: number,
): Generator<string> {
  const { pairs } = result;
  for (let pair = 0; pair < pairs.count; pair += 1) {
    const band = pairs.band[pair]!;
    if (band === NO_LINK) continue;
    const a = ids[pairs.left[pair]!]!;
    const b = ids[pairs.right[pair]!]!;
    const weight = pairs.weight[pair]!;
    const reason = pairs.reason[pair] === NO_REASON ? null : REVIEW_REASONS[pairs.reason[pair]!]!;
    yield `${Math.min(a, b)}\t${Math.max(a, b)}\t${weight}\t${probabilityOfWeight(weight)}\t${LINK_BANDS[band]}\t${field(reason)}\t${modelVersion}\n`;
  }
}

/** COPY lines of the search projection (names, then documents). */
export function searchLines(
  population: BatchPopulation,
  ids: Int32Array,
): { names: string[]; documents: string[] } {
  const names: string[] = [];
  const documents: string[] = [];
  population.keys.forEach((key, index) => {
    const { feed, keyValue } = splitEntityKey(key);
    const terms = searchTermsOf(
      ids[index]!,
      feed,
      keyValue,
      population.records[index]!.values as Record<string, string>,
    );
    if (terms.names !== undefined) names.push(`${ids[index]}\t${field(terms.names)}\n`);
    for (const document of terms.documents)
      documents.push(`${field(document.document)}\t${document.kind}\t${ids[index]}\n`);
  });
  return { names, documents };
}

/**
 * The review queue a batch leaves: one item per pair of persons, its strongest pair by
 * `compareReviewStrength` (weight, then the records' keys), the item the incremental path keeps too.
 */
export interface BatchReviewItem {
  readonly left: number;
  readonly right: number;
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly reason: string;
  readonly conflictingIdentifiers: readonly string[];
  readonly weight: number;
  readonly probability: number;
}

export function reviewItemsOf(
  population: BatchPopulation,
  result: BatchLinkResult,
  model: ActiveModel,
): BatchReviewItem[] {
  const { clustering } = result;
  const strongest = strongestPerClusterPair(clustering.review, clustering.clusterOf, population.keys);
  const identifiersOfCluster = new Map<number, StrongIdentifier[]>();
  const clusterIdentifiers = (cluster: number) => {
    let found = identifiersOfCluster.get(cluster);
    if (!found) {
      found = clustering.clusters[cluster]!.flatMap((index) =>
        model.compiled.strongIdentifiers(result.records[index]!),
      );
      identifiersOfCluster.set(cluster, found);
    }
    return found;
  };
  return strongest.map((item) => {
    const [left, right] =
      population.keys[item.left]! < population.keys[item.right]!
        ? [item.left, item.right]
        : [item.right, item.left];
    return {
      left,
      right,
      leftRecord: population.keys[left]!,
      rightRecord: population.keys[right]!,
      reason: item.reason,
      conflictingIdentifiers:
        item.reason === "conflicting_identifiers"
          ? conflictingSchemes(
              clusterIdentifiers(clustering.clusterOf[left]!),
              clusterIdentifiers(clustering.clusterOf[right]!),
            )
          : [],
      weight: item.weight,
      probability: item.probability,
    };
  });
}

/** The identity issues the new review queue gives each person (`personOf`: record index -> person). */
export function batchIdentityIssues(
  population: BatchPopulation,
  reviews: readonly BatchReviewItem[],
  personOf: (index: number) => string,
): PersonIdentityIssue[] {
  const touches: OpenReviewTouch[] = [];
  for (const item of reviews) {
    for (const own of [item.left, item.right]) {
      touches.push({
        personId: personOf(own),
        reason: item.reason,
        conflictingIdentifiers: item.conflictingIdentifiers,
        matchProbability: item.probability,
        ownCitations: population.citations[own]!,
      });
    }
  }
  return identityIssuesOf(touches);
}

/** Persons whose identity issues differ from what is stored. */
export function personsWithChangedIssues(
  population: BatchPopulation,
  issues: readonly PersonIdentityIssue[],
): Set<string> {
  const fresh = new Map<string, string[]>();
  for (const issue of issues) {
    const text = issueText(issue.kind, issue.detail, issue.matchProbability, issue.evidence);
    const list = fresh.get(issue.personId);
    if (list) list.push(text);
    else fresh.set(issue.personId, [text]);
  }
  const changed = new Set<string>();
  for (const [personId, list] of fresh) {
    if (population.identityIssues.get(personId) !== list.sort().join("\n")) changed.add(personId);
  }
  for (const personId of population.identityIssues.keys()) if (!fresh.has(personId)) changed.add(personId);
  return changed;
}

/** Where each retired person's records went: the new person holding most of them. */
export function retirementsOf(
  retired: readonly string[],
  previous: ReadonlyMap<string, readonly string[]>,
  personOfKey: (key: string) => string | undefined,
): PersonRetirement[] {
  return retired.map((personId) => {
    const landed = new Map<string, number>();
    for (const key of previous.get(personId) ?? []) {
      const now = personOfKey(key);
      if (now !== undefined) landed.set(now, (landed.get(now) ?? 0) + 1);
    }
    const successor = [...landed].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    return {
      personId,
      successorPersonId: successor,
      reason: successor === null ? "its records are no longer linked" : "its records joined another person",
    };
  });
}
