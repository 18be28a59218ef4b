import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database-schema.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** A stored plan's header: horizon, status, who made and froze it, and the solver's figures. */
export interface TransportPlanRow {
  readonly planId: string;
  readonly status: "draft" | "frozen";
  readonly office: string;
  readonly horizon: { readonly from: string; readonly to: string };
  readonly createdBy: string;
  readonly createdAt: string;
  readonly frozenBy: string | null;
  readonly frozenAt: string | null;
  /** When the freeze re-checked every manifest entry against fresh statuses. */
  readonly checkedAt: string | null;
  /** The facility-to-hub mapping version the plan used. */
  readonly facilityHubsVersion: string;
  readonly options: unknown;
  readonly cost: unknown;
  readonly solver: unknown;
}

/** One person on a manifest, and the strike if they were struck. */
export interface ManifestEntryRow {
  readonly personId: string;
  readonly readyDate: string;
  readonly detentionDays: number;
  readonly strike: {
    readonly reason: string;
    readonly gates: readonly string[];
    readonly source: "freeze" | "status_change";
    readonly struckAt: string;
  } | null;
}

export interface ManifestRow {
  readonly flightId: string;
  readonly date: string;
  readonly originHub: string;
  readonly destinationCountry: string;
  readonly destinationPort: string | null;
  readonly seats: number;
  readonly capacity: number;
  readonly cost: number;
  readonly passengers: readonly ManifestEntryRow[];
}

export interface LeftOutRow {
  readonly personId: string;
  readonly kind: "unplaced" | "excluded";
  readonly reason: string;
  readonly gates: readonly string[];
}

/** A whole stored plan. */
export interface StoredTransportPlan extends TransportPlanRow {
  readonly manifests: readonly ManifestRow[];
  readonly leftOut: readonly LeftOutRow[];
}

/** Stores a new draft plan with its manifests and left-out cases (call inside a transaction). */
export async function insertTransportPlan(
  executor: SqlExecutor,
  plan: Omit<StoredTransportPlan, "status" | "createdAt" | "frozenBy" | "frozenAt" | "checkedAt">,
): Promise<void> {
  await executeSql(
    executor,
    `INSERT INTO transport_plan (plan_id, status, office, horizon_from, horizon_to, created_by, facility_hubs_version, options, cost, solver)
     VALUES ($1, 'draft', $2, $3::date, $4::date, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb)`,
    [
      plan.planId,
      plan.office,
      plan.horizon.from,
      plan.horizon.to,
      plan.createdBy,
      plan.facilityHubsVersion,
      JSON.stringify(plan.options),
      JSON.stringify(plan.cost),
      JSON.stringify(plan.solver),
    ],
  );
  if (plan.manifests.length > 0) {
    const m = plan.manifests;
    await executeSql(
      executor,
      `INSERT INTO transport_manifest (plan_id, flight_id, flight_date, origin_hub, destination_country, destination_port, seats, capacity, cost)
       SELECT $1, * FROM unnest($2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::float8[])`,
      [
        plan.planId,
        m.map((manifest) => manifest.flightId),
        m.map((manifest) => manifest.date),
        m.map((manifest) => manifest.originHub),
        m.map((manifest) => manifest.destinationCountry),
        m.map((manifest) => manifest.destinationPort),
        m.map((manifest) => manifest.seats),
        m.map((manifest) => manifest.capacity),
        m.map((manifest) => manifest.cost),
      ],
    );
    const entries = m.flatMap((manifest) =>
      manifest.passengers.map((passenger) => ({ flightId: manifest.flightId, ...passenger })),
    );
    await executeSql(
      executor,
      `INSERT INTO transport_manifest_entry (plan_id, flight_id, person_id, ready_date, detention_days)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::date[], $5::int[])`,
      [
        plan.planId,
        entries.map((entry) => entry.flightId),
        entries.map((entry) => entry.personId),
        entries.map((entry) => entry.readyDate),
        entries.map((entry) => entry.detentionDays),
      ],
    );
  }
  if (plan.leftOut.length > 0) {
    await executeSql(
      executor,
      `INSERT INTO transport_left_out (plan_id, person_id, kind, reason, gates)
       SELECT $1, person_id, kind, reason, gates::text[]
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(person_id, kind, reason, gates)`,
      [
        plan.planId,
        plan.leftOut.map((left) => left.personId),
        plan.leftOut.map((left) => left.kind),
        plan.leftOut.map((left) => left.reason),
        plan.leftOut.map(
          (left) => `{${left.gates.map((gate) => `"${gate.replace(/["\\]/g, "\\$&")}"`).join(",")}}`,
        ),
      ],
    );
  }
}

