import { hash } from "node:crypto";
import {
  type CitizenshipClaim,
  deriveStatus,
  type LifecycleRules,
  type PersonStatus,
  PersonStatusChanged,
  type SourceRecord,
} from "@passage/core";
import { compactGateEvaluation, evaluateGates, type GateEvaluation, holdingGates } from "@passage/policy";
import {
  appendOutboxEvents,
  deletePersonStatuses,
  findRecordsOfPersons,
  findStatusHeadlines,
  outboxEventOf,
  type PersonStatusRow,
  type SqlExecutor,
  upsertPersonStatuses,
} from "@passage/store";
import { type LifecycleRulesInForce, lifecycleRulesDigestOf } from "./lifecycle-rules-in-force.ts";
import { CONFIRMED_IDENTITY, gateInputOf, type IdentityFacts } from "./policy-inputs.ts";

/** Where the lifecycle projection reads what is not in the records: identity facts and redress claims. */
export interface LifecycleSources {
  identityFacts(executor: SqlExecutor, personIds: readonly string[]): Promise<Map<string, IdentityFacts>>;
  /** Claims as known at `knownAt` (record time: opened by then, and still open if closed after it). */
  citizenshipClaims(
    executor: SqlExecutor,
    personIds: readonly string[],
    options?: { readonly knownAt?: string | undefined },
  ): Promise<Map<string, CitizenshipClaim[]>>;
}

/** A person's status with the gates evaluated on it: what `passage status` shows and the projection stores. */
export interface EvaluatedStatus {
  readonly personId: string;
  readonly status: PersonStatus;
  readonly gates: GateEvaluation;
  /** An executable final order and no gate holding (CLI.md `actionable`). */
  readonly actionable: boolean;
}

/** Derives one person's status and evaluates the due-process gates on it (pure). */
export function evaluatePerson(
  personId: string,
  records: readonly SourceRecord[],
  options: {
    asOf: string;
    knownAt?: string;
    rules: LifecycleRules;
    identity: IdentityFacts;
    claims: readonly CitizenshipClaim[];
  },
): EvaluatedStatus {
  const status = deriveStatus(records, {
    asOf: options.asOf,
    rules: options.rules,
    claims: options.claims,
    ...(options.knownAt ? { knownAt: options.knownAt } : {}),
  });
  const gates = evaluateGates(gateInputOf(personId, status, options.identity));
  return { personId, status, gates, actionable: status.finalOrderExecutable && gates.clear };
}

/** The projection row of an evaluated status. */
export function statusRowOf(evaluated: EvaluatedStatus, inputDigest: string): PersonStatusRow {
  const { status } = evaluated;
  return {
    personId: evaluated.personId,
    asOf: status.asOf,
    primaryState: status.state.primary,
    stateDetail: status.state.detail,
    overlays: status.overlays.map((overlay) => overlay.overlay),
    blockers: status.blockers.map((blocker) => blocker.code),
    gatesHolding: holdingGates(evaluated.gates).map((result) => result.gate),
    finalOrderExecutable: status.finalOrderExecutable,
    actionable: evaluated.actionable,
    nextChangeOn: status.nextChangeOn,
    status,
    gates: compactGateEvaluation(evaluated.gates),
    inputDigest,
  };
}

const CONFIRMED_IDENTITY_JSON = JSON.stringify(CONFIRMED_IDENTITY);

/**
 * The record versions a status is derived from, one per record: the latest version of each
 * (`deriveStatus` without a known-at time reads no other; a superseded version changes nothing).
 * The incremental path reads every version of a person's records and the rebuild only the latest
 * (`streamPersonsWithRecords`): digested as read, a person with a corrected record had one digest
 * incrementally and another after a rebuild, so the rebuild was not identical and the next
 * re-derivation rewrote the row and announced a change that was none. A new version is always the
 * latest, so the digest still changes with every version stored.
 */
function derivedVersionsOf(records: readonly SourceRecord[]): string[] {
  const latest = new Map<string, SourceRecord>();
  for (const record of records) {
    const key = `${record.feed}\u0000${record.recordKey}`;
    const known = latest.get(key);
    if (known === undefined || known.version < record.version) latest.set(key, record);
  }
  const versions: string[] = [];
  for (const record of latest.values()) versions.push(`${record.id}@${record.version}`);
  return versions.sort();
}

/**
 * Digest of everything a status depends on: the as-of date, the record versions it is derived from
 * (the latest of each record, however many versions `records` holds), identity facts, claims and
 * the lifecycle rules. Equal digests mean an equal status, so re-deriving can skip the write; and
 * equal inputs give an equal digest whether they were read by the incremental path or a rebuild.
 */
