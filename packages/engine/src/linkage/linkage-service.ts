import type { AuditedAccess } from "@passage/access";
import { type PersonsChangedPayload, parseRecordReferenceOrThrow } from "@passage/core";
import type { LinkageModel, TrainingOptions } from "@passage/linkage";
import {
  appendOutboxEvents,
  type CaseAttributeRow,
  type Database,
  findIndexedEntities,
  findLatestRowsOfEntities,
  findLinkageModel,
  findPersonOfRecord,
  findReviewItem,
  type LinkageDecisionKind,
  type LinkageReviewStatus,
  listReviewItems,
  lockLinkage,
  type PersonRetirement,
  recordReviewOutcome,
  type SqlExecutor,
  type Store,
} from "@passage/store";
import type { Transaction } from "kysely";
import type { EventHandler } from "../consumers/event-handler.ts";
import { type ActiveModel, createModelCache, type ModelCache } from "./active-model.ts";
import { type BatchLinkReport, runBatchLink } from "./batch-link.ts";
import { isPersonFeed, splitEntityKey } from "./entity-records.ts";
import { personsChangedEvents, refreshIdentityIssues } from "./identity-issues.ts";
import type { KeptApartRecord } from "./kept-apart.ts";
import {
  actorOf,
  caseAttributesOf,
  caseResource,
  linkResource,
  mayReadRecordLinks,
  recordFlagsOf,
  recordSide,
  retiredCaseAttributesOf,
  runOnPair,
  runWrite,
  visibleGroupsOf,
} from "./linkage-access.ts";
import { applyPairDecision, type DecisionChanges, unlinkEntity } from "./linkage-decisions.ts";
import { LinkageServiceErrors } from "./linkage-errors.ts";
import { createLinkageHandler } from "./linkage-handler.ts";
import {
  explainPairOf,
  outsideRecordsOf,
  type PairExplanationView,
  type PersonLinksView,
  personLinksOf,
  type ReviewItemView,
  reviewItemViews,
  type VisibleGroups,
  withOutsideRecordsShown,
} from "./linkage-views.ts";
import { type PersonSearchQuery, type PersonSearchResult, searchPersons } from "./person-search.ts";

/** What a reviewer decides on a review item. */
export interface ReviewDecisionInput {
  /** accept = the records are one person (must-link); reject = they are not (cannot-link); unsure = escalate, keep open. */
  readonly outcome: "accept" | "reject" | "unsure";
  readonly reason: string;
}

/** What a decision, a review outcome or an unlink changed. */
export interface LinkDecisionResult {
  readonly reviewId: string | null;
  readonly decisionIds: readonly string[];
  /** The person each named record belongs to afterwards. */
  readonly persons: Readonly<Record<string, string | null>>;
  readonly personsChanged: readonly string[];
  readonly retired: readonly PersonRetirement[];
  /**
   * A must-link that merged two persons: each of their records the merged person does not hold
   * (a strong identifier no reviewer confirmed conflicts with it, a cannot-link separates them, or
   * it was held through such a record), its person now, and why. A record kept apart by a
   * conflicting identifier is asked about in review.
   */
  readonly keptApart: readonly KeptApartRecord[];
  /**
   * Persons the change touched whose links the reader may not see (a confidential case): counted,
   * never named. Where a named record landed in one, `persons` says `withheld`.
   */
  readonly personsWithheld: number;
}

/** The active model, for inspection (the artefact itself with `includeArtefact`). */
export interface LinkageModelSummary {
  readonly version: number;
  readonly digest: string;
  readonly records: number;
  readonly trainedBy: string;
  readonly trainedAt: string;
  readonly prior: number;
  readonly thresholds: LinkageModel["settings"]["thresholds"];
  readonly training: LinkageModel["training"];
  readonly artefact?: string;
}

export interface LinkAllOptions {
  readonly train?: boolean;
  readonly training?: TrainingOptions;
  readonly truth?: ReadonlyMap<string, string>;
  readonly onProgress?: (phase: string, done?: number) => void;
}

/**
 * Record linkage in the database (issue 3): the batch run, the incremental handler, the review
 * queue and human decisions, unlinking, explanations and person search. Every read and write of
 * a link, a person or a decision goes through the caller's `AuditedAccess` (`link.read`,
 * `link.decide`, `person.read`), which authorizes it and records it in the audit log.
 */
