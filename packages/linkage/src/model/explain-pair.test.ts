import { describe, expect, it } from "vitest";
import { DATE_LEVEL } from "../compare/date-comparator.ts";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { linkBatch } from "../link-batch.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { compileModel } from "./compiled-model.ts";
import { explainPair, formatPairExplanation } from "./explain-pair.ts";

const population = synthesiseFeedPopulation({ persons: 200, seed: 7 });
const trained = linkBatch(FEED_LINKAGE_SETTINGS, population.records, {
  training: { randomPairs: 20_000, pairsPerSession: 10_000 },
}).compiled.artefact;
// A model whose shared placeholder date would weigh log2(0.08 / 0.01) = 3 bits uncapped.
const date = trained.parameters.comparisons.date_of_birth!;
const m = [...date.m];
const u = [...date.u];
m[DATE_LEVEL.placeholder] = 0.08;
u[DATE_LEVEL.placeholder] = 0.01;
const compiled = compileModel({
  ...trained,
  parameters: {
    ...trained.parameters,
    comparisons: { ...trained.parameters.comparisons, date_of_birth: { ...date, m, u } },
  },
});
const record = (id: string, values: Record<string, string>) => compiled.plan.prepare({ id, values });
const person = { given_names: "Wali", family_name: "Ahmadzai", date_of_birth: "1980-01-01" };

describe("explaining a capped level", () => {
  it("shows the uncapped log2(m/u) and why the weight is capped, where the model caps it", () => {
    const explanation = explainPair(compiled, record("a", person), record("b", person));
    const field = explanation.fields.find((contribution) => contribution.comparison === "date_of_birth")!;
    expect(field.level).toBe(DATE_LEVEL.placeholder);
    expect(Math.log2(field.m / field.u)).toBeCloseTo(3);
    expect(field.weight).toBeCloseTo(1);
    expect(field.cap).toEqual({
      uncappedWeight: expect.closeTo(3),
      reason: expect.stringMatching(/placeholder/),
    });
    const line = formatPairExplanation(explanation).find((text) => text.includes("date_of_birth"))!;
    expect(line).toMatch(/capped from \+3\.00/);
  });

  it("says no cap where the weight is log2(m/u)", () => {
    const explanation = explainPair(
      compiled,
      record("a", { ...person, date_of_birth: "1980-03-04" }),
      record("b", { ...person, date_of_birth: "1980-03-04" }),
    );
    for (const field of explanation.fields) expect(field.cap).toBeNull();
  });
});