const PLAN_COLUMNS = `plan_id, status, office, to_char(horizon_from, 'YYYY-MM-DD') AS horizon_from,
  to_char(horizon_to, 'YYYY-MM-DD') AS horizon_to, created_by, created_at, frozen_by, frozen_at, checked_at,
  facility_hubs_version, options, cost, solver`;

interface PlanRecord {
  plan_id: string;
  status: "draft" | "frozen";
  office: string;
  horizon_from: string;
  horizon_to: string;
  created_by: string;
  created_at: string | Date;
  frozen_by: string | null;
  frozen_at: string | Date | null;
  checked_at: string | Date | null;
  facility_hubs_version: string;
  options: unknown;
  cost: unknown;
  solver: unknown;
}

const isoOrNull = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

function toPlan(row: PlanRecord): TransportPlanRow {
  return {
    planId: row.plan_id,
    status: row.status,
    office: row.office,
    horizon: { from: row.horizon_from, to: row.horizon_to },
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    frozenBy: row.frozen_by,
    frozenAt: isoOrNull(row.frozen_at),
    checkedAt: isoOrNull(row.checked_at),
    facilityHubsVersion: row.facility_hubs_version,
    options: row.options,
    cost: row.cost,
    solver: row.solver,
  };
}

/**
 * The headers of the plans that pass `filter` (the access layer's filter of `plan.read`, over the
 * plan's `office`), of one office when `office` is given, newest first.
 */
export async function listTransportPlans(
  db: Kysely<Database>,
  filter: (columns: { office: RawBuilder<string> }) => RawBuilder<SqlBool>,
  office?: string,
): Promise<TransportPlanRow[]> {
  const result = await sql<PlanRecord>`
    SELECT ${sql.raw(PLAN_COLUMNS)} FROM transport_plan
    WHERE (${office ?? null}::text IS NULL OR office = ${office ?? null}) AND ${filter({ office: sql<string>`office` })}
    ORDER BY created_at DESC, plan_id`.execute(db);
  return result.rows.map(toPlan);
}

/** One plan's header; `forUpdate` locks the row until the transaction ends (freeze, strikes). */
export async function findTransportPlanHeader(
  executor: SqlExecutor,
  planId: string,
  options: { forUpdate?: boolean } = {},
): Promise<TransportPlanRow | undefined> {
  const rows = await executeSql<PlanRecord>(
    executor,
    `SELECT ${PLAN_COLUMNS} FROM transport_plan WHERE plan_id = $1${options.forUpdate ? " FOR UPDATE" : ""}`,
    [planId],
  );
  return rows[0] ? toPlan(rows[0]) : undefined;
}

