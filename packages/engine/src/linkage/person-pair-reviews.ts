import {
  findOpenReviewItemsOfPersons,
  MUST_LINK_OUTDATED_REASON,
  type ReviewItemInput,
  type SqlExecutor,
  supersedeReviewItems,
} from "@passage/store";

/** What orders review items of one pair of persons: their weight, then their records (left < right). */
export interface ReviewStrength {
  readonly matchWeight: number;
  readonly leftRecord: string;
  readonly rightRecord: string;
}

/**
 * The order in which review items of one pair of persons are kept: the greater match weight first,
 * ties broken by the records' keys (the smaller pair of keys first), so the batch and the
 * incremental path keep the same item whatever order they meet the pairs in. Records in either
 * order: each item is read as (smaller key, larger key).
 */
export function compareReviewStrength(a: ReviewStrength, b: ReviewStrength): number {
  if (a.matchWeight !== b.matchWeight) return b.matchWeight > a.matchWeight ? 1 : -1;
  const [aLow, aHigh] = ordered(a);
  const [bLow, bHigh] = ordered(b);
  if (aLow !== bLow) return aLow < bLow ? -1 : 1;
  if (aHigh !== bHigh) return aHigh < bHigh ? -1 : 1;
  return 0;
}

const ordered = (item: ReviewStrength): [string, string] =>
  item.leftRecord < item.rightRecord
    ? [item.leftRecord, item.rightRecord]
    : [item.rightRecord, item.leftRecord];

/**
 * Of a clustering's review pairs, the strongest between each pair of clusters (persons), in the
 * order their cluster pairs first appear: the queue the batch and re-forming leave.
 */
export function strongestPerClusterPair<Item extends { weight: number; left: number; right: number }>(
  review: readonly Item[],
  clusterOf: ArrayLike<number>,
  keys: readonly string[],
): Item[] {
  const strength = (item: Item): ReviewStrength => ({
    matchWeight: item.weight,
    leftRecord: keys[item.left]!,
    rightRecord: keys[item.right]!,
  });
  const strongest = new Map<string, Item>();
  for (const item of review) {
    const a = clusterOf[item.left]!;
    const b = clusterOf[item.right]!;
    const pair = a < b ? `${a}:${b}` : `${b}:${a}`;
    const held = strongest.get(pair);
    if (!held || compareReviewStrength(strength(item), strength(held)) < 0) strongest.set(pair, item);
  }
  return [...strongest.values()];
}

const pairKey = (first: string, second: string) =>
  first < second ? `${first}\u0000${second}` : `${second}\u0000${first}`;

/** A review item an arriving record asks for, with the persons its two records belong to. */
export interface PersonPairReview extends ReviewItemInput {
  readonly leftPersonId: string;
  readonly rightPersonId: string;
}

/**
 * Keeps at most one open review item per pair of persons, the strongest (`compareReviewStrength`),
 * as the batch leaves the queue, counting the items already open. Of the items asked for, returns
 * only those to open: the strongest of its pair of persons, and stronger than every item open
 * between them (a new item on a pair of records already open is that item scored again: it keeps
 * its id). Every other open item between the persons of the items asked for, or of `persons` (two
 * persons a decision merged may each have had one with a third), is superseded, its note naming the
 * pair that asks the question now; `touched` names the persons on both sides of those (their
 * identity issues rested on them). Reads the open items after the persons' membership is written
 * (both sides' persons as they are now).
 */
export async function keepStrongestPerPersonPair(
  executor: SqlExecutor,
  asked: readonly PersonPairReview[],
  persons: Iterable<string> = [],
): Promise<{ open: ReviewItemInput[]; touched: Set<string> }> {
  const strongestAsked = new Map<string, PersonPairReview>();
  for (const item of asked) {
    const pair = pairKey(item.leftPersonId, item.rightPersonId);
    const held = strongestAsked.get(pair);
    if (!held || compareReviewStrength(item, held) < 0) strongestAsked.set(pair, item);
  }
  const concerned = new Set(persons);
  for (const item of strongestAsked.values()) {
    concerned.add(item.leftPersonId);
    concerned.add(item.rightPersonId);
  }
  const touched = new Set<string>();
  if (concerned.size === 0) return { open: [], touched };
  const openOfPair = new Map<string, { reviewId: string; persons: string[]; strength: ReviewStrength }[]>();
  for (const row of await findOpenReviewItemsOfPersons(executor, [...concerned])) {
    // An item inside one person is settled (`supersedeSettledReviews`), not a pair of persons. An
    // item asking an outdated must-link again asks about its own pair, whatever else is asked.
    if (
      row.leftPersonId === null ||
      row.rightPersonId === null ||
      row.leftPersonId === row.rightPersonId ||
      row.reason === MUST_LINK_OUTDATED_REASON
    )
      continue;
    const pair = pairKey(row.leftPersonId, row.rightPersonId);
    const list = openOfPair.get(pair);
    const entry = { reviewId: row.reviewId, persons: [row.leftPersonId, row.rightPersonId], strength: row };
    if (list) list.push(entry);
    else openOfPair.set(pair, [entry]);
  }
  const open: ReviewItemInput[] = [];
  const superseded: { reviewId: string; note: string }[] = [];
  for (const pair of new Set([...strongestAsked.keys(), ...openOfPair.keys()])) {
    const item = strongestAsked.get(pair);
    const held = openOfPair.get(pair) ?? [];
    // An open item on the same two records as the one asked for is that item, scored again.
    const itemRecords = item && pairKey(item.leftRecord, item.rightRecord);
    const others = held.filter(
      (entry) => pairKey(entry.strength.leftRecord, entry.strength.rightRecord) !== itemRecords,
    );
    let kept: ReviewStrength | undefined = item;
    for (const entry of others)
      if (kept === undefined || compareReviewStrength(entry.strength, kept) < 0) kept = entry.strength;
    if (kept === undefined) continue;
    if (item !== undefined && kept === item) open.push(item);
    const [left, right] = ordered(kept);
    for (const entry of held) {
      if (entry.strength === kept || (kept === item && !others.includes(entry))) continue;
      for (const personId of entry.persons) touched.add(personId);
      superseded.push({
        reviewId: entry.reviewId,
        note: `a stronger pair of the same two persons (${left} and ${right}) is in review: one item per pair of persons`,
      });
    }
  }
  await supersedeReviewItems(executor, superseded);
  return { open, touched };
}
