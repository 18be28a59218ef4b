import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Access, type Actor, LOCAL_OPERATOR } from "@passage/access";
import { executeSql, findPersonStatus, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { CONFIRMED_IDENTITY } from "../lifecycle/policy-inputs.ts";
import { DEFAULT_POLICY_FILE, examplePolicyDirectory } from "./policy-versions.ts";
import { ingestPerson, removalCaseRows, stayRow } from "./testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "./testing/test-bed.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

const AS_OF = todayUtc();
const policyFile = (name: string) => path.join(examplePolicyDirectory(), name);
const SUPERVISOR: Actor = {
  kind: "user",
  id: "sup",
  roles: ["supervisor"],
  office: "NYC",
  confidentialityNeeds: [],
  country: "",
};
const OFFICER: Actor = { ...SUPERVISOR, id: "officer", roles: ["removal_officer"] };
// Every office's cases: the transport planner reads every status and every worklist.
const PLANNER: Actor = { ...SUPERVISOR, id: "planner", roles: ["transport_planner"], office: "HQ" };

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let worklist: WorklistService;
let access: Access;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `test-${actor.id}` });

async function derive(personIds: string[]): Promise<void> {
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, personIds, AS_OF));
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [worklist.projection.handler],
  }).catchUp();
}

async function tiers(): Promise<Record<string, number>> {
  const page = await worklist.list(as(LOCAL_OPERATOR), { pageSize: 1000 });
  return Object.fromEntries(page.entries.map((entry) => [entry.personId, entry.effectiveTier]));
}

beforeAll(async () => {
  bed = await createLifecycleBed({
    name: "worklist",
    sources: {
      identityFacts: async (_executor, ids) =>
        new Map(
          ids.map((id) => [
            id,
            id === "P-REVIEW"
              ? {
                  reviewBandLinks: [
                    { matchProbability: 0.7, evidence: [{ feed: "court", recordKey: "CE-4-1", version: 1 }] },
                  ],
                  conflictingIdentifiers: [],
                  unlinkedRecords: [],
                  outdatedMustLinks: [],
                }
              : CONFIRMED_IDENTITY,
          ]),
        ),
    },
  });
  ({ database, ingestor, lifecycle, access } = bed);
  worklist = createWorklistService({ store: database });
  await ingestPerson(database, ingestor, "P-PLAIN", removalCaseRows({ number: 1, asOf: AS_OF }));
  await ingestPerson(
    database,
    ingestor,
    "P-FELONY",
    removalCaseRows({ number: 2, asOf: AS_OF, aggravatedFelony: true }),
  );
  await ingestPerson(database, ingestor, "P-STAY", [
    ...removalCaseRows({ number: 3, asOf: AS_OF, aggravatedFelony: true }),
    stayRow(3, AS_OF, -10),
  ]);
  await ingestPerson(database, ingestor, "P-REVIEW", removalCaseRows({ number: 4, asOf: AS_OF }));
  await derive(["P-PLAIN", "P-FELONY", "P-STAY", "P-REVIEW"]);
  // Two offices: the NYC staff of these tests read P-FELONY's case only when assigned to it.
  for (const [personId, office] of [
    ["P-PLAIN", "NYC"],
    ["P-FELONY", "LAX"],
    ["P-STAY", "NYC"],
    ["P-REVIEW", "NYC"],
  ] as const) {
    await setCaseAssignment(database.db, { personId, office, assignees: [], updatedBy: "test" });
  }
});

async function auditedStatusReads(personId: string): Promise<Record<string, unknown>[]> {
  const rows = await executeSql<{ content: string }>(
    database.db,
    "SELECT content FROM audit_entry WHERE resource_type = 'Status' AND resource_id = $1 ORDER BY sequence",
    [personId],
  );
  return rows.map((row) => JSON.parse(row.content));
}

afterAll(() => bed?.close());

