import path from "node:path";
import { type Access, LOCAL_OPERATOR } from "@passage/access";
import { buildWorklist, type WorklistCandidate } from "@passage/policy";
import { executeSql, upsertWorklistEntries } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TWO_POLICY_POPULATION } from "../../../policy/src/fixtures/two-policy-population.ts";
import { examplePolicyDirectory } from "./policy-versions.ts";
import { type AccessBed, createAccessBed } from "./testing/test-bed.ts";
import { worklistRowOf } from "./worklist-projection.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

// worklist_entry is a projection: upserted on each evaluation, emptied of a person who leaves. The
// history keeps every ranking a person had (and each time they left), so a ranking made under a
// policy since replaced still reads and replays exactly.
let bed: AccessBed;
let database: TestDatabase;
let access: Access;
let worklist: WorklistService;

const operator = () => access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "history" });
const policyFile = (name: string) => path.join(examplePolicyDirectory(), `${name}.yaml`);
const candidateOf = (personId: string): WorklistCandidate =>
  TWO_POLICY_POPULATION.find((person) => person.caseFacts.personId === personId)!;

async function evaluate(candidates: readonly WorklistCandidate[], personIds?: readonly string[]) {
  await database.db
    .transaction()
    .execute((transaction) => worklist.projection.evaluateCandidates(transaction, candidates, personIds));
}

beforeAll(async () => {
  bed = await createAccessBed("worklist-history");
  ({ database, access } = bed);
  worklist = createWorklistService({ store: database });
  await worklist.activatePolicyFile(operator(), policyFile("posture-2025"), "history test", {
    outsideEffectiveDates: true,
  });
  await evaluate(TWO_POLICY_POPULATION);
});

afterAll(() => bed?.close());

describe("worklist ranking history", () => {
  it("keeps a ranking made under a policy since replaced, readable and replaying identically", async () => {
    const before = await worklist.explain(operator(), "P03");
    expect(before.entry).toMatchObject({ policyId: "posture-2025", tier: 1 });
    // The same evaluation again writes the same content: no new history row.
    await evaluate(TWO_POLICY_POPULATION);
    expect((await worklist.history(operator(), "P03")).total).toBe(1);

    // Activation rebuilds the worklist (from person_status, which this fixture has none of):
    // every entry leaves, and the fixture is ranked again under the 2021 policy.
    await worklist.activatePolicyFile(operator(), policyFile("mayorkas-2021"), "replay test", {
      outsideEffectiveDates: true,
    });
    await evaluate(TWO_POLICY_POPULATION);
    const after = await worklist.explain(operator(), "P03");
    expect(after.entry).toMatchObject({ policyId: "mayorkas-2021", tier: 2 });
    const stored = await executeSql<{ n: string }>(
      database.db,
      "SELECT count(*) AS n FROM worklist_entry WHERE policy_id = 'posture-2025'",
    );
    expect(Number(stored[0]!.n)).toBe(0);

    const history = await worklist.history(operator(), "P03");
    expect(history.total).toBe(3);
    expect(history.entries.map((entry) => [entry.change, entry.reason, entry.policyId])).toEqual([
      ["ranked", null, "mayorkas-2021"],
      ["removed", "no_status", "mayorkas-2021"],
      ["ranked", null, "posture-2025"],
    ]);
    const past = history.entries[2]!;
    expect(past).toMatchObject({
      tier: 1,
      effectiveTier: 1,
      effectiveTierLabel: before.entry.tierLabel,
      policyDigest: before.entry.policyDigest,
      replay: { identical: true, differences: [] },
    });
    // The explanation as it was stored, and as the explanation route showed it then.
    expect(past.explanation).toEqual(before.explanation);
    expect(history.entries[0]!.replay).toEqual({ identical: true, differences: [] });
    expect(history.entries[0]!.explanation).toEqual(after.explanation);

    // Paged, newest first.
    const second = await worklist.history(operator(), "P03", { page: 2, pageSize: 2 });
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.entries.map((entry) => entry.sequence)).toEqual([past.sequence]);
  });

  it("records a case leaving the worklist, with why", async () => {
    // Gated: a stay granted. The gated explanation (which gate held) is kept with the row.
    const p10 = candidateOf("P10");
    const stayed: WorklistCandidate = {
      ...p10,
      gateInput: {
        ...p10.gateInput,
        blockers: [
          ...p10.gateInput.blockers,
          {
            code: "STAY_GRANTED",
            binding: "law",
            evidence: [{ feed: "court", recordKey: "CE-P10-stay", version: 1 }],
          },
        ],
      },
    };
    await evaluate([stayed]);
    // No status row (e.g. merged into another person): evaluatePersons finds nothing actionable.
    await database.db
      .transaction()
      .execute((transaction) => worklist.projection.evaluatePersons(transaction, ["P21"]));

    const gated = (await worklist.history(operator(), "P10")).entries[0]!;
    expect(gated).toMatchObject({ change: "removed", reason: "gated", tier: null, effectiveTier: null });
    expect(gated.explanation?.gates.results.find((result) => result.gate === "STAY_GRANTED")?.holds).toBe(
      true,
    );
    expect(gated.replay).toEqual({ identical: true, differences: [] });
    const gone = (await worklist.history(operator(), "P21")).entries[0]!;
    expect(gone).toMatchObject({ change: "removed", reason: "no_status", explanation: null, replay: null });
    await expect(worklist.explain(operator(), "P21")).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_PERSON_NOT_LISTED",
    });
    // Leaving twice records once: the second evaluation removes nothing.
    await evaluate([stayed]);
    expect((await worklist.history(operator(), "P10")).entries[0]!.sequence).toBe(gated.sequence);
  });

  it("records the effective tier of an override in force when a ranking is written", async () => {
    await worklist.override(operator(), { personId: "P02", tier: 3, reason: "history test" });
    // Same policy and tier, new content (score): the override holds, and the row says so.
    const p02 = candidateOf("P02");
    const entry = buildWorklist([p02], (await worklist.policies.ensureActive(database.db)).policy)
      .entries[0]!;
    await database.db
      .transaction()
      .execute((transaction) =>
        upsertWorklistEntries(transaction, [{ ...worklistRowOf(entry), score: entry.score + 0.5 }]),
      );
    const latest = (await worklist.history(operator(), "P02")).entries[0]!;
    expect(latest).toMatchObject({ change: "ranked", tier: 1, effectiveTier: 3, score: entry.score + 0.5 });
  });

  it("refuses to change or delete a history row", async () => {
    for (const statement of [
      "UPDATE worklist_history SET tier = 9",
      "DELETE FROM worklist_history",
      "TRUNCATE worklist_history",
    ]) {
      await expect(executeSql(database.db, statement)).rejects.toThrow(/worklist_history is append-only/);
    }
    expect((await worklist.history(operator(), "P03")).total).toBe(3);
  });
});