export function inputDigestOf(
  asOf: string,
  records: readonly SourceRecord[],
  identity: IdentityFacts,
  claims: readonly CitizenshipClaim[],
  rules: LifecycleRules,
): string {
  // One string hashed at once, by the one-shot hash (the same digest as a Hash object fed the
  // parts in turn; each update was a call into the binding, and each Hash an object to collect).
  const versions = derivedVersionsOf(records);
  let text = asOf;
  for (const version of versions) text += `|${version}`;
  text += identity === CONFIRMED_IDENTITY ? CONFIRMED_IDENTITY_JSON : JSON.stringify(identity);
  text += claims.length === 0 ? "[]" : JSON.stringify(claims);
  text += `|${lifecycleRulesDigestOf(rules)}`;
  return hash("sha256", text, "base64url");
}

export interface DeriveReport {
  /** Persons whose status was re-derived and rewritten (inputs changed). */
  readonly derived: number;
  /** Persons with no records left, whose status was removed. */
  readonly removed: number;
}

/**
 * Re-derives these persons inside the caller's transaction: reads their records, derives each
 * status, evaluates the gates, stores the rows whose inputs changed, removes persons with no
 * records left, and writes a PersonStatusChanged event for every row it rewrote or removed (`state`
null) — all in the same
 * transaction, so the projection and its events commit together. The rules are the ones in force
 * (`LifecycleRulesInForce`): a process whose rules are not the database's writes nothing.
 */
export async function derivePersonStatuses(
  executor: SqlExecutor,
  personIds: readonly string[],
  options: {
    asOf: string;
    rulesInForce: Pick<LifecycleRulesInForce, "rulesForWritingOrThrow">;
    sources: LifecycleSources;
  },
): Promise<DeriveReport> {
  const unique = [...new Set(personIds)].sort();
  if (unique.length === 0) return { derived: 0, removed: 0 };
  const [recordsByPerson, identities, claims, previous] = await Promise.all([
    findRecordsOfPersons(executor, unique),
    options.sources.identityFacts(executor, unique),
    options.sources.citizenshipClaims(executor, unique),
    findStatusHeadlines(executor, unique),
  ]);
  // Asked once the transaction has read person_status: a rebuild records its rules in the
  // transaction that swaps its table in, under an exclusive lock on person_status, so a writer
  // either took its lock first (the swap waits for it and derives its persons again) or reads the
  // rules the rebuild recorded; it never writes under rules the swap has just replaced.
  const rules = await options.rulesInForce.rulesForWritingOrThrow(executor);
  const rows: PersonStatusRow[] = [];
  const events = [];
  const gone: string[] = [];
  for (const personId of unique) {
    const records = recordsByPerson.get(personId);
    if (!records) {
      const before = previous.get(personId);
      if (before !== undefined) {
        gone.push(personId);
        // Announced like any change: a person retired by a merge (or left with no records) must
        // leave the worklist and be struck from frozen manifests; without an event nothing would.
        events.push(
          outboxEventOf(PersonStatusChanged, personId, {
            personId,
            asOf: options.asOf,
            previousState: before.primaryState,
            state: null,
            actionable: false,
            previousActionable: before.actionable,
          }),
        );
      }
      continue;
    }
    const identity = identities.get(personId) ?? CONFIRMED_IDENTITY;
    const personClaims = claims.get(personId) ?? [];
    const digest = inputDigestOf(options.asOf, records, identity, personClaims, rules);
    const before = previous.get(personId);
    if (before?.inputDigest === digest) continue;
    const evaluated = evaluatePerson(personId, records, {
      asOf: options.asOf,
      rules,
      identity,
      claims: personClaims,
    });
    const row = statusRowOf(evaluated, digest);
    rows.push(row);
    // Every re-derived row is announced, not only changes of state: what follows the status (a
    // worklist tier, a transport plan) can change with any input, e.g. a new conviction record.
    events.push(
      outboxEventOf(PersonStatusChanged, personId, {
        personId,
        asOf: options.asOf,
        previousState: before?.primaryState ?? null,
        state: row.primaryState,
        actionable: row.actionable,
        previousActionable: before?.actionable ?? null,
      }),
    );
  }
  await upsertPersonStatuses(executor, rows);
  await deletePersonStatuses(executor, gone);
  if (events.length > 0) await appendOutboxEvents(executor, events);
  return { derived: rows.length, removed: gone.length };
}
