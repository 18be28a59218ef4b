import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlockingIndex } from "../blocking/blocking-index.ts";
import { compileBlockingRule } from "../blocking/blocking-keys.ts";
import { generateCandidatePairs } from "../blocking/generate-candidate-pairs.ts";
import { NAME_LEVEL } from "../compare/name-comparator.ts";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { standardiseName } from "../standardise/standardise-name.ts";
import { compareRecords, sameTokensDividedOtherwise } from "./compare-records.ts";
import { createComparisonPlan } from "./prepared-record.ts";
import { validateLinkageSettingsOrThrow } from "./validate-settings.ts";

const plan = createComparisonPlan(FEED_LINKAGE_SETTINGS);
const given = plan.swap!.given;
const family = plan.swap!.family;
const prepare = (id: string, values: Record<string, string>) => plan.prepare({ id, values });
const levelsOf = (left: Record<string, string>, right: Record<string, string>) => {
  const levels = new Uint8Array(plan.comparators.length);
  const swapped = compareRecords(plan, prepare("l", left), prepare("r", right), levels);
  return { given: levels[given], family: levels[family], swapped };
};

describe("names divided otherwise between given and family name", () => {
  it("reads a first surname written among the given names as variant agreement", () => {
    expect(
      levelsOf(
        { given_names: "Glenda González", family_name: "Jiménez" },
        { given_names: "Glenda", family_name: "González Jiménez" },
      ),
    ).toEqual({ given: NAME_LEVEL.variant, family: NAME_LEVEL.variant, swapped: true });
  });

  it("leaves a dropped surname (fewer tokens) as partial agreement", () => {
    const levels = levelsOf(
      { given_names: "Ana", family_name: "García Pérez" },
      { given_names: "Ana", family_name: "García" },
    );
    expect(levels).toEqual({ given: NAME_LEVEL.exact, family: NAME_LEVEL.partial, swapped: false });
  });

  it("is symmetric and never fires on different token sets", () => {
    const token = fc.constantFrom("ana", "maria", "jose", "garcia", "perez", "lopez", "glenda");
    const name = fc.array(token, { minLength: 1, maxLength: 3 }).map((tokens) => tokens.join(" "));
    fc.assert(
      fc.property(name, name, name, name, (a, b, c, d) => {
        const [lg, lf, rg, rf] = [
          standardiseName(a, "given")!,
          standardiseName(b, "family")!,
          standardiseName(c, "given")!,
          standardiseName(d, "family")!,
        ];
        const forward = sameTokensDividedOtherwise(lg, lf, rg, rf);
        expect(sameTokensDividedOtherwise(rg, rf, lg, lf)).toBe(forward);
        const left = new Set([...lg.canonicalList, ...lf.canonicalList]);
        const right = new Set([...rg.canonicalList, ...rf.canonicalList]);
        if (forward) expect([...left].sort()).toEqual([...right].sort());
      }),
      { numRuns: 500 },
    );
  });
});

describe("placeholder names", () => {
  it("reads FNU and LNU as missing, so strangers do not agree on them", () => {
    const record = prepare("x", { given_names: "FNU", family_name: "Mohammad" });
    expect(record.values[given]).toBeUndefined();
    expect(record.values[family]).toBeDefined();
    expect(prepare("y", { given_names: "Ahmad", family_name: "lnu" }).values[family]).toBeUndefined();
  });
});

