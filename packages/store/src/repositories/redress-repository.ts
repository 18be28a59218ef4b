import { randomUUID } from "node:crypto";
import { type CitizenshipClaim, FEEDS, type Feed, RecordsCorrected, RecordsIngested } from "@passage/core";
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database-schema.ts";
import { appendOutboxEvents, executeSql, outboxEventOf, type SqlExecutor } from "./outbox-repository.ts";
import { personConfidentialitySql, RECORD_CONFIDENTIALITY_SQL } from "./redress-case-attributes.ts";

// A bound on how many retirements a claim or request is followed through (ids are never reused,
// so a chain has no cycle; the bound keeps a damaged table from looping).
const MAX_RETIREMENT_CHAIN = 64;

/**
 * The citizenship claims (open and closed) of these persons; persons with none are absent. With
 * `knownAt`, as the record stood then (record time, as for records): a claim opened after it is
 * left out, and one closed after it is still open.
 *
 * A claim follows its person's records: one filed on a person later retired into another (a
 * merge, a re-forming; transitively, `linkage_person_retirement`) is the successor's claim too,
 * whichever path wrote the retirement. A person split after a claim keeps it on the id that
 * survives (no retirement), and the part that left does not take it. Retirements are followed
 * whenever they happened, also with `knownAt`: a person's records as known then are read through
 * its current membership, so the claims on those records are read through it too.
 */
export async function findCitizenshipClaimsOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
  options: { readonly knownAt?: string | undefined } = {},
): Promise<Map<string, CitizenshipClaim[]>> {
  const grouped = new Map<string, CitizenshipClaim[]>();
  if (personIds.length === 0) return grouped;
  const rows = await executeSql<{
    claim_id: string;
    person_id: string;
    opened_on: string;
    closed_on: string | null;
  }>(
    executor,
    `WITH RECURSIVE followed (claim_id, person_id, depth) AS (
       SELECT c.claim_id, r.successor_person_id, 1
       FROM citizenship_claim c JOIN linkage_person_retirement r ON r.person_id = c.person_id
       WHERE r.successor_person_id IS NOT NULL
       UNION ALL
       SELECT f.claim_id, r.successor_person_id, f.depth + 1
       FROM followed f JOIN linkage_person_retirement r ON r.person_id = f.person_id
       WHERE r.successor_person_id IS NOT NULL AND f.depth < ${MAX_RETIREMENT_CHAIN}
     ), held (claim_id, person_id) AS (
       SELECT claim_id, person_id FROM citizenship_claim WHERE person_id = ANY($1::text[])
       UNION
       SELECT claim_id, person_id FROM followed WHERE person_id = ANY($1::text[])
     )
     SELECT c.claim_id, h.person_id, c.opened_on,
       CASE WHEN $2::timestamptz IS NULL OR date_trunc('milliseconds', c.closed_at) <= $2::timestamptz THEN c.closed_on END AS closed_on
     FROM held h JOIN citizenship_claim c ON c.claim_id = h.claim_id
     WHERE $2::timestamptz IS NULL OR date_trunc('milliseconds', c.opened_at) <= $2::timestamptz
     ORDER BY h.person_id, c.opened_on, c.claim_id`,
    [personIds, options.knownAt ?? null],
  );
  for (const row of rows) {
    const claim: CitizenshipClaim = {
      claimId: row.claim_id,
      openedOn: row.opened_on,
      closedOn: row.closed_on,
    };
    const claims = grouped.get(row.person_id);
    if (claims) claims.push(claim);
    else grouped.set(row.person_id, [claim]);
  }
  return grouped;
}

export const REDRESS_KINDS = ["citizenship", "not_my_record", "departed", "other"] as const;
export type RedressKind = (typeof REDRESS_KINDS)[number];
export const REDRESS_STATUSES = ["filed", "under_review", "resolved"] as const;
export type RedressStatus = (typeof REDRESS_STATUSES)[number];
export const REDRESS_OUTCOMES = ["granted", "denied", "withdrawn"] as const;
export type RedressOutcome = (typeof REDRESS_OUTCOMES)[number];

/** A document the requester cites: a reference only (type, number, issuer), never a scan. */
export interface RedressDocumentReference {
  readonly type: string;
  readonly number: string;
  readonly issuer: string;
}

