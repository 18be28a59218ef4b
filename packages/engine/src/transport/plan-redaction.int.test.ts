import type { Access, Actor } from "@passage/access";
import { executeSql, findTransportPlan } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { readPersonStatus } from "../lifecycle/status-read.ts";
import { dayFrom, ingestPerson, removalCaseRows, stayRow } from "../worklist/testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "../worklist/testing/test-bed.ts";
import { PLANNER } from "./testing/planner.ts";
import { createTransportService, type TransportService } from "./transport-service.ts";

// A transport plan shown to a reader without the need to know 1367 matters names a strike
// resting on a withheld gate as the person's status does (`withheld-N`), never VICTIM_PROTECTION.
const AS_OF = todayUtc();

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let transport: TransportService;
let access: Access;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `test-${actor.id}` });
const ready = (number: number) =>
  removalCaseRows({
    number,
    asOf: AS_OF,
    custody: { facility: "STWRTGA", sinceDays: -30 },
    travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
  });
/** Files a U visa petition (I-918: flagged vawa1367) for person `number`, linked as linkage would. */
async function fileUVisa(personId: string, number: number): Promise<void> {
  const row = uVisaFiled(number);
  const outcome = await ingestor.ingest("benefit", row);
  if (outcome.outcome === "rejected") throw new Error(`row rejected: ${JSON.stringify(outcome)}`);
  await executeSql(
    database.db,
    "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, $2)",
    [row.receipt_number, personId],
  );
}

const uVisaFiled = (number: number): Record<string, string> => ({
  family_name: `Testperson${number}`,
  given_names: "Ana",
  date_of_birth: "1985-05-05",
  a_number: `A${200_000_000 + number}`,
  receipt_number: `LIN199000000${number}`,
  form_type: "I-918",
  event: "filed",
  event_date: dayFrom(AS_OF, -1),
});

async function derive(personIds: string[]): Promise<void> {
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, personIds, AS_OF));
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [transport.handler],
  }).catchUp();
}

/** The blocker codes and gate names the person's status shows the reader. */
async function shownGateNames(actor: Actor, personId: string): Promise<string[]> {
  const status = await readPersonStatus(as(actor), { db: database.db, lifecycle }, personId, {});
  return [
    ...status.blockers.map((blocker) => blocker.code),
    ...status.policy_considerations.map((blocker) => blocker.code),
    ...status.gates.results.map((result) => result.gate),
  ];
}

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "plan-redaction" });
  ({ database, ingestor, lifecycle, access } = bed);
  transport = createTransportService({ store: database });
  for (const [personId, number] of [
    ["P-FLAGGED", 1],
    ["P-CONTROL", 2],
    ["P-LATE", 3],
  ] as const)
    await ingestPerson(database, ingestor, personId, ready(number));
  await ingestor.ingest("flight", {
    flight_id: "F-1",
    date: dayFrom(AS_OF, 5),
    origin_hub: "AEX",
    destination_country: "GTM",
    destination_port: "GUA",
    seats: "5",
    cost: "60000",
  });
  await derive(["P-FLAGGED", "P-CONTROL", "P-LATE"]);
});

afterAll(() => bed?.close());

describe("transport plan strikes for a reader without the need", () => {
  it("name a gate the status withholds as the status does, in the freeze answer and the plan, flagged or not", async () => {
    const plan = await transport.createPlan(as(PLANNER), { from: dayFrom(AS_OF, 1), to: dayFrom(AS_OF, 10) });
    expect(plan.manifests.flatMap((manifest) => manifest.passengers)).toHaveLength(3);
    // Before the freeze: a U visa petition for one, a stay for the other.
    await fileUVisa("P-FLAGGED", 1);
    await ingestPerson(database, ingestor, "P-CONTROL", [stayRow(2, AS_OF, -1)]);
    await derive(["P-FLAGGED", "P-CONTROL"]);
    const frozen = await transport.freeze(as(PLANNER), plan.planId);
    // After it: a U visa petition strikes P-LATE from the frozen manifest.
    await fileUVisa("P-LATE", 3);
    await derive(["P-LATE"]);
    const shown = await transport.showPlan(as(PLANNER), plan.planId);
    const strikes = new Map(
      shown.manifests.flatMap((manifest) => manifest.passengers).map((p) => [p.personId, p.strike]),
    );
    for (const text of [JSON.stringify(frozen), JSON.stringify(shown)]) {
      expect(text).not.toMatch(/VICTIM|I-918|LIN19900000/);
    }
    // Each strike's reason and gates are named as that person's status names them to the planner.
    for (const personId of ["P-FLAGGED", "P-CONTROL", "P-LATE"]) {
      const names = await shownGateNames(PLANNER, personId);
      const strike = strikes.get(personId)!;
      expect(strike, personId).not.toBeNull();
      expect(names, personId).toContain(strike.reason);
      for (const gate of strike.gates) expect(names, personId).toContain(gate);
    }
    expect(strikes.get("P-FLAGGED")).toMatchObject({ reason: "withheld-1", source: "freeze" });
    expect(strikes.get("P-LATE")).toMatchObject({ reason: "withheld-1", source: "status_change" });
    expect(strikes.get("P-CONTROL")).toMatchObject({ reason: "STAY_GRANTED", detail: null });
    expect(frozen.struck.map(({ personId, reason, gates }) => ({ personId, reason, gates }))).toEqual(
      expect.arrayContaining([
        { personId: "P-FLAGGED", reason: "withheld-1", gates: strikes.get("P-FLAGGED")!.gates },
        { personId: "P-CONTROL", reason: "STAY_GRANTED", gates: ["STAY_GRANTED"] },
      ]),
    );
    // Stored whole: the strike is named on read, for the reader.
    const stored = await findTransportPlan(database.db, plan.planId);
    expect(JSON.stringify(stored)).toContain('"reason":"VICTIM_PROTECTION"');
  });
});
