import {
  createLifecycleRules,
  FEED_SCHEMAS,
  type Feed,
  type LifecycleRules,
  PersonsChanged,
  parseIsoDate,
  parseRecordReferenceOrThrow,
  parseTimestamp,
  type SourceRecord,
} from "@passage/core";
import {
  abandonPersonStatusRebuild,
  advanceHandlerOffsets,
  beginPersonStatusRebuild,
  copyIntoPersonStatusRebuild,
  createPersonStatusCopy,
  findPersonOfRecord,
  findPersonsDueForChange,
  findPersonsNamedAfter,
  findRecordsOfPersons,
  findRecordVersions,
  indexPersonStatusRebuild,
  latestOutboxPosition,
  lockPersonStatusForSwap,
  type PersonStatusRebuild,
  type SqlExecutor,
  type Store,
  streamPersonsWithRecords,
  swapInPersonStatusRebuild,
  tryLockPersonStatusRebuild,
} from "@passage/store";
import type { EventHandler } from "../consumers/event-handler.ts";
import {
  type DeriveReport,
  derivePersonStatuses,
  type EvaluatedStatus,
  evaluatePerson,
  inputDigestOf,
  type LifecycleSources,
  statusRowOf,
} from "./derive-person-statuses.ts";
import { LifecycleProjectionErrors } from "./lifecycle-errors.ts";
import { createLifecycleRulesInForce, type LifecycleRulesInForce } from "./lifecycle-rules-in-force.ts";
import { CONFIRMED_IDENTITY, identityKnownFrom } from "./policy-inputs.ts";

/** The name (and offset) of the lifecycle projection handler. */
export const LIFECYCLE_HANDLER_NAME = "lifecycle";

/** Persons derived per transaction in rebuilds and refreshes, by default. */
const PERSONS_PER_BATCH = 1000;

export interface StatusQuery {
  /** Valid time, `YYYY-MM-DD`; default today (UTC). */
  readonly asOf?: string | undefined;
  /** Record time, ISO 8601; default now (every version known). */
  readonly knownAt?: string | undefined;
}

/** A status as `passage status` and the HTTP API answer it. */
export interface StatusAnswer extends EvaluatedStatus {
  readonly asOf: string;
  readonly knownAt: string | null;
  readonly records: readonly SourceRecord[];
}

/** The lifecycle bounded context: status queries, the projection handler, rebuild and refresh. */
export interface LifecycleService {
  /** The rules this process derives with now (`rulesInForce.rules`). */
  readonly rules: LifecycleRules;
  /** The rules kept equal to the ones the database's statuses were derived with. */
  readonly rulesInForce: LifecycleRulesInForce;
  /** Status of the person a record belongs to, computed now from records (bitemporal). */
  statusOfRecord(reference: string, query?: StatusQuery): Promise<StatusAnswer>;
  statusOfPerson(personId: string, query?: StatusQuery): Promise<StatusAnswer>;
  /** Re-derives these persons in the caller's transaction (redress, review decisions). */
  derivePersons(executor: SqlExecutor, personIds: readonly string[], asOf?: string): Promise<DeriveReport>;
  /** The outbox handler: PersonsChanged -> re-derive those persons. */
  readonly handler: EventHandler;
  /**
   * Derives every person again from records into a table beside the projection and swaps it in
   * when complete: readers see the old projection until then, and a failed or killed rebuild
   * leaves it as it was.
   */
  rebuild(onProgress?: (persons: number) => void): Promise<{ persons: number }>;
  /** Re-derives persons whose status changes by date alone (a deadline passed) as of `today`. */
  refreshDue(today?: string): Promise<{ persons: number }>;
}

/**
 * The outbox handler of the lifecycle projection: every PersonsChanged event re-derives its
 * persons as of today, once per batch however many events name them, with the rules in force
 * (a batch under other rules fails with PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE and is retried).
 */
