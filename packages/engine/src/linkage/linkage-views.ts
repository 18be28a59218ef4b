import type { FieldGroup } from "@passage/access";
import {
  clusterRecords,
  explainCluster,
  explainPair,
  type HumanDecision,
  type PairExplanation,
  type ScoredEdge,
} from "@passage/linkage";
import {
  findDecisionHistory,
  findDecisionsTouching,
  findEntitiesOfPersons,
  findIdentityIssuesOfPersons,
  findIndexedEntities,
  findLatestRowsOfEntities,
  findOpenReviewsOfPersons,
  findPairsAmong,
  findPersonRetirement,
  type IdentityIssue,
  type LinkageCitation,
  type LinkageDecisionRow,
  type MemberEntity,
  type ReviewItemRow,
  type SqlExecutor,
  type StoredPair,
} from "@passage/store";
import type { ActiveModel } from "./active-model.ts";
import { entityOfRows, splitEntityKey } from "./entity-records.ts";
import { redactValues } from "./linkage-access.ts";
import { LinkageServiceErrors } from "./linkage-errors.ts";
import { honouredDecisions } from "./outdated-must-links.ts";

/** A record as link views show it: its compared values (field groups the reader may not see removed). */
export interface RecordView {
  readonly record: string;
  readonly personId: string | null;
  readonly values: Readonly<Record<string, string>>;
  readonly hiddenFieldGroups: readonly FieldGroup[];
  readonly citations: readonly LinkageCitation[];
}

/** A link holding a person together: a spanning auto-link or a human must-link. */
export interface LinkView {
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly weight: number | null;
  readonly probability: number;
  readonly kind: "auto_link" | "must_link";
}

/** Why a person is the records it is. */
export interface PersonLinksView {
  readonly personId: string;
  readonly records: readonly RecordView[];
  readonly links: readonly LinkView[];
  /**
   * Where the person would break first: the automatic link with the lowest weight, or, for a person
   * only human decisions hold together, a must-link (`kind: "must_link"`, no weight: it breaks only
   * when that decision is reversed). Null for a person of one record.
   */
  readonly weakestLink: LinkView | null;
  /** Further auto-link pairs inside the person beyond the spanning links. */
  readonly supportingLinks: number;
  readonly decisions: readonly LinkageDecisionRow[];
  readonly identityIssues: readonly IdentityIssue[];
  readonly openReviews: readonly {
    readonly reviewId: string;
    readonly record: string;
    readonly otherRecord: string;
    readonly reason: string;
    readonly matchProbability: number;
  }[];
  /**
   * Decisions, open reviews and identity issues that name a record of another person (or of no
   * person) whose links the reader may not read: not shown, counted here.
   */
  readonly decisionsWithheld: number;
  readonly openReviewsWithheld: number;
  readonly identityIssuesWithheld: number;
}

/**
 * The records outside the person that its links view names: the other side of its decisions and
 * open reviews (identity issues rest on the open reviews).
 */
export function outsideRecordsOf(view: PersonLinksView): string[] {
  const inside = new Set(view.records.map((record) => record.record));
  const outside = new Set<string>();
  for (const decision of view.decisions) {
    for (const record of [decision.leftRecord, decision.rightRecord])
      if (!inside.has(record)) outside.add(record);
  }
  for (const review of view.openReviews) if (!inside.has(review.otherRecord)) outside.add(review.otherRecord);
  return [...outside].sort();
}

/**
 * The view without what names a record outside the person that `shown` refuses: a decision with
 * it, an open review with it, an identity issue stored when issues still named the other record
 * (its detail ends with that record's name), each counted instead.
 */
export function withOutsideRecordsShown(
  view: PersonLinksView,
  shown: (record: string) => boolean,
): PersonLinksView {
  const inside = new Set(view.records.map((record) => record.record));
  const visible = (record: string) => inside.has(record) || shown(record);
  const hidden = outsideRecordsOf(view).filter((record) => !visible(record));
  if (hidden.length === 0) return view;
  const decisions = view.decisions.filter(
    (decision) => visible(decision.leftRecord) && visible(decision.rightRecord),
  );
  const openReviews = view.openReviews.filter((review) => visible(review.otherRecord));
  // Issues now name and cite only the person's own side; one stored before that change (until
  // the person is next linked or rebuilt) named the other record last in its detail.
  const names = (issue: IdentityIssue) =>
    hidden.some((record) => issue.detail === record || issue.detail.endsWith(` ${record}`));
  const identityIssues = view.identityIssues.filter((issue) => !names(issue));
  return {
    ...view,
    decisions,
    openReviews,
    identityIssues,
    decisionsWithheld: view.decisionsWithheld + view.decisions.length - decisions.length,
    openReviewsWithheld: view.openReviewsWithheld + view.openReviews.length - openReviews.length,
    identityIssuesWithheld: view.identityIssuesWithheld + view.identityIssues.length - identityIssues.length,
  };
}