/** A redress request with the case attributes of its person (what the access policies read). */
export interface RedressRequestRow {
  readonly requestId: string;
  readonly personId: string;
  readonly kind: RedressKind;
  readonly statement: string;
  readonly departureDate: string | null;
  readonly disputedRecords: string[];
  readonly documents: RedressDocumentReference[];
  readonly status: RedressStatus;
  readonly filedBy: string;
  readonly filedAt: string;
  readonly reviewer: string | null;
  readonly reviewStartedAt: string | null;
  readonly outcome: RedressOutcome | null;
  readonly outcomeReason: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly claimId: string | null;
  readonly corrections: unknown[];
  readonly office: string;
  readonly assignees: string[];
  /**
   * Every confidentiality flag the request has touched (sticky, stored with it: the person's at
   * filing and at each step, every disputed, corrected or unlinked record's), with the person's
   * current flags: a request once about an asylum or 1367 matter stays so, whatever becomes of
   * the person's records.
   */
  readonly confidentiality: string[];
  /** A resolution in progress: who took it and since when (null when none). */
  readonly resolvingBy: string | null;
  readonly resolvingSince: string | null;
  /**
   * The person whose records the request's person's records are now (`personId` itself unless
   * a merge or re-forming retired it; transitively; null when it was retired with no successor):
   * the person its citizenship claim blocks. Always set on rows read from the store.
   */
  readonly currentPersonId?: string | null;
}

/**
 * The steps of a request's history: filed, taken into review, resolved, `source_superseded`
 * (appended by ingest: a source wrote a new version of a record the resolution had corrected, which
 * is now the current one; details name the record, the corrected version and the new one), and
 * `links_partly_decided` (a resolution's link decision was refused after others were taken: details
 * name those that stand, the one refused and why; the request stays open).
 */
export const REDRESS_STEPS = [
  "filed",
  "review_started",
  "resolved",
  "source_superseded",
  "links_partly_decided",
] as const;
export type RedressStep = (typeof REDRESS_STEPS)[number];

export interface RedressEventRow {
  readonly sequence: string;
  readonly requestId: string;
  readonly at: string;
  readonly actor: string;
  readonly step: RedressStep;
  readonly details: Record<string, unknown>;
}

// The office is the case's current one, else the one the request was filed under (a person
// retired by a merge has no case assignment); the flags are the stored ones and the person's now;
// the current person is where the request's person went through its retirements (itself when
// never retired, null when retired with no successor).
const REQUEST_SELECT = `
  SELECT q.request_id, q.person_id, q.kind, q.statement, q.departure_date, q.disputed_records, q.documents,
    q.status, q.filed_by, q.filed_at, q.reviewer, q.review_started_at, q.outcome, q.outcome_reason,
    q.resolved_by, q.resolved_at, q.claim_id, q.corrections, q.resolving_by, q.resolving_since,
    coalesce(nullif(a.office, ''), q.filed_office) AS office, coalesce(a.assignees, '{}'::text[]) AS assignees,
    ARRAY(SELECT DISTINCT flag FROM unnest(q.confidentiality || ${personConfidentialitySql("q.person_id")}) AS flag
      ORDER BY flag) AS confidentiality,
    (WITH RECURSIVE chain (person_id, depth) AS (
       SELECT q.person_id, 0
       UNION ALL
       SELECT r.successor_person_id, chain.depth + 1
       FROM chain JOIN linkage_person_retirement r ON r.person_id = chain.person_id
       WHERE chain.depth < ${MAX_RETIREMENT_CHAIN}
     ) SELECT person_id FROM chain ORDER BY depth DESC LIMIT 1) AS current_person_id
  FROM redress_request q LEFT JOIN case_assignment a ON a.person_id = q.person_id`;