export interface LinkageService {
  /** The incremental outbox handler (`linkage`), first in the pipeline. */
  readonly handler: EventHandler;
  /**
   * `passage link`: links the whole records table (trains a model when none is active, on request,
   * or when the linkable records have grown to twice those the active model was trained on:
   * `RETRAIN_GROWTH_FACTOR`, the report's `trainedBecause`).
   */
  linkAll(access: AuditedAccess, options?: LinkAllOptions): Promise<BatchLinkReport>;
  /**
   * `passage rebuild`'s first step: re-links every record with the active model, honouring
   * decisions and carrying ids over (nothing happens before a first `passage link`).
   */
  rebuild(onProgress?: (phase: string, done?: number) => void): Promise<BatchLinkReport>;
  activeModel(
    access: AuditedAccess,
    options?: { includeArtefact?: boolean },
  ): Promise<LinkageModelSummary | null>;
  searchPersons(access: AuditedAccess, query: PersonSearchQuery): Promise<PersonSearchResult[]>;
  /** A person's records, the links that hold them together, the weakest link, decisions and issues. */
  personLinks(access: AuditedAccess, personId: string): Promise<PersonLinksView>;
  /** Any pair of records (`FEED:KEY`) explained field by field by the active model. */
  explainPair(access: AuditedAccess, left: string, right: string): Promise<PairExplanationView>;
  listReviews(
    access: AuditedAccess,
    query?: { status?: "open" | "closed" | "all"; personId?: string; limit?: number; offset?: number },
  ): Promise<ReviewItemView[]>;
  showReview(access: AuditedAccess, reviewId: string): Promise<ReviewItemView>;
  decideReview(
    access: AuditedAccess,
    reviewId: string,
    input: ReviewDecisionInput,
  ): Promise<LinkDecisionResult>;
  /** A decision on any pair of records (e.g. from the person view): must-link or cannot-link. */
  decidePair(
    access: AuditedAccess,
    left: string,
    right: string,
    input: { decision: LinkageDecisionKind; reason: string },
  ): Promise<LinkDecisionResult>;
  /** Takes a record out of its person (it is linked again on its own merits; the person re-forms). */
  unlinkRecord(
    access: AuditedAccess,
    reference: string,
    input: { reason: string },
  ): Promise<LinkDecisionResult>;
}

const MAX_REASON = 2_000;
const NO_CASE = { office: "", assignees: [], confidentiality: [] };

