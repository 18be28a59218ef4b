import type { ComparisonPlan } from "@passage/linkage";
import {
  deleteBlocks,
  deletePairsOfEntities,
  type EntityKey,
  findDecisionsTouching,
  findEntitiesOfPersons,
  findIndexedEntities,
  findLatestRowsOfEntities,
  findMembersOfPersons,
  findPersonsReviewedWith,
  insertDecisions,
  type LatestEntityRow,
  type LinkageCitation,
  markMustLinksOutdated,
  type NewLinkageDecision,
  type PersonRetirement,
  removeMembers,
  type SqlExecutor,
  supersedeReviewsOf,
  updateEntityCitations,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { blockKeysOf } from "./block-keys.ts";
import { canonicalValues, entityOfRows, isPersonFeed, splitEntityKey } from "./entity-records.ts";
import { type Arrival, type ArrivalDecision, linkArrivals } from "./link-arrivals.ts";
import {
  type ComparedRecord,
  honouredDecisions,
  mustLinksOutdatedBy,
  openOutdatedMustLinkReviews,
} from "./outdated-must-links.ts";
import { mintPersonId } from "./person-ids.ts";
import { DecisionComponents, placementOf } from "./placements.ts";
import { reformPersons } from "./reform-persons.ts";

/** The actor recorded on decisions linkage takes by itself (placements it adopts). */
export const LINKAGE_ACTOR = "system:linkage";

/** What linking a set of records changed. */
export interface RecordLinkChanges {
  /** Persons whose membership or identity neighbourhood changed (records linked). */
  readonly linked: Set<string>;
  /** Persons whose records changed without a change of membership (a new version). */
  readonly recordChanged: Set<string>;
  /**
   * Persons whose identity issues must be recomputed: all of the above except persons that only
   * gained new records with no review item (see `LinkChanges.identityTouched`).
   */
  readonly identityChanged: Set<string>;
  readonly retired: PersonRetirement[];
  readonly decisions: ArrivalDecision[];
}

/**
 * Links records (linkage units) as they arrive or change: a new record is linked against the
 * index; a new version whose compared fields are unchanged only moves its citations; one whose
 * compared fields changed leaves its person (which re-forms without it) and is linked again; a
 * record that someone placed in a person outside linkage (a redress correction, a data load) is
 * adopted: indexed where it is, with a must-link to its person's other records (naming it as the
 * placed record: its auto-links join no persons on any path) so that every later run keeps it
 * there. Runs in the caller's transaction under the linkage lock.
 */
export async function linkRecords(
  executor: SqlExecutor,
  model: ActiveModel,
  keys: readonly EntityKey[],
  mint: () => string = mintPersonId,
): Promise<RecordLinkChanges> {
  const changes: RecordLinkChanges = {
    linked: new Set(),
    recordChanged: new Set(),
    identityChanged: new Set(),
    retired: [],
    decisions: [],
  };
  const unique = [
    ...new Map(
      keys.filter((key) => isPersonFeed(key.feed)).map((key) => [`${key.feed}:${key.keyValue}`, key]),
    ).values(),
  ];
  if (unique.length === 0) return changes;
  const [indexed, latestRows] = await Promise.all([
    findIndexedEntities(executor, unique),
    findLatestRowsOfEntities(executor, unique),
  ]);
  const arrivals: Arrival[] = [];
  const citationUpdates: { entityId: number; citations: Arrival["entity"]["citations"] }[] = [];
  const detached: { entityId: number; blocks: number[]; key: string }[] = [];
  const changedRecords = new Map<string, ComparedRecord>();
  const leaving: EntityKey[] = [];
  const reform = new Set<string>();
  const placements: NewLinkageDecision[] = [];
  const anchors = new Map<string, string>();
  const placedPersons = [
    ...new Set(
      indexed
        .filter((entity) => entity.entityId === undefined && entity.personId !== undefined)
        .map((entity) => entity.personId!),
    ),
  ];
  for (const anchor of await findEntitiesOfPersons(executor, placedPersons)) {
    if (!anchors.has(anchor.personId)) anchors.set(anchor.personId, `${anchor.feed}:${anchor.keyValue}`);
  }
  const correctedPersons = [
    ...new Set(
      indexed
        .filter((entity) => entity.entityId !== undefined && entity.personId !== undefined)
        .map((entity) => entity.personId!),
    ),
  ];
  const membersOfCorrected = await findMembersOfPersons(executor, correctedPersons);
  const redressedInPerson: { key: string; personId: string; mates: string[] }[] = [];

  for (const entity of indexed) {
    const rows = latestRows.get(`${entity.feed}:${entity.keyValue}`);
    if (!rows) continue;
    const snapshot = entityOfRows(rows);
    if (entity.entityId !== undefined) {
      if (canonicalValues(snapshot.record.values) === canonicalValues(entity.personValues ?? {})) {
        citationUpdates.push({ entityId: entity.entityId, citations: snapshot.citations });
        if (entity.personId !== undefined) changes.recordChanged.add(entity.personId);
        continue;
      }
      // A correction a redress resolution wrote (every version new since linkage indexed the record
      // is `redress`) is the steward's: they decided, again, that the record is their person's. It
      // outdates no must-link (its placement holds it where it is); only a source correction does.
      const redressed = correctedByRedressOnly(rows, entity.citations);
      if (!redressed) {
        changedRecords.set(snapshot.key, {
          values: snapshot.record.values,
          indexedValues: entity.personValues,
          citations: snapshot.citations,
        });
      }
      const old = model.compiled.plan.prepare({ id: snapshot.key, values: entity.personValues ?? {} });
      detached.push({
        entityId: entity.entityId,
        blocks: blockKeysOf(model.rules, old).map((key) => key.block),
        key: snapshot.key,
      });
      let currentPersonId: string | undefined;
      if (entity.personId !== undefined) {
        const mates = (membersOfCorrected.get(entity.personId) ?? []).filter(
          (member) => member !== snapshot.key,
        );
        if (mates.length > 0) {
          leaving.push({ feed: entity.feed, keyValue: entity.keyValue });
          reform.add(entity.personId);
          if (redressed) redressedInPerson.push({ key: snapshot.key, personId: entity.personId, mates });
        } else currentPersonId = entity.personId;
      }
      arrivals.push({ entity: snapshot, entityId: entity.entityId, currentPersonId });
      continue;
    }
    if (entity.personId !== undefined) {
      const anchor = anchors.get(entity.personId);
      if (anchor === undefined) anchors.set(entity.personId, snapshot.key);
      else {
        placements.push({
          leftRecord: anchor,
          rightRecord: snapshot.key,
          decision: "must_link",
          source: "placement",
          placedRecord: snapshot.key,
          decidedBy: LINKAGE_ACTOR,
          reason: `placed in person ${entity.personId} outside linkage (a redress correction or a data load)`,
        });
      }
      arrivals.push({ entity: snapshot, currentPersonId: entity.personId });
      continue;
    }
    arrivals.push({ entity: snapshot });
  }

  // Records linked again have their open review items superseded: the persons on the other side
  // lose the identity issues resting on them. (A record whose citations alone change is cited only
  // by its own person's issues, recomputed as recordChanged: an issue cites its own side.)
  for (const personId of await findPersonsReviewedWith(
    executor,
    detached.map((entity) => entity.key),
  ))
    changes.identityChanged.add(personId);
  await updateEntityCitations(executor, citationUpdates);
  if (detached.length > 0) {
    await deleteBlocks(executor, {
      entityIds: detached.flatMap((entity) => entity.blocks.map(() => entity.entityId)),
      blocks: detached.flatMap((entity) => entity.blocks),
    });
    await deletePairsOfEntities(
      executor,
      detached.map((entity) => entity.entityId),
    );
    await supersedeReviewsOf(
      executor,
      detached.map((entity) => entity.key),
      "the record changed and was linked again",
    );
  }
  // Before anything is linked again: an outdated must-link no longer joins its pair on any path.
  for (const personId of await markOutdatedMustLinks(executor, changedRecords, model.compiled.plan)) {
    changes.linked.add(personId);
    changes.identityChanged.add(personId);
  }
  // A record a redress correction changed stays in the steward's person: held by its placement or
  // another honoured must-link to a record of the person, else placed there now.
  placements.push(...(await redressPlacements(executor, redressedInPerson)));
  await removeMembers(executor, leaving);
  await insertDecisions(executor, placements);
  for (const personId of reform) {
    const reformed = await reformPersons(executor, model, [personId], { mint });
    for (const id of reformed.touched) {
      changes.linked.add(id);
      changes.identityChanged.add(id);
    }
    changes.retired.push(...reformed.retired);
  }
  const linked = await linkArrivals(executor, model, arrivals, mint);
  for (const id of linked.touched) changes.linked.add(id);
  for (const id of linked.identityTouched) changes.identityChanged.add(id);
  // The outdated must-links of the records linked again are asked in review (their items were
  // superseded above with the records' others): the re-decision goes through `review decide`.
  for (const id of await openOutdatedMustLinkReviews(
    executor,
    model,
    detached.map((entity) => entity.key),
  )) {
    changes.linked.add(id);
    changes.identityChanged.add(id);
  }
  for (const id of changes.recordChanged) changes.identityChanged.add(id);
  changes.retired.push(...linked.retired);
  changes.decisions.push(...linked.decisions);
  for (const retired of changes.retired) {
    changes.linked.delete(retired.personId);
    changes.recordChanged.delete(retired.personId);
    changes.identityChanged.delete(retired.personId);
  }
  for (const id of changes.linked) changes.recordChanged.delete(id);
  return changes;
}

/**
 * Marks outdated the must-links naming a record whose compared values changed (the decision judged
 * its former content) and returns the persons holding the other records of the pairs newly marked:
 * they are gated now, so they re-derive. The changed records' own persons re-form anyway.
 */
async function markOutdatedMustLinks(
  executor: SqlExecutor,
  changedRecords: ReadonlyMap<string, ComparedRecord>,
  plan: ComparisonPlan,
): Promise<string[]> {
  if (changedRecords.size === 0) return [];
  const decisions = await findDecisionsTouching(executor, [...changedRecords.keys()]);
  const outdated = mustLinksOutdatedBy(decisions, (key) => changedRecords.get(key), plan);
  const marked = new Set(await markMustLinksOutdated(executor, outdated, "incremental"));
  const others = decisions
    .filter((row) => marked.has(row.decisionId))
    .flatMap((row) => [row.leftRecord, row.rightRecord])
    .filter((key) => !changedRecords.has(key));
  if (others.length === 0) return [];
  return [
    ...new Set(
      (await findIndexedEntities(executor, others.map(splitEntityKey))).flatMap(
        (entity) => entity.personId ?? [],
      ),
    ),
  ];
}

/**
 * Whether every row version of the record that linkage has not indexed yet was written by a redress
 * resolution (`source_kind = 'redress'`): the change is the steward's, not the source's.
 */
function correctedByRedressOnly(
  rows: readonly LatestEntityRow[],
  indexed: readonly LinkageCitation[] | undefined,
): boolean {
  const indexedVersions = new Map((indexed ?? []).map((citation) => [citation.recordKey, citation.version]));
  const changed = rows.filter((row) => indexedVersions.get(row.recordKey) !== row.version);
  return changed.length > 0 && changed.every((row) => row.sourceKind === "redress");
}

/**
 * Placements for records a redress correction changed that no honoured must-link holds to another
 * record of their person: the steward corrected them as their person's, so they stay there.
 */
async function redressPlacements(
  executor: SqlExecutor,
  records: readonly { key: string; personId: string; mates: string[] }[],
): Promise<NewLinkageDecision[]> {
  if (records.length === 0) return [];
  const decisions = honouredDecisions(
    await findDecisionsTouching(executor, [
      ...new Set(records.flatMap((record) => [record.key, ...record.mates])),
    ]),
  );
  const components = new DecisionComponents(decisions);
  const placements: NewLinkageDecision[] = [];
  for (const { key, personId, mates } of records) {
    const mateSet = new Set(mates);
    const held = decisions.some(
      (row) =>
        row.decision === "must_link" &&
        ((row.leftRecord === key && mateSet.has(row.rightRecord)) ||
          (row.rightRecord === key && mateSet.has(row.leftRecord))),
    );
    if (held) continue;
    const anchor = [...mates].sort()[0]!;
    // A placement that would contradict a cannot-link is left out, as the batch leaves it
    // (`consistentPlacements`): the human decision wins, and the record is linked on its merits.
    if (!components.tryJoin(anchor, key)) continue;
    placements.push(placementOf(anchor, key, `corrected in person ${personId} by a redress resolution`));
  }
  return placements;
}
