import { PersonsChanged, type PersonsChangedPayload } from "@passage/core";
import {
  findOpenReviewsOfPersons,
  type IdentityIssue,
  type LinkageCitation,
  MUST_LINK_OUTDATED_REASON,
  type NewOutboxEvent,
  outboxEventOf,
  replaceIdentityIssues,
  type SqlExecutor,
} from "@passage/store";

/** An open review item as it bears on one person: the pair, its reason and what it cites. */
export interface OpenReviewTouch {
  readonly personId: string;
  readonly reason: string;
  readonly conflictingIdentifiers: readonly string[];
  readonly matchProbability: number;
  readonly ownCitations: readonly LinkageCitation[];
}

/** An identity issue row of one person. */
export type PersonIdentityIssue = IdentityIssue & { readonly personId: string };

/**
 * The identity issues of persons from the open review items touching their records. A pending
 * review means a record may belong to another person (or a record elsewhere may be this
 * person's), so the identity is not confirmed on either side until a reviewer decides: a
 * conflicting strong identifier is a `conflicting_identifier` issue, any other uncertain link a
 * `review_band_link` (DOMAIN.md §2.2: never act on an unconfirmed merge), among them a strong
 * identifier (an A-number) shared with a record that otherwise disagrees (`shared_identifier`:
 * one of two persons may carry a wrong A-number, and neither is acted on until a reviewer
 * decides). Clusters themselves never rest on a review-band link or hold conflicting identifiers
 * unless a person confirmed it (a must-link), which is not an issue.
 *
 * An issue cites and names only the person's own side: the other record may be another person's,
 * of another office, or an asylum or 1367 record, and the issue is read with the person's status
 * (the IDENTITY_NOT_CONFIRMED gate's evidence) by readers of this person alone. The review queue
 * names both sides to those who may read both (`link.read`). One issue per kind (and conflicting
 * schemes), whatever the number of review items behind it.
 */
export function identityIssuesOf(touches: readonly OpenReviewTouch[]): PersonIdentityIssue[] {
  const grouped = new Map<string, { issue: PersonIdentityIssue; evidence: Map<string, LinkageCitation> }>();
  for (const touch of touches) {
    const conflict = touch.reason === "conflicting_identifiers";
    const kind = conflict ? "conflicting_identifier" : "review_band_link";
    const detail = conflict
      ? `${touch.conflictingIdentifiers.length > 0 ? touch.conflictingIdentifiers.join(" and ") : "strong identifier"} differs from a record in the review queue`
      : touch.reason === "shared_identifier"
        ? "a strong identifier held by a record in the review queue whose other fields disagree"
        : touch.reason === MUST_LINK_OUTDATED_REASON
          ? "a must-link decided on a record's former content is in the review queue, to decide again"
          : "an uncertain link to a record in the review queue";
    const key = `${touch.personId}\u0000${kind}\u0000${detail}`;
    let entry = grouped.get(key);
    if (!entry) {
      entry = {
        issue: {
          personId: touch.personId,
          kind,
          detail,
          matchProbability: touch.matchProbability,
          evidence: [],
        },
        evidence: new Map(),
      };
      grouped.set(key, entry);
    } else if ((entry.issue.matchProbability ?? 0) < touch.matchProbability) {
      entry.issue = { ...entry.issue, matchProbability: touch.matchProbability };
    }
    for (const citation of touch.ownCitations) {
      entry.evidence.set(`${citation.feed}\u0000${citation.recordKey}\u0000${citation.version}`, citation);
    }
  }
  return [...grouped.values()]
    .map(({ issue, evidence }) => ({
      ...issue,
      evidence: [...evidence.values()]
        .map((citation) => ({
          feed: citation.feed as never,
          recordKey: citation.recordKey,
          version: citation.version,
        }))
        .sort(
          (a, b) =>
            `${a.feed}:${a.recordKey}`.localeCompare(`${b.feed}:${b.recordKey}`) || a.version - b.version,
        ),
    }))
    .sort(
      (a, b) =>
        a.personId.localeCompare(b.personId) ||
        a.kind.localeCompare(b.kind) ||
        a.detail.localeCompare(b.detail),
    );
}

/** Recomputes the identity issues of these persons from the open review items, in the caller's transaction. */
export async function refreshIdentityIssues(
  executor: SqlExecutor,
  personIds: Iterable<string>,
): Promise<void> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return;
  const touches = await findOpenReviewsOfPersons(executor, ids);
  await replaceIdentityIssues(executor, ids, identityIssuesOf(touches));
}

/** Persons per PersonsChanged event: payloads stay bounded (the schema allows 10,000). */
export const PERSONS_PER_EVENT = 5_000;

/**
 * PersonsChanged events naming these persons, in bounded chunks, partitioned by their first person.
 * Retired persons travel in the first event.
 */
export function personsChangedEvents(
  personIds: Iterable<string>,
  retiredPersonIds: Iterable<string>,
  reason: PersonsChangedPayload["reason"],
): NewOutboxEvent[] {
  const changed = [...new Set(personIds)].sort();
  const retired = [...new Set(retiredPersonIds)].sort();
  const events: NewOutboxEvent[] = [];
  for (let start = 0; start < Math.max(changed.length, retired.length); start += PERSONS_PER_EVENT) {
    const personIds = changed.slice(start, start + PERSONS_PER_EVENT);
    const retiredPersonIds = retired.slice(start, start + PERSONS_PER_EVENT);
    const partitionKey = personIds[0] ?? retiredPersonIds[0]!;
    events.push(outboxEventOf(PersonsChanged, partitionKey, { personIds, retiredPersonIds, reason }));
  }
  return events;
}