export function createLinkageService(options: { store: Pick<Store, "db" | "pool"> }): LinkageService {
  const { db } = options.store;
  const models: ModelCache = createModelCache();

  const requireModel = async (executor: SqlExecutor): Promise<ActiveModel> => {
    const model = await models.active(executor);
    if (!model) throw LinkageServiceErrors.noModel.create();
    return model;
  };

  const visibility = async (
    access: AuditedAccess,
    personIds: readonly (string | null)[],
  ): Promise<VisibleGroups> => {
    const attributes = await caseAttributesOf(db, personIds);
    const cache = new Map<string, ReturnType<typeof visibleGroupsOf>>();
    return (personId) => {
      if (personId === null) return new Set();
      let groups = cache.get(personId);
      if (!groups) {
        groups = visibleGroupsOf(access, personId, attributes.get(personId));
        cache.set(personId, groups);
      }
      return groups;
    };
  };

  /**
   * Runs a change of links in one transaction under the linkage lock, then re-derives the persons;
   * the answer names only the persons whose links `access` may read.
   */
  const change = async (
    access: AuditedAccess,
    reason: PersonsChangedPayload["reason"],
    work: (
      transaction: Transaction<Database>,
      model: ActiveModel,
    ) => Promise<DecisionChanges & { reviewId?: string | null; records: readonly string[] }>,
  ): Promise<LinkDecisionResult> =>
    visibleTo(
      access,
      await db.transaction().execute(async (transaction) => {
        await lockLinkage(transaction);
        const model = await requireModel(transaction);
        const changes = await work(transaction, model);
        await refreshIdentityIssues(transaction, changes.touched);
        await appendOutboxEvents(
          transaction,
          personsChangedEvents(
            changes.touched,
            changes.retired.map((retired) => retired.personId),
            reason,
          ),
        );
        const persons: Record<string, string | null> = {};
        for (const record of changes.records) {
          const { feed, keyValue } = splitEntityKey(record);
          persons[record] = (await findPersonOfRecord(transaction, feed as never, keyValue)) ?? null;
        }
        return {
          reviewId: changes.reviewId ?? null,
          decisionIds: changes.decisionIds,
          persons,
          personsChanged: [...changes.touched].sort(),
          retired: changes.retired,
          keptApart: changes.keptApart,
          personsWithheld: 0,
        };
      }),
    );

  /**
   * A change's answer with the persons the reader may not see withheld (counted, not named): a
   * person whose links the reader may read (its office and assignees; its flagged records are
   * withheld from the person's links, not the person), and a kept-apart record only when the
   * reader may read that record's links (its own flags). A retired person is judged on its case as
   * it was before the change (`retiredCaseAttributesOf`): it no longer exists, and judged as a
   * missing person it was withheld from every reader, the local operator too.
   */
  const visibleTo = async (
    access: AuditedAccess,
    result: LinkDecisionResult,
  ): Promise<LinkDecisionResult> => {
    const retiredIds = result.retired.map((retired) => retired.personId);
    const ids = [
      ...Object.values(result.persons).filter((id): id is string => id !== null),
      ...result.personsChanged,
      ...retiredIds,
      ...result.retired.flatMap((retired) => retired.successorPersonId ?? []),
      ...result.keptApart.map((kept) => kept.personId),
    ];
    const attributes = await caseAttributesOf(db, ids);
    const retired = await retiredCaseAttributesOf(
      db,
      retiredIds.filter((id) => !attributes.has(id)),
    );
    for (const [id, case_] of retired) attributes.set(id, case_);
    const flags = await recordFlagsOf(
      db,
      result.keptApart.map((kept) => kept.record),
    );
    return withholdPersons(
      result,
      (personId) => mayReadRecordLinks(access, personId, attributes.get(personId), []),
      (record, personId) =>
        !flags.has(record) ||
        mayReadRecordLinks(access, personId, attributes.get(personId), flags.get(record)!),
    );
  };

  /** Which of these records (`FEED:KEY`) are stored (linked or not yet). */
  const storedRecords = async (keys: readonly string[]): Promise<Set<string>> => {
    const rows = await findLatestRowsOfEntities(db, keys.map(splitEntityKey));
    return new Set(keys.filter((key) => rows.has(key)));
  };

  /** Each record's side of a pair: its person's case with the record's own flags (`recordSide`). */
  const pairSides = async (left: string, right: string) => {
    const [leftPerson, rightPerson] = await Promise.all(
      [left, right].map((key) => {
        const { feed, keyValue } = splitEntityKey(key);
        return findPersonOfRecord(db, feed as never, keyValue);
      }),
    );
    const [attributes, flags] = await Promise.all([
      caseAttributesOf(db, [leftPerson, rightPerson]),
      recordFlagsOf(db, [left, right]),
    ]);
    return [
      recordSide(leftPerson ? attributes.get(leftPerson) : undefined, flags.get(left) ?? []),
      recordSide(rightPerson ? attributes.get(rightPerson) : undefined, flags.get(right) ?? []),
    ] as const;
  };

  /**
   * `action` on a pair of records named by reference (`runOnPair`): a side the reader may not see
   * for its flags alone is answered as a record that does not exist, and a decision on a record
   * that does not exist is refused at its lookup as one the reader may not see (`runWrite`).
   */
  const onRecordPair = async <T>(
    access: AuditedAccess,
    action: "link.read" | "link.decide",
    leftReference: string,
    rightReference: string,
    work: (left: string, right: string) => Promise<T>,
    details?: Parameters<typeof runOnPair>[6],
  ): Promise<T> => {
    const left = referenceKey(leftReference);
    const right = referenceKey(rightReference);
    const [sides, stored] = await Promise.all([pairSides(left, right), storedRecords([left, right])]);
    return runOnPair(
      access,
      action,
      `${left}~${right}`,
      sides,
      () => work(left, right),
      hiddenRecordNotFound(sides, stored, left, right),
      details,
      stored.has(left) && stored.has(right),
    );
  };

  const viewOfReview = async (access: AuditedAccess, reviewId: string): Promise<ReviewItemView> => {
    const item = await findReviewItem(db, reviewId);
    if (!item) throw LinkageServiceErrors.reviewNotFound.create(reviewId);
    const model = await requireModel(db);
    const [view] = await reviewItemViews(
      db,
      model,
      [item],
      await visibility(access, [item.leftPersonId, item.rightPersonId]),
    );
    return view!;
  };

  return {
    handler: createLinkageHandler(models),

    linkAll(access, linkOptions = {}) {
      return access.run(
        "link.decide",
        linkResource("all-records", NO_CASE),
        () =>
          runBatchLink(options.store, models, {
            train: linkOptions.train,
            training: linkOptions.training,
            truth: linkOptions.truth,
            onProgress: linkOptions.onProgress,
            requestedBy: actorOf(access),
            retrainWhenOutgrown: true,
          }),
        { train: linkOptions.train ?? false },
      );
    },

    rebuild(onProgress) {
      return runBatchLink(options.store, models, {
        kind: "rebuild",
        requestedBy: "system:rebuild",
        onProgress,
        onlyWithActiveModel: true,
      });
    },

    async activeModel(access, summaryOptions = {}) {
      return access.run("link.read", linkResource("model", NO_CASE), async () => {
        const model = await models.active(db);
        if (!model) return null;
        const stored = (await findLinkageModel(db, model.version))!;
        return {
          version: stored.version,
          digest: stored.digest,
          records: stored.records,
          trainedBy: stored.trainedBy,
          trainedAt: stored.trainedAt,
          prior: model.artefact.parameters.prior,
          thresholds: model.artefact.settings.thresholds,
          training: model.artefact.training,
          ...(summaryOptions.includeArtefact ? { artefact: stored.artefact } : {}),
        };
      });
    },

    searchPersons(access, query) {
      return searchPersons(db, access, query);
    },

    async personLinks(access, personId) {
      const attributes = (await caseAttributesOf(db, [personId])).get(personId);
      // Decided on the person's case without its flags: a person holding a flagged record is
      // answered as any person, its flagged records (and what touches them) withheld from a
      // reader without the need, so that nothing tells the two apart (8 CFR 208.6, 1367).
      return access.run("link.read", caseResource("Link", personId, attributes, []), async () => {
        const view = await personLinksOf(
          db,
          personId,
          await visibility(access, [personId]),
          async (records) => {
            const flags = await recordFlagsOf(db, records);
            return new Set(
              [...flags]
                .filter(([, recordFlags]) => !mayReadRecordLinks(access, personId, attributes, recordFlags))
                .map(([record]) => record),
            );
          },
        );
        // The other side of a decision or an open review (another person's record, or a record
        // of this person withheld above): named only to a reader who may read that record's links
        // (its person's office and assignees, the record's own confidential matters).
        const outside = outsideRecordsOf(view);
        if (outside.length === 0 || access.listFilter("link.read").allowsAll) return view;
        const personOf = new Map(
          (await findIndexedEntities(db, outside.map(splitEntityKey))).map((entity) => [
            `${entity.feed}:${entity.keyValue}`,
            entity.personId,
          ]),
        );
        const [owners, flags] = await Promise.all([
          caseAttributesOf(db, [...personOf.values()]),
          recordFlagsOf(db, outside),
        ]);
        return withOutsideRecordsShown(view, (record) => {
          const owner = personOf.get(record);
          return (
            owner !== undefined &&
            mayReadRecordLinks(access, owner, owners.get(owner), flags.get(record) ?? [])
          );
        });
      });
    },

    async explainPair(access, leftReference, rightReference) {
      const [leftKey, rightKey] = [referenceKey(leftReference), referenceKey(rightReference)];
      if (leftKey === rightKey) {
        throw LinkageServiceErrors.pairInvalid.create(
          `left and right are the same record (${leftKey}): an explanation compares two records`,
        );
      }
      return onRecordPair(access, "link.read", leftReference, rightReference, async (left, right) => {
        const model = await requireModel(db);
        const people = await Promise.all(
          [left, right].map((key) => findIndexedEntities(db, [splitEntityKey(key)])),
        );
        return explainPairOf(
          db,
          model,
          left,
          right,
          await visibility(
            access,
            people.map(([entity]) => entity?.personId ?? null),
          ),
        );
      });
    },

    async listReviews(access, query = {}) {
      const statuses: LinkageReviewStatus[] =
        query.status === "closed"
          ? ["decided", "superseded"]
          : query.status === "all"
            ? ["open", "unsure", "decided", "superseded"]
            : ["open", "unsure"];
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
      const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
      const items = await access.list("link.read", "review-queue", (filter) =>
        listReviewItems(db, { statuses, personId: query.personId, limit, offset }, (columns) =>
          filter.toSql(columns),
        ),
      );
      if (items.length === 0) return [];
      const model = await requireModel(db);
      return reviewItemViews(
        db,
        model,
        items,
        await visibility(
          access,
          items.flatMap((item) => [item.leftPersonId, item.rightPersonId]),
        ),
      );
    },

    async showReview(access, reviewId) {
      const item = await findReviewItem(db, reviewId);
      const sides = item
        ? await pairSides(item.leftRecord, item.rightRecord)
        : ([undefined, undefined] as const);
      return runOnPair(
        access,
        "link.read",
        `review:${reviewId}`,
        sides,
        () => viewOfReview(access, reviewId),
        () => LinkageServiceErrors.reviewNotFound.create(reviewId),
      );
    },

    async decideReview(access, reviewId, input) {
      const reason = checkedReason(input.reason);
      if (!["accept", "reject", "unsure"].includes(input.outcome)) {
        throw LinkageServiceErrors.decisionInvalid.create(
          `outcome must be accept, reject or unsure, not ${JSON.stringify(input.outcome)}`,
        );
      }
      const item = await findReviewItem(db, reviewId);
      const sides = item
        ? await pairSides(item.leftRecord, item.rightRecord)
        : ([undefined, undefined] as const);
      return runOnPair(
        access,
        "link.decide",
        `review:${reviewId}`,
        sides,
        () =>
          change(access, "review_decision", async (transaction, model) => {
            const locked = await findReviewItem(transaction, reviewId, { forUpdate: true });
            if (!locked) throw LinkageServiceErrors.reviewNotFound.create(reviewId);
            if (locked.status !== "open" && locked.status !== "unsure")
              throw LinkageServiceErrors.reviewClosed.create(reviewId, locked.status);
            const records = [locked.leftRecord, locked.rightRecord];
            if (input.outcome === "unsure") {
              await recordReviewOutcome(transaction, reviewId, {
                status: "unsure",
                outcome: null,
                note: reason,
                decidedBy: actorOf(access),
              });
              return {
                decisionIds: [],
                touched: new Set<string>(),
                retired: [],
                keptApart: [],
                reviewId,
                records,
              };
            }
            await recordReviewOutcome(transaction, reviewId, {
              status: "decided",
              outcome: input.outcome,
              note: reason,
              decidedBy: actorOf(access),
            });
            const changes = await applyPairDecision(transaction, model, {
              left: locked.leftRecord,
              right: locked.rightRecord,
              decision: input.outcome === "accept" ? "must_link" : "cannot_link",
              source: "review",
              reviewId,
              decidedBy: actorOf(access),
              reason,
            });
            return { ...changes, reviewId, records };
          }),
        () => LinkageServiceErrors.reviewNotFound.create(reviewId),
        { outcome: input.outcome },
        item !== undefined,
      );
    },

    async decidePair(access, leftReference, rightReference, input) {
      const reason = checkedReason(input.reason);
      if (input.decision !== "must_link" && input.decision !== "cannot_link") {
        throw LinkageServiceErrors.decisionInvalid.create(
          `decision must be must_link or cannot_link, not ${JSON.stringify(input.decision)}`,
        );
      }
      return onRecordPair(
        access,
        "link.decide",
        leftReference,
        rightReference,
        (left, right) =>
          change(access, "review_decision", async (transaction, model) => ({
            ...(await applyPairDecision(transaction, model, {
              left,
              right,
              decision: input.decision,
              source: "direct",
              decidedBy: actorOf(access),
              reason,
            })),
            records: [left, right],
          })),
        { decision: input.decision },
      );
    },

    async unlinkRecord(access, reference, input) {
      const reason = checkedReason(input.reason);
      const key = referenceKey(reference);
      const { feed, keyValue } = splitEntityKey(key);
      const personId = await findPersonOfRecord(db, feed as never, keyValue);
      const attributes = personId ? (await caseAttributesOf(db, [personId])).get(personId) : undefined;
      const [flags, stored] = await Promise.all([
        recordFlagsOf(db, [key]).then((flagged) => flagged.get(key) ?? []),
        storedRecords([key]),
      ]);
      const resource = linkResource(key, recordSide(attributes, flags));
      // Decided on the record's own flags (its person's case otherwise): a record the reader may
      // not see for its flags alone is answered as one that does not exist; an unflagged record of
      // a person holding a flagged one as any record. Its audit entry names the person only for
      // an unflagged record: a refusal that named a confidential record's person beside one
      // naming none for a missing key told an auditor without the need which keys exist (1367).
      // A key that names no record is refused at its lookup as a confidential one (`runWrite`).
      return runWrite(
        access,
        { lookup: resource, write: resource, found: stored.has(key) },
        () =>
          change(access, "unlink", async (transaction, model) => ({
            ...(await unlinkEntity(transaction, model, key, { decidedBy: actorOf(access), reason })),
            records: [key],
          })),
        () => LinkageServiceErrors.recordNotFound.create(key),
        personId && flags.length === 0 ? { personId } : {},
      );
    },
  };
}