/** Visible field groups per person, decided by the caller (the access layer). */
export type VisibleGroups = (personId: string | null) => ReadonlySet<FieldGroup>;

const recordView = (entity: MemberEntity, visible: VisibleGroups): RecordView => {
  const redacted = redactValues(entity.personValues, visible(entity.personId));
  return {
    record: `${entity.feed}:${entity.keyValue}`,
    personId: entity.personId,
    values: redacted.values,
    hiddenFieldGroups: redacted.hiddenFieldGroups,
    citations: entity.citations,
  };
};

/**
 * A person's records and the links that hold them together (the spanning links of the stored
 * pairs and human decisions, clustered as linkage clusters them), the weakest automatic link, the
 * decisions and identity issues, and the open reviews touching the person.
 *
 * `withheldOf` names the person's records the reader may not see (a flagged record, for a reader
 * without the need): the view is the one of the person without them (its links, weakest link and
 * supporting links among the other records; its open reviews and identity issues on them left
 * out). A decision or open review between a shown record and a withheld one names the withheld
 * record as its other side, which the caller withholds and counts as any record it may not show.
 */
export async function personLinksOf(
  executor: SqlExecutor,
  personId: string,
  visible: VisibleGroups,
  withheldOf: (records: readonly string[]) => Promise<ReadonlySet<string>> = async () => new Set(),
): Promise<PersonLinksView> {
  const members = await findEntitiesOfPersons(executor, [personId]);
  if (members.length === 0) {
    const retired = await findPersonRetirement(executor, personId);
    throw LinkageServiceErrors.personNotFound.create(personId, retired?.successorPersonId ?? null);
  }
  const withheld = await withheldOf(members.map((entity) => `${entity.feed}:${entity.keyValue}`));
  const entities = members.filter((entity) => !withheld.has(`${entity.feed}:${entity.keyValue}`));
  const keys = entities.map((entity) => `${entity.feed}:${entity.keyValue}`);
  const indexOf = new Map(entities.map((entity, index) => [entity.entityId, index]));
  const pairs = await findPairsAmong(executor, [...indexOf.keys()]);
  const decisions = await findDecisionsTouching(executor, keys);
  const inside = new Set(keys);
  const clustering = clusterRecords({
    recordIds: keys,
    edges: pairs.map((pair) => edgeOf(pair, indexOf)),
    decisions: honouredDecisions(decisions)
      .filter((row) => inside.has(row.leftRecord) && inside.has(row.rightRecord))
      .map(
        (row): HumanDecision => ({
          leftId: row.leftRecord,
          rightId: row.rightRecord,
          decision: row.decision,
          placedRecordId: row.placedRecord ?? undefined,
        }),
      ),
  });
  const links: LinkView[] = [];
  let supportingLinks = 0;
  clustering.clusters.forEach((_, cluster) => {
    const explained = explainCluster(clustering, cluster, keys);
    supportingLinks += explained.supportingLinks;
    for (const link of explained.links) {
      links.push({
        leftRecord: link.leftId,
        rightRecord: link.rightId,
        weight: Number.isFinite(link.weight) ? link.weight : null,
        probability: link.probability,
        kind: link.kind,
      });
    }
  });
  const weakestLink = weakestOf(links);
  const [issues, reviews] = await Promise.all([
    findIdentityIssuesOfPersons(executor, [personId]),
    findOpenReviewsOfPersons(executor, [personId]),
  ]);
  const citesWithheld = (issue: IdentityIssue) =>
    issue.evidence.some((citation) => withheld.has(entityKeyOfCitation(citation))) ||
    [...withheld].some((record) => namesRecord(issue.detail, record));
  return {
    personId,
    records: entities.map((entity) => recordView(entity, visible)),
    links,
    weakestLink,
    supportingLinks,
    decisions,
    identityIssues: (issues.get(personId) ?? []).filter((issue) => !citesWithheld(issue)),
    openReviews: reviews
      .filter((review) => !withheld.has(review.ownRecord))
      .map((review) => ({
        reviewId: review.reviewId,
        record: review.ownRecord,
        otherRecord: review.otherRecord,
        reason: review.reason,
        matchProbability: review.matchProbability,
      })),
    decisionsWithheld: 0,
    openReviewsWithheld: 0,
    identityIssuesWithheld: 0,
  };
}

