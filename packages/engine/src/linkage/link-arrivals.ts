import {
  type ComparisonPlan,
  type CompiledBlockingRule,
  conflictingSchemes,
  decideIncrementalLink,
  type IncrementalCandidate,
  type IncrementalDecisionInput,
  type PreparedRecord,
  type ScoredCandidate,
  type StrongIdentifier,
} from "@passage/linkage";
import {
  allocateEntityIds,
  assignMembers,
  findBlockMembers,
  findDecisionsTouching,
  findEntityTextsOfPersonsHolding,
  findMembersOfPersons,
  findPersonsOfEntities,
  findPlacedRecords,
  insertBlocks,
  insertPersons,
  openReviewItems,
  type PersonRetirement,
  replaceSearchTerms,
  retirePersons,
  type SqlExecutor,
  type StoredPair,
  upsertLinkageEntities,
  upsertPairs,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { type BlockKey, blockKeysOf } from "./block-keys.ts";
import { type EntitySnapshot, splitEntityKey } from "./entity-records.ts";
import { honouredDecisions } from "./outdated-must-links.ts";
import { mintPersonId } from "./person-ids.ts";
import {
  compareReviewStrength,
  keepStrongestPerPersonPair,
  type PersonPairReview,
} from "./person-pair-reviews.ts";
import { searchTermsOf } from "./search-terms.ts";

/** A record to link against everything linkage holds (it must not be in the blocking index). */
export interface Arrival {
  readonly entity: EntitySnapshot;
  /** Its entity id when linkage indexed it before (a corrected or unlinked record linked again). */
  readonly entityId?: number | undefined;
  /**
   * The person it belongs to now, kept unless it attaches elsewhere: a record placed in a person
   * outside linkage, or one alone in its person.
   */
  readonly currentPersonId?: string | undefined;
}

/** What happened to one arrival. */
export interface ArrivalDecision {
  readonly record: string;
  readonly entityId: number;
  readonly action: "attach" | "create" | "review";
  readonly personId: string;
  readonly reason: string | undefined;
  readonly scored: readonly ScoredCandidate[];
}

/** The persons a set of arrivals changed, for identity issues and PersonsChanged. */
export interface LinkChanges {
  readonly touched: Set<string>;
  /**
   * The touched persons whose identity issues may have changed: every one except those that only
   * gained new records with no review item (the common case, e.g. a departure record attaching).
   * A person's issues come from the open review items touching its records, so a new record
   * without one leaves them as they were.
   */
  readonly identityTouched: Set<string>;
  readonly retired: PersonRetirement[];
  readonly decisions: ArrivalDecision[];
}

interface KnownEntity {
  readonly key: string;
  /** Its values: an arrival's, or a stored entity's as their stored JSON text. */
  readonly values: Readonly<Record<string, string | undefined>> | string;
  personId: string | undefined;
  prepared?: PreparedRecord;
  identifiers?: readonly StrongIdentifier[];
}

/** What a comparison plan prepared from one stored values text, and its strong identifiers. */
interface PreparedValues {
  readonly values: readonly unknown[];
  identifiers?: readonly StrongIdentifier[];
}

/**
 * Stored entities' prepared values by their values text, per plan, kept from batch to batch: the
 * same stored records are candidates again and again (a batch of 1,900 departures reads about
 * 19,000 entities, a fifth of a 20k-person index), and each was parsed and prepared anew. Equal
 * texts are equal values (jsonb prints one way), and preparation reads only the values, so what
 * is kept is what preparing again would give. Bounded as the comparators' own caches are.
 */
const preparedByText = new WeakMap<ComparisonPlan, Map<string, PreparedValues>>();
const PREPARED_TEXTS_LIMIT = 200_000;

function preparedTextsOf(plan: ComparisonPlan): Map<string, PreparedValues> {
  let texts = preparedByText.get(plan);
  if (texts === undefined) {
    texts = new Map();
    preparedByText.set(plan, texts);
  }
  return texts;
}

/**
 * Links new (or re-linked) records incrementally, set-based: one round of reads for all of them
 * (blocking-key members, the candidates' persons and their records, decisions), then each
 * record decided in order by `decideIncrementalLink` against the database and the records
 * decided before it, then one round of writes. Runs in the caller's transaction, which holds the
 * linkage lock. Merging two existing persons is never automatic here: it goes to review.
 */
export async function linkArrivals(
  executor: SqlExecutor,
  model: ActiveModel,
  arrivals: readonly Arrival[],
  mint: () => string = mintPersonId,
): Promise<LinkChanges> {
  const changes: LinkChanges = { touched: new Set(), identityTouched: new Set(), retired: [], decisions: [] };
  if (arrivals.length === 0) return changes;
  const plan = model.compiled.plan;
  const fresh = await allocateEntityIds(
    executor,
    arrivals.filter((arrival) => arrival.entityId === undefined).length,
  );
  let nextFresh = 0;
  const items = arrivals.map((arrival) => {
    const entityId = arrival.entityId ?? fresh[nextFresh++]!;
    const prepared = plan.prepare({ id: arrival.entity.key, values: arrival.entity.record.values });
    return { arrival, entityId, prepared, blocks: blockKeysOf(model.rules, prepared) };
  });
  const arrivalIds = new Set(items.map((item) => item.entityId));

  const indexedArrivals = arrivals.filter((arrival) => arrival.entityId !== undefined).length;
  const blockMembers = await readBlockMembers(executor, model.rules, items, arrivalIds, indexedArrivals);
  // A rule with a cap of its own (a safety-net rule) compares only its smaller blocks.
  const capOfBlock = new Map<number, number>();
  for (const item of items)
    for (const key of item.blocks) capOfBlock.set(key.block, model.rules[key.rule]!.blockSizeCap);
  const candidateIds = new Set<number>();
  for (const [block, members] of blockMembers)
    if (members.length < capOfBlock.get(block)!) for (const id of members) candidateIds.add(id);

  const known = new Map<number, KnownEntity>();
  const membersOf = new Map<string, Set<number>>();
  const idOfKey = new Map<string, number>();
  const join = (personId: string, entityId: number) => {
    const set = membersOf.get(personId);
    if (set) set.add(entityId);
    else membersOf.set(personId, new Set([entityId]));
  };
  for (const entity of await findEntityTextsOfPersonsHolding(executor, [...candidateIds])) {
    const key = `${entity.feed}:${entity.keyValue}`;
    known.set(entity.entityId, { key, values: entity.personValuesText, personId: entity.personId });
    idOfKey.set(key, entity.entityId);
    join(entity.personId, entity.entityId);
  }
  for (const item of items) {
    known.set(item.entityId, {
      key: item.arrival.entity.key,
      values: item.arrival.entity.record.values,
      personId: undefined,
      prepared: item.prepared,
    });
    idOfKey.set(item.arrival.entity.key, item.entityId);
  }
  const texts = preparedTextsOf(plan);
  const preparedOfText = (text: string): PreparedValues => {
    let found = texts.get(text);
    if (found === undefined) {
      if (texts.size >= PREPARED_TEXTS_LIMIT) texts.clear();
      found = { values: plan.prepare({ id: "", values: JSON.parse(text) }).values };
      texts.set(text, found);
    }
    return found;
  };
  const prepared = (entityId: number): PreparedRecord => {
    const entity = known.get(entityId)!;
    if (entity.prepared === undefined) {
      const { key, values } = entity;
      entity.prepared =
        typeof values === "string"
          ? { id: key, source: 0, values: preparedOfText(values).values }
          : plan.prepare({ id: key, values });
    }
    return entity.prepared;
  };
  const identifiers = (entityId: number): readonly StrongIdentifier[] => {
    const entity = known.get(entityId)!;
    if (entity.identifiers === undefined) {
      if (typeof entity.values === "string") {
        const found = preparedOfText(entity.values);
        found.identifiers ??= model.compiled.strongIdentifiers(prepared(entityId));
        entity.identifiers = found.identifiers;
      } else entity.identifiers = model.compiled.strongIdentifiers(prepared(entityId));
    }
    return entity.identifiers;
  };

  const decisionRows = honouredDecisions(
    await findDecisionsTouching(
      executor,
      items.map((item) => item.arrival.entity.key),
    ),
  );
  const outsiders = [
    ...new Set(
      decisionRows.flatMap((row) => [row.leftRecord, row.rightRecord]).filter((key) => !idOfKey.has(key)),
    ),
  ];
  const outsiderPersons = await findPersonsOfEntities(executor, outsiders.map(splitEntityKey));
  const personOfKey = (key: string): string | undefined => {
    const entityId = idOfKey.get(key);
    return entityId === undefined ? outsiderPersons.get(key) : known.get(entityId)!.personId;
  };

  // Records a placement holds in their person: their auto-links join an arrival to no person, as
  // clustering holds them (the placement, not their content, says whose they are).
  // (An arrival may be one: a record placed in this batch is a candidate of the arrivals after it.)
  const placedRecords = await findPlacedRecords(executor, [
    ...[...candidateIds].flatMap((id) => known.get(id)?.key ?? []),
    ...items.map((item) => item.arrival.entity.key),
  ]);
  const currentPersons = [...new Set(items.flatMap((item) => item.arrival.currentPersonId ?? []))];
  const formerMembers = await findMembersOfPersons(executor, currentPersons);
  const localBlocks = new Map<number, number[]>();
  const newPersons = new Set<string>();
  const pairs: StoredPair[] = [];
  const reviews: PersonPairReview[] = [];

  for (const item of items) {
    const key = item.arrival.entity.key;
    const candidates = candidateIdsOf(
      item.blocks,
      blockMembers,
      localBlocks,
      model.rules,
      (rule, id) => rule.admitsPair?.(key, known.get(id)!.key) !== false,
    );
    const inputs: IncrementalCandidate[] = [];
    for (const candidate of candidates) {
      const personId = known.get(candidate)!.personId;
      if (personId === undefined) continue;
      inputs.push({
        record: prepared(candidate),
        clusterId: personId,
        placed: placedRecords.has(known.get(candidate)!.key),
      });
    }
    // Asked only for the persons an auto-link would join and for conflicting review items, so
    // the other records of a namesake's person are not prepared for nothing. The arrival joins
    // its person before its review items are written: it is left out, so the identifiers are
    // those its person held when it was decided.
    const held = new Map<string, StrongIdentifier[]>();
    const clusterIdentifiers = {
      get(personId: string): readonly StrongIdentifier[] | undefined {
        let found = held.get(personId);
        if (found === undefined && membersOf.has(personId)) {
          found = [];
          for (const member of membersOf.get(personId)!)
            if (member !== item.entityId) found.push(...identifiers(member));
          held.set(personId, found);
        }
        return found;
      },
    };
    const decisions: IncrementalDecisionInput[] = [];
    for (const row of decisionRows) {
      const other =
        row.leftRecord === key ? row.rightRecord : row.rightRecord === key ? row.leftRecord : undefined;
      if (other === undefined) continue;
      const otherPerson = personOfKey(other);
      if (otherPerson !== undefined)
        decisions.push({ otherRecordId: other, otherClusterId: otherPerson, decision: row.decision });
    }
    const result = decideIncrementalLink(model.compiled, {
      record: item.prepared,
      candidates: inputs,
      clusterIdentifiers,
      decisions,
    });
    let personId: string;
    if (result.action === "attach") personId = result.clusterId;
    else {
      personId = item.arrival.currentPersonId ?? mint();
      if (item.arrival.currentPersonId === undefined) newPersons.add(personId);
    }
    known.get(item.entityId)!.personId = personId;
    join(personId, item.entityId);
    for (const block of item.blocks) {
      const list = localBlocks.get(block.block);
      if (list) list.push(item.entityId);
      else localBlocks.set(block.block, [item.entityId]);
    }
    for (const scored of result.scored) {
      if (scored.band === "no_link") continue;
      const other = idOfKey.get(scored.recordId)!;
      pairs.push({
        leftEntity: Math.min(item.entityId, other),
        rightEntity: Math.max(item.entityId, other),
        matchWeight: scored.weight,
        matchProbability: scored.probability,
        band: scored.band,
        reason: scored.reason ?? null,
        modelVersion: model.version,
      });
    }
    reviews.push(
      ...reviewItemsOf(
        key,
        personId,
        result.review,
        clusterIdentifiers,
        // The identifiers of the person the record belongs to now, as the batch weighs a conflicting
        // pair's two clusters: a record joining a person conflicts with a third through its person's.
        () =>
          result.action === "attach"
            ? [...identifiers(item.entityId), ...(clusterIdentifiers.get(personId) ?? [])]
            : identifiers(item.entityId),
        model.version,
      ),
    );
    for (const reviewed of result.review) {
      changes.touched.add(reviewed.clusterId);
      changes.identityTouched.add(reviewed.clusterId);
    }
    changes.touched.add(personId);
    if (result.review.length > 0 || result.action !== "attach" || item.arrival.entityId !== undefined) {
      changes.identityTouched.add(personId);
    }
    changes.decisions.push({
      record: key,
      entityId: item.entityId,
      action: result.action,
      personId,
      reason: result.action === "review" ? result.reason : undefined,
      scored: result.scored,
    });
  }

  for (const personId of currentPersons) {
    changes.touched.add(personId);
    changes.identityTouched.add(personId);
    const remaining = new Set(formerMembers.get(personId) ?? []);
    for (const item of items) {
      if (item.arrival.currentPersonId === personId) remaining.delete(item.arrival.entity.key);
    }
    for (const item of items)
      if (known.get(item.entityId)!.personId === personId) remaining.add(item.arrival.entity.key);
    if (remaining.size === 0) {
      const successor = items.find((item) => item.arrival.currentPersonId === personId);
      changes.retired.push({
        personId,
        successorPersonId: successor ? (known.get(successor.entityId)!.personId ?? null) : null,
        reason: "its records joined another person",
      });
    }
  }
  for (const retired of changes.retired) {
    changes.touched.delete(retired.personId);
    changes.identityTouched.delete(retired.personId);
  }

  await upsertLinkageEntities(
    executor,
    items.map((item) => ({
      entityId: item.entityId,
      feed: item.arrival.entity.feed,
      keyValue: item.arrival.entity.keyValue,
      personValues: item.arrival.entity.record.values as Record<string, string>,
      citations: item.arrival.entity.citations,
    })),
  );
  await insertBlocks(executor, {
    entityIds: items.flatMap((item) => item.blocks.map(() => item.entityId)),
    blocks: items.flatMap((item) => item.blocks.map((key) => key.block)),
  });
  await upsertPairs(executor, pairs);
  await insertPersons(executor, [...newPersons]);
  await assignMembers(
    executor,
    items.map((item) => ({
      feed: item.arrival.entity.feed,
      keyValue: item.arrival.entity.keyValue,
      personId: known.get(item.entityId)!.personId!,
    })),
  );
  await retirePersons(executor, changes.retired);
  // One open item per pair of persons, counting those already open (as the batch keeps the queue):
  // a record joining a person already in review with another is asked about only if its pair is
  // the stronger, and then replaces the weaker item.
  const queue = await keepStrongestPerPersonPair(
    executor,
    await withoutSeparatedPersons(executor, reviews, (personId) =>
      // An arrival linked again was read under its former person too: it counts where it is now.
      [...(membersOf.get(personId) ?? [])]
        .map((entityId) => known.get(entityId)!)
        .filter((entity) => entity.personId === personId),
    ),
  );
  await openReviewItems(executor, queue.open);
  for (const personId of queue.touched) {
    changes.touched.add(personId);
    changes.identityTouched.add(personId);
  }
  await replaceSearchTerms(
    executor,
    items.map((item) =>
      searchTermsOf(
        item.entityId,
        item.arrival.entity.feed,
        item.arrival.entity.keyValue,
        item.arrival.entity.record.values as Record<string, string>,
      ),
    ),
    // Only a record linked again has terms to replace; a new entity id has none yet.
    items.flatMap((item) => (item.arrival.entityId === undefined ? [] : [item.entityId])),
  );
  return changes;
}

/**
 * The stored members of the arrivals' blocks that `candidateIdsOf` may look at, arrivals left out,
 * read depth by depth. A refinement's block holds only records of its rule's shallower block, and
 * is looked at only when that block, with the batch's arrivals in it, may be over the rule's cap:
 * reading it only then spares about a third of the block probes (a batch of 1,816 departures read
 * 13,584 blocks instead of 20,544, with the same candidates for every arrival), at the price of
 * one more statement in a batch that meets such a block.
 */
async function readBlockMembers(
  executor: SqlExecutor,
  rules: readonly CompiledBlockingRule[],
  items: readonly { readonly blocks: readonly BlockKey[] }[],
  arrivalIds: ReadonlySet<number>,
  indexedArrivals: number,
): Promise<Map<number, number[]>> {
  const arrivalsInBlock = new Map<number, number>();
  for (const item of items)
    for (const key of item.blocks) arrivalsInBlock.set(key.block, (arrivalsInBlock.get(key.block) ?? 0) + 1);
  const members = new Map<number, number[]>();
  // Whether the block may be over its rule's cap when an arrival is decided: its stored members,
  // the arrivals decided before (at most the others in the batch) and the arrival itself.
  const mayBeOverCap = (key: BlockKey) =>
    (members.get(key.block)?.length ?? 0) + arrivalsInBlock.get(key.block)! > rules[key.rule]!.blockSizeCap;
  for (let depth = 0; ; depth += 1) {
    // One more member than the block's rule's cap tells a block over it (a rule with a cap of its
    // own reads no more of a common name's block than that); arrivals indexed before are read
    // beyond it, as they are left out below.
    const limitOfBlock = new Map<number, number>();
    for (const { blocks } of items)
      for (let index = 0; index < blocks.length; index += 1) {
        const key = blocks[index]!;
        if (key.depth !== depth) continue;
        // blockKeysOf gives a rule's depths in order: the key before is this one's shallower block.
        if (depth > 0 && !mayBeOverCap(blocks[index - 1]!)) continue;
        const limit = rules[key.rule]!.blockSizeCap + 1 + indexedArrivals;
        if (limit > (limitOfBlock.get(key.block) ?? 0)) limitOfBlock.set(key.block, limit);
      }
    if (limitOfBlock.size === 0) return members;
    const found = await findBlockMembers(
      executor,
      [...limitOfBlock].map(([block, limit]) => ({ block, limit })),
    );
    // Only arrivals indexed before can be among the stored members (fresh ids are in no block yet).
    for (const [block, stored] of found)
      members.set(block, indexedArrivals === 0 ? stored : stored.filter((id) => !arrivalIds.has(id)));
  }
}

/**
 * The records sharing a block with the arrival under each rule, as the in-memory BlockingIndex
 * chooses them: the first refinement depth whose block (database members, earlier arrivals and
 * the arrival itself) stays within the rule's cap; a rule whose every depth is over it gives none.
 * A rule limited to pairs of record classes gives only the members it pairs with the arrival (`admits`).
 */
function candidateIdsOf(
  keys: readonly BlockKey[],
  blockMembers: ReadonlyMap<number, readonly number[]>,
  localBlocks: ReadonlyMap<number, readonly number[]>,
  rules: readonly CompiledBlockingRule[],
  admits: (rule: CompiledBlockingRule, id: number) => boolean,
): Set<number> {
  const found = new Set<number>();
  let rule = -1;
  let settled = false;
  for (const key of keys) {
    if (key.rule !== rule) {
      rule = key.rule;
      settled = false;
    }
    if (settled) continue;
    const stored = blockMembers.get(key.block) ?? [];
    const local = localBlocks.get(key.block) ?? [];
    if (stored.length + local.length === 0) {
      settled = true;
      continue;
    }
    const ownRule = rules[key.rule]!;
    if (stored.length + local.length + 1 > ownRule.blockSizeCap) continue;
    for (const id of stored) if (admits(ownRule, id)) found.add(id);
    for (const id of local) if (admits(ownRule, id)) found.add(id);
    settled = true;
  }
  return found;
}

/**
 * The review items whose two persons no cannot-link separates (a record of one cannot-linked to a
 * record of the other): clustering never offers a merge across one, so the batch asks none of them.
 * An arrival's own cannot-links already kept it from the persons they name (`decideIncrementalLink`);
 * a record that joined a person meets the other persons as that person, with its cannot-links: a
 * departure joining one of two persons a reviewer kept apart does not ask their question again.
 * `membersOf` gives a person's records as linked now (every record of a candidate's person is read).
 */
async function withoutSeparatedPersons(
  executor: SqlExecutor,
  reviews: readonly PersonPairReview[],
  membersOf: (personId: string) => readonly KnownEntity[],
): Promise<PersonPairReview[]> {
  // A record alone in its person is the arrival itself, whose decisions were honoured already.
  const joined = [...new Set(reviews.map((item) => item.leftPersonId))].filter(
    (personId) => membersOf(personId).length > 1,
  );
  if (joined.length === 0) return [...reviews];
  const personOfRecord = new Map<string, string>();
  for (const item of reviews)
    for (const personId of [item.leftPersonId, item.rightPersonId])
      for (const member of membersOf(personId)) personOfRecord.set(member.key, personId);
  const decisions = await findDecisionsTouching(
    executor,
    joined.flatMap((personId) => membersOf(personId).map((member) => member.key)),
  );
  const separated = new Set<string>();
  for (const decision of decisions) {
    if (decision.decision !== "cannot_link") continue;
    const left = personOfRecord.get(decision.leftRecord);
    const right = personOfRecord.get(decision.rightRecord);
    if (left !== undefined && right !== undefined && left !== right) separated.add(`${left}\u0000${right}`);
  }
  return reviews.filter(
    (item) =>
      !separated.has(`${item.leftPersonId}\u0000${item.rightPersonId}`) &&
      !separated.has(`${item.rightPersonId}\u0000${item.leftPersonId}`),
  );
}

/**
 * One review item per other person (its strongest pair, in the batch's order): a reviewer decides
 * whether the record belongs to that person once, not once per record of it. `personId` is the
 * person the record belongs to now; `keepStrongestPerPersonPair` then weighs the items against
 * those already open between the same persons.
 */
function reviewItemsOf(
  key: string,
  personId: string,
  review: readonly ScoredCandidate[],
  clusterIdentifiers: Pick<ReadonlyMap<string, readonly StrongIdentifier[]>, "get">,
  own: () => readonly StrongIdentifier[],
  modelVersion: number,
): PersonPairReview[] {
  const strength = (candidate: ScoredCandidate) => ({
    matchWeight: candidate.weight,
    leftRecord: key,
    rightRecord: candidate.recordId,
  });
  const strongest = new Map<string, ScoredCandidate>();
  for (const candidate of review) {
    const held = strongest.get(candidate.clusterId);
    if (!held || compareReviewStrength(strength(candidate), strength(held)) < 0)
      strongest.set(candidate.clusterId, candidate);
  }
  return [...strongest.values()].map((candidate) => {
    const reason =
      candidate.band === "auto_link"
        ? "joins_two_persons"
        : (candidate.reason ?? "below_auto_link_threshold");
    const held = clusterIdentifiers.get(candidate.clusterId) ?? [];
    const conflicting = reason === "conflicting_identifiers" ? conflictingSchemes(own(), held) : [];
    return {
      leftRecord: key,
      rightRecord: candidate.recordId,
      leftPersonId: personId,
      rightPersonId: candidate.clusterId,
      reason,
      conflictingIdentifiers: conflicting,
      matchWeight: candidate.weight,
      matchProbability: candidate.probability,
      modelVersion,
    };
  });
}
