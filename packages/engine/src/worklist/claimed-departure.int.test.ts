import { type Access, LOCAL_OPERATOR } from "@passage/access";
import { findPersonStatus } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows } from "./testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "./testing/test-bed.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

/**
 * Golden scenario (DOMAIN.md §1.8, docs/lifecycle-semantics.md §8): a final order and a single
 * self-reported departure no government record corroborates. The person is DEPARTED(claimed),
 * the order stays executable, no gate holds, and the person stays on the worklist, deprioritized
 * by the 2025 posture; a corroborating exit record then closes the case.
 */

const AS_OF = todayUtc();
const CLAIMANT = 31;
/** Booked into custody before the day the self-report says the person left: the claim is contradicted. */
const DETAINED_CLAIMANT = 32;

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let worklist: WorklistService;
let access: Access;

const operator = () =>
  access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "test-claims" });

/** Linkage's PersonsChanged -> the lifecycle projection -> its StatusChanged -> the worklist. */
async function catchUp(): Promise<void> {
  for (const handler of [lifecycle.handler, worklist.projection.handler]) {
    await createConsumerRunner({ db: database.db, pool: database.pool, handlers: [handler] }).catchUp();
  }
}

async function tiers(): Promise<Record<string, number>> {
  const page = await worklist.list(operator(), { pageSize: 1000 });
  return Object.fromEntries(page.entries.map((entry) => [entry.personId, entry.tier]));
}

function departureRow(
  id: string,
  days: number,
  evidence: string,
  number = CLAIMANT,
): [string, Record<string, string>] {
  return [
    "departure",
    {
      departure_id: id,
      family_name: `Testperson${number}`,
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: `A${String(200_000_000 + number)}`,
      departure_date: dayFrom(AS_OF, days),
      mode: "air",
      evidence,
      reported_at: new Date().toISOString(),
    },
  ];
}

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "claims" });
  ({ database, ingestor, lifecycle, access } = bed);
  worklist = createWorklistService({ store: database });
  await ingestPerson(database, ingestor, "P-ORDER", removalCaseRows({ number: 30, asOf: AS_OF }));
  await ingestPerson(database, ingestor, "P-CLAIM", [
    ...removalCaseRows({ number: CLAIMANT, asOf: AS_OF }),
    departureRow("D-CLAIM", -20, "self_report"),
  ]);
  await ingestPerson(database, ingestor, "P-DETAINED", [
    ...removalCaseRows({
      number: DETAINED_CLAIMANT,
      asOf: AS_OF,
      custody: { facility: "STWRTGA", sinceDays: -30 },
    }),
    departureRow("D-DETAINED", -20, "self_report", DETAINED_CLAIMANT),
  ]);
  await catchUp();
});

afterAll(() => bed?.close());

describe("a final order and a self-reported departure alone", () => {
  it("is DEPARTED(claimed), the claim cited, with the final order still executable and no gate", async () => {
    const stored = (await findPersonStatus(database.db, "P-CLAIM"))!;
    expect(stored.primaryState).toBe("DEPARTED");
    const status = stored.status as {
      state: { detail: string; evidence: { recordKey: string }[] };
      finalOrderExecutable: boolean;
    };
    expect(status.state.detail).toBe("claimed");
    expect(status.state.evidence.map((citation) => citation.recordKey)).toEqual(["D-CLAIM"]);
    expect(status.finalOrderExecutable).toBe(true);
    expect(stored.gatesHolding).toEqual([]);
    expect(stored.actionable).toBe(true);
    // The order gate's verdict rests on the order's records, not on the self-report.
    const gates = stored.gates as {
      results: { gate: string; evidence: { feed: string; recordKey: string }[] }[];
    };
    const orderGate = gates.results.find((check) => check.gate === "NO_EXECUTABLE_ORDER")!;
    expect(orderGate.evidence.map((citation) => citation.feed)).not.toContain("departure");
    expect(orderGate.evidence.some((citation) => citation.feed === "court")).toBe(true);
  });

  it("stays on the worklist, deprioritized by posture-2025 below a final order alone", async () => {
    // In custody since before the day claimed, a person has not left: no deprioritising.
    expect(await tiers()).toEqual({ "P-ORDER": 4, "P-CLAIM": 6, "P-DETAINED": 4 });
    const { explanation } = await worklist.explain(operator(), "P-CLAIM");
    expect(explanation.evaluation?.decidedBy).toMatchObject({ kind: "rule", ruleId: "claimed-departure" });
  });

  it("is closed by an exit record that corroborates the claim: not actionable, off the worklist", async () => {
    await ingestPerson(database, ingestor, "P-CLAIM", [departureRow("D-EXIT", -18, "carrier_manifest")]);
    await catchUp();
    const stored = (await findPersonStatus(database.db, "P-CLAIM"))!;
    const status = stored.status as { state: { detail: string }; finalOrderExecutable: boolean };
    expect(stored.primaryState).toBe("DEPARTED");
    expect(status.state.detail).toBe("verified");
    expect(status.finalOrderExecutable).toBe(false);
    expect(stored.actionable).toBe(false);
    expect(await tiers()).toEqual({ "P-ORDER": 4, "P-DETAINED": 4 });
  });
});