/**
 * `FEED:KEY` as linkage names a record (the key normalised as the feed's key field); a record of
 * a feed that describes no person (flights) is refused: linkage neither links nor explains it.
 */
function referenceKey(reference: string): string {
  const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
  if (!isPersonFeed(feed)) throw LinkageServiceErrors.notPersonRecord.create(`${feed}:${keyValue}`, feed);
  return `${feed}:${keyValue}`;
}

function checkedReason(reason: unknown): string {
  if (typeof reason !== "string" || reason.trim().length === 0) {
    throw LinkageServiceErrors.decisionInvalid.create("a reason is required (who reviewed what, and why)");
  }
  if (reason.length > MAX_REASON)
    throw LinkageServiceErrors.decisionInvalid.create(`the reason is longer than ${MAX_REASON} characters`);
  return reason.trim();
}

/**
 * The record of a pair that a reader is told does not exist: the first side that is not stored,
 * else (a reader without the need) the first flagged side.
 */
function hiddenRecordNotFound(
  sides: readonly [CaseAttributeRow | undefined, CaseAttributeRow | undefined],
  stored: ReadonlySet<string>,
  left: string,
  right: string,
): () => Error {
  const missing = [left, right].find((key) => !stored.has(key));
  const hidden = missing ?? ((sides[0]?.confidentiality.length ?? 0) > 0 ? left : right);
  return () => LinkageServiceErrors.recordNotFound.create(hidden);
}