describe("worklist projection", () => {
  it("lists only actionable gate-clear persons, ranked by the default policy", async () => {
    expect((await findPersonStatus(database.db, "P-STAY"))?.actionable).toBe(false);
    expect((await findPersonStatus(database.db, "P-REVIEW"))?.gatesHolding).toContain(
      "IDENTITY_NOT_CONFIRMED",
    );
    // posture-2025: an aggravated felony is tier 1; a final order alone is tier 4.
    expect(await tiers()).toEqual({ "P-FELONY": 1, "P-PLAIN": 4 });
    const { versions, activations } = await worklist.listPolicies(as(LOCAL_OPERATOR));
    expect(versions.map((version) => [version.policyId, version.active])).toEqual([["posture-2025", true]]);
    expect(activations[0]).toMatchObject({ activatedBy: "system:passage" });
    expect(activations[0]!.reason).toContain(DEFAULT_POLICY_FILE);
  });

  it("explains an entry with gates, fired rules and evidence, and replays it exactly", async () => {
    const explained = await worklist.explain(as(LOCAL_OPERATOR), "P-FELONY");
    expect(explained.replay).toEqual({ identical: true, differences: [] });
    const { explanation } = explained;
    expect(explanation.policy.id).toBe("posture-2025");
    expect(explanation.gates.clear).toBe(true);
    expect(explanation.gates.results.length).toBeGreaterThan(10);
    const fired = explanation.evaluation!.firedRules.find((rule) => rule.id === "aggravated-felony")!;
    expect(fired.decided).toBe(true);
    expect(fired.evidence).toEqual([expect.objectContaining({ feed: "conviction", recordKey: "D-2" })]);
    await expect(worklist.explain(as(LOCAL_OPERATOR), "P-STAY")).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_PERSON_NOT_LISTED",
    });
  });

  it("dry-runs another policy without applying it, reporting exactly the cases that move", async () => {
    const before = await tiers();
    const result = await worklist.dryRunPolicyFile(as(LOCAL_OPERATOR), policyFile("mayorkas-2021.yaml"));
    // mayorkas-2021: P-FELONY scores 3+3+2=8 (public safety, tier 2); P-PLAIN scores 0 (tier 4).
    expect(result).toMatchObject({ cases: 2, changed: 1, unchanged: 1 });
    expect(result.changes).toEqual([
      {
        personId: "P-FELONY",
        from: { tier: 1, label: "Public safety and national security", decidedBy: "rule aggravated-felony" },
        to: { tier: 2, label: "Public safety", decidedBy: "rule public-safety" },
      },
    ]);
    expect(await tiers()).toEqual(before);
  });

  it("ranks on the fly with a policy file, storing nothing, never hiding or adding a case", async () => {
    const ranked = await worklist.rankWithPolicyFile(as(LOCAL_OPERATOR), policyFile("mayorkas-2021.yaml"));
    expect(ranked.entries.map((entry) => [entry.personId, entry.tier])).toEqual([
      ["P-FELONY", 2],
      ["P-PLAIN", 4],
    ]);
    const listed = (await worklist.list(as(LOCAL_OPERATOR))).policy;
    expect(listed.id).toBe("posture-2025");
    // Its tiers come with it: a tier filter needs no policy.read (a removal officer has none).
    expect(listed.tiers.map((tier) => tier.tier)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(listed.tiers[5]).toEqual({ tier: 6, label: "Self-reported departure awaiting corroboration" });
  });

  it("lists and counts only the entries whose person's status the actor may read (office or assignment)", async () => {
    const ids = (page: { entries: readonly { personId: string }[] }) =>
      page.entries.map((entry) => entry.personId);
    const officer = await worklist.list(as(OFFICER));
    expect([ids(officer), officer.total]).toEqual([["P-PLAIN"], 1]);
    // P-FELONY (tier 1) is LAX's: the NYC officer's tier 1 is empty, not a page of someone else's cases.
    const tierOne = await worklist.list(as(OFFICER), { tier: 1 });
    expect([ids(tierOne), tierOne.total]).toEqual([[], 0]);
    const supervisor = await worklist.list(as(SUPERVISOR), { pageSize: 1 });
    expect([ids(supervisor), supervisor.total]).toEqual([["P-PLAIN"], 1]);
    const planner = await worklist.list(as(PLANNER), { pageSize: 1 });
    expect([ids(planner), planner.total]).toEqual([["P-FELONY"], 2]);
    expect(ids(await worklist.list(as(PLANNER), { page: 2, pageSize: 1 }))).toEqual(["P-PLAIN"]);
    // An assigned case of another office is the officer's too.
    await setCaseAssignment(database.db, {
      personId: "P-FELONY",
      office: "LAX",
      assignees: ["officer"],
      updatedBy: "test",
    });
    const assigned = await worklist.list(as(OFFICER));
    expect([ids(assigned), assigned.total]).toEqual([["P-FELONY", "P-PLAIN"], 2]);
    expect((await worklist.explain(as(OFFICER), "P-FELONY")).entry.personId).toBe("P-FELONY");
    await setCaseAssignment(database.db, {
      personId: "P-FELONY",
      office: "LAX",
      assignees: [],
      updatedBy: "test",
    });
    const listEntry = (
      await executeSql<{ content: string }>(
        database.db,
        "SELECT content FROM audit_entry WHERE resource_id = 'worklist:NYC' ORDER BY sequence DESC LIMIT 1",
      )
    )[0]!;
    expect(JSON.parse(listEntry.content)).toMatchObject({
      actor: "user:officer",
      action: "status.read",
      decision: "allow",
      details: { list: true, rows: 2 },
    });
  });

  it("lists, counts and pages only the named office's cases; refuses an unknown office, naming it", async () => {
    const ids = (page: { entries: readonly { personId: string }[] }) =>
      page.entries.map((entry) => entry.personId);
    const lax = await worklist.list(as(PLANNER), { office: "LAX" });
    expect([ids(lax), lax.total]).toEqual([["P-FELONY"], 1]);
    const nyc = await worklist.list(as(PLANNER), { office: "NYC", pageSize: 1 });
    expect([ids(nyc), nyc.total]).toEqual([["P-PLAIN"], 1]);
    expect(ids(await worklist.list(as(PLANNER), { office: "NYC", page: 2, pageSize: 1 }))).toEqual([]);
    expect((await worklist.list(as(PLANNER), { office: "LAX", tier: 4 })).total).toBe(0);
    const ranked = await worklist.rankWithPolicyFile(as(PLANNER), policyFile("mayorkas-2021.yaml"), {
      office: "LAX",
    });
    expect(ranked.entries.map((entry) => entry.personId)).toEqual(["P-FELONY"]);
    // The officer's assigned LAX case is on its own list, not on NYC's worklist.
    await setCaseAssignment(database.db, {
      personId: "P-FELONY",
      office: "LAX",
      assignees: ["officer"],
      updatedBy: "test",
    });
    expect(ids(await worklist.list(as(OFFICER), { office: "NYC" }))).toEqual(["P-PLAIN"]);
    await setCaseAssignment(database.db, {
      personId: "P-FELONY",
      office: "LAX",
      assignees: [],
      updatedBy: "test",
    });
    for (const office of ["BOGUS", ""]) {
      await expect(worklist.list(as(PLANNER), { office })).rejects.toMatchObject({
        code: "PASSAGE_ERR_WORKLIST_OFFICE_UNKNOWN",
        message: expect.stringContaining(office === "" ? "known offices: HQ, LAX, NYC" : '"BOGUS"'),
      });
    }
    await expect(worklist.explain(as(PLANNER), "P-FELONY", "BOGUS")).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_OFFICE_UNKNOWN",
    });
    // An office the reader may not read stays refused, known or not.
    for (const office of ["LAX", "BOGUS"]) {
      await expect(worklist.list(as(OFFICER), { office })).rejects.toMatchObject({
        code: "PASSAGE_ERR_ACCESS_DENIED",
      });
    }
    const audited = (
      await executeSql<{ content: string }>(
        database.db,
        `SELECT content FROM audit_entry WHERE resource_type = 'Worklist' AND content LIKE '%"user:planner"%'
         AND content LIKE '%worklist.read%' ORDER BY sequence`,
      )
    ).map((row) => JSON.parse(row.content));
    const outcomes = audited.filter((entry) => entry.details?.phase !== "started");
    expect(outcomes.find((entry) => entry.details?.office === "LAX")).toMatchObject({
      resourceType: "Worklist",
      resourceId: "LAX",
      decision: "allow",
      outcome: "success",
    });
    expect(outcomes.find((entry) => entry.details?.office === "BOGUS")).toMatchObject({
      resourceType: "Worklist",
      resourceId: "BOGUS",
      outcome: "failure",
      errorCode: "PASSAGE_ERR_WORKLIST_OFFICE_UNKNOWN",
    });
  });

  it("refuses the explanation of a case out of reach as a status read of it is refused, and audits it", async () => {
    expect((await worklist.explain(as(OFFICER), "P-PLAIN")).entry.personId).toBe("P-PLAIN");
    await expect(worklist.explain(as(OFFICER), "P-FELONY")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
    // A person that does not exist is refused the same way (no case, no office), not told apart.
    await expect(worklist.explain(as(OFFICER), "P-NOBODY")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
    expect((await auditedStatusReads("P-FELONY")).at(-1)).toMatchObject({
      actor: "user:officer",
      action: "status.read",
      decision: "deny",
      outcome: "failure",
      errorCode: "PASSAGE_ERR_ACCESS_DENIED",
    });
    expect((await worklist.explain(as(PLANNER), "P-FELONY")).entry.personId).toBe("P-FELONY");
  });

  it("ranks on the fly and dry-runs with only the persons the actor may read named", async () => {
    const ranked = await worklist.rankWithPolicyFile(as(OFFICER), policyFile("mayorkas-2021.yaml"));
    expect(ranked.entries.map((entry) => [entry.personId, entry.tier])).toEqual([["P-PLAIN", 4]]);
    const everyOffice = await worklist.rankWithPolicyFile(as(PLANNER), policyFile("mayorkas-2021.yaml"));
    expect(everyOffice.entries.map((entry) => entry.personId)).toEqual(["P-FELONY", "P-PLAIN"]);
    // The counts are the policy's impact on every case; the changes name only readable persons.
    const dryRun = await worklist.dryRunPolicyFile(as(SUPERVISOR), policyFile("mayorkas-2021.yaml"));
    expect(dryRun).toMatchObject({ cases: 2, changed: 1, unchanged: 1, changes: [] });
  });

  it("needs a supervisor and a reason to override a policy outcome, and never a gate", async () => {
    const request = { personId: "P-PLAIN", tier: 2, reason: "  " };
    await expect(worklist.override(as(SUPERVISOR), request)).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_OVERRIDE_REASON_REQUIRED",
    });
    await expect(
      worklist.override(as(OFFICER), { ...request, reason: "risk to witness" }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_ACCESS_DENIED" });
    // Another office's case: refused as a read of its status is.
    await expect(
      worklist.override(as(SUPERVISOR), { personId: "P-FELONY", tier: 2, reason: "not our case" }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_ACCESS_DENIED" });
    await expect(
      worklist.override(as(SUPERVISOR), { personId: "P-STAY", tier: 1, reason: "urgent" }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_WORKLIST_PERSON_NOT_LISTED" });
    await expect(
      worklist.override(as(SUPERVISOR), { personId: "P-PLAIN", tier: 9, reason: "x" }),
    ).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_TIER_INVALID",
      message: expect.stringMatching(/^tier 9 is not a tier of policy posture-2025 v\S+ \(tiers: 1, 2, /),
    });
    const overridden = await worklist.override(as(SUPERVISOR), {
      ...request,
      reason: "witness in a prosecution",
    });
    // Shown in tier 2 under tier 2's label; the policy's tier 4 and its label stay beside it.
    const labels = {
      tier: 4,
      tierLabel: "Other removable",
      effectiveTier: 2,
      effectiveTierLabel: "Criminal history or recent entry",
    };
    expect(overridden).toMatchObject({ ...labels, override: { originalTier: 4, tier: 2 } });
    expect(overridden.override?.overriddenBy).toBe("user:sup");
    const listed = await worklist.list(as(SUPERVISOR), { tier: 2 });
    expect(listed.entries).toEqual([expect.objectContaining({ personId: "P-PLAIN", ...labels })]);
    expect((await worklist.explain(as(SUPERVISOR), "P-PLAIN")).entry).toMatchObject(labels);
    const felony = (await worklist.list(as(PLANNER), { tier: 1 })).entries[0];
    expect(felony).toMatchObject({
      tierLabel: "Public safety and national security",
      effectiveTierLabel: "Public safety and national security",
    });
    // The stay still gates P-STAY; its status row is untouched by any override.
    expect((await findPersonStatus(database.db, "P-STAY"))?.gatesHolding).toContain("STAY_GRANTED");
    await expect(executeSql(database.db, "DELETE FROM worklist_override")).rejects.toThrow(/append-only/);
    const audited = await executeSql<{ content: string }>(
      database.db,
      "SELECT content FROM audit_entry WHERE resource_type = 'Worklist' ORDER BY sequence",
    );
    // Each allowed override is on record as it starts too: the outcomes are the entries without it.
    const overrides = audited
      .map((row) => JSON.parse(row.content))
      .filter((entry) => entry.action === "worklist.override" && entry.details.phase !== "started");
    expect(overrides.map((entry) => [entry.actor, entry.outcome])).toEqual([
      ["user:sup", "failure"],
      ["user:officer", "failure"],
      ["user:sup", "failure"],
      ["user:sup", "failure"],
      ["user:sup", "failure"],
      ["user:sup", "success"],
    ]);
    expect(overrides.at(-1).details.reason).toBe("witness in a prosecution");
  });

  it("audits an activation or a dry run of an invalid policy file as a failure with its code", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "passage-policy-"));
    const invalid = path.join(directory, "invalid-policy.yaml");
    writeFileSync(invalid, 'id: x\nversion: "1"\ncolour: red\n');
    await expect(
      worklist.activatePolicyFile(as(LOCAL_OPERATOR), invalid, "test", { outsideEffectiveDates: true }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_POLICY_INVALID" });
    await expect(worklist.dryRunPolicyFile(as(LOCAL_OPERATOR), invalid)).rejects.toMatchObject({
      code: "PASSAGE_ERR_POLICY_INVALID",
    });
    const audited = await executeSql<{ content: string }>(
      database.db,
      "SELECT content FROM audit_entry WHERE resource_type = 'Policy' AND resource_id = 'invalid-policy.yaml' ORDER BY sequence",
    );
    expect(audited.map((row) => JSON.parse(row.content))).toEqual([
      // An activation is a write: on record as it starts, then with its outcome.
      expect.objectContaining({
        action: "policy.write",
        outcome: "success",
        details: { file: "invalid-policy.yaml", phase: "started" },
      }),
      expect.objectContaining({
        action: "policy.write",
        outcome: "failure",
        errorCode: "PASSAGE_ERR_POLICY_INVALID",
        details: { file: "invalid-policy.yaml", phase: "finished" },
      }),
      expect.objectContaining({
        action: "policy.dry_run",
        outcome: "failure",
        errorCode: "PASSAGE_ERR_POLICY_INVALID",
      }),
    ]);
    rmSync(directory, { recursive: true });
  });

  it("activates a policy: stored, audited, the worklist re-evaluated, a changed version refused", async () => {
    // The 2021 guidelines ended on 2025-01-20: activating them today needs an acknowledgement.
    await expect(
      worklist.activatePolicyFile(as(LOCAL_OPERATOR), policyFile("mayorkas-2021.yaml"), "test"),
    ).rejects.toMatchObject({
      code: "PASSAGE_ERR_POLICY_NOT_IN_EFFECT",
      message: expect.stringMatching(/mayorkas-2021 1\.0\.0 is not in effect on .* until 2025-01-20/),
    });
    const activated = await worklist.activatePolicyFile(
      as(LOCAL_OPERATOR),
      policyFile("mayorkas-2021.yaml"),
      "test",
      { outsideEffectiveDates: true },
    );
    expect(activated).toMatchObject({ stored: true, worklist: { listed: 2, unlisted: 0 } });
    expect(await tiers()).toEqual({ "P-FELONY": 2, "P-PLAIN": 4 });
    const { versions } = await worklist.listPolicies(as(LOCAL_OPERATOR));
    expect(versions.filter((version) => version.active).map((version) => version.policyId)).toEqual([
      "mayorkas-2021",
    ]);
    const directory = mkdtempSync(path.join(tmpdir(), "passage-policy-"));
    const changed = path.join(directory, "changed.yaml");
    const original = (await import("node:fs")).readFileSync(policyFile("mayorkas-2021.yaml"), "utf8");
    writeFileSync(changed, original.replace("weight: 3", "weight: 4"));
    await expect(
      worklist.activatePolicyFile(as(LOCAL_OPERATOR), changed, "test", { outsideEffectiveDates: true }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_POLICY_VERSION_CONFLICT" });
    // The reason is recorded with the activation: none, or only spaces, is refused.
    for (const reason of ["", "   "]) {
      await expect(
        worklist.activatePolicyFile(as(LOCAL_OPERATOR), policyFile("posture-2025.yaml"), reason),
      ).rejects.toMatchObject({ code: "PASSAGE_ERR_POLICY_REASON_REQUIRED" });
    }
    // The reason is published in the oversight report: one naming a person or case is refused.
    for (const reason of [
      "after the case of P-91D005ZVMBM0",
      "see A-123-456-789",
      "EAC2190012345 showed it",
    ]) {
      await expect(
        worklist.activatePolicyFile(as(LOCAL_OPERATOR), policyFile("posture-2025.yaml"), reason),
      ).rejects.toMatchObject({ code: "PASSAGE_ERR_POLICY_REASON_NAMES_CASE" });
    }
    expect(
      (await worklist.listPolicies(as(LOCAL_OPERATOR))).versions.find((version) => version.active)?.policyId,
    ).toBe("mayorkas-2021");
    await worklist.activatePolicyFile(
      as(LOCAL_OPERATOR),
      policyFile("posture-2025.yaml"),
      "the 2025 posture memo of 2025-01-20",
    );
    expect(await tiers()).toEqual({ "P-FELONY": 1, "P-PLAIN": 2 }); // the override holds again under posture-2025
    rmSync(directory, { recursive: true, force: true });
  });

  it("takes a person off the worklist when their status stops being actionable", async () => {
    await ingestPerson(database, ingestor, "P-FELONY", [stayRow(2, AS_OF, -1)]);
    await derive(["P-FELONY"]);
    expect(await tiers()).toEqual({ "P-PLAIN": 2 });
    const rebuilt = await worklist.rebuild();
    expect(rebuilt).toEqual({ listed: 1, unlisted: 0 });
    expect(await tiers()).toEqual({ "P-PLAIN": 2 });
  });

  it("ranks, lists and explains without the citations of an asylum record for a reader without the need", async () => {
    const receipt = "EAC2190099005";
    await ingestPerson(database, ingestor, "P-ASYLUM", removalCaseRows({ number: 5, asOf: AS_OF }));
    await ingestor.ingest("benefit", {
      receipt_number: receipt,
      family_name: "Testperson5",
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      form_type: "I-589",
      event: "filed",
      event_date: "2020-01-10",
    });
    await ingestor.flush();
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, 'P-ASYLUM')",
      [receipt],
    );
    await derive(["P-ASYLUM"]);
    await setCaseAssignment(database.db, {
      personId: "P-ASYLUM",
      office: "NYC",
      assignees: [],
      updatedBy: "test",
    });
    // Both needs: a reader lacking either sees no case's raw facts (worklist-redaction.int.test.ts).
    const cleared: Actor = { ...SUPERVISOR, id: "cleared", confidentialityNeeds: ["asylum", "vawa1367"] };
    const shown = async (actor: Actor) => {
      const ranked = await worklist.rankWithPolicyFile(as(actor), policyFile("mayorkas-2021.yaml"));
      const page = await worklist.list(as(actor), { pageSize: 1000 });
      const explained = await worklist.explain(as(actor), "P-ASYLUM");
      const mine = (entries: readonly { personId: string }[]) =>
        JSON.stringify(entries.find((entry) => entry.personId === "P-ASYLUM"));
      return [mine(ranked.entries), mine(page.entries), JSON.stringify(explained)];
    };
    for (const text of await shown(cleared)) expect(text).toContain(`"recordKey":"${receipt}`);
    for (const actor of [SUPERVISOR, OFFICER]) {
      for (const text of await shown(actor)) {
        expect(text).toContain("P-ASYLUM");
        expect(text).not.toContain(receipt);
      }
    }
    const operator = await worklist.explain(as(LOCAL_OPERATOR), "P-ASYLUM");
    expect(JSON.stringify(operator)).toContain(`"recordKey":"${receipt}`);

    // A dry run names the rule that would move the case only to a reader with the need.
    const directory = mkdtempSync(path.join(tmpdir(), "passage-policy-"));
    const pending = path.join(directory, "pending-first.yaml");
    writeFileSync(
      pending,
      [
        "id: pending-first",
        'version: "1"',
        "description: A pending application first",
        "effective:",
        "  from: 2020-01-01",
        "tiers:",
        "  - tier: 1",
        "    label: First",
        "  - tier: 9",
        "    label: Other",
        "default_tier: 9",
        "rules:",
        "  - id: asylum-application-pending",
        "    description: An application is pending",
        "    basis: test",
        "    condition: size(pending_benefits) > 0",
        "    tier: 1",
        "",
      ].join("\n"),
    );
    const decidedBy = async (actor: Actor) =>
      (await worklist.dryRunPolicyFile(as(actor), pending)).changes.find(
        (change) => change.personId === "P-ASYLUM",
      )?.to;
    expect(await decidedBy(cleared)).toEqual({
      tier: 1,
      label: "First",
      decidedBy: "rule asylum-application-pending",
    });
    expect(await decidedBy(SUPERVISOR)).toEqual({ tier: 1, label: "First", decidedBy: "rule withheld-1" });
    rmSync(directory, { recursive: true, force: true });
  });
});
