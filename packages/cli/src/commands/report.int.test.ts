import fs from "node:fs";
import path from "node:path";
import { createRowIngestor, todayUtc } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { ingestPerson, removalCaseRows } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("report", async (database) => {
  // Twelve resolved requests of one kind (published) and three of another (withheld).
  await database.pool.query(
    `INSERT INTO redress_request (request_id, person_id, kind, statement, status, filed_by, filed_at, outcome,
       outcome_reason, resolved_by, resolved_at)
     SELECT 'RR-' || n, 'P-' || n, CASE WHEN n <= 12 THEN 'departed' ELSE 'other' END, 'test', 'resolved', 'test',
       now() - interval '10 days', 'granted', 'test', 'test', now() - interval '10 days' + (n || ' days')::interval
     FROM generate_series(1, 15) AS n`,
  );
  // Activated once, since replaced (no longer the active one, so the worklist does not read its text).
  await database.pool.query(
    `INSERT INTO policy_version (policy_id, version, digest, file_name, text, description, effective_from,
       loaded_by, active)
     VALUES ('priority', '1.0.0', 'sha256:aaaaaaaaaaaaaaaa', 'p.yaml', '', 'first', current_date, 'test', false);
     INSERT INTO policy_activation (policy_id, version, digest, activated_by, reason)
     VALUES ('priority', '1.0.0', 'sha256:aaaaaaaaaaaaaaaa', 'test', 'initial rollout, memo "A"');`,
  );
});
const { run } = bed;

describe("passage report", () => {
  it("writes JSON, CSV and an HTML page with charts, withholding small cells", async () => {
    const out = path.join(bed.directory, "out");
    const result = await run(["report", "--out", out, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const outcomes = report.tables.find((table: { id: string }) => table.id === "redress_outcomes");
    expect(outcomes.cells).toEqual([
      { key: "departed:granted", count: 12, suppressed: false },
      { key: "other:granted", count: null, suppressed: true },
    ]);
    // A withheld cell withholds the total: 3 would otherwise be recoverable as 15 - 12.
    expect(outcomes.total).toBeNull();
    expect(report.redressTimes).toEqual([
      { kind: "departed", withheld: false, medianDays: 6, p90Days: 11 },
      { kind: "other", withheld: true, medianDays: null, p90Days: null },
    ]);
    const csv = fs.readFileSync(path.join(out, "oversight.csv"), "utf8");
    expect(csv).toContain("redress_outcomes,other:granted,,true,,,,,\r\n");
    expect(csv).toContain("redress_outcomes,(total),,true,,,,,\r\n");
    expect(csv).toContain(
      `policy_versions,priority,,,1.0.0,${report.policies[0].activatedAt},replaced,"initial rollout, memo ""A""",sha256:aaaaaaaaaaaaaaaa\r\n`,
    );
    const html = fs.readFileSync(path.join(out, "oversight.html"), "utf8");
    expect(html).toContain("Passage oversight report");
    expect(html).toContain("withheld");
    expect(JSON.parse(fs.readFileSync(path.join(out, "oversight.json"), "utf8")).threshold).toBe(11);
  });

  it("counts the projections brought up to the records first", async () => {
    // A person whose records changed since the projections last ran: its status is not derived yet.
    const ingestor = createRowIngestor({ pool: bed.database.pool, sourceName: "test", maxDelayMs: 1 });
    await ingestPerson(bed.database, ingestor, "P-NEW", removalCaseRows({ number: 1, asOf: todayUtc() }));
    await ingestor.close();
    const result = await run(["report", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const states = JSON.parse(result.stdout).tables.find(
      (table: { id: string }) => table.id === "cases_by_state",
    );
    expect(states.cells).toEqual([{ key: "FINAL_ORDER", count: null, suppressed: true }]);
  });

  it("prints every policy version activated, and why", async () => {
    const result = await run(["report"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^policy priority 1\.0\.0 \(replaced\), activated \S+Z: initial rollout, memo "A" \[sha256:aaaaa\]$/m,
    );
  });

  it("refuses an output under /proc at once (it hung at full CPU)", async () => {
    const result = await run(["report", "--out", "/proc/nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error PASSAGE_ERR_CLI_OUTPUT_UNWRITABLE: cannot write to /proc/nope");
  });

  it("refuses an empty --out instead of printing the report or writing it to the working directory", async () => {
    for (const out of ["", "  "]) {
      const result = await run(["report", "--out", out]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(
        /^error PASSAGE_ERR_CLI_USAGE: --out needs a directory, got an empty one/,
      );
    }
    expect(fs.existsSync(path.join(bed.directory, "oversight.json"))).toBe(false);
  });

  it("names an output that cannot be written, and writes nothing", async () => {
    const file = path.join(bed.directory, "a-file");
    fs.writeFileSync(file, "not a directory\n");
    const result = await run(["report", "--out", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error PASSAGE_ERR_CLI_OUTPUT_UNWRITABLE: cannot write to ${file}`);
    expect(fs.readFileSync(file, "utf8")).toBe("not a directory\n");
  });

  it("audits the report as report.read for the acting user, and denies one without it", async () => {
    const entries = () => bed.auditEntries("Report");
    const printed = await run(["report"]);
    expect(printed.code, printed.stderr).toBe(0);
    expect((await entries()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "cli",
      action: "report.read",
      resourceId: "oversight",
      decision: "allow",
      outcome: "success",
    });
    expect((await run(["users", "demo"])).code).toBe(0);
    const auditor = await run(["--as", "auditor", "--purpose", "quarterly review", "report", "--json"]);
    expect(auditor.code, auditor.stderr).toBe(0);
    expect((await entries()).at(-1)).toMatchObject({ actor: "user:auditor", purpose: "quarterly review" });
    // A consular officer acts only on travel documents of their own nationals.
    const denied = await run(["--as", "consular.mex", "report"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:consular.mex may not report.read Report oversight\n",
    );
    expect((await entries()).at(-1)).toMatchObject({ actor: "user:consular.mex", decision: "deny" });
  });
});