/** What a change's answer says in place of a person id the reader may not see. */
const WITHHELD = "withheld";

/**
 * A change's answer for a reader who may read the links of the persons `readable` admits: the
 * others are counted in `personsWithheld`, never named (a record that landed in one shows
 * `withheld`; a retirement of one is left out); a kept-apart record `recordShown` refuses (a
 * flagged record the reader may not see) is left out.
 */
export function withholdPersons(
  result: LinkDecisionResult,
  readable: (personId: string) => boolean,
  recordShown: (record: string, personId: string) => boolean,
): LinkDecisionResult {
  const shown = (id: string | null) => (id === null || readable(id) ? id : WITHHELD);
  const hidden = new Set(
    [...result.personsChanged, ...result.retired.map((retirement) => retirement.personId)].filter(
      (id) => !readable(id),
    ),
  );
  return {
    ...result,
    persons: Object.fromEntries(Object.entries(result.persons).map(([record, id]) => [record, shown(id)])),
    personsChanged: result.personsChanged.filter(readable),
    retired: result.retired
      .filter((retirement) => readable(retirement.personId))
      .map((retirement) => ({ ...retirement, successorPersonId: shown(retirement.successorPersonId) })),
    // A kept-apart record the reader may not read (a flagged record) is not named at all.
    keptApart: result.keptApart
      .filter((kept) => recordShown(kept.record, kept.personId))
      .map((kept) => ({ ...kept, personId: shown(kept.personId)! })),
    personsWithheld: hidden.size,
  };
}
