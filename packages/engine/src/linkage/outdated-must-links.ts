import type { LinkageCitation, LinkageDecisionRow, OutdatedMustLink } from "@passage/store";
import { canonicalValues } from "./entity-records.ts";

/**
 * The decisions linkage clusters with: every current decision but a must-link one of whose records
 * changed its compared values after it was decided. Such a must-link judged content the record no
 * longer has (a corrected version from its source may describe someone else): joining the pair
 * through it would be a merge nobody confirmed, and a batch run would pull the record's new
 * namesakes into the old person with it. The record is linked on its content instead, on every
 * path alike, and the persons holding either record are gated (IDENTITY_NOT_CONFIRMED) until the
 * pair is decided again. Cannot-links stay honoured whatever changed: they only keep records apart.
 */
export function honouredDecisions<Row extends Pick<LinkageDecisionRow, "outdated">>(
  rows: readonly Row[],
): Row[] {
  return rows.filter((row) => !row.outdated);
}

/** What a linkage path knows of one record: its compared values now and as linkage last indexed them. */
export interface ComparedRecord {
  /** The values now (`entityOfRows`). */
  readonly values: Readonly<Record<string, unknown>>;
  /** The values linkage indexed (`linkage_entity.person_values`); undefined when never indexed. */
  readonly indexedValues: Readonly<Record<string, unknown>> | undefined;
  /** The versions the values now come from. */
  readonly citations: readonly LinkageCitation[];
}

/**
 * The honoured must-links among `decisions` that a change of a record's compared values outdates:
 * one per decision and changed record. A record never indexed has nothing to compare with.
 */
export function mustLinksOutdatedBy(
  decisions: readonly LinkageDecisionRow[],
  recordOf: (key: string) => ComparedRecord | undefined,
): OutdatedMustLink[] {
  const outdated: OutdatedMustLink[] = [];
  for (const decision of decisions) {
    if (decision.decision !== "must_link" || decision.outdated) continue;
    for (const key of [decision.leftRecord, decision.rightRecord]) {
      const record = recordOf(key);
      if (record?.indexedValues === undefined) continue;
      if (canonicalValues(record.values) === canonicalValues(record.indexedValues)) continue;
      outdated.push({ decisionId: decision.decisionId, changedRecord: key, citations: record.citations });
    }
  }
  return outdated;
}
