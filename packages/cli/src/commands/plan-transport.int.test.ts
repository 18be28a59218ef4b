import fs from "node:fs";
import path from "node:path";
import {
  CONFIRMED_IDENTITY,
  createLifecycleService,
  createRowIngestor,
  type ShownTransportPlan,
  todayUtc,
} from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { describe, expect, it } from "vitest";
import {
  dayFrom,
  ingestPerson,
  removalCaseRows,
  stayRow,
} from "../../../engine/src/worklist/testing/removal-cases.ts";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { runPassage } from "../testing/run-passage.ts";

const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);
const HORIZON = ["--from", day(1), "--to", day(10)];

type Plan = {
  planId: string;
  office: string;
  manifests: { passengers: { personId: string }[] }[];
  leftOut?: { personId: string; reason: string }[];
};

const bed = useCliTestBed("plan-transport", async (database) => {
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  for (const [number, office] of [
    [1, "NYC"],
    [2, "MIA"],
  ] as const) {
    const personId = `P-${number}`;
    await ingestPerson(
      database,
      ingestor,
      personId,
      removalCaseRows({
        number,
        asOf: AS_OF,
        custody: { facility: "STWRTGA", sinceDays: -30 },
        travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
      }),
    );
    await setCaseAssignment(database.db, { personId, office, assignees: [], updatedBy: "test" });
  }
  await ingestor.ingest("flight", {
    flight_id: "F-1",
    date: day(3),
    origin_hub: "AEX",
    destination_country: "GTM",
    seats: "10",
    cost: "30000",
  });
  await ingestor.close();
  const lifecycle = createLifecycleService({
    store: database,
    sources: {
      identityFacts: async (_executor, ids) => new Map(ids.map((id) => [id, CONFIRMED_IDENTITY])),
      citizenshipClaims: async () => new Map(),
    },
  });
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, ["P-1", "P-2"], AS_OF));
});

async function planOf(args: readonly string[], env: Record<string, string> = {}): Promise<Plan> {
  const result = await runPassage(["--json", "plan-transport", ...args], {
    cwd: bed.directory,
    env: { DATABASE_URL: bed.database.url, ...env },
  });
  expect(result.stderr, result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Plan;
}

const passengers = (plan: Plan) =>
  plan.manifests.flatMap((manifest) => manifest.passengers.map((passenger) => passenger.personId)).sort();

describe("passage plan-transport", () => {
  it("records the local operator's plan under the offices its cases are assigned to, never an empty office", async () => {
    const plan = await planOf(HORIZON);
    expect(plan.office).toBe("MIA, NYC");
    expect(passengers(plan)).toEqual(["P-1", "P-2"]);
    // Run from its sources through tsx, the solver's worker loads and solves alike.
    const fromSources = await planOf(HORIZON, { PASSAGE_CLI_SOURCES: "1" });
    expect(fromSources.office).toBe("MIA, NYC");
    expect(passengers(fromSources)).toEqual(["P-1", "P-2"]);
  });

  it("takes --office as the HTTP body's office: a known office is the plan's, another is refused by name", async () => {
    const plan = await planOf([...HORIZON, "--office", "NYC"]);
    expect(plan.office).toBe("NYC");
    const listed = await bed.run(["--json", "plan-transport", "list", "--office", "NYC"]);
    expect(JSON.parse(listed.stdout).map((row: { planId: string }) => row.planId)).toEqual([plan.planId]);

    const unknown = await bed.run(["plan-transport", ...HORIZON, "--office", "NOPE"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^error PASSAGE_ERR_TRANSPORT_OFFICE_UNKNOWN: unknown office "NOPE": .*MIA, NYC/,
    );

    const show = await bed.run(["plan-transport", "show", plan.planId, "--office", "NYC"]);
    expect(show.code).toBe(2);
    expect(show.stderr).toBe(
      `error PASSAGE_ERR_CLI_USAGE: --office names a new plan's office or the office whose plans "plan-transport list" lists; "plan-transport show" takes none\n`,
    );
  });

  let draft: Plan;

  it("says a draft is re-checked when frozen, and marks whom its freeze would strike now", async () => {
    draft = await planOf(HORIZON);
    expect(passengers(draft)).toEqual(["P-1", "P-2"]);
    // A stay recorded since planning: the draft still seats P-1 (it is re-checked when frozen).
    const ingestor = createRowIngestor({ pool: bed.database.pool, sourceName: "test", maxDelayMs: 1 });
    await ingestPerson(bed.database, ingestor, "P-1", [stayRow(1, AS_OF, -1)]);
    await ingestor.close();
    const shown = await bed.run(["plan-transport", "show", draft.planId]);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.split("\n");
    expect(lines[1]).toBe("  draft: re-checked when frozen; 1 of the passengers shown would be struck now");
    expect(lines).toContain("    would be struck at freeze P-1: STAY_GRANTED");
  });

  it("shows what the seats still held cost beside the planned cost, and the solve's time in whole ms", async () => {
    const firstLine = async () =>
      (await bed.run(["plan-transport", "show", draft.planId])).stdout.split("\n")[0];
    expect(await firstLine()).toMatch(
      /planned cost \d+ \(flights \d+, detention \d+, carry-over \d+\), seats still held cost \d+ \(flights \d+, detention \d+\); solver \w+, gap [\d.e-]+, \d+ ms$/,
    );
    // Frozen, then its flight cancelled by a corrected row ingested from a file: both are struck,
    // the planned cost stays as planned, and the seats still held cost nothing.
    expect((await bed.run(["plan-transport", "freeze", draft.planId])).code).toBe(0);
    const file = path.join(bed.directory, "flight-correction.csv");
    fs.writeFileSync(
      file,
      `flight_id,date,origin_hub,destination_country,destination_port,seats,cost\nF-1,${day(3)},AEX,GTM,,0,30000\n`,
    );
    const ingested = await bed.run(["ingest", "flight", file]);
    expect(ingested.stdout.trim().split("\n").at(-1)).toBe("read=1 new=0 corrected=1 unchanged=0 rejected=0");
    const frozen = JSON.parse(
      (await bed.run(["--json", "plan-transport", "show", draft.planId])).stdout,
    ) as ShownTransportPlan;
    const struck = frozen.manifests[0]!.passengers.map((passenger) => [
      passenger.personId,
      passenger.strike?.reason,
      passenger.strikeAtFreeze,
    ]);
    expect(struck).toEqual([
      ["P-1", "STAY_GRANTED", null],
      ["P-2", "FLIGHT_CANCELLED", null],
    ]);
    expect((frozen.cost as { total: number }).total).toBeGreaterThan(0);
    expect(frozen.heldCost).toEqual({ flights: 0, detention: 0, total: 0 });
    expect(await firstLine()).toContain("seats still held cost 0 (flights 0, detention 0)");
    // No longer held, P-2 is planned again (P-1's stay leaves it out).
    const next = await planOf(HORIZON);
    expect(next.leftOut?.find((left) => left.personId === "P-2")?.reason).not.toBe("ALREADY_MANIFESTED");
  });
});
