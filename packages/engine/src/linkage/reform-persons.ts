import {
  assignStableIds,
  clusterRecords,
  conflictingSchemes,
  type HumanDecision,
  type ScoredEdge,
  type StrongIdentifier,
} from "@passage/linkage";
import {
  assignMembers,
  findAutoLinkPartners,
  findDecisionsTouching,
  findEntitiesOfPersons,
  findEntitiesOfPersonsHolding,
  findPairsAmong,
  insertPersons,
  type MemberValues,
  openReviewItems,
  type PersonRetirement,
  retirePersons,
  type SqlExecutor,
  supersedeSettledReviews,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { type KeptApartRecord, keptApartOf } from "./kept-apart.ts";
import { honouredDecisions } from "./outdated-must-links.ts";
import { mintPersonId } from "./person-ids.ts";
import { keepStrongestPerPersonPair, strongestPerClusterPair } from "./person-pair-reviews.ts";
import { supersedeSeparatedReviews } from "./separated-reviews.ts";

/** What re-forming persons changed. */
export interface ReformChanges {
  readonly touched: Set<string>;
  readonly retired: PersonRetirement[];
  /** Records that moved to another person. */
  readonly moved: number;
  /** With `merging`: the records of the two persons left outside the merged one, and why. */
  readonly keptApart: KeptApartRecord[];
}

export interface ReformOptions {
  readonly mint?: () => string;
  /** Two records a must-link just joined: report the records of their persons kept apart from them. */
  readonly merging?: readonly [string, string];
  /**
   * A record being taken out of its person (an unlink): ids carry over as if it had never been a
   * member, so its person's id stays with the records that remain (with most of them).
   */
  readonly leaving?: string;
}

/**
 * Re-forms these persons from what linkage holds about their records, as the batch would: the
 * persons are widened to everything an auto-link pair reaches from them (a record set free may
 * join a neighbour, as it does in the batch; records no auto-link reaches cluster alike whatever
 * else is clustered with them), and clustered from the stored auto-link and review pairs and every
 * current human decision with the batch's rules (must-links joined first and never split,
 * cannot-links never violated, conflicting strong identifiers kept apart, ties by record id).
 * Person ids carry over by overlap (`assignStableIds`); a person whose records all went elsewhere
 * retires, naming where most of them went. Used after a decision, an unlink or a correction; runs
 * in the caller's transaction under the linkage lock.
 */
export async function reformPersons(
  executor: SqlExecutor,
  model: ActiveModel,
  personIds: readonly string[],
  options: ReformOptions = {},
): Promise<ReformChanges> {
  const changes: ReformChanges = { touched: new Set(personIds), retired: [], moved: 0, keptApart: [] };
  const entities = await reachableEntities(executor, personIds);
  if (entities.length === 0) return changes;
  const keys = entities.map((entity) => `${entity.feed}:${entity.keyValue}`);
  const indexOfEntity = new Map(entities.map((entity, index) => [entity.entityId, index]));
  const indexOfKey = new Map(keys.map((key, index) => [key, index]));
  const edges: ScoredEdge[] = (await findPairsAmong(executor, [...indexOfEntity.keys()])).map((pair) => ({
    left: indexOfEntity.get(pair.leftEntity)!,
    right: indexOfEntity.get(pair.rightEntity)!,
    weight: pair.matchWeight,
    probability: pair.matchProbability,
    band: pair.band,
    reason: (pair.reason ?? undefined) as ScoredEdge["reason"],
  }));
  const decisions: HumanDecision[] = honouredDecisions(await findDecisionsTouching(executor, keys))
    .filter((row) => indexOfKey.has(row.leftRecord) && indexOfKey.has(row.rightRecord))
    .map((row) => ({
      leftId: row.leftRecord,
      rightId: row.rightRecord,
      decision: row.decision,
      placedRecordId: row.placedRecord ?? undefined,
    }));
  const plan = model.compiled.plan;
  const identifiers: StrongIdentifier[][] = entities.map((entity, index) =>
    model.compiled.strongIdentifiers(plan.prepare({ id: keys[index]!, values: entity.personValues })),
  );
  const clustering = clusterRecords({
    recordIds: keys,
    edges,
    decisions,
    strongIdentifiers: (index) => identifiers[index]!,
  });
  const previous = new Map<string, string[]>();
  entities.forEach((entity, index) => {
    if (keys[index] === options.leaving) return;
    const list = previous.get(entity.personId);
    if (list) list.push(keys[index]!);
    else previous.set(entity.personId, [keys[index]!]);
  });
  const next = clustering.clusters.map((members) => members.map((index) => keys[index]!));
  const assignment = assignStableIds(previous, next, options.mint ?? mintPersonId);
  const moves: { feed: string; keyValue: string; personId: string }[] = [];
  const created: string[] = [];
  clustering.clusters.forEach((members, cluster) => {
    const personId = assignment.ids[cluster]!;
    if (!previous.has(personId)) created.push(personId);
    for (const index of members) {
      const entity = entities[index]!;
      if (entity.personId === personId) continue;
      moves.push({ feed: entity.feed, keyValue: entity.keyValue, personId });
      // Both the person it left and the one it joined changed; a neighbour nothing moved in or
      // out of is left as it was.
      changes.touched.add(entity.personId);
      changes.touched.add(personId);
    }
  });
  for (const retiredId of assignment.retired) {
    const formerMembers = new Set(previous.get(retiredId));
    const landed = new Map<string, number>();
    clustering.clusters.forEach((members, cluster) => {
      const count = members.filter((index) => formerMembers.has(keys[index]!)).length;
      if (count > 0) landed.set(assignment.ids[cluster]!, count);
    });
    const successor = [...landed].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    changes.retired.push({
      personId: retiredId,
      successorPersonId: successor,
      reason: "its records were re-formed",
    });
  }
  await insertPersons(executor, created);
  await assignMembers(executor, moves);
  await retirePersons(executor, changes.retired);
  // One item per pair of persons (its strongest pair), as the batch and the incremental path keep
  // it, counting the items already open between the same persons.
  const strongest = strongestPerClusterPair(clustering.review, clustering.clusterOf, keys);
  const personOfIndex = (index: number) => assignment.ids[clustering.clusterOf[index]!]!;
  const queue = await keepStrongestPerPersonPair(
    executor,
    strongest.map((item) => {
      const clusterIdentifiers = (index: number) =>
        clustering.clusters[clustering.clusterOf[index]!]!.flatMap((member) => identifiers[member]!);
      const left = clusterIdentifiers(item.left);
      const right = clusterIdentifiers(item.right);
      return {
        leftRecord: keys[item.left]!,
        rightRecord: keys[item.right]!,
        leftPersonId: personOfIndex(item.left),
        rightPersonId: personOfIndex(item.right),
        reason: item.reason,
        conflictingIdentifiers:
          item.reason === "conflicting_identifiers" ? conflictingSchemes(left, right) : [],
        matchWeight: item.weight,
        matchProbability: item.probability,
        modelVersion: model.version,
      };
    }),
    changes.touched,
  );
  await openReviewItems(executor, queue.open);
  for (const personId of queue.touched) changes.touched.add(personId);
  // A person that changed may now be asked about with a neighbour that did not: the neighbour's
  // identity issues rest on that item too.
  for (const item of strongest) {
    const sides = [item.left, item.right].map((index) => assignment.ids[clustering.clusterOf[index]!]!);
    if (sides.some((personId) => changes.touched.has(personId)))
      for (const personId of sides) changes.touched.add(personId);
  }
  await supersedeSettledReviews(executor, keys);
  for (const retired of changes.retired) changes.touched.delete(retired.personId);
  for (const personId of await supersedeSeparatedReviews(executor, changes.touched))
    changes.touched.add(personId);
  const merging = options.merging?.map((key) => indexOfKey.get(key));
  if (merging?.[0] !== undefined && merging[1] !== undefined) {
    const mergedPersons = new Set(merging.map((index) => entities[index!]!.personId));
    changes.keptApart.push(
      ...keptApartOf({
        keys,
        clusters: clustering.clusters,
        clusterOf: clustering.clusterOf,
        personIds: assignment.ids,
        identifiers,
        cannotLinks: decisions
          .filter((decision) => decision.decision === "cannot_link")
          .map((decision) => [indexOfKey.get(decision.leftId)!, indexOfKey.get(decision.rightId)!] as const),
        merged: clustering.clusterOf[merging[0]]!,
        former: entities.flatMap((entity, index) => (mergedPersons.has(entity.personId) ? [index] : [])),
      }),
    );
  }
  return { ...changes, moved: moves.length };
}

/**
 * The indexed records of these persons and of every person an auto-link pair reaches from them,
 * transitively: all the records whose clustering a change to these persons can alter.
 */
async function reachableEntities(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<MemberValues[]> {
  const entities: MemberValues[] = await findEntitiesOfPersons(executor, personIds);
  const held = new Set(entities.map((entity) => entity.entityId));
  let frontier = [...held];
  while (frontier.length > 0) {
    const partners = await findAutoLinkPartners(executor, frontier);
    frontier = [];
    for (const entity of await findEntitiesOfPersonsHolding(
      executor,
      partners.filter((id) => !held.has(id)),
    )) {
      if (held.has(entity.entityId)) continue;
      held.add(entity.entityId);
      entities.push(entity);
      frontier.push(entity.entityId);
    }
  }
  return entities;
}
