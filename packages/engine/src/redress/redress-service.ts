import { randomBytes, randomUUID } from "node:crypto";
import {
  AccessErrors,
  type AccessResource,
  type AuditedAccess,
  CONFIDENTIALITY_FLAGS,
} from "@passage/access";
import {
  type Feed,
  isFeed,
  isPassageError,
  PassageError,
  PersonsChanged,
  parseIsoDate,
  parseRecordReferenceOrThrow,
} from "@passage/core";
import {
  appendOutboxEvents,
  appendRedressEvent,
  type CaseAttributeRow,
  type CorrectionOutcome,
  type CorrectionRecord,
  canonicalFieldsJson,
  claimRedressResolution,
  closeCitizenshipClaim,
  contentHashOf,
  findCaseAttributes,
  findMembersOfPersons,
  findPersonOfRecord,
  findRecordConfidentiality,
  findRecordsOfPersons,
  findRecordVersions,
  findRedressRequest,
  holdsRedressResolution,
  insertRedressRequest,
  listRedressEvents,
  listRedressRequests,
  markRedressResolved,
  markRedressReviewStarted,
  openCitizenshipClaim,
  outboxEventOf,
  type RedressDocumentReference,
  type RedressEventRow,
  type RedressKind,
  type RedressOutcome,
  type RedressRequestRow,
  type RedressStatus,
  releaseRedressResolution,
  type SqlExecutor,
  type Store,
  stickRedressConfidentiality,
  writeCorrectionRecords,
} from "@passage/store";
import { IngestErrors } from "../ingest/ingest-errors.ts";
import { findRefusedKey } from "../ingest/ndjson-rows.ts";
import { validateRow } from "../ingest/prepare-row.ts";
import { isPersonFeed } from "../linkage/entity-records.ts";
import { caseResource, runWithoutRevealingFlags } from "../linkage/linkage-access.ts";
import type { LinkageService, LinkDecisionResult } from "../linkage/linkage-service.ts";
import { RedressErrors } from "./redress-errors.ts";

/** What a person (through an officer or steward) files. Documents are references, never scans. */
export interface FileRedressInput {
  readonly personId: string;
  readonly kind: RedressKind;
  readonly statement: string;
  /** For `departed`: the day the person says they left. */
  readonly departureDate?: string | undefined;
  /** Records the person disputes, as `FEED:KEY` (for `not_my_record`: at least one). */
  readonly disputedRecords?: readonly string[] | undefined;
  readonly documents?: readonly RedressDocumentReference[] | undefined;
}

/** A correction: a row of a feed, validated as that feed's rows are. */
export interface CorrectionInput {
  readonly feed: string;
  readonly row: Readonly<Record<string, unknown>>;
}

/** A data steward's resolution. */
export interface ResolveRedressInput {
  readonly outcome: RedressOutcome;
  readonly reason: string;
  /** New records or new versions (granted only). */
  readonly corrections?: readonly CorrectionInput[] | undefined;
  /** For a granted citizenship claim: the verified citizenship (a `citizenship` record, basis `verified_claim`). */
  readonly citizenship?:
    | {
        readonly effectiveDate: string;
        readonly certificateId?: string | undefined;
        /**
         * The date of birth on the verified document; the person's own (from their records) when
         * absent. A `citizenship` record requires one: a claim whose person has none is refused
         * unless it is given.
         */
        readonly dateOfBirth?: string | undefined;
      }
    | undefined;
  /** Records (`FEED:KEY`) that are not the person's: taken out of the person by linkage (granted only). */
  readonly unlinks?: readonly string[] | undefined;
  /** Pairs of records (`FEED:KEY`) that must never be linked again (granted only). */
  readonly cannotLink?: readonly { readonly left: string; readonly right: string }[] | undefined;
}

/** Linkage's decisions, which a resolution records through linkage's own service (audited there). */
export type RedressLinkage = Pick<LinkageService, "unlinkRecord" | "decidePair">;

/** A request with its history and time to resolution. */
export interface RedressCase {
  readonly request: RedressRequestRow;
  readonly events: readonly RedressEventRow[];
  /** Days from filing to resolution (null while open). */
  readonly daysToResolution: number | null;
}

export interface RedressResolution extends RedressCase {
  readonly written: readonly CorrectionOutcome[];
  /** What the unlinks and cannot-link decisions changed (linkage's answers). */
  readonly linkDecisions: readonly LinkDecisionResult[];
}

/** The redress workflow as the HTTP layer and the CLI call it; every step is authorized and audited. */
export interface RedressService {
  file(access: AuditedAccess, input: FileRedressInput): Promise<RedressCase>;
  list(
    access: AuditedAccess,
    query?: {
      status?: RedressStatus | undefined;
      personId?: string | undefined;
      limit?: number;
      offset?: number;
    },
  ): Promise<readonly RedressRequestRow[]>;
  show(access: AuditedAccess, requestId: string): Promise<RedressCase>;
  startReview(access: AuditedAccess, requestId: string): Promise<RedressCase>;
  resolve(access: AuditedAccess, requestId: string, input: ResolveRedressInput): Promise<RedressResolution>;
}

const MAX_STATEMENT = 4000;
const MAX_DOCUMENTS = 20;
const MAX_DOCUMENT_FIELD = 100;
const MAX_CORRECTIONS = 50;

/**
 * The access resource of a redress request: its office (the case's, else the one it was filed
 * under), assignees, and every confidentiality flag it has touched (`RedressRequestRow`).
 */
export function redressResource(requestId: string, attributes: CaseAttributeRow) {
  return caseResource("RedressRequest", requestId, attributes);
}

const NO_CASE: CaseAttributeRow = { office: "", assignees: [], confidentiality: [] };

/**
 * How long a resolution holds its request before another may take it over: one still holding it
 * after this was left by a process that ended mid-resolution (a resolution takes seconds).
 */