function toRequest(row: Record<string, unknown>): RedressRequestRow {
  const time = (value: unknown) => (value === null ? null : new Date(value as string).toISOString());
  return {
    requestId: row.request_id as string,
    personId: row.person_id as string,
    kind: row.kind as RedressKind,
    statement: row.statement as string,
    departureDate: row.departure_date as string | null,
    disputedRecords: row.disputed_records as string[],
    documents: row.documents as RedressDocumentReference[],
    status: row.status as RedressStatus,
    filedBy: row.filed_by as string,
    filedAt: time(row.filed_at)!,
    reviewer: row.reviewer as string | null,
    reviewStartedAt: time(row.review_started_at),
    outcome: row.outcome as RedressOutcome | null,
    outcomeReason: row.outcome_reason as string | null,
    resolvedBy: row.resolved_by as string | null,
    resolvedAt: time(row.resolved_at),
    claimId: row.claim_id as string | null,
    corrections: row.corrections as unknown[],
    office: row.office as string,
    assignees: row.assignees as string[],
    confidentiality: row.confidentiality as string[],
    resolvingBy: row.resolving_by as string | null,
    resolvingSince: time(row.resolving_since),
    currentPersonId: row.current_person_id as string | null,
  };
}

/** A new request, as filed. */
export interface NewRedressRequest {
  readonly requestId: string;
  readonly personId: string;
  readonly kind: RedressKind;
  readonly statement: string;
  readonly departureDate: string | null;
  readonly disputedRecords: readonly string[];
  readonly documents: readonly RedressDocumentReference[];
  readonly filedBy: string;
  readonly claimId: string | null;
}

/**
 * Inserts the request as filed, with the office of the person's case and the flags it touches
 * now (the person's, its disputed records'): both stored with it (see `stickRedressConfidentiality`).
 */
export async function insertRedressRequest(executor: SqlExecutor, request: NewRedressRequest): Promise<void> {
  await executeSql(
    executor,
    `INSERT INTO redress_request (request_id, person_id, kind, statement, departure_date, disputed_records,
       documents, status, filed_by, claim_id, filed_office)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'filed', $8, $9,
       coalesce((SELECT office FROM case_assignment WHERE person_id = $2), ''))`,
    [
      request.requestId,
      request.personId,
      request.kind,
      request.statement,
      request.departureDate,
      [...request.disputedRecords],
      JSON.stringify(request.documents),
      request.filedBy,
      request.claimId,
    ],
  );
}

/**
 * Adds to the request's stored flags those it touches now: its person's current flags and those
 * of `records` (`FEED:KEY`, any version), e.g. the records a resolution corrects or unlinks. Never
 * removes one (a trigger keeps every stored flag): once confidential, a request stays so.
 */
export async function stickRedressConfidentiality(
  executor: SqlExecutor,
  requestId: string,
  records: readonly { readonly feed: string; readonly keyValue: string }[] = [],
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE redress_request q SET confidentiality = ARRAY(
       SELECT DISTINCT flag FROM (
         SELECT unnest(q.confidentiality || ${personConfidentialitySql("q.person_id")}) AS flag
         UNION
         SELECT unnest(${RECORD_CONFIDENTIALITY_SQL}) FROM source_record r
         JOIN unnest($2::text[], $3::text[]) AS named (feed, key_value)
           ON r.feed = named.feed AND r.key_value = named.key_value
       ) flags ORDER BY flag)
     WHERE q.request_id = $1`,
    [requestId, records.map((record) => record.feed), records.map((record) => record.keyValue)],
  );
}

/**
 * Takes the request for a resolution identified by `token` (call in a transaction holding the
 * request's row lock): `taken` false when another resolution holds it and started after
 * `staleBefore` (an older one was abandoned by a process that ended, and is taken over).
 */
export async function claimRedressResolution(
  executor: SqlExecutor,
  claim: { requestId: string; token: string; by: string; staleBefore: string },
): Promise<{ taken: boolean }> {
  const rows = await executeSql<{ request_id: string }>(
    executor,
    `UPDATE redress_request SET resolving_token = $2, resolving_by = $3, resolving_since = clock_timestamp()
     WHERE request_id = $1 AND status <> 'resolved'
       AND (resolving_token IS NULL OR resolving_since < $4::timestamptz)
     RETURNING request_id`,
    [claim.requestId, claim.token, claim.by, claim.staleBefore],
  );
  return { taken: rows.length === 1 };
}

/** Whether the resolution `token` still holds the request. */
export async function holdsRedressResolution(
  executor: SqlExecutor,
  requestId: string,
  token: string,
): Promise<boolean> {
  const rows = await executeSql<{ request_id: string }>(
    executor,
    "SELECT request_id FROM redress_request WHERE request_id = $1 AND resolving_token = $2",
    [requestId, token],
  );
  return rows.length === 1;
}

/** Lets go of the request after a resolution `token` that failed (no-op once another took it). */
export async function releaseRedressResolution(
  executor: SqlExecutor,
  requestId: string,
  token: string,
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE redress_request SET resolving_token = NULL, resolving_by = NULL, resolving_since = NULL
     WHERE request_id = $1 AND resolving_token = $2`,
    [requestId, token],
  );
}

