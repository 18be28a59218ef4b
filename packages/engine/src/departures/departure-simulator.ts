import { randomUUID } from "node:crypto";
import type { AuditedAccess } from "@passage/access";
import type { SourceRecord } from "@passage/core";
import { executeSql, findRecordsOfPersons, type Store } from "@passage/store";
import { createRowIngestor, type RowIngestResult } from "../ingest/row-ingestor.ts";
import { DepartureErrors } from "./departure-errors.ts";

/** The person fields a departure record carries, copied from the person's own records. */
const IDENTITY_FIELDS = [
  "family_name",
  "given_names",
  "date_of_birth",
  "sex",
  "nationality",
  "country_of_birth",
  "a_number",
  "passport_number",
  "passport_country",
  "i94_number",
] as const;

export interface DepartureSimulation {
  /** Departure records per second. */
  readonly rate: number;
  /** Stop after this many records (default: run until `signal` aborts). */
  readonly count?: number | undefined;
  /** Share of departures that are self-reports (claimed). */
  readonly selfReportShare?: number;
  /** Share of self-reports a carrier manifest later corroborates. */
  readonly corroborationShare?: number;
  /** Seconds between a self-report and its corroborating record. */
  readonly corroborationDelaySeconds?: number;
  readonly signal?: AbortSignal | undefined;
  readonly onRecord?: (result: RowIngestResult, row: Readonly<Record<string, string>>) => void;
}

export interface SimulationReport {
  readonly sent: number;
  readonly byEvidence: Readonly<Record<string, number>>;
  readonly rejected: number;
  /** Persons a departure was sent for (self-reports' corroborations not counted again). */
  readonly candidates: number;
  /**
   * True when the run stopped because every person still here had been sent a departure (before
   * `count`, or before `signal` aborted): none is offered twice in one run.
   */
  readonly exhausted: boolean;
  /**
   * Persons still here passed over because none of their records carries the identity linkage
   * attaches a departure on (a date of birth and an A-number or passport number): a departure
   * copied from a weaker record would stand alone as a new, departed person.
   */
  readonly skippedWeakIdentity: number;
  /**
   * Corroborations planned for self-reports and not sent: `count` was reached or `signal` aborted
   * before they were due. When the run ends because no one is left, the simulator waits for them.
   */
  readonly corroborationsNotSent: number;
  /** True when `signal` aborted the run (the records sent before it are kept). */
  readonly interrupted: boolean;
}

/** A person a departure can be sent for, with the identity the record will carry. */
export interface Candidate {
  readonly personId: string;
  readonly state: string;
  readonly detained: boolean;
  /** The status's `actionable`: a final order executable, no blocker, no gate holding. */
  readonly actionable: boolean;
  readonly identity: Record<string, string>;
}

const CANDIDATE_PAGE = 2000;

/**
 * The simulator run by an actor: `feed.ingest` on the departure feed, as the HTTP feed route asks,
 * audited with the rate when it starts (each batch commits as it goes) and, once it stops, with
 * what it sent.
 */
export function simulateDeparturesAs(
  access: AuditedAccess,
  store: Pick<Store, "db" | "pool">,
  options: DepartureSimulation,
): Promise<SimulationReport> {
  return access.run(
    "feed.ingest",
    { type: "Feed", id: "departure" },
    () => simulateDepartures(store, options),
    { simulator: "departures", rate: options.rate, count: options.count ?? null },
    (simulated) => ({ sent: simulated.sent, rejected: simulated.rejected }),
  );
}

/** The lowest rate: one record in about 17 minutes. Slower than this is no stream to watch. */
export const MIN_SIMULATION_RATE = 0.001;

/**
 * An in-repo fake of the departure systems (APIS exit manifests, land exchange, executed
 * removals, VD verifications, self-reports): streams departure records for persons who have not
 * departed, at a steady rate, through the same row ingestor as any streamed feed. Each record
 * carries identity fields copied from one of the person's own records that linkage attaches on (a
 * date of birth and an A-number or passport number), so linkage attaches it to that person;
 * persons with no such record are skipped and counted (`skippedWeakIdentity`). A person who
 * already holds a departure record for the current stay (of any tier, the simulator's own `SIM-`
 * records included) is not sent another, across runs. Evidence follows the case: an executed
 * removal only for a detained person whose removal is actionable (a final order executable, no
 * blocker, no gate holding: a stay or pending motion bars it), a VD verification during a VD
 * period, a carrier manifest or land exchange otherwise — and a share of self-reports, some
 * corroborated later by a carrier manifest, some never. A run that ends because no one is left
 * waits for the corroborations still due; one ended by `count` or `signal` reports how many it
 * did not send.
 */
