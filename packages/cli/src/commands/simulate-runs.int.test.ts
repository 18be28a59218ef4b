import { spawn } from "node:child_process";
import { createRowIngestor } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { PASSAGE_BIN } from "../testing/run-passage.ts";

const bed = useCliTestBed("simulate-runs");
const { run } = bed;

/** Records a visitor admitted a week ago (linkage and the projections take it from there). */
async function admit(family: string, aNumber: string): Promise<void> {
  const ingestor = createRowIngestor({ pool: bed.database.pool, sourceName: "test", maxDelayMs: 1 });
  const today = new Date();
  const daysFromToday = (days: number) =>
    new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  await ingestor.ingest("admission", {
    family_name: family,
    given_names: "Ana",
    date_of_birth: "1990-01-02",
    a_number: aNumber,
    i94_number: `${aNumber.slice(1)}00`,
    class_of_admission: "B2",
    admission_date: daysFromToday(-7),
    admit_until: daysFromToday(90),
  });
  await ingestor.close();
}

describe("passage simulate departures: its options", () => {
  it("refuses a --count that is not a whole number, and a --rate below 0.001, with a usage error", async () => {
    const fractional = await run(["simulate", "departures", "--rate", "5", "--count", "1.5"]);
    expect(fractional.code).not.toBe(0);
    expect(fractional.stderr).toMatch(
      /PASSAGE_ERR_CLI_USAGE: --count must be a whole number from 1 to 100000000, got "1.5"/,
    );
    const slow = await run(["simulate", "departures", "--rate", "0.0000001", "--count", "1"]);
    expect(slow.code).not.toBe(0);
    expect(slow.stderr).toMatch(/PASSAGE_ERR_CLI_USAGE: --rate must be a number from 0.001 to 10000/);
    expect(slow.stderr).not.toContain("TimeoutOverflowWarning");
  });
});

describe("passage simulate departures: runs", () => {
  it("sends a person one departure across runs", async () => {
    await admit("Okoro", "A100000091");
    await admit("Lindqvist", "A100000094");
    expect((await run(["link"])).code).toBe(0);
    // The projections catch up first: the statuses are derived, so the two can be sent one.
    const first = await run([
      "simulate",
      "departures",
      "--rate",
      "50",
      "--count",
      "5",
      "--self-report-share",
      "0",
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^sent=2 rejected=0 /);
    // Their departures attached to them (linkage stands in here: two records train no model),
    // statuses not derived again: without a server nothing has caught up with that run yet.
    await bed.database.pool.query(
      `INSERT INTO person_member (feed, key_value, person_id)
       SELECT d.feed, d.key_value, m.person_id
       FROM source_record d
       JOIN source_record a ON a.feed = 'admission' AND a.fields->>'a_number' = d.fields->>'a_number'
       JOIN person_member m ON m.feed = a.feed AND m.key_value = a.key_value
       WHERE d.feed = 'departure'
       ON CONFLICT (feed, key_value) DO UPDATE SET person_id = excluded.person_id`,
    );
    const stale = await bed.database.pool.query("SELECT primary_state FROM person_status ORDER BY 1");
    expect(stale.rows.map((row) => row.primary_state)).toEqual(["ADMITTED_FIXED", "ADMITTED_FIXED"]);
    // The next run catches the projections up first, and finds no one still here.
    const second = await run(["simulate", "departures", "--rate", "50", "--count", "5"]);
    expect(second.code).not.toBe(0);
    expect(second.stdout).toBe("");
    expect(second.stderr).toMatch(
      /^error PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART: nothing was sent: none of the 2 persons with a derived status is still here/,
    );
  });

  it("stops at Ctrl-C after a clean drain: the summary, the corroborations not sent, exit 0", async () => {
    await admit("Haugen", "A100000092");
    await admit("Petit", "A100000093");
    expect((await run(["link"])).code).toBe(0);
    const child = spawn(
      process.execPath,
      [
        PASSAGE_BIN,
        "simulate",
        "departures",
        "--rate",
        "0.2",
        "--self-report-share",
        "1",
        "--corroboration-share",
        "1",
      ],
      {
        cwd: bed.directory,
        env: { ...process.env, DATABASE_URL: bed.database.url },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const sentOne = new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("-> new")) resolve();
      });
      // Ended before sending anything: the assertions below say why.
      void closed.then(() => resolve());
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      await sentOne;
      child.kill("SIGINT");
      const code = await closed;
      expect(code, stderr).toBe(0);
      expect(stderr).not.toContain("PASSAGE_ERR_CLI_INTERRUPTED");
      expect(stderr).toContain("stopped by SIGINT after sent=1; every record sent is committed");
      expect(stderr).toContain("1 planned corroboration of self-reports not sent (the run was stopped");
      expect(stdout).toBe('sent=1 rejected=0 by evidence: {"self_report":1}\n');
    } finally {
      clearTimeout(killer);
    }
  }, 90_000);
});
