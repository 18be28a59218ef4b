import { randomUUID } from "node:crypto";
import type { AccessResource, AuditedAccess } from "@passage/access";
import { PersonStatusChanged, parseIsoDate, RecordsCorrected } from "@passage/core";
import {
  createWorkerHighsSolver,
  DEFAULT_PLAN_OPTIONS,
  type Flight,
  freezeManifests,
  type Manifest,
  type MipSolver,
  type PlanOptions,
  planTransport,
  type TransportCase,
  type TransportPlan,
  type WorkerHighsSolverOptions,
} from "@passage/logistics";
import {
  findActionableStatusPage,
  findFlightRecords,
  findFlightRecordsByIds,
  findFrozenManifestEntriesOfPersons,
  findHeldManifestEntries,
  findKeysOfStoredRecords,
  findKnownOffices,
  findStoredStatuses,
  findTransportPlan,
  findTransportPlanHeader,
  insertTransportPlan,
  type LeftOutRow,
  listTransportPlans,
  lockTransportPlanFreezes,
  type ManifestStrike,
  markTransportPlanFrozen,
  type OutboxEvent,
  type SqlExecutor,
  type Store,
  type StoredTransportPlan,
  strikeManifestEntries,
  type TransportPlanRow,
  updateManifestSeats,
} from "@passage/store";
import type { EventHandler } from "../consumers/event-handler.ts";
import { todayUtc } from "../lifecycle/lifecycle-service.ts";
import { caseAttributesOf, personsPassing } from "../linkage/linkage-access.ts";
import { type FacilityHubs, loadFacilityHubsOrThrow } from "./facility-hubs.ts";
import { gateNamesOf, type ShownTransportPlan, shownPlan } from "./plan-redaction.ts";
import { PERSON_RETIRED, retiredPersonDetails } from "./retired-person-detail.ts";
import { FACILITY_WITHOUT_HUB, OFFERED_STATES, transportCaseOf } from "./transport-cases.ts";
import { TransportErrors } from "./transport-errors.ts";

export type { StoredTransportPlan, TransportPlanRow } from "@passage/store";
export type { HeldCost } from "./held-cost.ts";
export type {
  ShownManifest,
  ShownPassenger,
  ShownStrike,
  ShownStrikeAtFreeze,
  ShownTransportPlan,
} from "./plan-redaction.ts";

/** The name (and offset) of the handler that strikes persons from frozen manifests. */
export const MANIFEST_STRIKES_HANDLER_NAME = "manifest-strikes";

const PAGE_SIZE = 1000;

/** Why `text` is not a `YYYY-MM-DD` day of the calendar, exactly (parseIsoDate would accept it padded); null if it is. */
function calendarDateProblem(text: string): string | null {
  const parsed = parseIsoDate(text);
  if (!parsed.ok) return parsed.reason;
  return parsed.value === text ? null : "is not written YYYY-MM-DD";
}

/** The horizon's problem, named for any surface (HTTP body or command line), or null. */
function horizonProblem(from: string, to: string, today: string): string | null {
  for (const [name, date] of [
    ["from", from],
    ["to", to],
  ] as const) {
    const problem = calendarDateProblem(date);
    if (problem !== null) return `${name} ${JSON.stringify(date)}: ${problem}`;
  }
  if (from > to) return "from is after to";
  if (to < today) return `it ends before today (${today}): flights already flown cannot be planned`;
  return null;
}

export { PERSON_RETIRED } from "./retired-person-detail.ts";

/** Left out of a new plan: already an unstruck passenger of a frozen plan's manifest (a person flies once). */
export const ALREADY_MANIFESTED = "ALREADY_MANIFESTED";

export interface CreatePlanRequest {
  readonly from: string;
  readonly to: string;
  readonly options?: Partial<PlanOptions> | undefined;
  /**
   * The office the plan belongs to (default: the actor's; for an actor with none, such as the
   * command line's operator, the offices its cases are assigned to: see `coveredOffices`).
   */
  readonly office?: string | undefined;
}