export const REDRESS_RESOLUTION_STALE_MS = 10 * 60_000;

/**
 * The request as its resolution acts on it: on the person its records belong to now. A person
 * merged into another since the filing (a must-link decision, a batch run) is retired; acting on
 * its old id, a resolution refused the survivor's records as another person's, wrote a granted
 * citizenship record's membership to a person that no longer exists, and re-derived no one.
 */
function actingOn(request: RedressRequestRow): RedressRequestRow {
  const current = request.currentPersonId;
  return current == null || current === request.personId ? request : { ...request, personId: current };
}

export function createRedressService(options: {
  store: Pick<Store, "db">;
  /** Linkage's decisions (absent: a resolution with unlinks or cannot-link decisions is refused). */
  linkage?: RedressLinkage | undefined;
}): RedressService {
  const { db } = options.store;
  const actorLabel = (access: AuditedAccess) => `${access.scope.actor.kind}:${access.scope.actor.id}`;

  async function caseOf(executor: SqlExecutor, requestId: string): Promise<RedressCase> {
    const request = await findRedressRequest(executor, requestId);
    if (!request) throw RedressErrors.requestNotFound.create(requestId);
    return {
      request,
      events: await listRedressEvents(executor, requestId),
      daysToResolution:
        request.resolvedAt === null
          ? null
          : Math.round(((Date.parse(request.resolvedAt) - Date.parse(request.filedAt)) / 86_400_000) * 100) /
            100,
    };
  }

  /**
   * Runs a step on an existing request, audited against its case (a missing one is audited too).
   * A decision (review, resolution) never answers by the person's confidentiality flags a reader
   * who may not decide a flagged request (8 CFR 208.6, 8 U.S.C. 1367; the policies forbid
   * `redress.decide` on it without the need):
   * - its filer, who reads back what they filed whatever the person's flags (`asFilerSees`), is
   *   refused the decision on every request they filed alike (decided as if the person held every
   *   confidential matter, `decidedAsFiler`): another steward decides it, one with the need where
   *   the person has a flagged matter. Deciding an unflagged person's request while being refused a
   *   flagged one's would tell the filer which person holds an asylum or 1367 matter.
   * - anyone else, who reads a flagged request as one that does not exist, is answered
   *   PASSAGE_ERR_REDRESS_NOT_FOUND for it too (`runWithoutRevealingFlags`).
   */
  async function onRequest<T>(
    access: AuditedAccess,
    action: "redress.read" | "redress.decide",
    requestId: string,
    work: (request: RedressRequestRow) => Promise<T>,
    details: Record<string, string | number | boolean | null> = {},
  ): Promise<T> {
    const request = await findRedressRequest(db, requestId);
    // A decision is a write: `run` records it also as it starts, so that one committed by a process
    // that ends before its outcome is recorded still has its entry (issue 6: every step is audited).
    const resource = redressResource(requestId, request ?? NO_CASE);
    const guarded = async () => {
      if (!request) throw RedressErrors.requestNotFound.create(requestId);
      return work(request);
    };
    const entry = { personId: request?.personId ?? null, ...details };
    if (!request || action !== "redress.decide") return access.run(action, resource, guarded, entry);
    if (decidedAsFiler(access, request)) {
      return refusedAsFiler(() =>
        access.run(action, asIfEveryMatterHeld(request), guarded, {
          ...entry,
          asFiler: true,
          decidedAs: "every confidential matter held",
        }),
      );
    }
    return runWithoutRevealingFlags(
      access,
      action,
      resource,
      guarded,
      () => RedressErrors.requestNotFound.create(requestId),
      entry,
    );
  }

  /**
   * Takes the request for one resolution, in a short transaction of its own (the request's row
   * lock is held only for it, never across other work: a connection held while the work takes
   * more from the same pool deadlocks the pool under concurrent resolutions). Refused when the
   * request is resolved or another resolution holds it; the checks that could refuse the
   * resolution run here, and the flags of every record it names are stored with the request.
   */
  async function claimOrThrow(
    access: AuditedAccess,
    requestId: string,
    corrections: readonly CorrectionRecord[],
    input: ResolveRedressInput,
  ): Promise<{ token: string; request: RedressRequestRow }> {
    return db.transaction().execute(async (transaction) => {
      const request = actingOn((await findRedressRequest(transaction, requestId, { forUpdate: true }))!);
      if (request.status === "resolved")
        throw RedressErrors.alreadyResolved.create(requestId, request.outcome ?? "");
      await checkOwnRecordsOrThrow(transaction, request, corrections, input);
      const token = randomUUID();
      const staleBefore = new Date(Date.now() - REDRESS_RESOLUTION_STALE_MS).toISOString();
      const { taken } = await claimRedressResolution(transaction, {
        requestId,
        token,
        by: actorLabel(access),
        staleBefore,
      });
      if (!taken) {
        throw resolutionInProgress(request);
      }
      await stickRedressConfidentiality(transaction, requestId, namedRecords(corrections, input));
      return { token, request };
    });
  }

  /**
   * Every record a resolution corrects, unlinks or keeps apart must be the request's person's (a
   * correction may also be a new record): refused before anything is written or decided.
   */
  async function checkOwnRecordsOrThrow(
    executor: SqlExecutor,
    request: RedressRequestRow,
    corrections: readonly CorrectionRecord[],
    input: ResolveRedressInput,
  ): Promise<void> {
    const personOf = async (feed: string, keyValue: string) =>
      findPersonOfRecord(executor, feed as Feed, keyValue);
    for (const correction of corrections) {
      const reference = `${correction.feed}:${correction.keyValue}`;
      // A correction becomes one of the person's records: a feed not about a person (flights) is
      // no one's record (SOURCES.md).
      if (!isPersonFeed(correction.feed)) {
        throw RedressErrors.correctionNotAboutPerson.create(reference, correction.feed);
      }
      const owner = await personOf(correction.feed, correction.keyValue);
      if (owner !== undefined && owner !== request.personId) {
        throw RedressErrors.recordOfAnotherPerson.create(reference);
      }
      // A stored record that linkage holds in no person may be another person's not yet linked
      // (or unlinked from them): a correction attaches the person's own records and new ones only.
      if (
        owner === undefined &&
        (await findRecordVersions(executor, correction.feed, correction.keyValue)).length > 0
      ) {
        throw RedressErrors.recordOfNoPerson.create(reference, request.personId);
      }
    }
    await checkLinkChangesOrThrow(executor, request, input);
  }

  /**
   * Every unlink and cannot-link decision a resolution asks of linkage, checked before the first
   * of them is taken (each commits on its own): every record exists and is of a feed about a
   * person, every unlinked record is the person's and is unlinked once, and the unlinks leave the
   * person at least one record; every pair is of two different records, named once, one of them
   * the person's. Each refusal names the offending record; nothing is written.
   */
  async function checkLinkChangesOrThrow(
    executor: SqlExecutor,
    request: RedressRequestRow,
    input: ResolveRedressInput,
  ): Promise<void> {
    const unlinks = input.unlinks ?? [];
    const pairs = input.cannotLink ?? [];
    if (unlinks.length + pairs.length === 0) return;
    if (!options.linkage) {
      throw RedressErrors.requestInvalid.create(
        "record linkage is not available here: unlinks and cannot-link decisions need it; nothing was written",
      );
    }
    const owners = new Map<string, string | null>();
    const ownerOf = async (reference: string, role: string): Promise<[string, string | null]> => {
      const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
      const key = `${feed}:${keyValue}`;
      if (!isPersonFeed(feed)) {
        throw RedressErrors.requestInvalid.create(
          `${role} ${key} is a ${feed} record, which is not about a person: linkage neither links nor unlinks it; nothing was written`,
        );
      }
      if (!owners.has(key)) {
        const exists = (await findRecordVersions(executor, feed, keyValue)).length > 0;
        if (!exists) {
          throw RedressErrors.requestInvalid.create(
            `${role} ${key}: no such record (check the feed and key); nothing was written`,
          );
        }
        owners.set(key, (await findPersonOfRecord(executor, feed, keyValue)) ?? null);
      }
      return [key, owners.get(key)!];
    };
    const unlinked = new Set<string>();
    for (const reference of unlinks) {
      const [key, owner] = await ownerOf(reference, "unlinked record");
      if (unlinked.has(key)) {
        throw RedressErrors.requestInvalid.create(
          `unlinked record ${key} is named twice: name each record once; nothing was written`,
        );
      }
      if (owner !== request.personId) {
        throw RedressErrors.requestInvalid.create(
          `record ${key} is not a record of ${request.personId}: a resolution unlinks its own person's records only; nothing was written`,
        );
      }
      unlinked.add(key);
    }
    if (unlinked.size > 0) {
      const members = (await findMembersOfPersons(executor, [request.personId])).get(request.personId) ?? [];
      if (members.length <= unlinked.size) {
        throw RedressErrors.requestInvalid.create(
          `unlinking ${[...unlinked].join(", ")} would leave ${request.personId} no record: a record is unlinked from the person's others; keep at least one; nothing was written`,
        );
      }
    }
    const decided = new Set<string>();
    for (const pair of pairs) {
      const [left, leftOwner] = await ownerOf(pair.left, "cannot-link record");
      const [right, rightOwner] = await ownerOf(pair.right, "cannot-link record");
      if (left === right) {
        throw RedressErrors.requestInvalid.create(
          `cannot-link pair ${left} ~ ${right} names one record twice: a cannot-link keeps two different records apart; nothing was written`,
        );
      }
      const pairKey = [left, right].sort().join(" ~ ");
      if (decided.has(pairKey)) {
        throw RedressErrors.requestInvalid.create(
          `cannot-link pair ${left} ~ ${right} is named twice: name each pair once; nothing was written`,
        );
      }
      decided.add(pairKey);
      if (leftOwner !== request.personId && rightOwner !== request.personId) {
        throw RedressErrors.requestInvalid.create(
          `neither ${left} nor ${right} is a record of ${request.personId}: a resolution keeps its own person's records apart only; nothing was written`,
        );
      }
    }
  }

  /** Takes the request into review by the actor, with its history event, in `transaction`. */
  async function startReviewIn(
    transaction: SqlExecutor,
    access: AuditedAccess,
    requestId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await markRedressReviewStarted(transaction, requestId, actorLabel(access));
    await appendRedressEvent(transaction, {
      requestId,
      actor: actorLabel(access),
      step: "review_started",
      details,
    });
  }

  /**
   * Records a resolution whose link decisions are taken: its correction records, the claim's
   * closing, the request's outcome and history, and PersonsChanged, in one transaction.
   */
  async function recordResolution(
    access: AuditedAccess,
    requestId: string,
    input: ResolveRedressInput,
    corrections: readonly CorrectionRecord[],
    linkDecisions: LinkDecisionResult[],
    token: string,
  ) {
    return db.transaction().execute(async (transaction) => {
      const request = actingOn((await findRedressRequest(transaction, requestId, { forUpdate: true }))!);
      if (request.status === "resolved")
        throw RedressErrors.alreadyResolved.create(requestId, request.outcome ?? "");
      if (!(await holdsRedressResolution(transaction, requestId, token))) {
        // Taken over as abandoned while this one ran past REDRESS_RESOLUTION_STALE_MS.
        throw resolutionInProgress(request);
      }
      await stickRedressConfidentiality(transaction, requestId, namedRecords(corrections, input));
      const written = await writeCorrectionRecords(transaction, requestId, request.personId, corrections);
      for (const outcome of written) {
        if (outcome.personId !== request.personId) {
          throw RedressErrors.recordOfAnotherPerson.create(`${outcome.feed}:${outcome.keyValue}`);
        }
      }
      if (request.claimId) {
        await closeCitizenshipClaim(transaction, {
          claimId: request.claimId,
          closedOn: new Date().toISOString().slice(0, 10),
          outcome:
            input.outcome === "granted" ? "verified" : input.outcome === "denied" ? "rejected" : "withdrawn",
          reason: input.reason.trim(),
        });
      }
      const summary = [
        ...written.map((outcome) => ({
          record: `${outcome.feed}:${outcome.recordKey}`,
          version: outcome.version,
          outcome: outcome.outcome,
        })),
        ...(input.unlinks ?? []).map((record) => ({ record, outcome: "unlinked" })),
        ...(input.cannotLink ?? []).map((pair) => ({
          record: `${pair.left} ~ ${pair.right}`,
          outcome: "cannot_link",
        })),
      ];
      if (request.status === "filed") {
        // Resolved without a review first: the resolver reviewed it as they resolved it, and
        // the history says so (the request's reviewer fields would otherwise imply a step the
        // events do not show).
        await startReviewIn(transaction, access, requestId, { withResolution: true });
      }
      await markRedressResolved(transaction, {
        requestId,
        outcome: input.outcome,
        reason: input.reason.trim(),
        resolvedBy: actorLabel(access),
        corrections: summary,
      });
      await appendRedressEvent(transaction, {
        requestId,
        actor: actorLabel(access),
        step: "resolved",
        details: { outcome: input.outcome, reason: input.reason.trim(), corrections: summary },
      });
      await announce(transaction, request.personId);
      return { ...(await caseOf(transaction, requestId)), written, linkDecisions };
    });
  }

  async function decideLinks(
    access: AuditedAccess,
    request: RedressRequestRow,
    input: ResolveRedressInput,
  ): Promise<LinkDecisionResult[]> {
    const unlinks = input.unlinks ?? [];
    const pairs = input.cannotLink ?? [];
    if (unlinks.length + pairs.length === 0 || !options.linkage) return [];
    const reason = `redress ${request.requestId}: ${input.reason.trim()}`.slice(0, 2000);
    const { linkage } = options;
    // Each step as the request's summaries name it (`record`, `outcome`), for the history.
    const steps = [
      ...unlinks.map((record) => ({
        named: `unlink ${record}`,
        summary: { record, outcome: "unlinked" },
        take: () => linkage.unlinkRecord(access, record, { reason }),
      })),
      ...pairs.map((pair) => ({
        named: `cannot-link ${pair.left} ~ ${pair.right}`,
        summary: { record: `${pair.left} ~ ${pair.right}`, outcome: "cannot_link" },
        take: () => linkage.decidePair(access, pair.left, pair.right, { decision: "cannot_link", reason }),
      })),
    ];
    // Each decision commits on its own (linkage's service, audited there): what can refuse one on
    // its input is checked before the first (`checkLinkChangesOrThrow`); one refused for what the
    // earlier ones changed (a must-link chain, a person split by an unlink) or by access is said
    // with the decisions already taken, so that the steward knows what stands.
    const results: LinkDecisionResult[] = [];
    for (const [index, step] of steps.entries()) {
      try {
        results.push(await step.take());
      } catch (error) {
        if (index === 0) throw error;
        const taken = steps.slice(0, index);
        const problem = error instanceof Error ? error.message : String(error);
        // The decisions taken stand (each committed): the request's history says so, not only
        // linkage's audit, and the request stays open for a resolution without them.
        await appendRedressEvent(db, {
          requestId: request.requestId,
          actor: actorLabel(access),
          step: "links_partly_decided",
          details: {
            reason: input.reason.trim(),
            taken: taken.map((decided) => decided.summary),
            refused: step.summary,
            problem,
          },
        });
        throw RedressErrors.linksPartlyDecided.create(
          request.requestId,
          taken.map((decided) => decided.named),
          step.named,
          problem,
        );
      }
    }
    return results;
  }

  return {
    async file(access, input) {
      const checked = checkFilingOrThrow(input);
      const attributes = (await findCaseAttributes(db, [checked.personId])).get(checked.personId);
      const requestId = `RR-${new Date().toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(4).toString("hex")}`;
      // A write: `run` records it as it starts too (the filing commits before its outcome's entry).
      // A person out of the filer's reach (another office) is refused as one that does not exist
      // is (an office-scoped filer is refused both before the lookup: no case, no office), and the
      // refusal names the person asked about, not the request id made up for this filing; the
      // audit entry keeps the denial as it was decided.
      return fileAs(checked.personId, () =>
        access.run(
          "redress.file",
          redressResource(requestId, attributes ?? NO_CASE),
          () =>
            db.transaction().execute(async (transaction) => {
              if (!attributes) throw RedressErrors.personNotFound.create(checked.personId);
              for (const reference of checked.disputedRecords) {
                if (!(await mayNameRecord(transaction, access, checked.personId, attributes, reference))) {
                  throw RedressErrors.requestInvalid.create(
                    `record ${reference} is not a record of ${checked.personId} that you may read`,
                  );
                }
              }
              const claimId = checked.kind === "citizenship" ? `CC-${requestId}` : null;
              await insertRedressRequest(transaction, {
                ...checked,
                requestId,
                filedBy: actorLabel(access),
                claimId: null,
              });
              await stickRedressConfidentiality(
                transaction,
                requestId,
                checked.disputedRecords.map((reference) => parseRecordReferenceOrThrow(reference)),
              );
              if (claimId) {
                // DOMAIN.md §1.9: a claim to U.S. citizenship blocks every civil immigration action at
                // once, until it is resolved; the lifecycle reads open claims.
                await openCitizenshipClaim(transaction, {
                  claimId,
                  personId: checked.personId,
                  openedOn: new Date().toISOString().slice(0, 10),
                  requestId,
                });
                await transaction
                  .updateTable("redress_request")
                  .set({ claim_id: claimId })
                  .where("request_id", "=", requestId)
                  .execute();
              }
              await appendRedressEvent(transaction, {
                requestId,
                actor: actorLabel(access),
                step: "filed",
                details: { kind: checked.kind, documents: checked.documents.length, claimId },
              });
              await announce(transaction, checked.personId);
              return withFlagsShownTo(access, await caseOf(transaction, requestId));
            }),
          { personId: checked.personId, kind: checked.kind, documents: checked.documents.length },
        ),
      );
    },

    async list(access, query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
      const offset = Math.max(query.offset ?? 0, 0);
      const rows = await access.list("redress.read", query.personId ?? "*", (filter) =>
        listRedressRequests(
          db,
          {
            status: query.status,
            personId: query.personId,
            limit,
            offset,
            // The filer's own requests, as `show` answers them (see `filedByReaderOnly`).
            filedBy: actorLabel(access),
          },
          (columns) => filter.toSql(columns),
        ),
      );
      return Promise.all(
        rows.map(async (request) =>
          filedByReaderOnly(access, request)
            ? (await asFilerSees(db, access, { request, events: [] })).request
            : request,
        ),
      );
    },

    async show(access, requestId) {
      const request = await findRedressRequest(db, requestId);
      if (!request) return onRequest(access, "redress.read", requestId, () => caseOf(db, requestId));
      if (filedByReaderOnly(access, request)) {
        return access.run(
          "redress.read",
          redressResource(requestId, { ...request, confidentiality: [] }),
          async () => ({ ...(await asFilerSees(db, access, await caseOf(db, requestId))) }),
          { personId: request.personId, asFiler: true },
        );
      }
      // A reader refused for the request's flags alone is answered as for a request that does not
      // exist (8 CFR 208.6 and 8 U.S.C. 1367 protect the matter's existence).
      return runWithoutRevealingFlags(
        access,
        "redress.read",
        redressResource(requestId, request),
        () => caseOf(db, requestId),
        () => RedressErrors.requestNotFound.create(requestId),
        { personId: request.personId },
      );
    },

    startReview(access, requestId) {
      return onRequest(access, "redress.decide", requestId, () =>
        db.transaction().execute(async (transaction) => {
          const request = (await findRedressRequest(transaction, requestId, { forUpdate: true }))!;
          if (request.status !== "filed")
            throw RedressErrors.wrongState.create(requestId, request.status, "filed");
          await startReviewIn(transaction, access, requestId, {});
          await stickRedressConfidentiality(transaction, requestId);
          return caseOf(transaction, requestId);
        }),
      );
    },

    async resolve(access, requestId, input) {
      const resolution = await onRequest(
        access,
        "redress.decide",
        requestId,
        async (found) => {
          const existing = actingOn(found);
          const plan = planResolutionOrThrow(existing, input);
          const personRecords =
            (await findRecordsOfPersons(db, [existing.personId])).get(existing.personId) ?? [];
          plan.records.push(
            ...citizenshipRecordOf(
              existing,
              input,
              personRecords.map((record) => record.fields),
            ),
          );
          // One instant for the whole resolution: a correction is judged as a row received now.
          const receivedAt = new Date().toISOString();
          const corrections = plan.records.map((record, index) =>
            toCorrectionRecordOrThrow(record, index, receivedAt),
          );
          // The steward must be allowed to write each corrected record: checked (and a refusal
          // recorded) before anything is written.
          for (const correction of corrections) {
            const resource = recordResource(correction, existing);
            if (!access.can("record.write", resource))
              await access.run("record.write", resource, () => undefined);
          }
          // One resolution of a request at a time: it takes the request first (a second steward's
          // is refused, resolved or in progress, before any of its link decisions is taken) and
          // holds no connection while it works.
          const { token, request: current } = await claimOrThrow(access, requestId, corrections, input);
          try {
            // Linkage's decisions go through its own service (each authorized as link.decide,
            // audited, re-deriving the persons it changes) before the resolution is recorded; what
            // could refuse the resolution is checked as it is taken, before any of them.
            const linkDecisions = await decideLinks(access, current, input);
            return await recordResolution(access, requestId, input, corrections, linkDecisions, token);
          } catch (error) {
            await releaseRedressResolution(db, requestId, token).catch(() => undefined);
            throw error;
          }
        },
        { outcome: typeof input.outcome === "string" ? input.outcome : null },
      );
      for (const outcome of resolution.written) {
        await access.run("record.write", recordResource(outcome, resolution.request), () => undefined, {
          redressRequest: requestId,
          outcome: outcome.outcome,
          version: outcome.version,
        });
      }
      return resolution;
    },
  };
}