export function createLifecycleHandler(
  rulesInForce: LifecycleRulesInForce,
  sources: LifecycleSources,
): EventHandler {
  return {
    name: LIFECYCLE_HANDLER_NAME,
    eventTypes: [PersonsChanged.name],
    async apply(transaction, event) {
      await this.applyBatch!(transaction, [event]);
    },
    async applyBatch(transaction, events) {
      const personIds = new Set<string>();
      for (const event of events) {
        const payload = PersonsChanged.parseOrThrow(event.payload);
        for (const id of payload.personIds) personIds.add(id);
        for (const id of payload.retiredPersonIds) personIds.add(id);
      }
      await derivePersonStatuses(transaction, [...personIds], { asOf: todayUtc(), rulesInForce, sources });
    },
  };
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function createLifecycleService(options: {
  store: Pick<Store, "db" | "pool">;
  sources: LifecycleSources;
  /** The rules (default: the defaults); ignored when `rulesInForce` is given. */
  rules?: Partial<LifecycleRules>;
  /** The rules kept in force (default: `rules`, never re-read). */
  rulesInForce?: LifecycleRulesInForce;
  /** Persons derived per batch in rebuilds and refreshes (default 1,000). */
  personsPerBatch?: number;
}): LifecycleService {
  const { store, sources } = options;
  const personsPerBatch = options.personsPerBatch ?? PERSONS_PER_BATCH;
  const rulesInForce =
    options.rulesInForce ?? createLifecycleRulesInForce({ rules: createLifecycleRules(options.rules ?? {}) });

  async function answer(
    personId: string,
    records: SourceRecord[],
    query: StatusQuery,
  ): Promise<StatusAnswer> {
    const asOf = validAsOf(query.asOf);
    const knownAt = validKnownAt(query.knownAt);
    // The answer rests on the rules the stored statuses were derived with, as the worklist does.
    const [identities, claims, rules] = await Promise.all([
      sources.identityFacts(store.db, [personId]),
      sources.citizenshipClaims(store.db, [personId], { knownAt }),
      rulesInForce.rulesForReadingOrThrow(store.db),
    ]);
    const personClaims = claims.get(personId) ?? [];
    const identity = identities.get(personId) ?? CONFIRMED_IDENTITY;
    const evaluated = evaluatePerson(personId, records, {
      asOf,
      rules,
      identity: knownAt ? identityKnownFrom(identity, records) : identity,
      claims: personClaims,
      ...(knownAt ? { knownAt } : {}),
    });
    // The next change is the projection's plan for re-deriving the person, and it may be the date of
    // a record dated after the as-of date: an answer for a past date must not reveal what happened
    // after it, so it names none. As of today (what the projection stores) it is the plan.
    const status = asOf < todayUtc() ? { ...evaluated.status, nextChangeOn: null } : evaluated.status;
    return { ...evaluated, status, asOf, knownAt: knownAt ?? null, records };
  }

  async function statusOfPerson(personId: string, query: StatusQuery = {}): Promise<StatusAnswer> {
    const knownAt = validKnownAt(query.knownAt);
    const records = (await findRecordsOfPersons(store.db, [personId], { knownAt })).get(personId);
    if (!records) {
      // A person whose first record came later than known-at was not yet known then: saying
      // "no person" would read as if the id were wrong.
      const later = knownAt && (await findRecordsOfPersons(store.db, [personId])).has(personId);
      throw later
        ? LifecycleProjectionErrors.personNotYetKnown.create(personId, query.knownAt!)
        : LifecycleProjectionErrors.personNotFound.create(personId);
    }
    return answer(personId, records, query);
  }

  /**
   * Fills the rebuild's table (read, derive and write overlap), indexes it, and swaps it in for
   * the projection in one short transaction.
   */
  async function rebuildInto(
    rebuild: PersonStatusRebuild,
    onProgress: ((persons: number) => void) | undefined,
  ): Promise<{ persons: number }> {
    const asOf = todayUtc();
    const rules = rulesInForce.rulesToRebuildWith();
    // Everything committed up to here is in the snapshot the rebuild reads; what changes later is
    // derived again at the swap (below) or by the handler afterwards, so the projection misses nothing.
    const upTo = await latestOutboxPosition(store.db);
    let persons = 0;
    type Person = { personId: string; records: SourceRecord[] };
    let batch: Person[] = [];
    // Three stages overlap: a batch's identity facts and claims are read while the next batch
    // streams in; it is derived once that one is full; and written while the one after is
    // read and derived. A failed read or write is kept and thrown at the next step (never
    // left unhandled).
    let writing: Promise<void> = Promise.resolve();
    let writeFailure: unknown;
    const awaitWrite = async () => {
      await writing;
      if (writeFailure !== undefined) throw writeFailure;
    };
    type Inputs = [
      Awaited<ReturnType<LifecycleSources["identityFacts"]>>,
      Awaited<ReturnType<LifecycleSources["citizenshipClaims"]>>,
    ];
    let waiting: { persons: Person[]; inputs: Promise<Inputs> } | undefined;
    const deriveWaiting = async () => {
      if (!waiting) return;
      const { persons: done, inputs } = waiting;
      waiting = undefined;
      const [identities, claims] = await inputs;
      // Each row is encoded for COPY as soon as it is derived, so that no batch of status
      // objects stays alive until the write.
      const rows = createPersonStatusCopy();
      for (const { personId, records } of done) {
        const identity = identities.get(personId) ?? CONFIRMED_IDENTITY;
        const personClaims = claims.get(personId) ?? [];
        const evaluated = evaluatePerson(personId, records, {
          asOf,
          rules,
          identity,
          claims: personClaims,
        });
        rows.add(statusRowOf(evaluated, inputDigestOf(asOf, records, identity, personClaims, rules)));
      }
      await awaitWrite();
      writing = copyIntoPersonStatusRebuild(store.pool, rows).then(
        () => {
          persons += done.length;
          onProgress?.(persons);
        },
        (error: unknown) => {
          writeFailure = error;
        },
      );
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const done = batch;
      batch = [];
      const ids = done.map((person) => person.personId);
      const inputs = Promise.all([
        sources.identityFacts(store.db, ids),
        sources.citizenshipClaims(store.db, ids),
      ]);
      inputs.catch(() => undefined);
      await deriveWaiting();
      waiting = { persons: done, inputs };
    };
    for await (const person of streamPersonsWithRecords(store.pool)) {
      batch.push(person);
      if (batch.length >= personsPerBatch) await flush();
    }
    await flush();
    await deriveWaiting();
    await awaitWrite();
    await indexPersonStatusRebuild(store.db);
    await store.db.transaction().execute(async (transaction) => {
      // The projection's writers wait from here to commit. Rows they wrote while the rebuild ran
      // may rest on inputs it did not see, and persons named by events after its snapshot may
      // have changed or gone (the handler may have applied those events to the old table
      // already): both are derived again, now, into the new table before it is seen.
      const derivedMeanwhile = await lockPersonStatusForSwap(transaction, LIFECYCLE_HANDLER_NAME, rebuild);
      const namedMeanwhile = await findPersonsNamedAfter(transaction, PersonsChanged.name, upTo);
      await swapInPersonStatusRebuild(transaction);
      // Under the same lock: from the commit on, every status rests on these rules, and a process
      // holding others switches to them or writes nothing (LifecycleRulesInForce).
      await rulesInForce.recordRebuilt(transaction, rules);
      const again = [...new Set([...derivedMeanwhile, ...namedMeanwhile])].sort();
      const rebuiltRules = { rulesForWritingOrThrow: async () => rules };
      for (let start = 0; start < again.length; start += personsPerBatch) {
        await derivePersonStatuses(transaction, again.slice(start, start + personsPerBatch), {
          asOf,
          rulesInForce: rebuiltRules,
          sources,
        });
      }
      await advanceHandlerOffsets(transaction, LIFECYCLE_HANDLER_NAME, upTo);
    });
    rulesInForce.adopt(rules);
    return { persons };
  }

  return {
    get rules() {
      return rulesInForce.rules;
    },
    rulesInForce,
    async statusOfRecord(reference, query = {}) {
      const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
      // Never linked, so "not linked yet; run passage link" would send the user the wrong way.
      if (!FEED_SCHEMAS[feed].aboutPerson) {
        throw LifecycleProjectionErrors.recordNotAboutPerson.create(reference, feed);
      }
      const personId = await findPersonOfRecord(store.db, feed, keyValue);
      if (personId === undefined) {
        const versions = await findRecordVersions(store.db, feed as Feed, keyValue);
        throw versions.length === 0
          ? LifecycleProjectionErrors.recordNotFound.create(reference)
          : LifecycleProjectionErrors.recordNotLinked.create(reference);
      }
      return statusOfPerson(personId, query);
    },
    statusOfPerson,
    derivePersons(executor, personIds, asOf = todayUtc()) {
      return derivePersonStatuses(executor, personIds, { asOf, rulesInForce, sources });
    },
    handler: createLifecycleHandler(rulesInForce, sources),
    async rebuild(onProgress) {
      const lock = await tryLockPersonStatusRebuild(store.pool);
      if (!lock) throw LifecycleProjectionErrors.rebuildRunning.create();
      try {
        const rebuild = await beginPersonStatusRebuild(store.db);
        try {
          return await rebuildInto(rebuild, onProgress);
        } catch (error) {
          await abandonPersonStatusRebuild(store.db).catch(() => undefined);
          throw error;
        }
      } finally {
        await lock.release();
      }
    },
    async refreshDue(today = todayUtc()) {
      let persons = 0;
      for (;;) {
        const due = await findPersonsDueForChange(store.db, today, personsPerBatch);
        if (due.length === 0) return { persons };
        await store.db
          .transaction()
          .execute((transaction) =>
            derivePersonStatuses(transaction, due, { asOf: today, rulesInForce, sources }),
          );
        persons += due.length;
      }
    },
  };
}

/** The as-of date given, or today; refused with the parser's reason (the year out of range, the day that does not exist). */
export function validAsOf(asOf: string | undefined): string {
  if (asOf === undefined) return todayUtc();
  const parsed = parseIsoDate(asOf);
  if (!parsed.ok) throw LifecycleProjectionErrors.invalidDate.create("as-of date", asOf, parsed.reason);
  return String(parsed.value);
}

/** The known-at instant given (to the millisecond), refused with the parser's reason, or when it is ahead of now. */
export function validKnownAt(knownAt: string | undefined): string | undefined {
  if (knownAt === undefined) return undefined;
  const parsed = parseTimestamp(knownAt);
  if (!parsed.ok)
    throw LifecycleProjectionErrors.invalidDate.create("known-at timestamp", knownAt, parsed.reason);
  const instant = String(parsed.value);
  const now = Date.now();
  if (Date.parse(instant) > now + KNOWN_AT_CLOCK_SKEW_MS) {
    throw LifecycleProjectionErrors.knownAtInFuture.create(knownAt, new Date(now).toISOString());
  }
  return instant;
}

/** A known-at this far ahead of the server's clock is taken as now (a client's clock runs ahead). */
const KNOWN_AT_CLOCK_SKEW_MS = 60_000;