export async function simulateDepartures(
  store: Pick<Store, "db" | "pool">,
  options: DepartureSimulation,
): Promise<SimulationReport> {
  if (!(Number.isFinite(options.rate) && options.rate >= MIN_SIMULATION_RATE)) {
    throw DepartureErrors.rateOutOfRange.create(options.rate, MIN_SIMULATION_RATE);
  }
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count > 0)) {
    throw DepartureErrors.countNotPositiveInteger.create(options.count);
  }
  const selfReportShare = options.selfReportShare ?? 0.15;
  const corroborationShare = options.corroborationShare ?? 0.6;
  const corroborationDelayMs = (options.corroborationDelaySeconds ?? 20) * 1000;
  const interval = 1000 / options.rate;
  const ingestor = createRowIngestor({ pool: store.pool, sourceName: "simulator:departures" });
  const byEvidence: Record<string, number> = {};
  const pendingCorroborations: Array<{ due: number; row: Record<string, string> }> = [];
  let sent = 0;
  let rejected = 0;
  let seen = 0;
  let exhausted = false;
  const walk = createCandidateWalk(store);
  const remaining = () => (options.count === undefined ? undefined : options.count - sent);
  let candidates = await walk.next(remaining());
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();

  const send = (row: Record<string, string>) => {
    const evidence = row.evidence!;
    const task = ingestor.ingest("departure", row).then((result) => {
      if (result.outcome === "rejected") rejected++;
      byEvidence[evidence] = (byEvidence[evidence] ?? 0) + 1;
      options.onRecord?.(result, row);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    sent++;
  };

  try {
    while (!options.signal?.aborted && (options.count === undefined || sent < options.count)) {
      const due = pendingCorroborations[0];
      if (due && due.due <= Date.now()) {
        pendingCorroborations.shift();
        send(due.row);
      } else if (!exhausted) {
        if (candidates.length === 0) {
          candidates = await walk.next(remaining());
          if (candidates.length === 0) {
            // No one left: the corroborations still planned are sent when due (below).
            exhausted = true;
            continue;
          }
        }
        const candidate = candidates.pop()!;
        const identity = candidate.identity;
        seen++;
        const selfReport = pick(seen, 7919) < selfReportShare;
        const evidence = selfReport ? "self_report" : evidenceFor(candidate, seen);
        const row = departureRow(identity, evidence);
        send(row);
        if (selfReport && pick(seen, 104729) < corroborationShare) {
          pendingCorroborations.push({
            due: Date.now() + corroborationDelayMs,
            row: departureRow(identity, "carrier_manifest"),
          });
        }
      } else if (due) {
        await sleep(due.due - Date.now(), options.signal);
        continue;
      } else {
        break;
      }
      // Keep a steady rate: sleep until the next slot of the schedule.
      const next = started + sent * interval;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait, options.signal);
    }
    await Promise.all(inFlight);
  } finally {
    await walk.close();
    await ingestor.close();
  }
  if (exhausted && sent === 0)
    throw DepartureErrors.nobodyToDepart.create(await whyNobodyToDepart(store, walk));
  return {
    sent,
    byEvidence,
    rejected,
    candidates: seen,
    exhausted,
    skippedWeakIdentity: walk.skippedWeakIdentity(),
    corroborationsNotSent: pendingCorroborations.length,
    interrupted: options.signal?.aborted === true,
  };
}

/**
 * Why no person could be sent a departure: no status derived yet, every one gone, or each one
 * still here either sent one already or without a record linkage would attach a departure on.
 */
async function whyNobodyToDepart(
  store: Pick<Store, "db">,
  walk: Pick<CandidateWalk, "skippedWeakIdentity" | "skippedDeparted">,
): Promise<string> {
  const [counts] = await executeSql<{ derived: number; still_here: number }>(
    store.db,
    `SELECT count(*)::integer AS derived, (count(*) FILTER (WHERE ${STILL_HERE}))::integer AS still_here
     FROM person_status`,
  );
  const derived = counts?.derived ?? 0;
  const stillHere = counts?.still_here ?? 0;
  if (derived === 0) {
    return (
      "no person has a derived status to depart yet (records may be ingested and linked, but the " +
      "status projection has not caught up): run a command that catches up the projections, e.g. " +
      "`passage worklist`, or start the workers, then simulate again"
    );
  }
  if (stillHere === 0) {
    return `none of the ${persons(derived)} with a derived status is still here (every one has departed, is a citizen or has no entry recorded)`;
  }
  return (
    `none of the ${persons(stillHere)} still here can be sent a departure: ` +
    `${walk.skippedDeparted()} already ${walk.skippedDeparted() === 1 ? "holds" : "hold"} a departure record for the current stay ` +
    "(its status not derived again yet: run `passage worklist` or start the workers), and " +
    `${walk.skippedWeakIdentity()} ${walk.skippedWeakIdentity() === 1 ? "has" : "have"} no record with a date of birth and an A-number or passport number, ` +
    "the identity linkage attaches a departure on"
  );
}