/**
 * Whether a filer may name `reference` as a disputed record of the person: it is the person's,
 * and, when it is an asylum or 1367 record, the filer may read it. 8 CFR 208.6 and 8 U.S.C. 1367
 * protect the matter's existence: a filer without the need gets the same refusal for the person's
 * confidential record as for a record that is not the person's, so a filing cannot confirm one.
 */
async function mayNameRecord(
  executor: SqlExecutor,
  access: AuditedAccess,
  personId: string,
  attributes: CaseAttributeRow,
  reference: string,
): Promise<boolean> {
  const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
  if ((await findPersonOfRecord(executor, feed as Feed, keyValue)) !== personId) return false;
  const flags = await findRecordConfidentiality(executor, feed, keyValue);
  return (
    flags.length === 0 || access.can("record.read", caseResource("Record", reference, attributes, flags))
  );
}

/**
 * The filed request as its filer may see it: the person's confidentiality flags only where the
 * filer may read a request with that flag (a removal officer files for anyone of the office, and
 * must not learn from the answer that the person has an asylum or 1367 matter).
 */
function withFlagsShownTo(access: AuditedAccess, filed: RedressCase): RedressCase {
  const { request } = filed;
  const shown = request.confidentiality.filter((flag) =>
    access.can("redress.read", redressResource(request.requestId, { ...request, confidentiality: [flag] })),
  );
  return shown.length === request.confidentiality.length
    ? filed
    : { ...filed, request: { ...request, confidentiality: shown } };
}

