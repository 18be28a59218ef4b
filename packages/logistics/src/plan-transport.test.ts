import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { dayNumber, flightCapacity } from "./build-transport-model.ts";
import { assessReadiness } from "./case-readiness.ts";
import { freezeManifests } from "./freeze-manifests.ts";
import { loadHighsSolver, type MipSolver } from "./highs-solver.ts";
import { planTransport } from "./plan-transport.ts";
import {
  DEFAULT_PLAN_OPTIONS,
  type Flight,
  type PlanOptions,
  type TransportCase,
} from "./transport-input.ts";

let solver: MipSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});
const soak = process.env.PASSAGE_SOAK === "1";
const HORIZON = { from: "2025-07-01", to: "2025-07-10" };
const CLEAR = { clear: true, results: [{ gate: "STAY_GRANTED", holds: false }] };

function flight(flightId: string, fields: Partial<Flight> = {}): Flight {
  return {
    flightId,
    date: "2025-07-03",
    originHub: "MESA",
    destinationCountry: "GTM",
    destinationPort: "GUA",
    seats: 3,
    cost: 1_000,
    ...fields,
  };
}

function readyCase(personId: string, fields: Partial<TransportCase> = {}): TransportCase {
  return {
    personId,
    gateCheck: CLEAR,
    finalOrder: true,
    inCustody: true,
    hub: "MESA",
    facility: "FAC1",
    readyDate: "2025-07-01",
    destinationCountry: "GTM",
    withholdingCountries: [],
    travelDocument: { country: "GTM", status: "issued", validTo: "2025-12-31" },
    ...fields,
  };
}

/** Exhaustive optimum: every case on an eligible flight or left out, within capacities. */
function bruteForceCost(
  flights: readonly Flight[],
  cases: readonly TransportCase[],
  options: PlanOptions,
): number {
  const ready = cases.filter(
    (transportCase) =>
      assessReadiness(transportCase, HORIZON.from).ready && transportCase.readyDate <= HORIZON.to,
  );
  const inHorizon = flights.filter((f) => f.date >= HORIZON.from && f.date <= HORIZON.to);
  const choices = ready.map((transportCase) => [
    null,
    ...inHorizon.filter(
      (f) =>
        f.originHub === transportCase.hub &&
        f.destinationCountry === transportCase.destinationCountry &&
        f.date >= transportCase.readyDate &&
        (transportCase.travelDocument!.validTo === null || f.date <= transportCase.travelDocument!.validTo),
    ),
  ]);
  let best = Number.POSITIVE_INFINITY;
  const load = new Map<string, number>();
  const search = (index: number, cost: number) => {
    if (index === ready.length) {
      let total = cost;
      for (const [flightId, count] of load)
        if (count > 0) total += inHorizon.find((f) => f.flightId === flightId)!.cost;
      best = Math.min(best, total);
      return;
    }
    const transportCase = ready[index]!;
    for (const choice of choices[index]!) {
      if (choice === null) {
        const days = dayNumber(HORIZON.to) + 1 - dayNumber(transportCase.readyDate);
        search(index + 1, cost + options.detentionDayCost * days + options.carryOverCost);
        continue;
      }
      const used = load.get(choice.flightId) ?? 0;
      if (used >= flightCapacity(choice, options)) continue;
      load.set(choice.flightId, used + 1);
      search(
        index + 1,
        cost + options.detentionDayCost * (dayNumber(choice.date) - dayNumber(transportCase.readyDate)),
      );
      load.set(choice.flightId, used);
    }
  };
  search(0, 0);
  return best;
}

const DAYS = ["2025-07-01", "2025-07-02", "2025-07-04", "2025-07-06", "2025-07-09", "2025-07-12"];

