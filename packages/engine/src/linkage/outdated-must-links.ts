import { type ComparisonPlan, type CompiledModel, compareRecords, explainPair } from "@passage/linkage";
import {
  findIndexedEntities,
  findStandingOutdatedMustLinks,
  type LinkageCitation,
  type LinkageDecisionRow,
  MUST_LINK_OUTDATED_REASON,
  type OutdatedMustLink,
  openReviewItems,
  type ReviewItemInput,
  type SqlExecutor,
  type StandingOutdatedMustLink,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { canonicalValues, splitEntityKey } from "./entity-records.ts";

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
  /**
   * The values to compare with: as linkage indexed them (`linkage_entity.person_values`, the
   * handler), or as the decision judged them (the batch, `findRowsDecidedOn`); undefined when there
   * is nothing to compare with (never indexed, or unchanged by its source since the decision).
   */
  readonly indexedValues: Readonly<Record<string, unknown>> | undefined;
  /** The versions the values now come from. */
  readonly citations: readonly LinkageCitation[];
}

/**
 * The honoured must-links among `decisions` that a change of a record's compared values outdates:
 * one per decision and changed record. A record never indexed has nothing to compare with. Values
 * are compared as the model compares them (`sameToModel`): a change it would not see (letter case,
 * accents, spacing, an identifier's punctuation) judged nothing new and outdates nothing.
 */
export function mustLinksOutdatedBy(
  decisions: readonly LinkageDecisionRow[],
  recordOf: (key: string, decision: LinkageDecisionRow) => ComparedRecord | undefined,
  plan: ComparisonPlan,
): OutdatedMustLink[] {
  const outdated: OutdatedMustLink[] = [];
  for (const decision of decisions) {
    if (decision.decision !== "must_link" || decision.outdated) continue;
    for (const key of [decision.leftRecord, decision.rightRecord]) {
      const record = recordOf(key, decision);
      if (record?.indexedValues === undefined) continue;
      if (canonicalValues(record.values) === canonicalValues(record.indexedValues)) continue;
      if (sameToModel(plan, record.values, record.indexedValues)) continue;
      outdated.push({ decisionId: decision.decisionId, changedRecord: key, citations: record.citations });
    }
  }
  return outdated;
}

/**
 * Whether the model sees two versions of a record's values as the same record: every comparison
 * present on both sides or on neither, and exact where present (level 1, after the comparators'
 * standardisation: folded case, accents and spacing; compact identifiers; parsed dates).
 */
export function sameToModel(
  plan: ComparisonPlan,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): boolean {
  const left = plan.prepare({ id: "before", values: asRecordValues(before) });
  const right = plan.prepare({ id: "after", values: asRecordValues(after) });
  const levels = new Uint8Array(plan.comparators.length);
  compareRecords(plan, left, right, levels);
  for (let index = 0; index < plan.comparators.length; index += 1) {
    const present = left.values[index] !== undefined;
    if (present !== (right.values[index] !== undefined)) return false;
    if (present && levels[index] !== 1) return false;
  }
  return true;
}

function asRecordValues(values: Readonly<Record<string, unknown>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(values))
    out[name] = value === undefined || value === null ? undefined : String(value);
  return out;
}

/**
 * Opens (or keeps open) a review item on the pair of every outdated must-link naming any of these
 * records that nobody has judged since (`findStandingOutdatedMustLinks`), reason
 * `must_link_outdated`, scored by the active model on the records' current values: the queue offers
 * the re-decision through `review decide` (accept: a must-link on the records as they are now;
 * reject: a cannot-link). Returns the persons holding either record (their identity issues read the
 * item). Call once the records' persons are written.
 */
export async function openOutdatedMustLinkReviews(
  executor: SqlExecutor,
  model: ActiveModel,
  records: readonly string[],
): Promise<Set<string>> {
  const persons = new Set<string>();
  const standing = await findStandingOutdatedMustLinks(executor, records);
  if (standing.length === 0) return persons;
  const keys = [...new Set(standing.flatMap((row) => [row.leftRecord, row.rightRecord]))];
  const entities = new Map(
    (await findIndexedEntities(executor, keys.map(splitEntityKey))).map((entity) => [
      `${entity.feed}:${entity.keyValue}`,
      entity,
    ]),
  );
  const items: ReviewItemInput[] = [];
  for (const row of standing) {
    const left = entities.get(row.leftRecord);
    const right = entities.get(row.rightRecord);
    if (left?.personValues === undefined || right?.personValues === undefined) continue;
    const item = outdatedMustLinkReview(model.compiled, row, left.personValues, right.personValues);
    items.push({ ...item, modelVersion: model.version });
    for (const entity of [left, right]) if (entity.personId !== undefined) persons.add(entity.personId);
  }
  await openReviewItems(executor, items);
  return persons;
}

/** The review item asking an outdated must-link again, scored on the records' current values. */
export function outdatedMustLinkReview(
  compiled: CompiledModel,
  row: Pick<StandingOutdatedMustLink, "leftRecord" | "rightRecord">,
  leftValues: Readonly<Record<string, string | undefined>>,
  rightValues: Readonly<Record<string, string | undefined>>,
): Omit<ReviewItemInput, "modelVersion"> {
  const explanation = explainPair(
    compiled,
    compiled.plan.prepare({ id: row.leftRecord, values: leftValues }),
    compiled.plan.prepare({ id: row.rightRecord, values: rightValues }),
  );
  return {
    leftRecord: row.leftRecord,
    rightRecord: row.rightRecord,
    reason: MUST_LINK_OUTDATED_REASON,
    conflictingIdentifiers: [],
    matchWeight: explanation.matchWeight,
    matchProbability: explanation.matchProbability,
  };
}