/** A whole plan: header, manifests with their entries and strikes, and the cases left out. */
export async function findTransportPlan(
  executor: SqlExecutor,
  planId: string,
): Promise<StoredTransportPlan | undefined> {
  const header = await findTransportPlanHeader(executor, planId);
  if (header === undefined) return undefined;
  const manifests = await executeSql<{
    flight_id: string;
    flight_date: string;
    origin_hub: string;
    destination_country: string;
    destination_port: string | null;
    seats: number;
    capacity: number;
    cost: number;
  }>(
    executor,
    `SELECT flight_id, to_char(flight_date, 'YYYY-MM-DD') AS flight_date, origin_hub, destination_country,
            destination_port, seats, capacity, cost
     FROM transport_manifest WHERE plan_id = $1 ORDER BY flight_date, flight_id`,
    [planId],
  );
  const entries = await executeSql<{
    flight_id: string;
    person_id: string;
    ready_date: string;
    detention_days: number;
    struck_at: string | Date | null;
    strike_reason: string | null;
    strike_gates: string[];
    strike_source: "freeze" | "status_change" | null;
  }>(
    executor,
    `SELECT flight_id, person_id, to_char(ready_date, 'YYYY-MM-DD') AS ready_date, detention_days,
            struck_at, strike_reason, strike_gates, strike_source
     FROM transport_manifest_entry WHERE plan_id = $1 ORDER BY flight_id, ready_date, person_id`,
    [planId],
  );
  const byFlight = new Map<string, ManifestEntryRow[]>();
  for (const entry of entries) {
    const list = byFlight.get(entry.flight_id) ?? [];
    list.push({
      personId: entry.person_id,
      readyDate: entry.ready_date,
      detentionDays: entry.detention_days,
      strike:
        entry.struck_at === null
          ? null
          : {
              reason: entry.strike_reason!,
              gates: entry.strike_gates,
              source: entry.strike_source!,
              struckAt: new Date(entry.struck_at).toISOString(),
            },
    });
    byFlight.set(entry.flight_id, list);
  }
  const leftOut = await executeSql<{
    person_id: string;
    kind: "unplaced" | "excluded";
    reason: string;
    gates: string[];
  }>(
    executor,
    "SELECT person_id, kind, reason, gates FROM transport_left_out WHERE plan_id = $1 ORDER BY kind, person_id",
    [planId],
  );
  return {
    ...header,
    manifests: manifests.map((manifest) => ({
      flightId: manifest.flight_id,
      date: manifest.flight_date,
      originHub: manifest.origin_hub,
      destinationCountry: manifest.destination_country,
      destinationPort: manifest.destination_port,
      seats: manifest.seats,
      capacity: manifest.capacity,
      cost: manifest.cost,
      passengers: byFlight.get(manifest.flight_id) ?? [],
    })),
    leftOut: leftOut.map((row) => ({
      personId: row.person_id,
      kind: row.kind,
      reason: row.reason,
      gates: row.gates,
    })),
  };
}