const arbitraryInstance = fc.record({
  flights: fc
    .array(
      fc.record({
        date: fc.constantFrom(...DAYS),
        originHub: fc.constantFrom("MESA", "SAT"),
        destinationCountry: fc.constantFrom("GTM", "HND"),
        seats: fc.integer({ min: 0, max: 3 }),
        seatsHeld: fc.integer({ min: 0, max: 2 }),
        cost: fc.integer({ min: 0, max: 5_000 }),
      }),
      { maxLength: 4 },
    )
    .map((list) => list.map((fields, index) => flight(`F${index}`, fields))),
  cases: fc
    .array(
      fc.record({
        hub: fc.constantFrom("MESA", "SAT"),
        destinationCountry: fc.constantFrom("GTM", "HND", null),
        readyDate: fc.constantFrom(...DAYS),
        validTo: fc.constantFrom("2025-07-03", "2025-07-08", "2025-12-31", null),
        documentCountry: fc.constantFrom("GTM", "HND"),
        withholding: fc.constantFrom([], ["GTM"], ["SLV"]),
        gated: fc.constantFrom(false, false, false, true),
        finalOrder: fc.constantFrom(true, true, false),
        inCustody: fc.constantFrom(true, true, false),
      }),
      { maxLength: 6 },
    )
    .map((list) =>
      list.map((fields, index) =>
        readyCase(`P${index}`, {
          hub: fields.hub,
          destinationCountry: fields.destinationCountry,
          readyDate: fields.readyDate,
          withholdingCountries: fields.withholding,
          finalOrder: fields.finalOrder,
          inCustody: fields.inCustody,
          travelDocument: { country: fields.documentCountry, status: "issued", validTo: fields.validTo },
          gateCheck: fields.gated
            ? { clear: false, results: [{ gate: "STAY_GRANTED", holds: true }] }
            : CLEAR,
        }),
      ),
    ),
  detentionDayCost: fc.integer({ min: 0, max: 500 }),
  carryOverCost: fc.integer({ min: 0, max: 4_000 }),
  cap: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
});

