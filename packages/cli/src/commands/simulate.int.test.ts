import { createRowIngestor } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("simulate");
const { run } = bed;

const departureFeedEntries = () => bed.auditEntries("Feed", "departure");

// The simulator streams departure records into the departure feed: the same feed.ingest the
// HTTP feed route asks. (Persons to simulate are the engine's concern: an empty database has none.)
describe("passage simulate departures", () => {
  it("denies a user without feed.ingest, with one coded error line", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run(["--as", "auditor", "simulate", "departures", "--rate", "5", "--count", "1"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not feed.ingest Feed departure\n",
    );
    expect(await departureFeedEntries()).toMatchObject([
      { actor: "user:auditor", action: "feed.ingest", decision: "deny", outcome: "failure" },
    ]);
  });

  it("audits the local operator's simulation with purpose cli, and with nobody to depart says why and fails", async () => {
    // An empty database: no person has a derived status, so nothing at all can be sent.
    const simulated = await run(["simulate", "departures", "--rate", "5", "--count", "1"]);
    expect(simulated.code).not.toBe(0);
    expect(simulated.stdout).toBe("");
    expect(simulated.stderr).toMatch(
      /^error PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART: nothing was sent: no person has a derived status to depart yet .*`passage worklist`.*\n$/,
    );
    expect((await departureFeedEntries()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "cli",
      action: "feed.ingest",
      decision: "allow",
      outcome: "failure",
      details: { simulator: "departures", rate: 5, count: 1, phase: "finished" },
    });
    // Each batch commits as it goes: the run is on record from its start.
    expect((await departureFeedEntries()).at(-2)).toMatchObject({
      actor: "system:local-operator",
      action: "feed.ingest",
      details: { simulator: "departures", rate: 5, count: 1, phase: "started" },
    });
  });

  it("says on stderr why it stopped before --count: every person still here was sent a departure", async () => {
    // One person with a record and a derived status (as the lifecycle projection writes it).
    const { pool } = bed.database;
    const ingestor = createRowIngestor({ pool, sourceName: "test", maxDelayMs: 1 });
    await ingestor.ingest("admission", {
      family_name: "Moreau",
      given_names: "Ines",
      date_of_birth: "1990-01-02",
      a_number: "A100000041",
      i94_number: "10000004100",
      class_of_admission: "B2",
      admission_date: "2024-01-01",
      admit_until: "2099-01-01",
    });
    await ingestor.close();
    await pool.query("INSERT INTO person (person_id) VALUES ('P-1')");
    await pool.query(
      "INSERT INTO person_member (feed, key_value, person_id) SELECT feed, key_value, 'P-1' FROM source_record WHERE feed = 'admission'",
    );
    await pool.query(
      `INSERT INTO person_status (person_id, as_of, primary_state, overlays, blockers, gates_holding,
         final_order_executable, actionable, status, gates, input_digest)
       VALUES ('P-1', current_date, 'ADMITTED', '{}', '{}', '{}', false, false, '{}', '{}', 'test')`,
    );
    const simulated = await run(["simulate", "departures", "--rate", "50", "--count", "5"]);
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(simulated.stdout).toMatch(/^sent=1 rejected=0 /);
    expect(simulated.stderr).toContain(
      "stopped after sent=1 of --count 5: every one of the 1 person still here has been sent a departure",
    );
  });
});
