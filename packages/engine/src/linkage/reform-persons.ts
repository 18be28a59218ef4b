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
  findDecisionsTouching,
  findEntitiesOfPersons,
  findPairsAmong,
  insertPersons,
  openReviewItems,
  type PersonRetirement,
  retirePersons,
  type SqlExecutor,
  supersedeSettledReviews,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { mintPersonId } from "./person-ids.ts";

/** What re-forming persons changed. */
export interface ReformChanges {
  readonly touched: Set<string>;
  readonly retired: PersonRetirement[];
  /** Records that moved to another person. */
  readonly moved: number;
}

/**
 * Re-forms these persons from what linkage holds about their records: the stored auto-link and
 * review pairs among them and every current human decision, clustered with the batch's rules
 * (must-links joined first and never split, cannot-links never violated, conflicting strong
 * identifiers kept apart). Person ids carry over by overlap (`assignStableIds`); a person whose
 * records all went elsewhere retires, naming where most of them went. Used after a decision, an
 * unlink or a correction; runs in the caller's transaction under the linkage lock.
 */
export async function reformPersons(
  executor: SqlExecutor,
  model: ActiveModel,
  personIds: readonly string[],
  mint: () => string = mintPersonId,
): Promise<ReformChanges> {
  const changes: ReformChanges = { touched: new Set(personIds), retired: [], moved: 0 };
  const entities = await findEntitiesOfPersons(executor, personIds);
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
  const decisions: HumanDecision[] = (await findDecisionsTouching(executor, keys))
    .filter((row) => indexOfKey.has(row.leftRecord) && indexOfKey.has(row.rightRecord))
    .map((row) => ({ leftId: row.leftRecord, rightId: row.rightRecord, decision: row.decision }));
  const plan = model.compiled.plan;
  const identifiers: StrongIdentifier[][] = entities.map((entity) =>
    model.compiled.strongIdentifiers(
      plan.prepare({ id: keys[indexOfEntity.get(entity.entityId)!]!, values: entity.personValues }),
    ),
  );
  const clustering = clusterRecords({
    recordIds: keys,
    edges,
    decisions,
    strongIdentifiers: (index) => identifiers[index]!,
  });
  const previous = new Map<string, string[]>();
  entities.forEach((entity, index) => {
    const list = previous.get(entity.personId);
    if (list) list.push(keys[index]!);
    else previous.set(entity.personId, [keys[index]!]);
  });
  const next = clustering.clusters.map((members) => members.map((index) => keys[index]!));
  const assignment = assignStableIds(previous, next, mint);
  const moves: { feed: string; keyValue: string; personId: string }[] = [];
  const created: string[] = [];
  clustering.clusters.forEach((members, cluster) => {
    const personId = assignment.ids[cluster]!;
    if (!previous.has(personId)) created.push(personId);
    changes.touched.add(personId);
    for (const index of members) {
      const entity = entities[index]!;
      if (entity.personId !== personId)
        moves.push({ feed: entity.feed, keyValue: entity.keyValue, personId });
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
    changes.touched.delete(retiredId);
  }
  await insertPersons(executor, created);
  await assignMembers(executor, moves);
  await retirePersons(executor, changes.retired);
  // One item per pair of persons (its strongest pair), as the batch and the incremental path keep it.
  const strongest = new Map<string, (typeof clustering.review)[number]>();
  for (const item of clustering.review) {
    const a = clustering.clusterOf[item.left]!;
    const b = clustering.clusterOf[item.right]!;
    const pair = a < b ? `${a}:${b}` : `${b}:${a}`;
    const held = strongest.get(pair);
    if (!held || item.weight > held.weight) strongest.set(pair, item);
  }
  await openReviewItems(
    executor,
    [...strongest.values()].map((item) => {
      const clusterIdentifiers = (index: number) =>
        clustering.clusters[clustering.clusterOf[index]!]!.flatMap((member) => identifiers[member]!);
      const left = clusterIdentifiers(item.left);
      const right = clusterIdentifiers(item.right);
      return {
        leftRecord: keys[item.left]!,
        rightRecord: keys[item.right]!,
        reason: item.reason,
        conflictingIdentifiers:
          item.reason === "conflicting_identifiers" ? conflictingSchemes(left, right) : [],
        matchWeight: item.weight,
        matchProbability: item.probability,
        modelVersion: model.version,
      };
    }),
  );
  await supersedeSettledReviews(executor, keys);
  return { ...changes, moved: moves.length };
}