/** The linkage record (`FEED:KEY`, the key value) a citation's record key belongs to. */
function entityKeyOfCitation(citation: { readonly feed: string; readonly recordKey: string }): string {
  return `${citation.feed}:${citation.recordKey.split("|")[0]}`;
}

/** Whether a text names a record (`FEED:KEY`, not as the prefix of a longer key). */
function namesRecord(text: string, record: string): boolean {
  let at = text.indexOf(record);
  while (at >= 0) {
    const next = text.charAt(at + record.length);
    if (next === "" || !/[A-Za-z0-9_-]/.test(next)) return true;
    at = text.indexOf(record, at + 1);
  }
  return false;
}

/**
 * The link where a person would break first: a must-link breaks only when a reviewer reverses it,
 * so the weakest automatic link comes first; a person held by must-links alone breaks at one of
 * them (the first by record ids, so every reader names the same).
 */
function weakestOf(links: readonly LinkView[]): LinkView | null {
  let weakest: LinkView | null = null;
  for (const link of links) {
    if (weakest === null || weaker(link, weakest)) weakest = link;
  }
  return weakest;
}

function weaker(link: LinkView, than: LinkView): boolean {
  if (link.kind !== than.kind) return link.kind === "auto_link";
  if (link.kind === "auto_link") return link.weight! < than.weight!;
  return `${link.leftRecord}\u0000${link.rightRecord}` < `${than.leftRecord}\u0000${than.rightRecord}`;
}

function edgeOf(pair: StoredPair, indexOf: ReadonlyMap<number, number>): ScoredEdge {
  return {
    left: indexOf.get(pair.leftEntity)!,
    right: indexOf.get(pair.rightEntity)!,
    weight: pair.matchWeight,
    probability: pair.matchProbability,
    band: pair.band,
    reason: (pair.reason ?? undefined) as ScoredEdge["reason"],
  };
}

/** A pair explained: both records side by side, the waterfall, what linkage stored and decided. */
export interface PairExplanationView {
  readonly left: RecordView;
  readonly right: RecordView;
  readonly modelVersion: number;
  /** The score by the active model, field by field (identical on the batch and incremental paths). */
  readonly explanation: PairExplanation;
  /** The pair as linkage stored it (absent for a pair in the no-link band or never compared). */
  readonly stored: StoredPair | null;
  readonly decisions: readonly LinkageDecisionRow[];
  /**
   * Where the persons now differ from what the band alone would make of the pair: a decision in
   * force on it (the newest) that overrides the band, or records in different persons although
   * the pair scores `auto_link`; null when the band says what happened.
   */
  readonly override: PairOverride | null;
}

/** What overrides a pair's band (`PairExplanationView.override`). */
export interface PairOverride {
  /** `held_apart`: the records are not one person though the band would link them; `joined`: the reverse. */
  readonly outcome: "held_apart" | "joined";
  /** The pair's decision in force, when a decision on it is what overrides the band. */
  readonly decisionId: string | null;
  readonly note: string;
}

/** What overrides the band of a pair (`PairOverride`), from its decisions and its persons now. */
export function pairOverrideOf(
  band: PairExplanation["band"],
  decisions: readonly LinkageDecisionRow[],
  persons: readonly [string | null, string | null],
): PairOverride | null {
  // A must-link outdated by a change of one of its records joins nothing (`honouredDecisions`).
  const inForce = decisions.at(-1)?.outdated ? undefined : decisions.at(-1);
  if (inForce?.decision === "cannot_link" && band !== "no_link") {
    return {
      outcome: "held_apart",
      decisionId: inForce.decisionId,
      note: `held apart: cannot-link decision ${inForce.decisionId} (${inForce.source}, by ${inForce.decidedBy}) overrides band ${band}`,
    };
  }
  if (inForce?.decision === "must_link" && band !== "auto_link") {
    return {
      outcome: "joined",
      decisionId: inForce.decisionId,
      note: `joined: must-link decision ${inForce.decisionId} (${inForce.source}, by ${inForce.decidedBy}) overrides band ${band}`,
    };
  }
  const [left, right] = persons;
  if (inForce === undefined && band === "auto_link" && left !== null && right !== null && left !== right) {
    return {
      outcome: "held_apart",
      decisionId: null,
      note: "held apart: the records are in different persons although the pair scores auto_link (a decision on other records, or a conflicting identifier, keeps them apart)",
    };
  }
  return null;
}

