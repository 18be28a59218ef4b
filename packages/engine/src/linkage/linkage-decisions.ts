import {
  type EntityKey,
  findDecisionsTouching,
  findIndexedEntities,
  findMembersOfPersons,
  findPersonsOfEntities,
  findStandingOutdatedMustLinks,
  insertDecisions,
  type LinkageDecisionKind,
  type LinkageDecisionSource,
  type PersonRetirement,
  type SqlExecutor,
  supersedeSettledReviews,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { splitEntityKey } from "./entity-records.ts";
import type { KeptApartRecord } from "./kept-apart.ts";
import { linkRecords } from "./link-records.ts";
import { LinkageServiceErrors } from "./linkage-errors.ts";
import { honouredDecisions } from "./outdated-must-links.ts";
import { DecisionComponents } from "./placements.ts";
import { reformPersons } from "./reform-persons.ts";
import { supersedeSeparatedReviews } from "./separated-reviews.ts";

/** What a human decision or an unlink changed. */
export interface DecisionChanges {
  readonly decisionIds: string[];
  readonly touched: Set<string>;
  readonly retired: PersonRetirement[];
  /** A must-link that merged two persons: their records re-forming kept apart, and why. */
  readonly keptApart: KeptApartRecord[];
}

/** A decision on a pair of records, as a reviewer or the person view takes it. */
export interface PairDecisionInput {
  readonly left: string;
  readonly right: string;
  readonly decision: LinkageDecisionKind;
  readonly source: LinkageDecisionSource;
  readonly reviewId?: string | null;
  readonly decidedBy: string;
  readonly reason: string;
}

/**
 * Records a must-link or cannot-link and re-forms the persons it concerns: a must-link between two
 * persons merges them; a cannot-link inside one person splits it (the clustering never lets the
 * pair share a person again). A merge honours the decision, and the records of either person the
 * clustering keeps out of the merged one (a strong identifier no reviewer confirmed, a cannot-link)
 * are named in `keptApart` with the reason (a conflicting identifier is asked about in review: the
 * person it leaves and the merged one are gated until a reviewer decides). A decision that contradicts
 * earlier ones (a must-link across a cannot-link, a cannot-link inside a chain of must-links) is
 * refused, naming the problem. The newest decision on the same pair replaces the older one. Review
 * items a cannot-link now separates are superseded. In the caller's transaction, under the linkage
 * lock.
 */
export async function applyPairDecision(
  executor: SqlExecutor,
  model: ActiveModel,
  input: PairDecisionInput,
): Promise<DecisionChanges> {
  if (input.left === input.right)
    throw LinkageServiceErrors.decisionInvalid.create(
      `left and right are the same record (${input.left}): a decision is about two records`,
    );
  const persons = await ensureIndexed(executor, model, [input.left, input.right]);
  const leftPerson = persons.get(input.left)!;
  const rightPerson = persons.get(input.right)!;
  const members = await findMembersOfPersons(executor, [...new Set([leftPerson, rightPerson])]);
  const memberKeys = [...members.values()].flat();
  // An outdated must-link joins nothing (`honouredDecisions`), so it neither conflicts nor chains.
  const others = honouredDecisions(await findDecisionsTouching(executor, memberKeys)).filter(
    (row) => !samePair(row.leftRecord, row.rightRecord, input.left, input.right),
  );
  const components = new DecisionComponents(others);
  if (input.decision === "must_link" && !components.tryJoin(input.left, input.right)) {
    throw LinkageServiceErrors.decisionConflict.create(
      input.left,
      input.right,
      "a cannot-link separates records that must-links join to them",
    );
  }
  if (input.decision === "cannot_link" && components.find(input.left) === components.find(input.right)) {
    throw LinkageServiceErrors.decisionConflict.create(
      input.left,
      input.right,
      "must-link decisions join them through other records; reverse one of those first",
    );
  }
  // Must-links outdated by a change of either record that nobody judged since: this decision may
  // judge them (the pair itself, or the changed record confirmed in its person), so the persons
  // holding their records re-derive (the gate and the review item rest on them).
  const outdatedBefore = await findStandingOutdatedMustLinks(executor, [input.left, input.right]);
  const decisionIds = await insertDecisions(executor, [
    {
      leftRecord: input.left,
      rightRecord: input.right,
      decision: input.decision,
      source: input.source,
      reviewId: input.reviewId ?? null,
      decidedBy: input.decidedBy,
      reason: input.reason,
    },
  ]);
  const changes: DecisionChanges = {
    decisionIds,
    touched: new Set([leftPerson, rightPerson]),
    retired: [],
    keptApart: [],
  };
  const merging = input.decision === "must_link" && leftPerson !== rightPerson;
  const splitting = input.decision === "cannot_link" && leftPerson === rightPerson;
  if (merging || splitting) {
    const reformed = await reformPersons(executor, model, [...new Set([leftPerson, rightPerson])], {
      merging: merging ? [input.left, input.right] : undefined,
    });
    for (const id of reformed.touched) changes.touched.add(id);
    changes.retired.push(...reformed.retired);
    changes.keptApart.push(...reformed.keptApart);
  } else {
    await supersedeSettledReviews(executor, memberKeys);
    for (const id of await supersedeSeparatedReviews(executor, changes.touched)) changes.touched.add(id);
  }
  if (outdatedBefore.length > 0) {
    const keys = [...new Set(outdatedBefore.flatMap((row) => [row.leftRecord, row.rightRecord]))];
    for (const personId of (await findPersonsOfEntities(executor, keys.map(splitEntityKey))).values())
      changes.touched.add(personId);
    await supersedeSettledReviews(executor, keys);
  }
  for (const retired of changes.retired) changes.touched.delete(retired.personId);
  return changes;
}

/**
 * Takes a record out of its person: a cannot-link to each of the person's other records (so every
 * later run keeps it out, overriding any must-link among them), and the person re-formed with
 * those decisions as the batch would re-form it: the record goes to another person it auto-links
 * to, or stands alone, and the rest of the person may split if the record was what held it
 * together (each part free to join a person it auto-links to); what stays uncertain goes to review.
 */
export async function unlinkEntity(
  executor: SqlExecutor,
  model: ActiveModel,
  key: string,
  input: { readonly decidedBy: string; readonly reason: string },
): Promise<DecisionChanges> {
  const persons = await ensureIndexed(executor, model, [key]);
  const personId = persons.get(key)!;
  const mates = ((await findMembersOfPersons(executor, [personId])).get(personId) ?? []).filter(
    (member) => member !== key,
  );
  if (mates.length === 0) {
    throw LinkageServiceErrors.decisionInvalid.create(
      `${key} is the only record of person ${personId}: there is nothing to unlink it from`,
    );
  }
  const decisionIds = await insertDecisions(
    executor,
    mates.map((mate) => ({
      leftRecord: key,
      rightRecord: mate,
      decision: "cannot_link" as const,
      source: "unlink" as const,
      decidedBy: input.decidedBy,
      reason: input.reason,
      unlinkedRecord: key,
    })),
  );
  const reformed = await reformPersons(executor, model, [personId], { leaving: key });
  return { decisionIds, touched: reformed.touched, retired: reformed.retired, keptApart: [] };
}

/**
 * Makes sure linkage holds these records (linking any it has not indexed yet, as the handler
 * would) and returns each one's person; a record with no source rows is not found.
 */
async function ensureIndexed(
  executor: SqlExecutor,
  model: ActiveModel,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const entityKeys: EntityKey[] = keys.map(splitEntityKey);
  let indexed = await findIndexedEntities(executor, entityKeys);
  const missing = indexed.filter((entity) => entity.entityId === undefined || entity.personId === undefined);
  if (missing.length > 0) {
    await linkRecords(executor, model, missing);
    indexed = await findIndexedEntities(executor, entityKeys);
  }
  const persons = new Map<string, string>();
  for (const entity of indexed) {
    const key = `${entity.feed}:${entity.keyValue}`;
    if (entity.entityId === undefined || entity.personId === undefined)
      throw LinkageServiceErrors.recordNotFound.create(key);
    persons.set(key, entity.personId);
  }
  return persons;
}

function samePair(a: string, b: string, left: string, right: string): boolean {
  return (a === left && b === right) || (a === right && b === left);
}
