import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOversightReport, type OversightReport } from "./oversight-report.ts";

let database: TestDatabase;
let report: OversightReport;

/** Persons `from`..`to` as `P-n`, in `state`, with `gates` holding. */
async function statuses(
  from: number,
  to: number,
  state: string,
  gates: string[],
  flags: { executable: boolean; actionable: boolean },
): Promise<void> {
  await database.pool.query(
    `INSERT INTO person_status (person_id, as_of, primary_state, overlays, blockers, gates_holding,
       final_order_executable, actionable, status, gates, input_digest)
     SELECT 'P-' || n, current_date, $3, '{}', '{}', $4, $5, $6, '{}', '{}', 'test'
     FROM generate_series($1::int, $2::int) AS n`,
    [from, to, state, gates, flags.executable, flags.actionable],
  );
}

const tableOf = (id: string) => report.tables.find((table) => table.id === id)!;

beforeAll(async () => {
  database = await createTestDatabase();
  // Held by a blocker-backed gate (a stay): the order is not executable while it holds.
  await statuses(1, 12, "FINAL_ORDER", ["STAY_GRANTED"], { executable: false, actionable: false });
  // Held by two gates each, with an executable order: counted under each gate, once as persons.
  await statuses(13, 24, "REMOVAL_IN_PROGRESS", ["IDENTITY_NOT_CONFIRMED", "CLAIMED_DEPARTURE_PENDING"], {
    executable: true,
    actionable: false,
  });
  // No removal order: NO_EXECUTABLE_ORDER holds, but no action was prevented.
  await statuses(25, 40, "IN_PROCEEDINGS", ["NO_EXECUTABLE_ORDER"], { executable: false, actionable: false });
  // Actionable: nothing holds.
  await statuses(41, 55, "FINAL_ORDER", [], { executable: true, actionable: true });
  // Twelve persons struck from two frozen manifests each, for one reason.
  await database.pool.query(
    `INSERT INTO transport_plan (plan_id, status, office, horizon_from, horizon_to, created_by,
       facility_hubs_version, options, cost, solver)
     SELECT 'PLAN-' || p, 'frozen', 'NYC', current_date, current_date + 7, 'test', 'v1', '{}', '{}', '{}'
     FROM generate_series(1, 2) AS p;
     INSERT INTO transport_manifest (plan_id, flight_id, flight_date, origin_hub, destination_country, seats,
       capacity, cost)
     SELECT 'PLAN-' || p, 'F-1', current_date, 'HUB', 'MEX', 20, 20, 0 FROM generate_series(1, 2) AS p;
     INSERT INTO transport_manifest_entry (plan_id, flight_id, person_id, ready_date, detention_days,
       struck_at, strike_reason, strike_source)
     SELECT 'PLAN-' || p, 'F-1', 'P-' || n, current_date, 0, now(), 'gate_holds', 'status_change'
     FROM generate_series(1, 2) AS p, generate_series(1, 12) AS n;`,
  );
  await database.pool.query(
    `INSERT INTO policy_version (policy_id, version, digest, file_name, text, description, effective_from,
       loaded_by, active)
     VALUES ('priority', '1.0.0', 'sha256:aaaa', 'p.yaml', '', 'first', current_date, 'test', false),
            ('priority', '1.1.0', 'sha256:bbbb', 'p.yaml', '', 'second', current_date, 'test', true);
     INSERT INTO policy_activation (policy_id, version, digest, activated_by, reason)
     VALUES ('priority', '1.1.0', 'sha256:bbbb', 'test', 'first trial'),
            ('priority', '1.0.0', 'sha256:aaaa', 'test', 'initial rollout'),
            ('priority', '1.1.0', 'sha256:bbbb', 'test', 'memo 2026-04');`,
  );
  report = await buildOversightReport(database.db);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("the oversight report", () => {
  it("counts every person with a removal order kept off the actionable list, by each gate or blocker holding", () => {
    expect(tableOf("gates_holding")).toMatchObject({
      cells: [
        { key: "CLAIMED_DEPARTURE_PENDING", count: 12, suppressed: false },
        { key: "IDENTITY_NOT_CONFIRMED", count: 12, suppressed: false },
        { key: "STAY_GRANTED", count: 12, suppressed: false },
      ],
      // Persons, once each (36 gate-person pairs).
      total: 24,
    });
  });

  it("counts persons struck from manifests, not manifest entries", () => {
    expect(tableOf("manifest_strikes")).toMatchObject({
      cells: [{ key: "gate_holds", count: 12, suppressed: false }],
      total: 12,
    });
  });

  it("names every policy version activated, and why; only the latest activation is in force", () => {
    expect(report.policies).toEqual([
      // An earlier activation of the version now in force was replaced by the next one.
      expect.objectContaining({
        policyId: "priority",
        version: "1.1.0",
        active: false,
        reason: "first trial",
      }),
      expect.objectContaining({
        policyId: "priority",
        version: "1.0.0",
        active: false,
        reason: "initial rollout",
      }),
      expect.objectContaining({
        policyId: "priority",
        version: "1.1.0",
        active: true,
        reason: "memo 2026-04",
      }),
    ]);
  });

  it("says how withheld counts are protected", () => {
    expect(report.notes[0]).toContain("has its total withheld too");
  });
});