/** What freezing did: when the re-check ran and whom it struck (as the plan, named only where the reader may read the person). */
export interface FreezeReport {
  readonly plan: ShownTransportPlan;
  readonly checkedAt: string;
  readonly struck: readonly {
    personId: string;
    flightId: string;
    reason: string;
    gates: readonly string[];
    /** For PERSON_RETIRED: the person the records were merged into, or that there is none (else null). */
    detail: string | null;
  }[];
  /** Persons struck whose status the reader may not read: counted, not named. */
  readonly struckWithheld: number;
}

/** Transport plans as the HTTP layer and the CLI call them; every call is authorized and audited. */
export interface TransportService {
  readonly facilityHubs: FacilityHubs;
  /**
   * Plans the horizon's flights for the ready cases of every office and stores the draft plan
   * (`plan.write`). Plans are answered as `ShownTransportPlan`s: persons named only where the
   * reader may read their status.
   */
  createPlan(access: AuditedAccess, request: CreatePlanRequest): Promise<ShownTransportPlan>;
  /** Re-checks every manifest entry against fresh statuses, strikes who no longer qualifies, freezes (`plan.freeze`). */
  freeze(access: AuditedAccess, planId: string): Promise<FreezeReport>;
  /** The plans the actor may read (`plan.read` on each plan's office), of one office if given, newest first. */
  listPlans(access: AuditedAccess, office?: string): Promise<TransportPlanRow[]>;
  showPlan(access: AuditedAccess, planId: string): Promise<ShownTransportPlan>;
  /** Strikes these persons from frozen manifests where they no longer qualify (in the caller's transaction). */
  strikeChangedPersons(executor: SqlExecutor, personIds: readonly string[]): Promise<number>;
  /**
   * Re-checks every unstruck entry of every frozen manifest against the statuses and the flights
   * as they stand (after `passage rebuild`, which re-derives statuses without events): returns how
   * many it struck.
   */
  recheckFrozenManifests(): Promise<number>;
  /**
   * The outbox handler: PersonStatusChanged -> strike from frozen manifests who stopped qualifying;
   * a flight correction (RecordsCorrected of the flight feed) -> re-check that flight's frozen manifests.
   */
  readonly handler: EventHandler;
}

/** The access resource of a transport plan. */
export function transportPlanResource(planId: string, office: string): AccessResource {
  return { type: "TransportPlan", id: planId, attributes: { office } };
}