/** The records a resolution corrects, unlinks or keeps apart, as `{feed, keyValue}`. */
function namedRecords(
  corrections: readonly CorrectionRecord[],
  input: ResolveRedressInput,
): { feed: string; keyValue: string }[] {
  return [
    ...corrections.map(({ feed, keyValue }) => ({ feed, keyValue })),
    ...[...(input.unlinks ?? []), ...(input.cannotLink ?? []).flatMap((pair) => [pair.left, pair.right])].map(
      (reference) => parseRecordReferenceOrThrow(reference),
    ),
  ];
}

/**
 * Whether `access` reads `request` only as its filer: it filed it and may read the requests of the
 * person's case, but not this one's confidentiality flags. A filer reads what they filed whatever
 * the person's confidentiality (`asFilerSees`), so that reading it back tells them nothing a
 * filing for an unflagged person would not.
 */
function filedByReaderOnly(access: AuditedAccess, request: RedressRequestRow): boolean {
  if (request.filedBy !== `${access.scope.actor.kind}:${access.scope.actor.id}`) return false;
  const resource = redressResource(request.requestId, request);
  return (
    !access.can("redress.read", resource) &&
    access.can("redress.read", redressResource(request.requestId, { ...request, confidentiality: [] }))
  );
}

/**
 * Whether `access` decides `request` only as its filer: it filed it and would be refused
 * `redress.decide` were the person to hold every confidential matter (a steward without the
 * asylum and 1367 needs). Never depends on the request's own flags, so that the answer to its
 * filer's review or resolution tells nothing of them.
 */
