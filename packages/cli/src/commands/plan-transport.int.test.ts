import { CONFIRMED_IDENTITY, createLifecycleService, createRowIngestor, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { describe, expect, it } from "vitest";
import {
  dayFrom,
  ingestPerson,
  removalCaseRows,
} from "../../../engine/src/worklist/testing/removal-cases.ts";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { runPassage } from "../testing/run-passage.ts";

const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);
const HORIZON = ["--from", day(1), "--to", day(10)];

type Plan = { planId: string; office: string; manifests: { passengers: { personId: string }[] }[] };

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
});