export function createTransportService(options: {
  store: Pick<Store, "db">;
  facilityHubs?: FacilityHubs;
  /** The MIP solver (default: HiGHS in a worker thread per solve, off the event loop). */
  solver?: () => Promise<MipSolver>;
  /** Options of the default solver's workers (a grace period past the time limit; the tests' hold). */
  solverWorker?: WorkerHighsSolverOptions;
  /** Today's date, YYYY-MM-DD (default: the UTC clock's): flights before it are not planned. */
  today?: () => string;
  /**
   * Refuses when the stored statuses rest on other lifecycle rules or another derivation than
   * this process's (as the worklist does): a plan or a freeze reads them. Absent: not checked.
   */
  statusesInForceOrThrow?: (executor: SqlExecutor) => Promise<unknown>;
}): TransportService {
  const today = options.today ?? todayUtc;
  const statusesInForceOrThrow = options.statusesInForceOrThrow ?? (async () => undefined);
  const { db } = options.store;
  const facilityHubs = options.facilityHubs ?? loadFacilityHubsOrThrow();
  let solver: Promise<MipSolver> | undefined;
  const solverOf = () => {
    solver ??= options.solver?.() ?? Promise.resolve(createWorkerHighsSolver(options.solverWorker));
    return solver;
  };
  const actorLabel = (access: AuditedAccess) => `${access.scope.actor.kind}:${access.scope.actor.id}`;

  /**
   * An office named for a plan is the actor's own, one a user account works in or one cases are
   * assigned to ("NOPE" and "" are refused). Not named, the plan is the actor's office's, or the
   * offices its cases are assigned to for an actor without one (the command line's operator).
   */
  async function assertKnownOfficeOrThrow(office: string | undefined, actorOffice: string): Promise<void> {
    if (office === undefined || (office !== "" && office === actorOffice)) return;
    const known = await findKnownOffices(db);
    if (actorOffice !== "") known.add(actorOffice);
    if (office !== "" && known.has(office)) return;
    throw TransportErrors.unknownOffice.create(office, [...known].sort().join(", ") || "none");
  }

  /**
   * Fresh transport cases of persons on a manifest (any status), and of no one else; for those
   * with none, why (freezeManifests strikes them: fail closed).
   */
  async function freshCasesOf(
    executor: SqlExecutor,
    personIds: readonly string[],
  ): Promise<{ cases: TransportCase[]; unavailable: Map<string, string> }> {
    const statuses = await findStoredStatuses(executor, personIds);
    const cases: TransportCase[] = [];
    const unavailable = new Map<string, string>();
    for (const personId of personIds) {
      const stored = statuses.get(personId);
      if (stored === undefined) {
        unavailable.set(personId, PERSON_RETIRED);
        continue;
      }
      const built = transportCaseOf(stored, facilityHubs);
      if ("case" in built) cases.push(built.case);
      else unavailable.set(personId, FACILITY_WITHOUT_HUB);
    }
    return { cases, unavailable };
  }

  /**
   * The unstruck entries of frozen plans (other than `exceptPlanId`) on flights of today or later:
   * seats held per flight, persons held. A passenger of a flight already flown whom no removal
   * record has taken off the worklist since is held no longer: still actionable, they are offered
   * to new plans again (held for good, no plan could take them, and the old plan shows them unstruck).
   */
  async function heldByFrozenPlans(executor: SqlExecutor, exceptPlanId?: string) {
    const seatsHeld = new Map<string, number>();
    const persons = new Set<string>();
    for (const entry of await findHeldManifestEntries(executor, { flyingFrom: today() })) {
      if (entry.planId === exceptPlanId) continue;
      seatsHeld.set(entry.flightId, (seatsHeld.get(entry.flightId) ?? 0) + 1);
      persons.add(entry.personId);
    }
    return { seatsHeld, persons };
  }

  /**
   * What a new plan is offered: the horizon's flights (less the seats frozen plans hold) and the
   * transport cases of every plannable person, but those a frozen manifest holds (left out).
   */
  async function plannableCases(executor: SqlExecutor, from: string, to: string) {
    // Seats and persons frozen manifests hold are not offered again (freeze re-checks).
    const held = await heldByFrozenPlans(executor);
    const flights = (await findFlightRecords(executor, from, to)).map((fields) => ({
      ...flightOf(fields),
      seatsHeld: held.seatsHeld.get(String(fields.flight_id)) ?? 0,
    }));
    const cases: TransportCase[] = [];
    const leftOut: LeftOutRow[] = [];
    let alreadyManifested = 0;
    let after = "";
    for (;;) {
      const page = await findActionableStatusPage(executor, after, PAGE_SIZE, OFFERED_STATES);
      if (page.length === 0) break;
      after = page[page.length - 1]!.personId;
      for (const stored of page) {
        if (held.persons.has(stored.personId)) {
          alreadyManifested++;
          leftOut.push({
            personId: stored.personId,
            kind: "excluded",
            reason: ALREADY_MANIFESTED,
            gates: [],
          });
          continue;
        }
        const built = transportCaseOf(stored, facilityHubs);
        if ("case" in built) cases.push(built.case);
        else leftOut.push({ personId: stored.personId, kind: "excluded", reason: built.excluded, gates: [] });
      }
    }
    return { flights, cases, leftOut, alreadyManifested };
  }

  /**
   * A freeze's re-check of a plan's unstruck passengers, as it would run now: against fresh
   * statuses, the persons and seats other frozen plans hold, and the flights as they stand now (a
   * correction record may have cancelled, moved or shrunk one). Writes nothing.
   */
  async function freezeCheckOf(executor: SqlExecutor, plan: StoredTransportPlan, checkedAt: string) {
    const manifests = manifestsOf(plan, () => true);
    const fresh = await freshCasesOf(
      executor,
      manifests.flatMap((manifest) => manifest.passengers.map((passenger) => passenger.personId)),
    );
    const held = await heldByFrozenPlans(executor, plan.planId);
    const current = new Map(
      (
        await findFlightRecordsByIds(
          executor,
          manifests.map((manifest) => manifest.flightId),
        )
      ).map((fields): [string, Flight] => [
        String(fields.flight_id),
        { ...flightOf(fields), seatsHeld: held.seatsHeld.get(String(fields.flight_id)) ?? 0 },
      ]),
    );
    return freezeManifests(manifests, fresh.cases, checkedAt, {
      unavailable: fresh.unavailable,
      manifestedElsewhere: held.persons,
      flights: {
        current,
        options: { ...DEFAULT_PLAN_OPTIONS, ...(plan.options as Partial<PlanOptions>) },
        today: today(),
      },
    });
  }

  /**
   * A plan as the reader is shown it; a draft's passengers with the strike its freeze would make
   * now (a draft is not re-checked until it is frozen: shown seated, they may no longer fly).
   */
  async function planAsShown(
    access: AuditedAccess,
    executor: Parameters<typeof shownPlan>[1],
    plan: StoredTransportPlan,
  ) {
    if (plan.status !== "draft") return shownPlan(access, executor, plan);
    const check = await freezeCheckOf(executor, plan, new Date().toISOString());
    return shownPlan(
      access,
      executor,
      plan,
      new Map(
        check.strikes.map((strike) => [strike.personId, { reason: strike.reason, gates: strike.gates }]),
      ),
    );
  }

  async function strikeChangedPersons(executor: SqlExecutor, personIds: readonly string[]): Promise<number> {
    const entries = await findFrozenManifestEntriesOfPersons(executor, [...new Set(personIds)]);
    if (entries.length === 0) return 0;
    const fresh = await freshCasesOf(executor, [...new Set(entries.map((entry) => entry.personId))]);
    const strikes: ManifestStrike[] = [];
    const checkedAt = new Date().toISOString();
    for (const planId of new Set(entries.map((entry) => entry.planId))) {
      const plan = (await findTransportPlan(executor, planId))!;
      const onPlan = new Set(
        entries.filter((entry) => entry.planId === planId).map((entry) => entry.personId),
      );
      const manifests = manifestsOf(plan, (personId) => onPlan.has(personId));
      const { strikes: planStrikes } = freezeManifests(manifests, fresh.cases, checkedAt, {
        unavailable: fresh.unavailable,
      });
      for (const strike of planStrikes) {
        strikes.push({ planId, personId: strike.personId, reason: strike.reason, gates: strike.gates });
      }
    }
    return strikeManifestEntries(executor, strikes, "status_change", checkedAt);
  }

  /**
   * Re-checks the frozen manifests' unstruck entries (on these flights, when given) as a freeze
   * would: each person against a fresh status, and each manifest's flight as it stands now (a
   * correction may have cancelled, moved or shrunk it). Seats go to the plans in the order they
   * were frozen (the first frozen keeps its passengers), and within a plan the latest ready go
   * first (then by person id), as at freeze. A manifest whose flight date has passed is history:
   * its flight is not re-checked (a correction to a flown flight strikes no one), its persons are.
   * Struck entries are no longer held, so their persons can be planned again.
   */
  async function recheckHeldEntries(executor: SqlExecutor, flightIds?: readonly string[]): Promise<number> {
    // Serialised with freezes: a freeze counts the seats the other frozen manifests hold.
    await lockTransportPlanFreezes(executor);
    const held = await findHeldManifestEntries(executor, flightIds === undefined ? {} : { flightIds });
    if (held.length === 0) return 0;
    const now = today();
    const checkedAt = new Date().toISOString();
    const fresh = await freshCasesOf(executor, [...new Set(held.map((entry) => entry.personId))]);
    const flights = new Map(
      (await findFlightRecordsByIds(executor, [...new Set(held.map((entry) => entry.flightId))])).map(
        (fields): [string, Flight] => [String(fields.flight_id), flightOf(fields)],
      ),
    );
    const keptSeats = new Map<string, number>();
    let struck = 0;
    for (const planId of new Set(held.map((entry) => entry.planId))) {
      const plan = (await findTransportPlan(executor, planId))!;
      const heldOnPlan = held.filter((entry) => entry.planId === planId);
      const onPlan = new Set(heldOnPlan.map((entry) => entry.personId));
      const onFlights = new Set(heldOnPlan.map((entry) => entry.flightId));
      const manifests = manifestsOf(plan, (personId) => onPlan.has(personId)).filter((manifest) =>
        onFlights.has(manifest.flightId),
      );
      const flown = freezeManifests(
        manifests.filter((manifest) => manifest.date < now),
        fresh.cases,
        checkedAt,
        { unavailable: fresh.unavailable },
      );
      const current = new Map(
        [...flights].map(([flightId, flight]): [string, Flight] => [
          flightId,
          { ...flight, seatsHeld: keptSeats.get(flightId) ?? 0 },
        ]),
      );
      const upcoming = freezeManifests(
        manifests.filter((manifest) => manifest.date >= now),
        fresh.cases,
        checkedAt,
        {
          unavailable: fresh.unavailable,
          flights: {
            current,
            options: { ...DEFAULT_PLAN_OPTIONS, ...(plan.options as Partial<PlanOptions>) },
            today: now,
          },
        },
      );
      for (const manifest of upcoming.manifests)
        keptSeats.set(
          manifest.flightId,
          (keptSeats.get(manifest.flightId) ?? 0) + manifest.passengers.length,
        );
      await updateManifestSeats(executor, planId, upcoming.manifests);
      struck += await strikeManifestEntries(
        executor,
        [...flown.strikes, ...upcoming.strikes].map((strike) => ({ planId, ...strike })),
        "status_change",
        checkedAt,
      );
    }
    return struck;
  }

  /** The flights the flight feed's RecordsCorrected events among `events` corrected (none for other feeds). */
  async function correctedFlightsOf(
    executor: SqlExecutor,
    events: readonly OutboxEvent[],
  ): Promise<string[]> {
    const ranges = events
      .filter((event) => event.type === RecordsCorrected.name)
      .map((event) => RecordsCorrected.parseOrThrow(event.payload))
      .filter((payload) => payload.feed === "flight")
      .map((payload) => ({ ...payload, corrections: true }));
    if (ranges.length === 0) return [];
    return (await findKeysOfStoredRecords(executor, ranges)).map((key) => key.keyValue);
  }

  return {
    facilityHubs,
    async createPlan(access, request) {
      // A day that does not exist (2026-02-30) is refused here, not by PostgreSQL's date cast.
      const now = today();
      const problem = horizonProblem(request.from, request.to, now);
      if (problem !== null) throw TransportErrors.invalidHorizon.create(request.from, request.to, problem);
      // Flights already flown are not planned: a horizon begun in the past plans from today.
      const from = request.from < now ? now : request.from;
      const office = request.office ?? access.scope.actor.office;
      const planId = `TP-${from.replaceAll("-", "")}-${randomUUID().slice(0, 8)}`;
      return access.run(
        "plan.write",
        transportPlanResource(planId, office),
        async () => {
          await assertKnownOfficeOrThrow(request.office, access.scope.actor.office);
          await statusesInForceOrThrow(db);
          const mipSolver = await solverOf();
          // The inputs are read in one transaction, solved outside any (a solve may take its whole
          // time limit, and holds no connection meanwhile), and the plan stored in another: a
          // draft is re-checked against the frozen plans and fresh statuses when it is frozen.
          const offered = await db
            .transaction()
            .execute((transaction) => plannableCases(transaction, from, request.to));
          const { flights, cases, leftOut, alreadyManifested } = offered;
          const plan = await planTransport(
            {
              horizon: { from, to: request.to },
              flights,
              cases,
              options: request.options ?? {},
            },
            mipSolver,
          );
          for (const left of plan.excluded) leftOut.push({ ...left, kind: "excluded" });
          for (const left of plan.unplaced) leftOut.push({ ...left, kind: "unplaced" });
          return db.transaction().execute(async (transaction) => {
            await insertTransportPlan(transaction, {
              planId,
              office: office !== "" ? office : await coveredOffices(transaction, plan, leftOut),
              horizon: plan.horizon,
              createdBy: actorLabel(access),
              facilityHubsVersion: facilityHubs.version,
              options: plan.options,
              cost: plan.cost,
              solver: {
                ...plan.solver,
                flightsInHorizon: flights.length,
                casesOffered: cases.length,
                alreadyManifested,
                seatsHeldByFrozenPlans: flights.reduce((sum, flight) => sum + flight.seatsHeld, 0),
              },
              manifests: plan.manifests.map((manifest) => ({
                ...manifest,
                passengers: manifest.passengers.map((passenger) => ({ ...passenger, strike: null })),
              })),
              leftOut,
            });
            return planAsShown(access, transaction, (await findTransportPlan(transaction, planId))!);
          });
        },
        { from, to: request.to },
      );
    },

    async freeze(access, planId) {
      const header = await findTransportPlanHeader(db, planId);
      if (header === undefined) {
        // Recorded as a failed attempt under the actor's own office.
        return access.run("plan.freeze", transportPlanResource(planId, access.scope.actor.office), () => {
          throw TransportErrors.planNotFound.create(planId);
        });
      }
      return access.run("plan.freeze", transportPlanResource(planId, header.office), () =>
        db.transaction().execute(async (transaction) => {
          await statusesInForceOrThrow(transaction);
          // One freeze at a time: each re-checks seats and persons against the other frozen plans.
          await lockTransportPlanFreezes(transaction);
          const locked = (await findTransportPlanHeader(transaction, planId, { forUpdate: true }))!;
          if (locked.status === "frozen")
            throw TransportErrors.planAlreadyFrozen.create(planId, locked.frozenAt ?? "");
          const checkedAt = new Date().toISOString();
          const frozen = await freezeCheckOf(
            transaction,
            (await findTransportPlan(transaction, planId))!,
            checkedAt,
          );
          await strikeManifestEntries(
            transaction,
            frozen.strikes.map((strike) => ({ planId, ...strike })),
            "freeze",
            checkedAt,
          );
          await updateManifestSeats(transaction, planId, frozen.manifests);
          await markTransportPlanFrozen(transaction, planId, actorLabel(access), checkedAt);
          const nameable = await personsPassing(
            transaction,
            access.listFilter("status.read"),
            frozen.strikes.map((strike) => strike.personId),
          );
          const struck = frozen.strikes.filter((strike) => nameable(strike.personId));
          const retired = await retiredPersonDetails(
            transaction,
            access.listFilter("status.read"),
            struck.filter((strike) => strike.reason === PERSON_RETIRED).map((strike) => strike.personId),
          );
          const named = await gateNamesOf(
            access,
            transaction,
            struck.filter((strike) => strike.gates.length > 0).map((strike) => strike.personId),
          );
          return {
            plan: await shownPlan(access, transaction, (await findTransportPlan(transaction, planId))!),
            checkedAt,
            struck: struck.map((strike) => ({
              ...strike,
              detail: retired.get(strike.personId) ?? null,
              ...named.strike(strike.personId, strike),
            })),
            struckWithheld: frozen.strikes.length - struck.length,
          };
        }),
      );
    },

    async listPlans(access, office) {
      // An office named whose plans the actor may not read is refused (recorded), as that office's
      // worklist is, not answered with no plans.
      const ofOffice = transportPlanResource(`office:${office}`, office ?? "");
      if (office !== undefined && !access.can("plan.read", ofOffice)) {
        await access.run("plan.read", ofOffice, () => undefined, { list: true });
      }
      // Each plan is authorised by its own office (as `showPlan` does), in SQL: one list entry.
      return [
        ...(await access.list("plan.read", office ?? "*", (filter) =>
          listTransportPlans(db, (columns) => filter.toSql(columns), office),
        )),
      ];
    },

    async showPlan(access, planId) {
      const header = await findTransportPlanHeader(db, planId);
      return access.run(
        "plan.read",
        transportPlanResource(planId, header?.office ?? access.scope.actor.office),
        async () => {
          const plan = await findTransportPlan(db, planId);
          if (plan === undefined) throw TransportErrors.planNotFound.create(planId);
          return planAsShown(access, db, plan);
        },
      );
    },

    strikeChangedPersons,
    async recheckFrozenManifests() {
      return db.transaction().execute((transaction) => recheckHeldEntries(transaction));
    },
    handler: {
      name: MANIFEST_STRIKES_HANDLER_NAME,
      // A flight correction is a RecordsCorrected of the flight feed; a flight seen for the first
      // time (RecordsIngested) is on no frozen manifest yet.
      eventTypes: [PersonStatusChanged.name, RecordsCorrected.name],
      async apply(transaction, event) {
        await this.applyBatch!(transaction, [event]);
      },
      async applyBatch(transaction, events) {
        await strikeChangedPersons(
          transaction,
          events
            .filter((event) => event.type === PersonStatusChanged.name)
            .map((event) => PersonStatusChanged.parseOrThrow(event.payload).personId),
        );
        const flightIds = await correctedFlightsOf(transaction, events);
        if (flightIds.length > 0) await recheckHeldEntries(transaction, flightIds);
      },
    },
  };
}

