import { describe, expect, it } from "vitest";
import { generateCandidatePairs } from "../blocking/generate-candidate-pairs.ts";
import { IDENTIFIER_LEVEL } from "../compare/identifier-comparator.ts";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { linkBatch } from "../link-batch.ts";
import { MINIMUM_TRAINING_RECORDS } from "./default-parameters.ts";
import { createComparisonPlan, type LinkageRecord } from "./prepared-record.ts";
import { trainModel } from "./train-model.ts";

/** One person's court records: one A-number, name and birth date, one case. */
function onePersonsRecords(count: number): LinkageRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `court:C5-${index + 1}`,
    values: {
      a_number: "A100000005",
      family_name: "SINGH",
      given_names: "RAVI",
      date_of_birth: "1998-02-02",
      nationality: "IND",
      case_id: "K5",
    },
  }));
}

describe("training on a table of (nearly) one person", () => {
  it("never takes an A-number's agreement for chance, though every random pair agrees on it", () => {
    // Above the minimum, so the model is trained: every random pair is the same person.
    const records = onePersonsRecords(MINIMUM_TRAINING_RECORDS + 50);
    const plan = createComparisonPlan(FEED_LINKAGE_SETTINGS);
    const prepared = records.map((record) => plan.prepare(record));
    const model = trainModel(plan, prepared, generateCandidatePairs(plan, prepared), {
      randomPairs: 20_000,
    });
    expect(model.training.defaultParameters).toBeUndefined();
    const aNumber = model.parameters.comparisons.a_number!;
    expect(aNumber.u[IDENTIFIER_LEVEL.exact]).toBeLessThan(0.01);
    expect(
      Math.log2(aNumber.m[IDENTIFIER_LEVEL.exact]! / aNumber.u[IDENTIFIER_LEVEL.exact]!),
    ).toBeGreaterThan(6);
    for (const [name, parameters] of Object.entries(model.parameters.comparisons)) {
      // No field's agreement is (nearly) certain among different persons.
      if (name !== "sex" && name !== "country_of_birth" && name !== "nationality")
        expect(parameters.u[1], name).toBeLessThan(0.05);
    }
    const batch = linkBatch(FEED_LINKAGE_SETTINGS, records, { model });
    expect(batch.clustering.clusters).toHaveLength(1);
  });

  it("links one person's 4 court records (order, appeal, termination) into one person with the built-in parameters", () => {
    const records = onePersonsRecords(4);
    const batch = linkBatch(FEED_LINKAGE_SETTINGS, records);
    expect(batch.model.training.defaultParameters).toEqual({
      minimumRecords: MINIMUM_TRAINING_RECORDS,
      reason: `4 records, fewer than the ${MINIMUM_TRAINING_RECORDS} needed to train on`,
    });
    expect(batch.model.training.sessions).toEqual([]);
    expect(batch.clustering.clusters).toHaveLength(1);
    expect(batch.pairs.count).toBe(6);
  });

  it("keeps four different persons of a small table apart with the built-in parameters", () => {
    const records: LinkageRecord[] = ["SINGH", "GARCIA", "NGUYEN", "OKAFOR"].map((family, index) => ({
      id: `court:P${index}`,
      values: {
        a_number: `A20000000${index}`,
        family_name: family,
        given_names: "ANA",
        date_of_birth: `199${index}-03-04`,
        nationality: "MEX",
      },
    }));
    const batch = linkBatch(FEED_LINKAGE_SETTINGS, records);
    expect(batch.model.training.defaultParameters).toBeDefined();
    expect(batch.clustering.clusters).toHaveLength(4);
  });
});