function decidedAsFiler(access: AuditedAccess, request: RedressRequestRow): boolean {
  if (request.filedBy !== `${access.scope.actor.kind}:${access.scope.actor.id}`) return false;
  return !access.can("redress.decide", asIfEveryMatterHeld(request));
}

/**
 * Runs the decision of a request by its filer (`decidedAsFiler`), saying why its refusal is one:
 * the filer holds `redress.decide` (as /auth/me lists), but another steward must decide what they
 * filed. Still PASSAGE_ERR_ACCESS_DENIED, and said alike whatever the person's flags.
 */
async function refusedAsFiler<T>(decision: () => Promise<T>): Promise<T> {
  try {
    return await decision();
  } catch (error) {
    if (
      isPassageError(error) &&
      error.code === AccessErrors.denied.code &&
      error.details?.action === "redress.decide"
    ) {
      throw new PassageError(
        error.code,
        error.kind,
        `${error.message}: you filed this request, so another data steward must decide it (a filer decides their own request only with the asylum and 1367 needs)`,
        { ...error.details, filedByActor: true },
      );
    }
    throw error;
  }
}

/** The request's access resource as if its person held every confidential matter. */
function asIfEveryMatterHeld(request: RedressRequestRow) {
  return redressResource(request.requestId, { ...request, confidentiality: [...CONFIDENTIALITY_FLAGS] });
}