function persons(count: number): string {
  return `${count} ${count === 1 ? "person" : "persons"}`;
}

/** The persons a run may send a departure for, page by page (`createCandidateWalk`). */
export interface CandidateWalk {
  /** The next page ([] once every person has been offered); `wanted` bounds the read-ahead. */
  next(wanted?: number): Promise<Candidate[]>;
  /** Waits for a page still being read ahead (its result, or failure, is not needed). */
  close(): Promise<void>;
  /** Persons passed over so far: no record with the identity linkage attaches a departure on. */
  skippedWeakIdentity(): number;
  /**
   * Persons passed over so far: a departure record (any tier, a simulator's too) already ends
   * their current stay, though their status, not derived again yet, still shows them here.
   */
  skippedDeparted(): number;
}

/**
 * Persons still here (not departed, not citizens), page by page, each person once: a walk in
 * person-id order from a random person, round to where it began (person ids carry no order of
 * their own, so a stretch of them is a random sample). Each page is shuffled, and the next one
 * is read while this one is sent. Drawing each page with `ORDER BY random()` instead sorted every
 * remaining person again, past an exclusion list that grew with every page. A person whose linked
 * records already include a departure after their latest entry is passed over whatever their
 * status says (the status projection may not have caught up with an earlier run), and so is one
 * with no record linkage attaches a departure on (`identityOf`).
 */
export function createCandidateWalk(
  store: Pick<Store, "db">,
  pageSize: number = CANDIDATE_PAGE,
): CandidateWalk {
  let start: string | undefined;
  let after: string | undefined;
  let wrapped = false;
  let done = false;
  let weak = 0;
  let departed = 0;
  const read = async (): Promise<Candidate[]> => {
    if (done) return [];
    if (start === undefined) {
      const [first] = await executeSql<{ person_id: string }>(
        store.db,
        `SELECT person_id FROM person_status WHERE ${STILL_HERE} ORDER BY random() LIMIT 1`,
      );
      if (!first) {
        done = true;
        return [];
      }
      start = first.person_id;
    }
    // Before wrapping: from the start (inclusive) to the end; after: from the beginning to the start.
    const rows = await executeSql<{
      person_id: string;
      primary_state: string;
      detained: boolean;
      actionable: boolean;
    }>(
      store.db,
      `SELECT person_id, primary_state, actionable,
              coalesce((status #>> '{facts,custody,detained}')::boolean, false) AS detained
       FROM person_status
       WHERE ${STILL_HERE}
         AND (CASE WHEN $4 THEN person_id < $1 ELSE person_id >= $1 END)
         AND ($2::text IS NULL OR person_id > $2)
       ORDER BY person_id LIMIT $3`,
      [start, after ?? null, pageSize, wrapped],
    );
    if (rows.length < pageSize) {
      if (wrapped) done = true;
      wrapped = true;
      after = undefined;
    } else {
      after = rows.at(-1)!.person_id;
    }
    if (rows.length === 0) return read();
    const records = await findRecordsOfPersons(
      store.db,
      rows.map((row) => row.person_id),
    );
    const candidates: Candidate[] = [];
    for (const row of shuffled(rows)) {
      const own = records.get(row.person_id) ?? [];
      if (hasDepartedSinceLatestEntry(own)) {
        departed++;
        continue;
      }
      const identity = identityOf(own);
      if (!identity) {
        weak++;
        continue;
      }
      candidates.push({
        personId: row.person_id,
        state: row.primary_state,
        detained: row.detained,
        actionable: row.actionable,
        identity,
      });
    }
    // A page of persons none of whom can be sent one is skipped, not the end.
    return candidates.length === 0 ? read() : candidates;
  };
  let ahead: Promise<Candidate[]> | undefined;
  return {
    async next(wanted) {
      const page = await (ahead ?? read());
      // The page after is read ahead only if more than this one is wanted.
      ahead = page.length > 0 && (wanted === undefined || wanted > page.length) ? read() : undefined;
      // Observed when awaited by the next call; never an unhandled rejection meanwhile.
      ahead?.catch(() => undefined);
      return page;
    },
    async close() {
      await ahead?.catch(() => undefined);
    },
    skippedWeakIdentity: () => weak,
    skippedDeparted: () => departed,
  };
}