/** The office recorded for a plan without one whose cases carry no office either. */
export const NO_OFFICE_COVERED = "none";

/**
 * The office of a plan made without one (the command line's operator, a user who works in no
 * office): the offices its cases are assigned to, those it places and those it leaves out
 * (`HQ, NYC`), or `none`. Recorded so a reader sees whose cases the plan moves, never "".
 */
async function coveredOffices(
  executor: SqlExecutor,
  plan: TransportPlan,
  leftOut: readonly LeftOutRow[],
): Promise<string> {
  const personIds = [
    ...plan.manifests.flatMap((manifest) => manifest.passengers.map((passenger) => passenger.personId)),
    ...leftOut.map((left) => left.personId),
  ];
  const offices = new Set(
    [...(await caseAttributesOf(executor, personIds)).values()].map((attributes) => attributes.office),
  );
  offices.delete("");
  return offices.size > 0 ? [...offices].sort().join(", ") : NO_OFFICE_COVERED;
}

/** The plan's manifests with their passengers not yet struck (and selected), as the logistics package reads them. */
function manifestsOf(plan: StoredTransportPlan, selected: (personId: string) => boolean): Manifest[] {
  return plan.manifests.map((manifest) => ({
    flightId: manifest.flightId,
    date: manifest.date,
    originHub: manifest.originHub,
    destinationCountry: manifest.destinationCountry,
    destinationPort: manifest.destinationPort,
    seats: manifest.seats,
    capacity: manifest.capacity,
    cost: manifest.cost,
    passengers: manifest.passengers
      .filter((passenger) => passenger.strike === null && selected(passenger.personId))
      .map((passenger) => ({
        personId: passenger.personId,
        readyDate: passenger.readyDate,
        detentionDays: passenger.detentionDays,
      })),
  }));
}

function flightOf(fields: Record<string, string | number>): Flight {
  return {
    flightId: String(fields.flight_id),
    date: String(fields.date),
    // Records stored before hub codes were upper-cased at ingest still match their hub.
    originHub: String(fields.origin_hub).trim().toUpperCase(),
    destinationCountry: String(fields.destination_country),
    destinationPort:
      fields.destination_port === undefined || fields.destination_port === ""
        ? null
        : String(fields.destination_port),
    seats: Number(fields.seats),
    cost: Number(fields.cost),
  };
}