describe("either-order blocking key", () => {
  it("meets a names swap although the family name drops a particle the given name keeps", () => {
    const rule = compileBlockingRule(
      FEED_LINKAGE_SETTINGS.blockingRules.find((candidate) => candidate.name.startsWith("name sounds"))!,
      plan,
    );
    const direct = prepare("a", {
      given_names: "VAN HUNG",
      family_name: "DANG",
      date_of_birth: "1996-07-04",
    });
    const swapped = prepare("b", {
      given_names: "DANG",
      family_name: "VAN HUNG",
      date_of_birth: "1996-07-04",
    });
    expect(rule.keyOf(direct)).toBeDefined();
    expect(rule.keyOf(swapped)).toBe(rule.keyOf(direct));
  });

  it("blocks a record without a given name with its person's records by surname and birth date", () => {
    const rule = compileBlockingRule(
      FEED_LINKAGE_SETTINGS.blockingRules.find(
        (candidate) => candidate.name === "family sound + date of birth",
      )!,
      plan,
    );
    const full = prepare("a", { given_names: "MARIA", family_name: "GONZALEZ", date_of_birth: "1972-01-19" });
    const surnameOnly = prepare("b", { family_name: "González", date_of_birth: "1972-01-19" });
    expect(rule.keyOf(surnameOnly)).toBe(rule.keyOf(full));
    // A departure record with day and month swapped, and a surname written without its space.
    const swapped = prepare("c", { family_name: "MUKENDI", date_of_birth: "1958-05-12" });
    expect(rule.keyOf(swapped)).toBe(
      rule.keyOf(
        prepare("d", { given_names: "JOSIANE", family_name: "MUKENDI", date_of_birth: "1958-12-05" }),
      ),
    );
    const glued = prepare("e", { family_name: "StFleur", date_of_birth: "1984-06-16" });
    expect(rule.keyOf(glued)).toBe(
      rule.keyOf(
        prepare("f", { given_names: "KERVENS", family_name: "ST FLEUR", date_of_birth: "1984-06-16" }),
      ),
    );
  });

  it("blocks a renewed passport's record without a birth date with its holder's by names and country", () => {
    const rule = compileBlockingRule(
      FEED_LINKAGE_SETTINGS.blockingRules.find((candidate) => candidate.name === "names + passport country")!,
      plan,
    );
    const visa = prepare("a", {
      given_names: "ANDREAS",
      family_name: "VONBERG",
      passport_number: "CJ4340305",
      passport_country: "DEU",
    });
    const encounter = prepare("b", {
      given_names: "ANDREAS",
      family_name: "VON BERG",
      date_of_birth: "1962-03-27",
      passport_number: "CY5500939",
      passport_country: "DEU",
    });
    expect(rule.keyOf(visa)).toBeDefined();
    expect(rule.keyOf(visa)).toBe(rule.keyOf(encounter));
    const otherCountry = prepare("c", {
      given_names: "ANDREAS",
      family_name: "VON BERG",
      passport_number: "X1",
      passport_country: "AUT",
    });
    expect(rule.keyOf(otherCountry)).toBeDefined();
    expect(rule.keyOf(otherCountry)).not.toBe(rule.keyOf(visa));
    // A passport number without its country has no scope to block by.
    expect(
      rule.keyOf(prepare("d", { given_names: "ANDREAS", passport_number: "CJ4340305" })),
    ).toBeUndefined();
  });

  it("compares only blocks within a rule's own cap, in batch and against the index", () => {
    const rule = FEED_LINKAGE_SETTINGS.blockingRules.find(
      (candidate) => candidate.name === "names + passport country",
    )!;
    const cap = rule.blockSizeCap!;
    expect(cap).toBeLessThan(FEED_LINKAGE_SETTINGS.blockSizeCap);
    // Namesakes holding passports of one country, no two alike in anything another rule keys on.
    const namesakes = (count: number) =>
      Array.from({ length: count }, (_, index) =>
        prepare(`visa:${index}`, {
          given_names: "ANDREAS",
          family_name: "VON BERG",
          passport_number: `CJ${1000000 + index}`,
          passport_country: "DEU",
        }),
      );
    const pairsOf = (count: number) => {
      const statistics = generateCandidatePairs(plan, namesakes(count)).statistics;
      return statistics.find((entry) => entry.rule === rule.name)!.pairs;
    };
    expect(pairsOf(cap)).toBe((cap * (cap - 1)) / 2);
    expect(pairsOf(cap + 1)).toBe(0);
    const index = new BlockingIndex(plan);
    const indexed = namesakes(cap);
    for (const record of indexed.slice(0, cap - 1)) index.add(record);
    const arrival = prepare("visa:new", {
      given_names: "ANDREAS",
      family_name: "VONBERG",
      passport_number: "CY5500939",
      passport_country: "DEU",
    });
    expect(index.candidates(arrival)).toHaveLength(cap - 1);
    index.add(indexed[cap - 1]!);
    expect(index.candidates(arrival)).toHaveLength(0);
    expect(() =>
      validateLinkageSettingsOrThrow({
        ...FEED_LINKAGE_SETTINGS,
        blockingRules: [{ ...rule, blockSizeCap: 1 }],
      }),
    ).toThrow(/blockingRules\[0\]\.blockSizeCap/);
  });

  it("pairs by names and nationality only a court record with a departure or citizenship record", () => {
    const rule = FEED_LINKAGE_SETTINGS.blockingRules.find((candidate) => candidate.classPairs !== undefined)!;
    const names = { given_names: "EUSTAQUIO", family_name: "QUISPE MAMANI", nationality: "BOL" };
    const records = [
      prepare("court:1", { ...names, date_of_birth: "1979-08-14", a_number: "A209871234" }),
      prepare("departure:1", names),
      prepare("departure:2", names),
      prepare("visa:1", names),
      prepare("citizenship:1", { ...names, family_name: "QUISPEMAMANI" }),
    ];
    const generated = generateCandidatePairs(plan, records);
    const ruleIndex = FEED_LINKAGE_SETTINGS.blockingRules.indexOf(rule);
    const found = [...Array(generated.pairs.count).keys()]
      .filter((pair) => generated.pairs.rule[pair] === ruleIndex)
      .map(
        (pair) => `${records[generated.pairs.left[pair]!]!.id}-${records[generated.pairs.right[pair]!]!.id}`,
      );
    expect(found.sort()).toEqual(["court:1-citizenship:1", "court:1-departure:1", "court:1-departure:2"]);
    const index = new BlockingIndex(plan);
    for (const record of records.slice(0, 4)) index.add(record);
    expect(index.candidates(records[4]!).map((record) => record.id)).toEqual(["court:1"]);
    expect(index.candidates(records[1]!).map((record) => record.id)).toEqual(["court:1"]);
    expect(index.candidates(records[3]!)).toEqual([]);
  });

  it("still lets a later rule pair what a class-limited rule's block held but did not pair", () => {
    const names = { given_names: "EUSTAQUIO", family_name: "QUISPE MAMANI", nationality: "BOL" };
    const limited = FEED_LINKAGE_SETTINGS.blockingRules.find(
      (candidate) => candidate.classPairs !== undefined,
    )!;
    const byNames = {
      name: "names and nationality, every pair",
      parts: limited.parts,
      refinements: [],
    };
    const settings = validateLinkageSettingsOrThrow({
      ...FEED_LINKAGE_SETTINGS,
      blockingRules: [{ ...limited, classPairs: [["court", "departure"]] }, byNames],
    });
    const ownPlan = createComparisonPlan(settings);
    const records = [
      ownPlan.prepare({ id: "court:1", values: names }),
      ownPlan.prepare({ id: "departure:1", values: names }),
      ownPlan.prepare({ id: "departure:2", values: names }),
    ];
    const { statistics } = generateCandidatePairs(ownPlan, records);
    // The limited rule pairs the court record with each departure; the two departures share its
    // block but were not paired there, so the rule after it pairs them.
    expect(statistics.map((entry) => entry.pairs)).toEqual([2, 1]);
    expect(() =>
      validateLinkageSettingsOrThrow({
        ...FEED_LINKAGE_SETTINGS,
        blockingRules: [{ ...limited, classPairs: [["court", "departure:x"]] }],
      }),
    ).toThrow(/blockingRules\[0\]\.classPairs\[0\]/);
  });
});
