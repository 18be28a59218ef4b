import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Access, createAccess, LOCAL_OPERATOR } from "@passage/access";
import { isPassageError } from "@passage/core";
import { loadHighsSolver, type MipSolver, planTransport, type TransportCase } from "@passage/logistics";
import { evaluateGates, type WorklistCandidate } from "@passage/policy";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { TWO_POLICY_POPULATION } from "../../../policy/src/fixtures/two-policy-population.ts";
import { arbitraryCandidates } from "../../../policy/src/testing/arbitrary-cases.ts";
import { arbitraryCondition } from "../../../policy/src/testing/arbitrary-condition.ts";
import { examplePolicyDirectory } from "./policy-versions.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

const soak = process.env.PASSAGE_SOAK === "1";
let database: TestDatabase;
let access: Access;
let worklist: WorklistService;
let directory: string;
let solver: MipSolver;

const operator = () => access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "policies" });

/** Stores and ranks these candidates through the database with the active policy; the listed tiers. */
async function storedTiers(candidates: readonly WorklistCandidate[]): Promise<Record<string, number>> {
  await database.db.transaction().execute(async (transaction) => {
    await transaction.deleteFrom("worklist_entry").execute();
    await worklist.projection.evaluateCandidates(transaction, candidates);
  });
  const page = await worklist.list(operator(), { pageSize: 1000 });
  expect(page.total).toBe(page.entries.length);
  return Object.fromEntries(page.entries.map((entry) => [entry.personId, entry.tier]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  directory = mkdtempSync(path.join(tmpdir(), "passage-policies-"));
  access = createAccess({ database, dataDir: directory });
  worklist = createWorklistService({ store: database });
  solver = await loadHighsSolver();
});

afterAll(async () => {
  await access.close();
  await database.drop();
  rmSync(directory, { recursive: true, force: true });
});

describe("the example policies through the database", () => {
  for (const name of ["mayorkas-2021", "posture-2025"] as const) {
    it(`gives exactly the fixture's expected tiers under ${name}, with replayable stored explanations`, async () => {
      await worklist.activatePolicyFile(
        operator(),
        path.join(examplePolicyDirectory(), `${name}.yaml`),
        "comparison",
        { outsideEffectiveDates: true },
      );
      const expected = Object.fromEntries(
        TWO_POLICY_POPULATION.filter((person) => person.expected[name] !== null).map((person) => [
          person.caseFacts.personId,
          person.expected[name],
        ]),
      );
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(20);
      expect(await storedTiers(TWO_POLICY_POPULATION)).toEqual(expected);
      for (const personId of ["P03", "P10", "P21"]) {
        const explained = await worklist.explain(operator(), personId);
        expect(explained.replay.identical).toBe(true);
        expect(explained.explanation.policy.id).toBe(name);
      }
    });
  }
});

/** A random policy file: random tiers and rules, some conditions hostile or malformed. */
const arbitraryPolicyText = fc
  .record({
    tiers: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
    defaultIndex: fc.nat(),
    rules: fc.array(
      fc.record({
        tier: fc.boolean(),
        index: fc.nat(),
        weight: fc.integer({ min: 1, max: 5 }),
        condition: fc.oneof(
          { weight: 6, arbitrary: arbitraryCondition() },
          { weight: 2, arbitrary: arbitraryCondition({ score: true }) },
          { weight: 1, arbitrary: fc.constantFrom("gates.clear", '"STAY_GRANTED" in blockers', "true") },
        ),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ tiers, defaultIndex, rules }) =>
    stringify({
      id: "fuzz",
      version: "1",
      description: "random policy",
      effective: { from: "2020-01-01" },
      tiers: tiers.map((tier) => ({ tier, label: `Tier ${tier}` })),
      default_tier: tiers[defaultIndex % tiers.length],
      rules: rules.map((rule, index) => ({
        id: `rule-${index}`,
        description: "random rule",
        basis: "none",
        condition: rule.condition,
        ...(rule.tier
          ? { tier: tiers[rule.index % tiers.length] }
          : { weight: rule.weight, factor: "aggravating" }),
      })),
    }),
  );

describe("no policy, however written, puts a gated case on a worklist or a manifest", () => {
  it("lists exactly the gate-clear candidates for random stored policies", async () => {
    let activated = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryPolicyText,
        arbitraryCandidates(8),
        fc.nat(),
        async (text, candidates, serial) => {
          const file = path.join(directory, `fuzz-${serial}-${activated}.yaml`);
          // Each run is a new version: a stored version is immutable.
          writeFileSync(file, text.replace('version: "1"', `version: "1.${activated}.${serial}"`));
          try {
            await worklist.activatePolicyFile(operator(), file, "property", { outsideEffectiveDates: true });
          } catch (error) {
            if (isPassageError(error) && error.code === "PASSAGE_ERR_POLICY_INVALID") return;
            throw error;
          }
          activated++;
          const clear = candidates
            .filter((candidate) => evaluateGates(candidate.gateInput).clear)
            .map((candidate) => candidate.gateInput.personId)
            .sort();
          expect(Object.keys(await storedTiers(candidates)).sort()).toEqual(clear);
        },
      ),
      { numRuns: soak ? 300 : 12 },
    );
    expect(activated).toBeGreaterThan(0);
  });

  it("never manifests a gated case, whatever else about it is ready", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCandidates(10), async (candidates) => {
        const cases: TransportCase[] = candidates.map((candidate) => ({
          personId: candidate.gateInput.personId,
          gateCheck: evaluateGates(candidate.gateInput),
          finalOrder: true,
          inCustody: true,
          hub: "AEX",
          facility: "STWRTGA",
          readyDate: "2025-07-01",
          destinationCountry: "GTM",
          withholdingCountries: [],
          travelDocument: { country: "GTM", status: "issued", validTo: null },
        }));
        const plan = await planTransport(
          {
            horizon: { from: "2025-07-01", to: "2025-07-10" },
            flights: [
              {
                flightId: "F",
                date: "2025-07-02",
                originHub: "AEX",
                destinationCountry: "GTM",
                destinationPort: null,
                seats: 50,
                cost: 1,
              },
            ],
            cases,
          },
          solver,
        );
        const gated = new Set(cases.filter((c) => !c.gateCheck.clear).map((c) => c.personId));
        const manifested = plan.manifests.flatMap((manifest) => manifest.passengers.map((p) => p.personId));
        expect(manifested.filter((personId) => gated.has(personId))).toEqual([]);
        expect(manifested.length).toBe(cases.length - gated.size);
        expect(plan.excluded.map((left) => left.personId).sort()).toEqual([...gated].sort());
      }),
      { numRuns: soak ? 500 : 25 },
    );
  });
});