/** Explains any pair of records by the active model (each record read as linkage reads it). */
export async function explainPairOf(
  executor: SqlExecutor,
  model: ActiveModel,
  left: string,
  right: string,
  visible: VisibleGroups,
): Promise<PairExplanationView> {
  const [leftEntity, rightEntity] = await Promise.all([
    entityFor(executor, left),
    entityFor(executor, right),
  ]);
  const plan = model.compiled.plan;
  const explanation = explainPair(
    model.compiled,
    plan.prepare({ id: left, values: leftEntity.personValues }),
    plan.prepare({ id: right, values: rightEntity.personValues }),
  );
  const stored =
    leftEntity.entityId > 0 && rightEntity.entityId > 0
      ? ((await findPairsAmong(executor, [leftEntity.entityId, rightEntity.entityId]))[0] ?? null)
      : null;
  const decisions = await findDecisionHistory(executor, left, right);
  return {
    left: recordView(leftEntity as MemberEntity, visible),
    right: recordView(rightEntity as MemberEntity, visible),
    modelVersion: model.version,
    explanation,
    stored,
    decisions,
    override: pairOverrideOf(explanation.band, decisions, [leftEntity.personId, rightEntity.personId]),
  };
}

/** A record as linkage holds it, or (not yet indexed) as its source rows give it. */
async function entityFor(
  executor: SqlExecutor,
  key: string,
): Promise<Omit<MemberEntity, "personId"> & { personId: string | null }> {
  const [indexed] = await findIndexedEntities(executor, [splitEntityKey(key)]);
  if (indexed?.entityId !== undefined && indexed.personValues !== undefined) {
    return {
      entityId: indexed.entityId,
      feed: indexed.feed,
      keyValue: indexed.keyValue,
      personValues: indexed.personValues,
      citations: indexed.citations ?? [],
      personId: indexed.personId ?? null,
    };
  }
  const rows = (await findLatestRowsOfEntities(executor, [splitEntityKey(key)])).get(key);
  if (!rows) throw LinkageServiceErrors.recordNotFound.create(key);
  const snapshot = entityOfRows(rows);
  return {
    entityId: 0,
    feed: snapshot.feed,
    keyValue: snapshot.keyValue,
    personValues: snapshot.record.values as Record<string, string>,
    citations: snapshot.citations,
    personId: indexed?.personId ?? null,
  };
}

/** A review item with both records side by side and each field's level and weight. */
export interface ReviewItemView extends ReviewItemRow {
  readonly left: RecordView;
  readonly right: RecordView;
  readonly matchWeightNow: number;
  readonly fields: readonly {
    readonly comparison: string;
    readonly label: string;
    readonly weight: number;
    readonly termFrequencyAdjustment: number;
  }[];
  readonly corroboratingWeight: number;
  /**
   * Why a pair below the review band is in review (a strong identifier the two records share, or
   * one record can ground an action the other can bar), as the pair's explanation says; else null.
   */
  readonly heldInReview: string | null;
}

/** Adds the side-by-side records and the field weights (by the active model) to review items. */
export async function reviewItemViews(
  executor: SqlExecutor,
  model: ActiveModel,
  items: readonly ReviewItemRow[],
  visible: VisibleGroups,
): Promise<ReviewItemView[]> {
  const views: ReviewItemView[] = [];
  for (const item of items) {
    const pair = await explainPairOf(executor, model, item.leftRecord, item.rightRecord, visible);
    views.push({
      ...item,
      left: pair.left,
      right: pair.right,
      matchWeightNow: pair.explanation.matchWeight,
      fields: pair.explanation.fields.map((field) => ({
        comparison: field.comparison,
        label: field.label,
        weight: field.weight,
        termFrequencyAdjustment: field.termFrequencyAdjustment,
      })),
      corroboratingWeight: pair.explanation.corroboratingWeight,
      heldInReview: pair.explanation.reviewFloor?.note ?? null,
    });
  }
  return views;
}