describe("planTransport", () => {
  it("puts ready cases on the cheapest flights and reports the solver's figures", async () => {
    const flights = [
      flight("EARLY", { date: "2025-07-02", cost: 5_000 }),
      flight("LATE", { date: "2025-07-05", cost: 1_000 }),
    ];
    const cases = [readyCase("A"), readyCase("B")];
    const plan = await planTransport(
      { horizon: HORIZON, flights, cases, options: { detentionDayCost: 100 } },
      solver,
    );
    // EARLY: 5000 + 2 x 100 x 1 = 5200; LATE: 1000 + 2 x 100 x 4 = 1800.
    expect(
      plan.manifests.map((manifest) => [manifest.flightId, manifest.passengers.map((p) => p.personId)]),
    ).toEqual([["LATE", ["A", "B"]]]);
    expect(plan.cost).toEqual({ flights: 1_000, detention: 800, carryOver: 0, total: 1_800 });
    expect(plan.solver.status).toBe("optimal");
    expect(plan.solver.objective).toBeCloseTo(1_800, 6);
    expect(plan.solver.gap).toBeLessThanOrEqual(0.01);
  });

  it("excludes every case that is not ready, with its reason", async () => {
    const cases = [
      readyCase("gated", { gateCheck: { clear: false, results: [{ gate: "USC", holds: true }] } }),
      readyCase("inconsistent", { gateCheck: { clear: true, results: [{ gate: "TPS", holds: true }] } }),
      readyCase("not-final", { finalOrder: false }),
      readyCase("released", { inCustody: false }),
      readyCase("no-destination", { destinationCountry: null }),
      readyCase("protected", { withholdingCountries: ["GTM"] }),
      readyCase("requested", { travelDocument: { country: "GTM", status: "requested", validTo: null } }),
      readyCase("other-country", { travelDocument: { country: "HND", status: "issued", validTo: null } }),
      readyCase("expired", { travelDocument: { country: "GTM", status: "issued", validTo: "2025-06-30" } }),
      readyCase("marked-expired", { travelDocument: { country: "GTM", status: "expired", validTo: null } }),
      readyCase("ready-after-horizon", { readyDate: "2025-07-11" }),
    ];
    const plan = await planTransport(
      { horizon: HORIZON, flights: [flight("F1", { seats: 20 })], cases },
      solver,
    );
    expect(plan.manifests).toEqual([]);
    expect(plan.excluded.map((entry) => [entry.personId, entry.reason, entry.gates])).toEqual([
      ["gated", "GATED", ["USC"]],
      ["inconsistent", "GATED", ["TPS"]],
      ["not-final", "NO_FINAL_ORDER", []],
      ["released", "NOT_IN_CUSTODY", []],
      ["no-destination", "NO_DESTINATION", []],
      ["protected", "DESTINATION_BARRED", []],
      ["requested", "NO_TRAVEL_DOCUMENT", []],
      ["other-country", "DOCUMENT_FOR_OTHER_COUNTRY", []],
      ["expired", "DOCUMENT_EXPIRED", []],
      ["marked-expired", "DOCUMENT_EXPIRED", []],
      ["ready-after-horizon", "NOT_READY_IN_HORIZON", []],
    ]);
    expect(plan.cost.detention).toBe(0);
  });

  it("offers only the seats other frozen manifests do not hold", async () => {
    const cases = ["A", "B", "C"].map((id) => readyCase(id));
    const flights = [flight("F1", { seats: 3, seatsHeld: 2, cost: 0 })];
    const plan = await planTransport({ horizon: HORIZON, flights, cases }, solver);
    expect(plan.manifests.map((manifest) => [manifest.flightId, manifest.capacity])).toEqual([["F1", 1]]);
    expect(plan.manifests[0]!.passengers.map((passenger) => passenger.personId)).toEqual(["A"]);
    expect(plan.unplaced.map((entry) => [entry.personId, entry.reason])).toEqual([
      ["B", "NO_SEAT_AVAILABLE"],
      ["C", "NO_SEAT_AVAILABLE"],
    ]);
    const full = await planTransport(
      { horizon: HORIZON, flights: [flight("F1", { seats: 3, seatsHeld: 5, cost: 0 })], cases },
      solver,
    );
    expect(full.manifests).toEqual([]);
  });

  it("never costs less than nothing: no negative detention, whatever the ready dates", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryInstance, async ({ flights, cases, detentionDayCost, carryOverCost }) => {
        const options = { detentionDayCost, carryOverCost, mipRelativeGap: 0 };
        const plan = await planTransport({ horizon: HORIZON, flights, cases, options }, solver);
        for (const manifest of plan.manifests)
          for (const passenger of manifest.passengers)
            expect(passenger.detentionDays).toBeGreaterThanOrEqual(0);
        expect(plan.cost.detention).toBeGreaterThanOrEqual(0);
        expect(plan.cost.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: soak ? 2_000 : 150 },
    );
  });

  it("lists cases it cannot place with the reason", async () => {
    const cases = [
      readyCase("A"),
      readyCase("B"),
      readyCase("C"),
      readyCase("far", {
        destinationCountry: "HND",
        travelDocument: { country: "HND", status: "issued", validTo: null },
      }),
      readyCase("late-document", {
        travelDocument: { country: "GTM", status: "issued", validTo: "2025-07-02" },
      }),
    ];
    const flights = [flight("F1", { seats: 2, cost: 0 })];
    const plan = await planTransport({ horizon: HORIZON, flights, cases }, solver);
    expect(plan.manifests[0]!.passengers.map((p) => p.personId)).toEqual(["A", "B"]);
    expect(plan.unplaced.map((entry) => [entry.personId, entry.reason])).toEqual([
      ["C", "NO_SEAT_AVAILABLE"],
      ["far", "NO_ELIGIBLE_FLIGHT"],
      ["late-document", "NO_ELIGIBLE_FLIGHT"],
    ]);
  });

  it("respects a country's per-flight acceptance cap", async () => {
    const cases = ["A", "B", "C"].map((id) => readyCase(id));
    const plan = await planTransport(
      {
        horizon: HORIZON,
        flights: [flight("F1", { seats: 10, cost: 0 })],
        cases,
        options: { acceptanceCaps: { GTM: 2 } },
      },
      solver,
    );
    expect(plan.manifests[0]!.passengers).toHaveLength(2);
    expect(plan.manifests[0]!.capacity).toBe(2);
  });

  it("refuses malformed input", async () => {
    await expect(
      planTransport({ horizon: HORIZON, flights: [flight("F"), flight("F")], cases: [] }, solver),
    ).rejects.toThrow(/flight F appears twice/);
    await expect(
      planTransport(
        { horizon: HORIZON, flights: [], cases: [readyCase("A", { readyDate: "1 July" })] },
        solver,
      ),
    ).rejects.toThrow(/readyDate is not a YYYY-MM-DD date/);
  });

  it("matches a brute-force optimum on small instances, never breaking a constraint or planning a gated case", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryInstance,
        async ({ flights, cases, detentionDayCost, carryOverCost, cap }) => {
          const options: PlanOptions = {
            ...DEFAULT_PLAN_OPTIONS,
            detentionDayCost,
            carryOverCost,
            acceptanceCaps: cap === undefined ? {} : { HND: cap },
            mipRelativeGap: 0,
          };
          const plan = await planTransport({ horizon: HORIZON, flights, cases, options }, solver);
          expect(plan.cost.total).toBeCloseTo(bruteForceCost(flights, cases, options), 6);
          expect(plan.solver.objective).toBeCloseTo(plan.cost.total, 6);
          const byId = new Map(cases.map((transportCase) => [transportCase.personId, transportCase]));
          const placed = plan.manifests.flatMap((manifest) => manifest.passengers.map((p) => p.personId));
          expect(new Set(placed).size).toBe(placed.length);
          expect(placed.length + plan.unplaced.length + plan.excluded.length).toBe(cases.length);
          for (const manifest of plan.manifests) {
            const source = flights.find((f) => f.flightId === manifest.flightId)!;
            expect(manifest.passengers.length).toBeLessThanOrEqual(flightCapacity(source, options));
            for (const passenger of manifest.passengers) {
              const transportCase = byId.get(passenger.personId)!;
              expect(transportCase.gateCheck.clear).toBe(true);
              expect(transportCase.gateCheck.results.some((result) => result.holds)).toBe(false);
              expect(manifest.destinationCountry).toBe(transportCase.destinationCountry);
              expect(transportCase.withholdingCountries).not.toContain(manifest.destinationCountry);
              expect(manifest.date >= transportCase.readyDate).toBe(true);
              const validTo = transportCase.travelDocument!.validTo;
              if (validTo !== null) expect(manifest.date <= validTo).toBe(true);
            }
          }
        },
      ),
      { numRuns: soak ? 3_000 : 120 },
    );
  });
});

