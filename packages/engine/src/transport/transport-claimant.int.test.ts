import type { Access } from "@passage/access";
import { executeSql } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows } from "../worklist/testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "../worklist/testing/test-bed.ts";
import { PLANNER } from "./testing/planner.ts";
import { createTransportService, type TransportService } from "./transport-service.ts";

// A detained person with a final order who self-reports a departure no record corroborates is
// DEPARTED(claimed) yet actionable (docs/lifecycle-semantics.md §8, item 38): the planner must
// see the case, planned as without the claim, like any other ready case.
const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);
const NUMBER = 41;
let bed: LifecycleBed;
let access: Access;
let transport: TransportService;

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "transport-claimant" });
  access = bed.access;
  transport = createTransportService({ store: bed.database });
  await ingestPerson(bed.database, bed.ingestor, "P-CLAIMANT", [
    ...removalCaseRows({
      number: NUMBER,
      asOf: AS_OF,
      custody: { facility: "STWRTGA", sinceDays: -30 },
      travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
    }),
    [
      "departure",
      {
        departure_id: "D-CLAIMANT",
        family_name: `Testperson${NUMBER}`,
        given_names: "Ana",
        date_of_birth: "1985-05-05",
        a_number: `A${200_000_000 + NUMBER}`,
        departure_date: day(-3),
        mode: "air",
        evidence: "self_report",
        reported_at: new Date().toISOString(),
      },
    ],
  ]);
  await bed.ingestor.ingest("flight", {
    flight_id: "F-C",
    date: day(3),
    origin_hub: "AEX",
    destination_country: "GTM",
    destination_port: "GUA",
    seats: "5",
    cost: "1000",
  });
  await bed.database.db
    .transaction()
    .execute((transaction) => bed.lifecycle.derivePersons(transaction, ["P-CLAIMANT"], AS_OF));
});

afterAll(() => bed?.close());

describe("a detained claimant", () => {
  it("is offered to transport planning and manifested as a ready case", async () => {
    const [status] = await executeSql<{ primary_state: string; actionable: boolean }>(
      bed.database.db,
      "SELECT primary_state, actionable FROM person_status WHERE person_id = 'P-CLAIMANT'",
    );
    expect(status).toEqual({ primary_state: "DEPARTED", actionable: true });
    const plan = await transport.createPlan(
      access.forRequest({ actor: PLANNER, purpose: "test", requestId: "test-claimant" }),
      { from: day(1), to: day(10) },
    );
    expect(
      plan.manifests.flatMap((manifest) => manifest.passengers.map((passenger) => passenger.personId)),
    ).toEqual(["P-CLAIMANT"]);
    expect(plan.leftOut).toEqual([]);
    expect(plan.solver).toMatchObject({ casesOffered: 1, readyCases: 1 });
  });
});