/**
 * A request as its filer without the need sees it (`filedByReaderOnly`): the flags they may not
 * read left out, and so is every correction (in the request and its history) of a record whose
 * flags they may not read, as a request of an unflagged person would show them.
 */
async function asFilerSees<T extends Pick<RedressCase, "request" | "events">>(
  executor: SqlExecutor,
  access: AuditedAccess,
  seen: T,
): Promise<T> {
  const { request } = seen;
  const mayRead = (flags: readonly string[]) =>
    flags.every((flag) =>
      access.can("redress.read", redressResource(request.requestId, { ...request, confidentiality: [flag] })),
    );
  const hiddenRecords = new Map<string, boolean>();
  const readable = async (entry: unknown): Promise<boolean> => {
    const record = (entry as { record?: unknown })?.record;
    if (typeof record !== "string") return true;
    for (const reference of record.split(" ~ ")) {
      let hidden = hiddenRecords.get(reference);
      if (hidden === undefined) {
        const separator = reference.indexOf(":");
        const flags = await findRecordConfidentiality(
          executor,
          reference.slice(0, separator),
          reference.slice(separator + 1),
        );
        hidden = !mayRead(flags);
        hiddenRecords.set(reference, hidden);
      }
      if (hidden) return false;
    }
    return true;
  };
  const shownOf = async (entries: readonly unknown[]) => {
    const shown: unknown[] = [];
    for (const entry of entries) if (await readable(entry)) shown.push(entry);
    return shown;
  };
  const shownEvents = await Promise.all(
    seen.events.map(async (event) => {
      // An event about one record (a source superseding a correction: `source_superseded`) is
      // left out whole, as a request of an unflagged person would have none about that record;
      // so is a partly decided resolution naming any such record.
      if (!(await readable(event.details))) return undefined;
      if (event.step === "links_partly_decided") {
        const named = [...((event.details.taken as unknown[]) ?? []), event.details.refused];
        for (const entry of named) if (!(await readable(entry))) return undefined;
      }
      return Array.isArray(event.details.corrections)
        ? { ...event, details: { ...event.details, corrections: await shownOf(event.details.corrections) } }
        : event;
    }),
  );
  const events = shownEvents.filter((event) => event !== undefined);
  return {
    ...seen,
    request: {
      ...request,
      confidentiality: request.confidentiality.filter((flag) => mayRead([flag])),
      corrections: await shownOf(request.corrections),
    },
    events,
  };
}

