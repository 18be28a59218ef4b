import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPassage } from "../testing/run-passage.ts";

let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-link-one-person-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runPassage(["--data-dir", dataDir, ...args], { env: { DATABASE_URL: database.url } });

/** One person's court case: notice, removal order, a timely appeal, the BIA's termination. */
const COURT_EVENTS = [
  "court_event_id,a_number,family_name,given_names,date_of_birth,nationality,case_id,case_type,event_type,event_date,outcome",
  "C5-1,A100000005,SINGH,RAVI,1998-02-02,IND,K5,RMV,nta_filed,2021-06-01,",
  "C5-2,A100000005,SINGH,RAVI,1998-02-02,IND,K5,RMV,decision,2022-01-10,removal_ordered",
  "C5-3,A100000005,SINGH,RAVI,1998-02-02,IND,K5,RMV,appeal_filed,2022-02-01,",
  "C5-4,A100000005,SINGH,RAVI,1998-02-02,IND,K5,RMV,appeal_decided,2022-09-01,terminated",
];

describe("passage link on a table of one person's 4 records", () => {
  it("links them into one person with built-in parameters, so the terminated order is not actionable", async () => {
    const file = path.join(dataDir, "court5.csv");
    fs.writeFileSync(file, `${COURT_EVENTS.join("\n")}\n`);
    const ingested = await run(["ingest", "court", file]);
    expect(ingested.code, ingested.stderr).toBe(0);

    const linked = await run(["link"]);
    expect(linked.code, linked.stderr).toBe(0);
    // A model trained on these 4 records left them as 4 persons (u of the A-number near 1).
    expect(linked.stdout).toMatch(/^records=4 persons=1 .* model=v1 \(defaults\)$/m);
    expect(linked.stdout).toMatch(/^auto_link_pairs=6 /m);
    expect(linked.stderr).toMatch(/^warning: model v1 holds built-in default parameters/m);

    const status = await run(["status", "--record", "court:C5-2", "--as-of", "2024-06-30", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const document = JSON.parse(status.stdout) as {
      actionable: boolean;
      evidence: { recordKey: string }[];
    };
    expect(document.actionable).toBe(false);
    expect(new Set(document.evidence.map((item) => item.recordKey))).toEqual(
      new Set(["C5-1", "C5-2", "C5-3", "C5-4"]),
    );
  });
});
