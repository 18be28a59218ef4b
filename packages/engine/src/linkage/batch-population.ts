import type { Feed } from "@passage/core";
import { LINKAGE_PERSON_FIELDS, type LinkageRecord } from "@passage/linkage";
import {
  findAllCurrentDecisions,
  findRowsDecidedOn,
  findStandingOutdatedMustLinks,
  type LatestEntityRow,
  type LinkageCitation,
  type LinkageDecisionRow,
  latestOutboxPosition,
  type StandingOutdatedMustLink,
  streamEntityIds,
  streamIdentityIssues,
  streamLatestPersonRows,
  streamMemberships,
  streamOpenReviewPairs,
} from "@passage/store";
import type pg from "pg";
import { entityOfRows, PERSON_FEEDS } from "./entity-records.ts";

/** Everything a batch run reads, from one snapshot. */
export interface BatchPopulation {
  /** The last outbox position inside the snapshot: every event up to it is covered. */
  readonly snapshotPosition: string;
  /** Entity keys (`feed:keyValue`), in the order of `records` and `citations`. */
  readonly keys: string[];
  readonly records: LinkageRecord[];
  readonly citations: (readonly LinkageCitation[])[];
  /** Current membership: entity key -> person. */
  readonly membership: Map<string, string>;
  /** Entities linkage indexed before: key -> entity id. */
  readonly entityIds: Map<string, number>;
  /** Current identity issues per person, canonical text (to tell which persons' issues change). */
  readonly identityIssues: Map<string, string>;
  /** Open review items: `left\u0000right` -> review id. */
  readonly openReviews: Map<string, string>;
  readonly decisions: LinkageDecisionRow[];
  /**
   * The compared values each honoured must-link judged (`decisionId\u0000record` -> values), for
   * the records its source changed since (`findRowsDecidedOn`): values now that the model sees
   * otherwise outdate the must-link.
   */
  readonly decidedOnValues: Map<string, Readonly<Record<string, string>>>;
  /** Must-links outdated before this run that nobody judged since: each is asked in review. */
  readonly standingOutdated: StandingOutdatedMustLink[];
}

/**
 * Reads the whole population for a batch run in one REPEATABLE READ snapshot: the latest
 * version of every row of every person feed (only the fields linkage compares, by COPY),
 * grouped into linkage units exactly as the incremental path groups them, plus linkage's current
 * state (membership, entity ids, identity issues, open reviews, decisions) to compare against.
 */
export async function readBatchPopulation(
  client: pg.ClientBase,
  onProgress?: (records: number) => void,
): Promise<BatchPopulation> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const snapshotPosition = await latestOutboxPosition(client);
    const keys: string[] = [];
    const records: LinkageRecord[] = [];
    const citations: (readonly LinkageCitation[])[] = [];
    let group: LatestEntityRow[] = [];
    const flush = () => {
      if (group.length === 0) return;
      const entity = entityOfRows(group);
      keys.push(entity.key);
      records.push(entity.record);
      citations.push(entity.citations);
      group = [];
      if (keys.length % 100_000 === 0) onProgress?.(keys.length);
    };
    for await (const row of streamLatestPersonRows(client, PERSON_FEEDS, LINKAGE_PERSON_FIELDS)) {
      const previous = group[0];
      if (previous && (previous.feed !== row.feed || previous.keyValue !== row.keyValue)) flush();
      const fields: Record<string, string> = {};
      LINKAGE_PERSON_FIELDS.forEach((name, index) => {
        const value = row.values[index];
        if (value !== null && value !== undefined) fields[name] = value;
      });
      group.push({
        feed: row.feed as Feed,
        keyValue: row.keyValue,
        recordKey: row.recordKey,
        version: row.version,
        fields,
        recordedMicros: row.recordedMicros,
      });
    }
    flush();
    onProgress?.(keys.length);
    const membership = new Map<string, string>();
    for await (const row of streamMemberships(client))
      membership.set(`${row.feed}:${row.keyValue}`, row.personId);
    const entityIds = new Map<string, number>();
    for await (const row of streamEntityIds(client))
      entityIds.set(`${row.feed}:${row.keyValue}`, row.entityId);
    const issues = new Map<string, string[]>();
    for await (const issue of streamIdentityIssues(client)) {
      const text = issueText(issue.kind, issue.detail, issue.matchProbability, JSON.parse(issue.evidence));
      const list = issues.get(issue.personId);
      if (list) list.push(text);
      else issues.set(issue.personId, [text]);
    }
    const identityIssues = new Map<string, string>();
    for (const [personId, list] of issues) identityIssues.set(personId, list.sort().join("\n"));
    const openReviews = new Map<string, string>();
    for await (const review of streamOpenReviewPairs(client)) {
      openReviews.set(`${review.leftRecord}\u0000${review.rightRecord}`, review.reviewId);
    }
    const decisions = await findAllCurrentDecisions(client);
    const decidedOnValues = new Map<string, Readonly<Record<string, string>>>();
    const asked = decisions
      .filter((row) => row.decision === "must_link" && !row.outdated)
      .flatMap((row) =>
        [row.leftRecord, row.rightRecord].map((record) => ({ decisionId: row.decisionId, record })),
      );
    for (const [id, rows] of await findRowsDecidedOn(client, asked))
      decidedOnValues.set(id, entityOfRows(rows).record.values as Readonly<Record<string, string>>);
    const standingOutdated = await findStandingOutdatedMustLinks(client);
    return {
      snapshotPosition,
      keys,
      records,
      citations,
      membership,
      entityIds,
      identityIssues,
      openReviews,
      decisions,
      decidedOnValues,
      standingOutdated,
    };
  } finally {
    await client.query("ROLLBACK");
  }
}

/** One identity issue as canonical text (two runs agree on it exactly when the issue is the same). */
export function issueText(
  kind: string,
  detail: string,
  matchProbability: number | null,
  evidence: readonly LinkageCitation[],
): string {
  const cited = evidence
    .map((citation) => `${citation.feed}:${citation.recordKey}@${citation.version}`)
    .sort()
    .join(",");
  return `${kind}\u0000${detail}\u0000${matchProbability === null ? "" : matchProbability.toPrecision(12)}\u0000${cited}`;
}