/**
 * Runs a filing, answering its refusal (PASSAGE_ERR_ACCESS_DENIED) as PASSAGE_ERR_REDRESS_PERSON_NOT_FOUND
 * naming the person: the same answer as for a person that does not exist, so that it tells nothing
 * of whether one does. A missing purpose (PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED) is said as it is.
 */
async function fileAs<T>(personId: string, filing: () => Promise<T>): Promise<T> {
  try {
    return await filing();
  } catch (error) {
    if (isPassageError(error) && error.code === AccessErrors.denied.code) {
      throw RedressErrors.personNotFound.create(personId);
    }
    throw error;
  }
}

/** PASSAGE_ERR_REDRESS_RESOLUTION_IN_PROGRESS, naming who holds the request's resolution and since when. */
function resolutionInProgress(request: RedressRequestRow): Error {
  return RedressErrors.resolutionInProgress.create(
    request.requestId,
    request.resolvingBy ?? "another steward",
    request.resolvingSince ?? "",
  );
}

/** PersonsChanged (reason `redress`) in the step's transaction: the projections re-derive the rest. */
async function announce(transaction: SqlExecutor, personId: string): Promise<void> {
  await appendOutboxEvents(transaction, [
    outboxEventOf(PersonsChanged, personId, {
      personIds: [personId],
      retiredPersonIds: [],
      reason: "redress",
    }),
  ]);
}

function recordResource(
  record: { feed: string; keyValue: string },
  request: Pick<RedressRequestRow, "office" | "assignees"> | undefined,
): AccessResource {
  return {
    type: "Record",
    id: `${record.feed}:${record.keyValue}`,
    attributes: { office: request?.office ?? "", assignees: request?.assignees ?? [], confidentiality: [] },
  };
}

function text(value: unknown, name: string, max: number, required = true): string {
  if (value === undefined || value === null || value === "") {
    if (required) throw RedressErrors.requestInvalid.create(`${name} is required`);
    return "";
  }
  if (typeof value !== "string") throw RedressErrors.requestInvalid.create(`${name} must be text`);
  const trimmed = value.trim();
  if (required && trimmed === "") throw RedressErrors.requestInvalid.create(`${name} is required`);
  if (trimmed.length > max)
    throw RedressErrors.requestInvalid.create(`${name} is longer than ${max} characters`);
  return trimmed;
}

/** Validates a filing; documents are references whose every field is short text (no scans, no files). */
export function checkFilingOrThrow(input: FileRedressInput) {
  const kinds: readonly RedressKind[] = ["citizenship", "not_my_record", "departed", "other"];
  if (!kinds.includes(input.kind))
    throw RedressErrors.requestInvalid.create(`kind must be one of ${kinds.join(", ")}`);
  const personId = text(input.personId, "personId", 200);
  const statement = text(input.statement, "statement", MAX_STATEMENT);
  const documents = input.documents ?? [];
  if (!Array.isArray(documents) || documents.length > MAX_DOCUMENTS) {
    throw RedressErrors.requestInvalid.create(`at most ${MAX_DOCUMENTS} document references`);
  }
  const references = documents.map((document, index) => ({
    type: text(document?.type, `documents[${index}].type`, MAX_DOCUMENT_FIELD),
    number: text(document?.number, `documents[${index}].number`, MAX_DOCUMENT_FIELD),
    issuer: text(document?.issuer, `documents[${index}].issuer`, MAX_DOCUMENT_FIELD),
  }));
  const disputedRecords = [...new Set(input.disputedRecords ?? [])];
  if (disputedRecords.length > MAX_CORRECTIONS)
    throw RedressErrors.requestInvalid.create("too many disputed records");
  for (const reference of disputedRecords) parseRecordReferenceOrThrow(reference);
  if (input.kind === "not_my_record" && disputedRecords.length === 0) {
    throw RedressErrors.requestInvalid.create(
      "a not_my_record request names the disputed records (FEED:KEY)",
    );
  }
  const departureDate =
    input.kind === "departed" ? pastDateOrThrow(input.departureDate, "departureDate") : null;
  return { personId, kind: input.kind, statement, documents: references, disputedRecords, departureDate };
}

/** A date that exists and is not after today (UTC): a departure, a citizenship's effective date. */
function pastDateOrThrow(value: unknown, name: string): string {
  const date = text(value, name, 10);
  const parsed = parseIsoDate(date);
  if (!parsed.ok) throw RedressErrors.requestInvalid.create(`${name}: ${parsed.reason}`);
  if (date > new Date().toISOString().slice(0, 10)) {
    throw RedressErrors.requestInvalid.create(`${name} ${date} is in the future`);
  }
  return date;
}

