import { describe, expect, it } from "vitest";
import { NAME_LEVEL } from "../compare/name-comparator.ts";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { linkBatch } from "../link-batch.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { compileModel } from "./compiled-model.ts";
import { PairScorer } from "./pair-scorer.ts";
import { parseLinkageModelOrThrow, serialiseLinkageModel } from "./parse-linkage-model.ts";
import { createComparisonPlan, type LinkageRecord } from "./prepared-record.ts";
import { fullNameHoldersOf } from "./term-frequencies.ts";

const plan = createComparisonPlan(FEED_LINKAGE_SETTINGS);
const person = (id: string, given: string, family: string, dob: string, extra: Record<string, string> = {}) =>
  plan.prepare({ id, values: { given_names: given, family_name: family, date_of_birth: dob, ...extra } });

describe("full-name holders", () => {
  it("counts persons by distinct birth date: a person's own records, a day/month swap and a placeholder add none", () => {
    const records = [
      person("1", "Tigist", "Haile", "1985-08-07"),
      person("2", "TIGIST", "HAILE", "1985-08-07"),
      person("3", "Tigist", "Haile", "1985-07-08"),
      person("4", "Tigist", "Haile", "1985-01-01"),
      person("5", "Tigist", "Haile", "1986-03-20"),
      person("6", "Sahak", "Hamidullah", "1966-07-29"),
      person("7", "Sahak", "Hamidullah", "1966-07-29"),
    ];
    const { fullNameHolders } = fullNameHoldersOf(plan, records);
    expect(fullNameHolders!.counts).toEqual({ "tigist haile": 2 });
    expect(fullNameHolders!.records).toBe(3);
  });
});

describe("full-name correction", () => {
  const population = synthesiseFeedPopulation({ persons: 600, seed: 11 });
  // Two namesakes with several records each, and a unique person with several records.
  const extra: LinkageRecord[] = [];
  for (let copy = 0; copy < 4; copy += 1) {
    extra.push({
      id: `a${copy}`,
      values: { given_names: "Thu Trang", family_name: "Do", date_of_birth: "1985-02-03" },
    });
    extra.push({
      id: `b${copy}`,
      values: { given_names: "Thu Trang", family_name: "Do", date_of_birth: "1987-05-06" },
    });
    extra.push({
      id: `c${copy}`,
      values: { given_names: "Zebulon", family_name: "Quaxley", date_of_birth: "1970-09-10" },
    });
  }
  const batch = linkBatch(FEED_LINKAGE_SETTINGS, [...population.records, ...extra], {
    training: { randomPairs: 50_000, pairsPerSession: 20_000 },
  });
  const byId = new Map(batch.records.map((record) => [record.id, record]));
  const scorer = new PairScorer(batch.compiled);

  it("leaves a name held by one person alone, however many records that person has", () => {
    scorer.score(byId.get("c0")!, byId.get("c1")!);
    expect(scorer.levels[plan.swap!.given]).toBe(NAME_LEVEL.exact);
    expect(scorer.fullNameAdjustment).toBe(0);
  });

  it("caps the names' weight at what the share of the name's other holders supports", () => {
    scorer.score(byId.get("a0")!, byId.get("a1")!);
    const model = batch.model;
    const holders = model.fullNameHolders!.counts["thutrang do"]!;
    expect(holders).toBe(2);
    const m = (name: string) => model.parameters.comparisons[name]!.m[1]!;
    const supported = Math.log2(
      m("given_names") * m("family_name") * (model.fullNameHolders!.records / (holders - 1)),
    );
    const granted =
      batch.compiled.levelWeights[plan.swap!.given]![1]! +
      scorer.termFrequencyAdjustments[plan.swap!.given]! +
      batch.compiled.levelWeights[plan.swap!.family]![1]! +
      scorer.termFrequencyAdjustments[plan.swap!.family]!;
    expect(scorer.fullNameAdjustment).toBeCloseTo(Math.min(0, supported - granted), 12);
  });

  it("writes schema version 2 and still reads a version 1 artefact with its record-count correction", () => {
    const text = serialiseLinkageModel(batch.model);
    expect(JSON.parse(text).schemaVersion).toBe(2);
    const { fullNameHolders: _dropped, ...rest } = batch.model;
    const versionOne = {
      ...rest,
      schemaVersion: 1,
      fullNameFrequencies: { records: 1000, counts: { "thutrang do": 8 } },
    };
    const loaded = parseLinkageModelOrThrow(JSON.stringify(versionOne));
    expect(loaded.schemaVersion).toBe(1);
    expect(loaded.fullNameHolders).toBeUndefined();
    const old = new PairScorer(compileModel(loaded));
    old.score(byId.get("a0")!, byId.get("a1")!);
    // Version 1: log2(tf(given) tf(family) / tf(full name)) when negative.
    expect(old.fullNameAdjustment).toBeLessThan(0);
    // A version 1 document's holders table is not read (it did not exist then).
    const ignored = parseLinkageModelOrThrow(
      JSON.stringify({ ...versionOne, fullNameHolders: { records: 1, counts: {} } }),
    );
    expect(ignored.fullNameHolders).toBeUndefined();
  });
});