/** Marks a plan frozen, recording who froze it and when the re-check ran. */
export async function markTransportPlanFrozen(
  executor: SqlExecutor,
  planId: string,
  frozenBy: string,
  checkedAt: string,
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE transport_plan SET status = 'frozen', frozen_by = $2, frozen_at = clock_timestamp(), checked_at = $3::timestamptz
     WHERE plan_id = $1`,
    [planId, frozenBy, checkedAt],
  );
}

/** A person struck from a plan's manifest, with the reason code and the gates that hold. */
export interface ManifestStrike {
  readonly planId: string;
  readonly personId: string;
  readonly reason: string;
  readonly gates: readonly string[];
}

/**
 * Strikes entries not yet struck (a strike is never undone or rewritten). Returns how many were
 * struck. `status_change`: struck after the freeze, by a status change or a flight correction.
 */
export async function strikeManifestEntries(
  executor: SqlExecutor,
  strikes: readonly ManifestStrike[],
  source: "freeze" | "status_change",
  struckAt: string,
): Promise<number> {
  if (strikes.length === 0) return 0;
  const rows = await executeSql<{ person_id: string }>(
    executor,
    `UPDATE transport_manifest_entry e
     SET struck_at = $5::timestamptz, strike_reason = s.reason, strike_gates = s.gates::text[], strike_source = $6
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s(plan_id, person_id, reason, gates)
     WHERE e.plan_id = s.plan_id AND e.person_id = s.person_id AND e.struck_at IS NULL
     RETURNING e.person_id`,
    [
      strikes.map((strike) => strike.planId),
      strikes.map((strike) => strike.personId),
      strikes.map((strike) => strike.reason),
      strikes.map(
        (strike) => `{${strike.gates.map((gate) => `"${gate.replace(/["\\]/g, "\\$&")}"`).join(",")}}`,
      ),
      struckAt,
      source,
    ],
  );
  return rows.length;
}

/** Unstruck entries of these persons on frozen plans (to strike when their status changes). */
export async function findFrozenManifestEntriesOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<{ planId: string; flightId: string; personId: string }[]> {
  if (personIds.length === 0) return [];
  const rows = await executeSql<{ plan_id: string; flight_id: string; person_id: string }>(
    executor,
    `SELECT e.plan_id, e.flight_id, e.person_id
     FROM transport_manifest_entry e JOIN transport_plan p ON p.plan_id = e.plan_id
     WHERE p.status = 'frozen' AND e.struck_at IS NULL AND e.person_id = ANY($1::text[])
     ORDER BY e.plan_id, e.person_id`,
    [personIds],
  );
  return rows.map((row) => ({ planId: row.plan_id, flightId: row.flight_id, personId: row.person_id }));
}

/** The latest version of every `flight` feed record dated within the range (inclusive). */
export async function findFlightRecords(
  executor: SqlExecutor,
  from: string,
  to: string,
): Promise<Record<string, string | number>[]> {
  const rows = await executeSql<{ key_value: string; fields: Record<string, string | number> }>(
    executor,
    `SELECT key_value, fields FROM (
       SELECT DISTINCT ON (key_value) key_value, fields FROM source_record
       WHERE feed = 'flight' ORDER BY key_value, version DESC
     ) latest
     WHERE (fields->>'date') BETWEEN $1 AND $2 ORDER BY key_value`,
    [from, to],
  );
  return rows.map((row) => ({ flight_id: row.key_value, ...row.fields }));
}

/**
 * Every unstruck entry on a frozen plan (on these flights, when `flightIds` is given; on flights
 * dated `flyingFrom` or later, when given): the seats and persons frozen manifests hold, which a new
 * plan does not offer again and a freeze re-checks against. In the order the plans were frozen (the
 * first frozen keeps its seats when a flight shrinks).
 */
export async function findHeldManifestEntries(
  executor: SqlExecutor,
  options: { flightIds?: readonly string[]; flyingFrom?: string } = {},
): Promise<{ planId: string; flightId: string; personId: string }[]> {
  const rows = await executeSql<{ plan_id: string; flight_id: string; person_id: string }>(
    executor,
    `SELECT e.plan_id, e.flight_id, e.person_id
     FROM transport_manifest_entry e JOIN transport_plan p ON p.plan_id = e.plan_id
       JOIN transport_manifest m ON m.plan_id = e.plan_id AND m.flight_id = e.flight_id
     WHERE p.status = 'frozen' AND e.struck_at IS NULL AND ($1::text[] IS NULL OR e.flight_id = ANY($1::text[]))
       AND ($2::date IS NULL OR m.flight_date >= $2::date)
     ORDER BY p.frozen_at, e.plan_id, e.person_id`,
    [options.flightIds ?? null, options.flyingFrom ?? null],
  );
  return rows.map((row) => ({ planId: row.plan_id, flightId: row.flight_id, personId: row.person_id }));
}

/** The latest version of these `flight` feed records, whatever their date (a freeze re-checks them). */
export async function findFlightRecordsByIds(
  executor: SqlExecutor,
  flightIds: readonly string[],
): Promise<Record<string, string | number>[]> {
  if (flightIds.length === 0) return [];
  const rows = await executeSql<{ key_value: string; fields: Record<string, string | number> }>(
    executor,
    `SELECT DISTINCT ON (key_value) key_value, fields FROM source_record
     WHERE feed = 'flight' AND key_value = ANY($1::text[]) ORDER BY key_value, version DESC`,
    [flightIds],
  );
  return rows.map((row) => ({ flight_id: row.key_value, ...row.fields }));
}

/**
 * Serialises freezes until the transaction ends: two freezes each re-checking seats against the
 * other's uncommitted manifests would both pass and overbook the flight.
 */
export async function lockTransportPlanFreezes(executor: SqlExecutor): Promise<void> {
  await executeSql(executor, "SELECT pg_advisory_xact_lock(hashtext('passage:transport-plan-freeze'))");
}

/** The offices user accounts work in or cases are assigned to: the offices a transport plan may belong to. */
export async function findKnownOffices(executor: SqlExecutor): Promise<Set<string>> {
  const rows = await executeSql<{ office: string }>(
    executor,
    `SELECT office FROM user_account WHERE office <> ''
     UNION SELECT office FROM case_assignment WHERE office <> ''`,
  );
  return new Set(rows.map((row) => row.office));
}

/** Records the seats and capacity a freeze found on each manifest's flight (a correction may have changed them). */
export async function updateManifestSeats(
  executor: SqlExecutor,
  planId: string,
  manifests: readonly { flightId: string; seats: number; capacity: number }[],
): Promise<void> {
  if (manifests.length === 0) return;
  await executeSql(
    executor,
    `UPDATE transport_manifest m SET seats = s.seats, capacity = s.capacity
     FROM unnest($2::text[], $3::int[], $4::int[]) AS s(flight_id, seats, capacity)
     WHERE m.plan_id = $1 AND m.flight_id = s.flight_id`,
    [
      planId,
      manifests.map((manifest) => manifest.flightId),
      manifests.map((manifest) => manifest.seats),
      manifests.map((manifest) => manifest.capacity),
    ],
  );
}