describe("freezeManifests", () => {
  it("strikes anyone who no longer qualifies, with a reason code", async () => {
    const cases = ["A", "B", "C", "D", "E", "F", "G"].map((id) => readyCase(id));
    const flights = [flight("F1", { seats: 10, cost: 0, date: "2025-07-05" })];
    const plan = await planTransport({ horizon: HORIZON, flights, cases }, solver);
    const fresh = [
      readyCase("A"),
      readyCase("B", { gateCheck: { clear: false, results: [{ gate: "STAY_GRANTED", holds: true }] } }),
      readyCase("C", { gateCheck: { clear: false, results: [{ gate: "USC", holds: true }] } }),
      readyCase("D", { gateCheck: { clear: false, results: [{ gate: "APPEAL_PENDING", holds: true }] } }),
      readyCase("E", { travelDocument: { country: "GTM", status: "issued", validTo: "2025-07-04" } }),
      readyCase("G", { travelDocument: { country: "GTM", status: "expired", validTo: null } }),
    ];
    const frozen = freezeManifests(plan.manifests, fresh, "2025-07-04T18:00:00Z");
    expect(frozen.manifests[0]!.passengers.map((p) => p.personId)).toEqual(["A"]);
    expect(frozen.strikes.map((strike) => [strike.personId, strike.reason])).toEqual([
      ["B", "STAY_GRANTED"],
      ["C", "USC_CLAIM"],
      ["D", "APPEAL_PENDING"],
      ["E", "DOCUMENT_EXPIRED"],
      ["F", "NO_FRESH_RECORD"],
      ["G", "DOCUMENT_EXPIRED"],
    ]);
    expect(frozen.strikes[1]!.gates).toEqual(["USC"]);
  });

  it("names a strike after the most specific gate, the generic NO_EXECUTABLE_ORDER only when alone", async () => {
    const gated = (...gates: string[]) => ({
      gateCheck: { clear: false, results: gates.map((gate) => ({ gate, holds: true })) },
    });
    const cases = ["IDENTITY", "ORDERLESS"].map((id) => readyCase(id));
    const flights = [flight("F1", { seats: 10, cost: 0, date: "2025-07-05" })];
    const plan = await planTransport({ horizon: HORIZON, flights, cases }, solver);
    const fresh = [
      readyCase("IDENTITY", gated("NO_EXECUTABLE_ORDER", "IDENTITY_NOT_CONFIRMED")),
      readyCase("ORDERLESS", gated("NO_EXECUTABLE_ORDER")),
    ];
    const frozen = freezeManifests(plan.manifests, fresh, "2025-07-04T18:00:00Z");
    expect(frozen.strikes.map((strike) => [strike.personId, strike.reason, strike.gates])).toEqual([
      ["IDENTITY", "IDENTITY_NOT_CONFIRMED", ["NO_EXECUTABLE_ORDER", "IDENTITY_NOT_CONFIRMED"]],
      ["ORDERLESS", "ORDER_NOT_FINAL", ["NO_EXECUTABLE_ORDER"]],
    ]);
  });

  it("strikes with the reason it knows for a person without a fresh case, and a person frozen on another plan", async () => {
    const cases = ["A", "B", "C"].map((id) => readyCase(id));
    const plan = await planTransport(
      { horizon: HORIZON, flights: [flight("F1", { cost: 0 })], cases },
      solver,
    );
    const frozen = freezeManifests(plan.manifests, [readyCase("C")], "2025-07-02T00:00:00Z", {
      unavailable: new Map([
        ["A", "PERSON_RETIRED"],
        ["B", "FACILITY_WITHOUT_HUB"],
      ]),
      manifestedElsewhere: new Set(["C"]),
    });
    expect(frozen.strikes.map((strike) => [strike.personId, strike.reason])).toEqual([
      ["A", "PERSON_RETIRED"],
      ["B", "FACILITY_WITHOUT_HUB"],
      ["C", "ALREADY_MANIFESTED"],
    ]);
  });

  it("re-checks each manifest's flight as it stands now: cancelled, moved, re-routed, flown, or fewer seats", async () => {
    const cases = ["A", "B", "C"].map((id) => readyCase(id));
    const planned = flight("F1", { cost: 0, date: "2025-07-05" });
    const plan = await planTransport({ horizon: HORIZON, flights: [planned], cases }, solver);
    const freezeWith = (current: Flight | undefined, today = "2025-07-02") =>
      freezeManifests(plan.manifests, cases, "2025-07-02T00:00:00Z", {
        flights: {
          current: new Map(current ? [[current.flightId, current]] : []),
          options: DEFAULT_PLAN_OPTIONS,
          today,
        },
      });
    const reasons = (current: Flight | undefined, today?: string) =>
      freezeWith(current, today).strikes.map((strike) => [strike.personId, strike.reason]);
    const all = (reason: string) => ["A", "B", "C"].map((personId) => [personId, reason]);
    expect(reasons(planned)).toEqual([]);
    expect(reasons(undefined)).toEqual(all("FLIGHT_CANCELLED"));
    expect(reasons({ ...planned, seats: 0 })).toEqual(all("FLIGHT_CANCELLED"));
    expect(reasons({ ...planned, date: "2025-07-06" })).toEqual(all("FLIGHT_RESCHEDULED"));
    expect(reasons({ ...planned, destinationCountry: "HND" })).toEqual(all("FLIGHT_ROUTE_CHANGED"));
    expect(reasons(planned, "2025-07-06")).toEqual(all("FLIGHT_DATE_PASSED"));
    // Two seats left (one a correction took, one another frozen plan holds): the last in fill order goes.
    const smaller = freezeWith({ ...planned, seats: 3, seatsHeld: 1 });
    expect(smaller.strikes.map((strike) => [strike.personId, strike.reason])).toEqual([
      ["C", "NO_SEAT_AVAILABLE"],
    ]);
    expect(smaller.manifests[0]).toMatchObject({ seats: 3, capacity: 2 });
    // A flight none of the manifest's passengers can take leaves it no seat, not the seats planned.
    expect(freezeWith({ ...planned, seats: 0 }).manifests[0]).toMatchObject({ seats: 0, capacity: 0 });
    expect(freezeWith(undefined).manifests[0]).toMatchObject({ seats: 0, capacity: 0, passengers: [] });
    expect(freezeWith({ ...planned, date: "2025-07-06" }).manifests[0]).toMatchObject({ capacity: 0 });
  });
});