/** One request (with `forUpdate`, row-locked until the transaction ends). */
export async function findRedressRequest(
  executor: SqlExecutor,
  requestId: string,
  options: { forUpdate?: boolean } = {},
): Promise<RedressRequestRow | undefined> {
  if (options.forUpdate) {
    await executeSql(executor, "SELECT 1 FROM redress_request WHERE request_id = $1 FOR UPDATE", [requestId]);
  }
  const rows = await executeSql<Record<string, unknown>>(
    executor,
    `${REQUEST_SELECT} WHERE q.request_id = $1`,
    [requestId],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

/**
 * Requests the access filter lets through (columns `office`, `assignees`, `confidentiality`),
 * newest first; with `filedBy`, also those that filer filed that the filter lets through but for
 * their confidentiality flags (the caller shows them as their filer may see them). With
 * `personId`, the requests filed on that person and on persons since retired into it.
 */
export async function listRedressRequests(
  db: Kysely<Database>,
  query: {
    status?: RedressStatus | undefined;
    personId?: string | undefined;
    limit: number;
    offset: number;
    filedBy?: string | undefined;
  },
  filter: (columns: {
    office: RawBuilder<string>;
    assignees: RawBuilder<string[]>;
    confidentiality: RawBuilder<string[]>;
  }) => RawBuilder<SqlBool>,
): Promise<RedressRequestRow[]> {
  const condition = filter({
    office: sql<string>`listed.office`,
    assignees: sql<string[]>`listed.assignees`,
    confidentiality: sql<string[]>`listed.confidentiality`,
  });
  const ownFiling =
    query.filedBy === undefined
      ? sql<SqlBool>`false`
      : sql<SqlBool>`(listed.filed_by = ${query.filedBy} AND ${filter({
          office: sql<string>`listed.office`,
          assignees: sql<string[]>`listed.assignees`,
          confidentiality: sql<string[]>`'{}'::text[]`,
        })})`;
  const result = await sql<Record<string, unknown>>`
    SELECT * FROM (${sql.raw(REQUEST_SELECT)}) listed
    WHERE (${condition} OR ${ownFiling})
      AND (${query.status ?? null}::text IS NULL OR listed.status = ${query.status ?? null})
      AND (${query.personId ?? null}::text IS NULL OR listed.person_id = ${query.personId ?? null}
        OR listed.current_person_id = ${query.personId ?? null})
    ORDER BY listed.filed_at DESC, listed.request_id
    LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db);
  return result.rows.map(toRequest);
}

export async function appendRedressEvent(
  executor: SqlExecutor,
  event: {
    requestId: string;
    actor: string;
    step: RedressEventRow["step"];
    details: Record<string, unknown>;
  },
): Promise<void> {
  await executeSql(
    executor,
    "INSERT INTO redress_event (request_id, actor, step, details) VALUES ($1, $2, $3, $4)",
    [event.requestId, event.actor, event.step, JSON.stringify(event.details)],
  );
}

export async function listRedressEvents(
  executor: SqlExecutor,
  requestId: string,
): Promise<RedressEventRow[]> {
  const rows = await executeSql<Record<string, unknown>>(
    executor,
    // Ordered by the column, not by the text output of the same name (which sorts "10" before "9").
    "SELECT sequence::text, request_id, at, actor, step, details FROM redress_event WHERE request_id = $1 ORDER BY redress_event.sequence",
    [requestId],
  );
  return rows.map((row) => ({
    sequence: row.sequence as string,
    requestId: row.request_id as string,
    at: new Date(row.at as string).toISOString(),
    actor: row.actor as string,
    step: row.step as RedressEventRow["step"],
    details: row.details as Record<string, unknown>,
  }));
}

export async function markRedressReviewStarted(
  executor: SqlExecutor,
  requestId: string,
  reviewer: string,
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE redress_request SET status = 'under_review', reviewer = $2, review_started_at = clock_timestamp()
     WHERE request_id = $1`,
    [requestId, reviewer],
  );
}

export async function markRedressResolved(
  executor: SqlExecutor,
  resolution: {
    requestId: string;
    outcome: RedressOutcome;
    reason: string;
    resolvedBy: string;
    corrections: readonly unknown[];
  },
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE redress_request SET status = 'resolved', outcome = $2, outcome_reason = $3, resolved_by = $4,
       resolved_at = clock_timestamp(), corrections = $5,
       resolving_token = NULL, resolving_by = NULL, resolving_since = NULL,
       reviewer = coalesce(reviewer, $4), review_started_at = coalesce(review_started_at, clock_timestamp())
     WHERE request_id = $1`,
    [
      resolution.requestId,
      resolution.outcome,
      resolution.reason,
      resolution.resolvedBy,
      JSON.stringify(resolution.corrections),
    ],
  );
}

export async function openCitizenshipClaim(
  executor: SqlExecutor,
  claim: { claimId: string; personId: string; openedOn: string; requestId: string },
): Promise<void> {
  await executeSql(
    executor,
    "INSERT INTO citizenship_claim (claim_id, person_id, opened_on, request_id) VALUES ($1, $2, $3, $4)",
    [claim.claimId, claim.personId, claim.openedOn, claim.requestId],
  );
}

export async function closeCitizenshipClaim(
  executor: SqlExecutor,
  closing: {
    claimId: string;
    closedOn: string;
    outcome: "verified" | "rejected" | "withdrawn";
    reason: string;
  },
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE citizenship_claim SET closed_on = greatest($2::date, opened_on), closed_at = clock_timestamp(),
       outcome = $3, close_reason = $4
     WHERE claim_id = $1 AND closed_on IS NULL`,
    [closing.claimId, closing.closedOn, closing.outcome, closing.reason],
  );
}

