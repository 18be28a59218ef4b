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
}

/** A person a departure can be sent for, with the identity the record will carry. */
export interface Candidate {
  readonly personId: string;
  readonly state: string;
  readonly detained: boolean;
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
  return access.runRecordedAtStart(
    "feed.ingest",
    { type: "Feed", id: "departure" },
    () => simulateDepartures(store, options),
    { simulator: "departures", rate: options.rate, count: options.count ?? null },
    (simulated) => ({ sent: simulated.sent, rejected: simulated.rejected }),
  );
}

/**
 * An in-repo fake of the departure systems (APIS exit manifests, land exchange, executed
 * removals, VD verifications, self-reports): streams departure records for persons who have not
 * departed, at a steady rate, through the same row ingestor as any streamed feed. Each record
 * carries identity fields copied from one of the person's own records, so linkage attaches it to
 * that person. Evidence follows the case: a removal for a detained person with a final order, a
 * VD verification during a VD period, a carrier manifest or land exchange otherwise — and a share
 * of self-reports, some corroborated later by a carrier manifest, some never.
 */
export async function simulateDepartures(
  store: Pick<Store, "db" | "pool">,
  options: DepartureSimulation,
): Promise<SimulationReport> {
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
      } else {
        if (candidates.length === 0) {
          candidates = await walk.next(remaining());
          if (candidates.length === 0) {
            exhausted = true;
            break;
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
  if (exhausted && sent === 0) throw DepartureErrors.nobodyToDepart.create(await whyNobodyToDepart(store));
  return { sent, byEvidence, rejected, candidates: seen, exhausted };
}

/** Why no person could be sent a departure: no status derived yet, every one gone, or none named. */
async function whyNobodyToDepart(store: Pick<Store, "db">): Promise<string> {
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
  return `none of the ${persons(stillHere)} still here has a record naming them (a family name) to copy into a departure record`;
}

function persons(count: number): string {
  return `${count} ${count === 1 ? "person" : "persons"}`;
}

/**
 * Persons still here (not departed, not citizens), page by page, each person once: a walk in
 * person-id order from a random person, round to where it began (person ids carry no order of
 * their own, so a stretch of them is a random sample). Each page is shuffled, and the next one
 * is read while this one is sent. Drawing each page with `ORDER BY random()` instead sorted every
 * remaining person again, past an exclusion list that grew with every page.
 */
export function createCandidateWalk(
  store: Pick<Store, "db">,
  pageSize: number = CANDIDATE_PAGE,
): {
  /** The next page ([] once every person has been offered); `wanted` bounds the read-ahead. */
  next(wanted?: number): Promise<Candidate[]>;
  /** Waits for a page still being read ahead (its result, or failure, is not needed). */
  close(): Promise<void>;
} {
  let start: string | undefined;
  let after: string | undefined;
  let wrapped = false;
  let done = false;
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
    const rows = await executeSql<{ person_id: string; primary_state: string; detained: boolean }>(
      store.db,
      `SELECT person_id, primary_state, coalesce((status #>> '{facts,custody,detained}')::boolean, false) AS detained
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
      const identity = identityOf(records.get(row.person_id) ?? []);
      if (identity)
        candidates.push({
          personId: row.person_id,
          state: row.primary_state,
          detained: row.detained,
          identity,
        });
    }
    // A page of persons none of whose records names them fully is skipped, not the end.
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
  };
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

function identityOf(records: readonly SourceRecord[]): Record<string, string> | undefined {
  // The record that names the person most fully gives the identity a departure record carries.
  let best: SourceRecord | undefined;
  let bestCount = 0;
  for (const record of records) {
    const count = IDENTITY_FIELDS.filter((field) => record.fields[field] !== undefined).length;
    if (count > bestCount && record.fields.family_name !== undefined) {
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

function evidenceFor(candidate: Candidate, sequence: number): string {
  if (
    (candidate.state === "FINAL_ORDER" || candidate.state === "REMOVAL_IN_PROGRESS") &&
    candidate.detained
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

/**
 * Waits, or less if `signal` aborts. The abort listener goes with the wait: one added per record
 * and never removed piled up on a long-running stream's signal (Node warned of a listener leak).
 */
export function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
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