function planResolutionOrThrow(request: RedressRequestRow, input: ResolveRedressInput) {
  const outcomes: readonly RedressOutcome[] = ["granted", "denied", "withdrawn"];
  if (!outcomes.includes(input.outcome))
    throw RedressErrors.requestInvalid.create(`outcome must be one of ${outcomes.join(", ")}`);
  text(input.reason, "reason", MAX_STATEMENT);
  const corrections = input.corrections ?? [];
  if (!Array.isArray(corrections) || corrections.length > MAX_CORRECTIONS) {
    throw RedressErrors.requestInvalid.create(`at most ${MAX_CORRECTIONS} corrections`);
  }
  const unlinks = input.unlinks ?? [];
  const pairs = input.cannotLink ?? [];
  if (!Array.isArray(unlinks) || !Array.isArray(pairs) || unlinks.length + pairs.length > MAX_CORRECTIONS) {
    throw RedressErrors.requestInvalid.create(`at most ${MAX_CORRECTIONS} unlinks and cannot-link decisions`);
  }
  for (const record of unlinks) parseRecordReferenceOrThrow(record);
  for (const pair of pairs) {
    parseRecordReferenceOrThrow(pair?.left);
    parseRecordReferenceOrThrow(pair?.right);
  }
  const linkChanges = unlinks.length + pairs.length;
  if (input.outcome !== "granted" && (corrections.length > 0 || input.citizenship || linkChanges > 0)) {
    throw RedressErrors.requestInvalid.create(
      `a ${input.outcome} request writes no corrections and changes no links`,
    );
  }
  if (input.citizenship && request.kind !== "citizenship") {
    throw RedressErrors.requestInvalid.create("a verified citizenship resolves a citizenship claim only");
  }
  // A citizenship that takes effect only later would not block action now: the verified citizen
  // would go back on the worklist as the claim closes.
  if (input.citizenship) pastDateOrThrow(input.citizenship.effectiveDate, "citizenship.effectiveDate");
  if (input.citizenship?.dateOfBirth !== undefined) {
    pastDateOrThrow(input.citizenship.dateOfBirth, "citizenship.dateOfBirth");
  }
  if (input.outcome === "granted" && request.kind === "citizenship" && !input.citizenship) {
    throw RedressErrors.requestInvalid.create(
      "a granted citizenship claim needs the verified citizenship (effectiveDate)",
    );
  }
  if (
    input.outcome === "granted" &&
    request.kind !== "citizenship" &&
    corrections.length + linkChanges === 0
  ) {
    throw RedressErrors.requestInvalid.create(
      "a granted request is resolved by at least one correction record, unlink or cannot-link decision",
    );
  }
  return { records: corrections.map((correction) => ({ feed: correction?.feed, row: correction?.row })) };
}

/** The citizenship record of a verified claim: basis `verified_claim`, the person's own identifiers. */
function citizenshipRecordOf(
  request: RedressRequestRow,
  input: ResolveRedressInput,
  fields: readonly Readonly<Record<string, unknown>>[],
): CorrectionInput[] {
  if (!input.citizenship) return [];
  const first = (name: string) =>
    fields.map((field) => field[name]).find((value) => typeof value === "string");
  const row: Record<string, unknown> = {
    certificate_id: input.citizenship.certificateId ?? `VC-${request.requestId}`,
    basis: "verified_claim",
    effective_date: input.citizenship.effectiveDate,
  };
  for (const name of ["family_name", "given_names", "a_number", "nationality", "country_of_birth"]) {
    const value = first(name);
    if (value !== undefined) row[name] = value;
  }
  // A citizenship record requires a date of birth (SOURCES.md): the verified document's, else the
  // person's own; with neither, the steward is told to give it before anything is written.
  const dateOfBirth = input.citizenship.dateOfBirth ?? first("date_of_birth");
  if (dateOfBirth === undefined) {
    throw RedressErrors.requestInvalid.create(
      `none of ${request.personId}'s records has a date of birth, and a citizenship record requires one: give the date of birth on the verified document (citizenship.dateOfBirth over HTTP, --citizenship-birth-date on the CLI); nothing was written`,
    );
  }
  // ISO dates compare as text. A birth date from the records may be the wrong one (a redress may be
  // about exactly that), so the steward is told how to give the document's.
  if (input.citizenship.effectiveDate < dateOfBirth) {
    const given =
      input.citizenship.dateOfBirth !== undefined
        ? "the date of birth given"
        : `${request.personId}'s date of birth on record`;
    throw RedressErrors.requestInvalid.create(
      `citizenship.effectiveDate ${input.citizenship.effectiveDate} is before ${given} (${dateOfBirth}): a citizenship takes effect on or after birth; check the dates on the verified document${input.citizenship.dateOfBirth === undefined ? " and give its date of birth (citizenship.dateOfBirth over HTTP, --citizenship-birth-date on the CLI) if the one on record is wrong" : ""}; nothing was written`,
    );
  }
  row.date_of_birth = dateOfBirth;
  return [{ feed: "citizenship", row }];
}

/**
 * A correction as the record it writes, or the error that refuses the resolution. It is judged as
 * any row of its feed received at `receivedAt` is (`validateRow`, the ingest's own per-row
 * checks: nesting depth, field validation, no timestamp in the future), so a correction cannot
 * store what a file or a streamed row could not.
 */
function toCorrectionRecordOrThrow(
  correction: { feed: unknown; row: unknown },
  index: number,
  receivedAt: string,
): CorrectionRecord {
  const feed = correction.feed;
  if (typeof feed !== "string" || !isFeed(feed)) {
    throw RedressErrors.requestInvalid.create(`corrections[${index}].feed is not a known feed`);
  }
  const raw = correction.row;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw RedressErrors.requestInvalid.create(
      `corrections[${index}].row must be an object of the feed's fields`,
    );
  }
  const refused = findRefusedKey(raw, new Set());
  if (refused)
    throw IngestErrors.refusedColumn.create(`corrections[${index}]`, refused.column, refused.category);
  const result = validateRow(feed, raw as Record<string, unknown>, receivedAt);
  if (!result.ok) {
    throw RedressErrors.correctionRejected.create(
      index,
      feed,
      result.issues.map((issue) => `${issue.field}: ${issue.reason}`).join("; "),
    );
  }
  const fieldsJson = canonicalFieldsJson(result.fields);
  return {
    feed,
    recordKey: result.recordKey,
    keyValue: result.keyValue,
    fieldsJson,
    contentHash: contentHashOf(fieldsJson),
    raw: raw as Record<string, unknown>,
    warnings: result.warnings,
  };
}
