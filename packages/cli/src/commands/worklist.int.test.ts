import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  createLifecycleService,
  createRowIngestor,
  examplePolicyDirectory,
  type LifecycleService,
  type RowIngestor,
  todayUtc,
} from "@passage/engine";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmedIdentitySources } from "../../../engine/src/lifecycle/testing/confirmed-identity-sources.ts";
import {
  dayFrom,
  ingestPerson,
  removalCaseRows,
  stayRow,
} from "../../../engine/src/worklist/testing/removal-cases.ts";

const run = promisify(execFile);
const passage = path.resolve("node_modules/.bin/passage");
const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);
const policy = (name: string) => path.join(examplePolicyDirectory(), `${name}.yaml`);
let database: TestDatabase;
let dataDir: string;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(passage, ["--data-dir", dataDir, ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

async function json<T>(...args: string[]): Promise<T> {
  const result = await cli("--json", ...args);
  expect(result.stderr, result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

async function derive(personIds: string[]): Promise<void> {
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, personIds, AS_OF));
}

const ready = {
  custody: { facility: "STWRTGA", sinceDays: -30 },
  travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
};

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-worklist-cli-"));
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  lifecycle = createLifecycleService({ store: database, sources: confirmedIdentitySources() });
});

afterAll(async () => {
  await ingestor.close();
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Line = {
  person_id: string;
  tier: number;
  policy_tier: number;
  explanation: { gates: { clear: boolean } };
};

describe("passage policy, worklist and plan-transport", () => {
  it("refuses an invalid policy file with one coded line naming every problem and a non-zero exit, and diffs", async () => {
    const bad = path.join(dataDir, "bad.yaml");
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(policy("posture-2025"), "utf8")
        .replace("condition: deferred_action", 'condition: nationality == "MEX"'),
    );
    // A policy file that does not exist is not found (exit 3), as a missing ingest file is.
    const missing = await cli("policy", "check", `${bad}.missing`);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim()).toBe(
      `error PASSAGE_ERR_POLICY_FILE_NOT_FOUND: no policy file ${bad}.missing`,
    );
    const refused = await cli("policy", "check", bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^error PASSAGE_ERR_POLICY_INVALID: .*bad\.yaml:\d+: rule "deferred-action": rules\[1\]\.condition: .*nationality/,
      ),
    ]);
    const diff = await json<{ rules: { added: { id: string }[] } }>(
      "policy",
      "diff",
      policy("mayorkas-2021"),
      policy("posture-2025"),
    );
    expect(diff.rules.added.map((rule) => rule.id)).toContain("laken-riley-offense");
  });

  it("has an active default policy on a fresh database", async () => {
    const listed = await json<{ versions: { policyId: string; active: boolean }[] }>("policy", "list");
    expect(listed.versions).toEqual([expect.objectContaining({ policyId: "posture-2025", active: true })]);
  });

  it("lists every actionable case, tiered and explained, and plans, freezes and strikes transport", async () => {
    await ingestPerson(
      database,
      ingestor,
      "P-FELONY",
      removalCaseRows({ number: 11, asOf: AS_OF, aggravatedFelony: true, ...ready }),
    );
    await ingestPerson(database, ingestor, "P-PLAIN", removalCaseRows({ number: 12, asOf: AS_OF, ...ready }));
    await ingestPerson(database, ingestor, "P-STAY", [
      ...removalCaseRows({ number: 13, asOf: AS_OF, ...ready }),
      stayRow(13, AS_OF, -2),
    ]);
    await ingestor.ingest("flight", {
      flight_id: "F-1",
      date: day(3),
      origin_hub: "AEX",
      destination_country: "GTM",
      seats: "10",
      cost: "30000",
    });
    await derive(["P-FELONY", "P-PLAIN", "P-STAY"]);

    const worklist = await json<Line[]>("worklist");
    expect(worklist.map((line) => [line.person_id, line.tier])).toEqual([
      ["P-FELONY", 1],
      ["P-PLAIN", 4],
    ]);
    expect(worklist.every((line) => line.explanation.gates.clear)).toBe(true);
    const onTheFly = await json<Line[]>("worklist", "--policy", policy("mayorkas-2021"));
    expect(onTheFly.map((line) => [line.person_id, line.tier])).toEqual([
      ["P-FELONY", 2],
      ["P-PLAIN", 4],
    ]);
    const csv = await cli("worklist", "--csv", "--tier", "1");
    expect(csv.stdout.trim().split("\n")).toEqual([
      "person_id,tier,tier_label,policy_tier,override_reason,order_final_date,score,policy_id,policy_version,rules_fired,policy_tier_label",
      expect.stringMatching(
        /^P-FELONY,1,Public safety and national security,1,,\d{4}-\d{2}-\d{2},0,posture-2025,1\.1\.0,aggravated-felony;[a-z;-]+,Public safety and national security$/,
      ),
    ]);
    const dryRun = await json<{ changed: number; changes: { personId: string }[] }>(
      "policy",
      "dry-run",
      policy("mayorkas-2021"),
    );
    expect(dryRun.changed).toBe(1);
    expect(dryRun.changes.map((change) => change.personId)).toEqual(["P-FELONY"]);

    const plan = await json<{
      planId: string;
      status: string;
      manifests: { flightId: string; passengers: { personId: string }[] }[];
    }>("plan-transport", "--from", day(1), "--to", day(10));
    expect(plan.status).toBe("draft");
    expect(
      plan.manifests.map((manifest) => [
        manifest.flightId,
        manifest.passengers.map((p) => p.personId).sort(),
      ]),
    ).toEqual([["F-1", ["P-FELONY", "P-PLAIN"]]]);

    // A stay granted after planning: the freeze strikes the person and the worklist drops them.
    await ingestPerson(database, ingestor, "P-PLAIN", [stayRow(12, AS_OF, 0)]);
    await derive(["P-PLAIN"]);
    const frozen = await json<{ checkedAt: string; struck: { personId: string; reason: string }[] }>(
      "plan-transport",
      "freeze",
      plan.planId,
    );
    expect(frozen.struck).toEqual([expect.objectContaining({ personId: "P-PLAIN", reason: "STAY_GRANTED" })]);
    expect((await json<Line[]>("worklist")).map((line) => line.person_id)).toEqual(["P-FELONY"]);
    // The ranking it had is kept, with the row saying it left and why (the stay's gate held).
    const history = await json<{
      total: number;
      entries: {
        change: string;
        reason: string | null;
        tier: number | null;
        replay: { identical: boolean } | null;
      }[];
    }>("worklist", "history", "P-PLAIN");
    expect(history.entries.map((entry) => [entry.change, entry.reason, entry.tier])).toEqual([
      ["removed", "gated", null],
      ["ranked", null, 4],
    ]);
    expect(history.entries.map((entry) => entry.replay?.identical ?? null)).toEqual([true, true]);
    expect((await cli("worklist", "history", "P-PLAIN")).stdout).toMatch(
      /left the worklist \(gated: STAY_GRANTED\) under posture-2025 [\d.]+ {2}replay identical\n.*posture-2025 [\d.]+ {2}tier 4 .*replay identical/,
    );
    // An id that names no person is not found (exit 3), not "no ranking history"; ids are case-sensitive.
    const unknown = await cli("worklist", "history", "P-NOSUCHPERSON0");
    expect(unknown.code).toBe(3);
    expect(unknown.stderr.trim()).toBe(
      "error PASSAGE_ERR_WORKLIST_PERSON_NOT_FOUND: no person P-NOSUCHPERSON0",
    );
    const lower = await cli("worklist", "history", "p-plain");
    expect(lower.code).toBe(3);
    expect(lower.stderr).toMatch(/no person p-plain \(person ids are case-sensitive/);
    const shown = await cli("plan-transport", "show", plan.planId);
    expect(shown.stdout).toMatch(/struck P-PLAIN: STAY_GRANTED/);
    expect((await cli("plan-transport", "freeze", plan.planId)).stderr).toMatch(
      /^error PASSAGE_ERR_TRANSPORT_PLAN_FROZEN: /,
    );
  });

  it("activates a policy: the stored worklist is re-tiered", async () => {
    const unexplained = await cli("policy", "activate", policy("mayorkas-2021"));
    expect(unexplained.code).not.toBe(0);
    expect(unexplained.stderr).toMatch(/^error PASSAGE_ERR_\w+: policy activate needs --reason TEXT/m);
    const past = await cli("policy", "activate", policy("mayorkas-2021"), "--reason", "test");
    expect(past.code).not.toBe(0);
    expect(past.stderr).toMatch(
      /^error PASSAGE_ERR_POLICY_NOT_IN_EFFECT: mayorkas-2021 1\.0\.0 is not in effect/m,
    );
    const activated = await cli(
      "policy",
      "activate",
      policy("mayorkas-2021"),
      "--reason",
      "test",
      "--outside-effective-dates",
    );
    expect(activated.code).toBe(0);
    expect(activated.stdout).toMatch(/active: mayorkas-2021 1.0.0/);
    expect((await json<Line[]>("worklist")).map((line) => [line.person_id, line.tier])).toEqual([
      ["P-FELONY", 2],
    ]);
  });

  it("shows a frozen plan as current: a stay recorded since strikes the person, with no other command run", async () => {
    const [plan] = await json<{ planId: string }[]>("plan-transport", "list");
    // Only recorded: nothing has derived the person's status again yet.
    await ingestPerson(database, ingestor, "P-FELONY", [stayRow(11, AS_OF, 0)]);
    const shown = await cli("plan-transport", "show", plan!.planId);
    expect(shown.stdout).toMatch(/struck P-FELONY: STAY_GRANTED/);
  });
});