/** The date of the entry a record shows (as the lifecycle reads it), if it shows one. */
function entryDateOf(record: SourceRecord): string | undefined {
  const fields = record.fields;
  if (record.feed === "admission" && fields.admission_date !== undefined)
    return String(fields.admission_date);
  if (record.feed === "encounter" && String(fields.entry_without_inspection) === "Y") {
    const date = fields.entry_date ?? fields.event_date;
    return date === undefined ? undefined : String(date);
  }
  return undefined;
}

/**
 * True when one of the person's records is a departure dated after their latest entry on record
 * (or any departure, with no entry): a departure already ends the current stay, whichever tier.
 */
function hasDepartedSinceLatestEntry(records: readonly SourceRecord[]): boolean {
  let latestEntry = "";
  let latestDeparture: string | undefined;
  for (const record of records) {
    if (record.feed === "departure") {
      const date = String(record.fields.departure_date ?? "");
      if (latestDeparture === undefined || date > latestDeparture) latestDeparture = date;
      continue;
    }
    const date = entryDateOf(record);
    if (date !== undefined && date > latestEntry) latestEntry = date;
  }
  return latestDeparture !== undefined && latestDeparture > latestEntry;
}

const STILL_HERE = "primary_state NOT IN ('DEPARTED', 'USC', 'NO_ENTRY_RECORDED')";

/** A copy in random order (Fisher-Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/**
 * The identity a departure record carries, copied from the person's record that names them most
 * fully among those linkage attaches a departure on: a date of birth and a strong identifier (an
 * A-number, or a passport number). Names and a date alone only reach review, so a departure copied
 * from a weaker record (an encounter with a name only) would stand alone as a new, departed person
 * while the real one stays. Undefined when no record of the person qualifies.
 */
export function identityOf(records: readonly SourceRecord[]): Record<string, string> | undefined {
  let best: SourceRecord | undefined;
  let bestCount = 0;
  for (const record of records) {
    const fields = record.fields;
    const linkable =
      fields.family_name !== undefined &&
      fields.date_of_birth !== undefined &&
      (fields.a_number !== undefined || fields.passport_number !== undefined);
    if (!linkable) continue;
    const count = IDENTITY_FIELDS.filter((field) => fields[field] !== undefined).length;
    if (count > bestCount) {
      best = record;
      bestCount = count;
    }
  }
  if (!best) return undefined;
  const identity: Record<string, string> = {};
  for (const field of IDENTITY_FIELDS) {
    const value = best.fields[field];
    if (value !== undefined) identity[field] = String(value);
  }
  return identity;
}

/**
 * The evidence of a departure that fits the case. An executed removal only where the removal is
 * actionable (a final order executable, no blocker, no gate such as a granted stay holding) and
 * the person is detained; a VD verification during a VD period; else a carrier manifest or a land
 * exchange (the self-reports are drawn before this).
 */
export function evidenceFor(candidate: Candidate, sequence: number): string {
  if (
    candidate.actionable &&
    candidate.detained &&
    (candidate.state === "FINAL_ORDER" || candidate.state === "REMOVAL_IN_PROGRESS")
  ) {
    return "removal_executed";
  }
  if (candidate.state === "VD_PERIOD") return "vd_verified";
  return pick(sequence, 31) < 0.8 ? "carrier_manifest" : "land_exchange";
}

function departureRow(identity: Record<string, string>, evidence: string): Record<string, string> {
  const now = new Date();
  return {
    ...identity,
    departure_id: `SIM-${randomUUID()}`,
    departure_date: now.toISOString().slice(0, 10),
    mode: evidence === "land_exchange" ? "land" : "air",
    evidence,
    reported_at: now.toISOString(),
  };
}

/** A deterministic number in [0, 1) from a sequence number and a salt (no global random state). */
function pick(sequence: number, salt: number): number {
  const x = Math.sin(sequence * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/** The longest single timer Node keeps (2^31-1 ms); a longer one fires at once (TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Waits, or less if `signal` aborts. The abort listener goes with the wait: one added per record
 * and never removed piled up on a long-running stream's signal (Node warned of a listener leak).
 * A wait longer than Node's timer limit is taken in parts, each below it.
 */
export async function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  let left = milliseconds;
  while (left > 0 && !signal?.aborted) {
    const part = Math.min(left, MAX_TIMER_MS);
    await sleepOnce(part, signal);
    left -= part;
  }
}

function sleepOnce(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    signal?.addEventListener("abort", done, { once: true });
  });
}