/** A correction record, validated and canonicalised by the caller. */
export interface CorrectionRecord {
  readonly feed: Feed;
  readonly recordKey: string;
  readonly keyValue: string;
  /** The canonical fields JSON (`canonicalFieldsJson`) and its hash (`contentHashOf`). */
  readonly fieldsJson: string;
  readonly contentHash: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly warnings: readonly unknown[];
}

/** What writing one correction record did. */
export interface CorrectionOutcome {
  readonly feed: Feed;
  readonly recordKey: string;
  readonly keyValue: string;
  readonly outcome: "new" | "corrected" | "unchanged";
  readonly recordId: string;
  readonly version: number;
  /** The person the record's key belongs to after the write. */
  readonly personId: string;
}

// The advisory lock class of ingest transactions (record-repository.ts): a correction takes the
// same per-feed lock, so it never computes the same next version as a concurrent ingest.
const INGEST_LOCK_CLASS = 1346458451;

/**
 * Writes correction records inside the caller's transaction: new versions of existing records or
 * new records, never edits, with provenance `source_kind = 'redress'` and `source_name =
 * 'redress:<request>'`, one batch per feed with its RecordsIngested / RecordsCorrected events,
 * and new keys linked to the request's person (a record already linked stays with its person).
 */
export async function writeCorrectionRecords(
  executor: SqlExecutor,
  requestId: string,
  personId: string,
  records: readonly CorrectionRecord[],
): Promise<CorrectionOutcome[]> {
  const outcomes: CorrectionOutcome[] = [];
  const batches = new Map<Feed, string>();
  const stored = new StoredRanges();
  const receivedAt = new Date().toISOString();
  for (const record of records) {
    let batchId = batches.get(record.feed);
    if (batchId === undefined) {
      batchId = randomUUID();
      batches.set(record.feed, batchId);
      await executeSql(executor, "SELECT pg_advisory_xact_lock($1, $2)", [
        INGEST_LOCK_CLASS,
        FEEDS.indexOf(record.feed),
      ]);
      await executeSql(
        executor,
        `INSERT INTO ingest_batch (id, feed, source_kind, source_name, rows_received, started_at)
         VALUES ($1, $2, 'redress', $3, $4, $5)`,
        [
          batchId,
          record.feed,
          `redress:${requestId}`,
          records.filter((other) => other.feed === record.feed).length,
          receivedAt,
        ],
      );
    }
    const latest = await executeSql<{
      id: string;
      version: number;
      content_hash: Buffer;
      source_kind: string;
      source_name: string;
    }>(
      executor,
      `SELECT id::text, version, content_hash, source_kind, source_name FROM source_record
       WHERE feed = $1 AND key_value = $2 AND record_key = $3 ORDER BY version DESC LIMIT 1`,
      [record.feed, record.keyValue, record.recordKey],
    );
    const previous = latest[0];
    let outcome: CorrectionOutcome["outcome"] = "unchanged";
    let recordId = previous?.id ?? "";
    let version = previous?.version ?? 0;
    if (!previous || Buffer.from(previous.content_hash).toString("hex") !== record.contentHash) {
      version += 1;
      outcome = version === 1 ? "new" : "corrected";
      const inserted = await executeSql<{ id: string }>(
        executor,
        `INSERT INTO source_record (feed, record_key, key_value, version, content_hash, fields, raw, warnings,
           batch_id, source_kind, source_name, source_row, received_at)
         VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6::jsonb, $7::json, $8::jsonb, $9, 'redress', $10, NULL, $11)
         RETURNING id::text`,
        [
          record.feed,
          record.recordKey,
          record.keyValue,
          version,
          record.contentHash,
          record.fieldsJson,
          JSON.stringify(record.raw),
          JSON.stringify(record.warnings),
          batchId,
          `redress:${requestId}`,
          receivedAt,
        ],
      );
      recordId = inserted[0]!.id;
      stored.add(batchId, record.feed, version === 1, recordId);
      // Another request's correction replaced: its history says so, as when a source row does
      // (record-repository.ts), so its steward sees that the record changed since their resolution.
      const replaced =
        previous?.source_kind === "redress" ? previous.source_name.slice("redress:".length) : null;
      if (replaced !== null && replaced !== requestId) {
        await executeSql(
          executor,
          `INSERT INTO redress_event (request_id, actor, step, details) VALUES ($1, $2, 'source_superseded', $3::jsonb)`,
          [
            replaced,
            `redress:${requestId}`,
            JSON.stringify({
              record: `${record.feed}:${record.keyValue}`,
              recordKey: record.recordKey,
              correctedVersion: previous!.version,
              version,
              sourceKind: "redress",
              source: `redress:${requestId}`,
              batchId,
            }),
          ],
        );
      }
    }
    await executeSql(
      executor,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [record.feed, record.keyValue, personId],
    );
    const member = await executeSql<{ person_id: string }>(
      executor,
      "SELECT person_id FROM person_member WHERE feed = $1 AND key_value = $2",
      [record.feed, record.keyValue],
    );
    outcomes.push({
      feed: record.feed,
      recordKey: record.recordKey,
      keyValue: record.keyValue,
      outcome,
      recordId,
      version,
      personId: member[0]!.person_id,
    });
  }
  await appendOutboxEvents(executor, stored.events());
  return outcomes;
}

/** The id ranges of the records a write stored, per batch and kind, as their outbox events. */
class StoredRanges {
  readonly #ranges = new Map<string, { batchId: string; feed: Feed; ingested: boolean; ids: bigint[] }>();

  add(batchId: string, feed: Feed, ingested: boolean, recordId: string): void {
    const key = `${batchId}/${ingested}`;
    let range = this.#ranges.get(key);
    if (!range) {
      range = { batchId, feed, ingested, ids: [] };
      this.#ranges.set(key, range);
    }
    range.ids.push(BigInt(recordId));
  }

  events() {
    return [...this.#ranges.values()].map(({ batchId, feed, ingested, ids }) => {
      const sorted = ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return outboxEventOf(ingested ? RecordsIngested : RecordsCorrected, feed, {
        batchId,
        feed,
        firstRecordId: String(sorted[0]),
        lastRecordId: String(sorted.at(-1)),
        records: ids.length,
      });
    });
  }
}
