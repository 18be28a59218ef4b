import { describe, expect, it } from "vitest";
import { NAME_LEVEL } from "../compare/name-comparator.ts";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { linkBatch } from "../link-batch.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { compileModel } from "./compiled-model.ts";
import { explainPair } from "./explain-pair.ts";
import { namesakeCollisionChance, namesakeKey } from "./namesake-birth-years.ts";
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

describe("namesake cap", () => {
  const population = synthesiseFeedPopulation({ persons: 600, seed: 12 });
  // Twenty persons named Wei Liu born 1984-1988, one of them with two records; one Zebulon Quaxley.
  const extra: LinkageRecord[] = [];
  for (let holder = 0; holder < 20; holder += 1) {
    const date = `${1984 + (holder % 5)}-0${1 + (holder % 9)}-1${holder % 10}`;
    extra.push({
      id: `w${holder}`,
      values: { given_names: "Wei", family_name: "Liu", date_of_birth: date, nationality: "CHN" },
    });
  }
  extra.push({
    id: "w0b",
    values: { given_names: "LIU", family_name: "WEI", date_of_birth: "1984-01-10", nationality: "CHN" },
  });
  extra.push({
    id: "z1",
    values: {
      given_names: "Zebulon",
      family_name: "Quaxley",
      date_of_birth: "1970-09-10",
      nationality: "GBR",
    },
  });
  extra.push({
    id: "z2",
    values: {
      given_names: "Zebulon",
      family_name: "Quaxley",
      date_of_birth: "1970-09-10",
      nationality: "GBR",
    },
  });
  const batch = linkBatch(FEED_LINKAGE_SETTINGS, [...population.records, ...extra], {
    training: { randomPairs: 50_000, pairsPerSession: 20_000 },
  });
  const byId = new Map(batch.records.map((record) => [record.id, record]));

  it("counts the holders' birth years under one name whatever the order of its parts", () => {
    expect(
      namesakeKey(
        byId.get("w0")!.values[plan.swap!.given] as never,
        byId.get("w0")!.values[plan.swap!.family] as never,
      ),
    ).toBe(
      namesakeKey(
        byId.get("w0b")!.values[plan.swap!.given] as never,
        byId.get("w0b")!.values[plan.swap!.family] as never,
      ),
    );
    expect(batch.model.namesakeBirthYears!.years["liu wei"]).toHaveLength(20);
  });

  it("holds a common name's names, date and nationality to the odds against a namesake born that day", () => {
    const explanation = explainPair(batch.compiled, byId.get("w0")!, byId.get("w0b")!);
    expect(explanation.namesSwapped).toBe(true);
    expect(explanation.namesakeAdjustment).toBeLessThan(0);
    const years = batch.model.namesakeBirthYears!.years["liu wei"]!;
    const chance = namesakeCollisionChance(years, 1984);
    // All twenty were born within two years of 1984 or 1985..1986: the other holders near 1984.
    expect(chance).toBeCloseTo(
      (years.filter((year) => Math.abs(year - 1984) <= 2).length - 1) / (5 * 365.25),
      12,
    );
    const capped = explanation.fields
      .filter((field) =>
        ["given_names", "family_name", "date_of_birth", "sex", "nationality", "country_of_birth"].includes(
          field.comparison,
        ),
      )
      .reduce((sum, field) => sum + field.weight + field.termFrequencyAdjustment, explanation.priorWeight);
    expect(capped + explanation.fullNameAdjustment + explanation.namesakeAdjustment).toBeCloseTo(
      Math.log2((1 - chance) / chance),
      9,
    );
    expect(explanation.matchProbability).toBeLessThan(0.995);
  });

  it("leaves a name one person holds alone", () => {
    const explanation = explainPair(batch.compiled, byId.get("z1")!, byId.get("z2")!);
    expect(explanation.namesakeAdjustment).toBe(0);
    expect(namesakeCollisionChance(undefined, 1970)).toBe(0);
    expect(namesakeCollisionChance([1970], 1970)).toBe(0);
    expect(namesakeCollisionChance([1960, 1970, 1971], 1970, "year")).toBeCloseTo(1 / 5, 12);
  });
});
