import {
  findDecisionsTouching,
  findMembersOfPersons,
  findOpenReviewsOfPersons,
  findPersonsOfEntities,
  MUST_LINK_OUTDATED_REASON,
  type SqlExecutor,
  supersedeReviewItems,
} from "@passage/store";
import { splitEntityKey } from "./entity-records.ts";

/**
 * Supersedes the open review items (touching these persons) whose two persons a cannot-link
 * separates: a record of one is cannot-linked to a record of the other. The batch no longer asks
 * such a question (clustering never offers a merge across a cannot-link), and accepting it would
 * join records a reviewer kept apart, so it is closed now, saying why, not at the next batch run.
 * Returns the persons on either side of the items closed (their identity issues rested on them).
 */
export async function supersedeSeparatedReviews(
  executor: SqlExecutor,
  personIds: Iterable<string>,
): Promise<Set<string>> {
  const touched = new Set<string>();
  const items = await findOpenReviewsOfPersons(executor, [...personIds]);
  if (items.length === 0) return touched;
  const otherPersons = await findPersonsOfEntities(
    executor,
    items.map((item) => splitEntityKey(item.otherRecord)),
  );
  const ownPersons = [...new Set(items.map((item) => item.personId))];
  const members = await findMembersOfPersons(executor, [
    ...new Set([...ownPersons, ...otherPersons.values()]),
  ]);
  const personOfRecord = new Map<string, string>();
  for (const [personId, records] of members)
    for (const record of records) personOfRecord.set(record, personId);
  const decisions = await findDecisionsTouching(
    executor,
    ownPersons.flatMap((personId) => members.get(personId) ?? []),
  );
  const separating = new Map<string, string>();
  for (const decision of decisions) {
    if (decision.decision !== "cannot_link") continue;
    const left = personOfRecord.get(decision.leftRecord);
    const right = personOfRecord.get(decision.rightRecord);
    if (left === undefined || right === undefined || left === right) continue;
    const pair = `${decision.leftRecord} and ${decision.rightRecord}`;
    separating.set(`${left}\u0000${right}`, pair);
    separating.set(`${right}\u0000${left}`, pair);
  }
  const closed = new Map<string, string>();
  for (const item of items) {
    // An outdated must-link asked again is its own pair's question (a reject answers it).
    if (item.reason === MUST_LINK_OUTDATED_REASON) continue;
    const other = otherPersons.get(item.otherRecord);
    if (other === undefined || other === item.personId || closed.has(item.reviewId)) continue;
    const pair = separating.get(`${item.personId}\u0000${other}`);
    if (pair === undefined) continue;
    closed.set(
      item.reviewId,
      `a cannot-link decision (${pair}) separates the two persons: accepting would join records a reviewer kept apart`,
    );
    touched.add(item.personId);
    touched.add(other);
  }
  await supersedeReviewItems(
    executor,
    [...closed].map(([reviewId, note]) => ({ reviewId, note })),
  );
  return touched;
}
