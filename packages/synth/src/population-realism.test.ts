import { describe, expect, it } from "vitest";
import type { SyntheticPerson } from "./generate-person.ts";
import { NATIONALITY_BY_CODE } from "./names/nationality-profiles.ts";
import { foldToAscii } from "./names/person-name.ts";
import { NO_NOISE } from "./noise/noise-rates.ts";
import { SCENARIOS } from "./scenarios/scenario-catalogue.ts";
import { generatePopulation, rowsOf } from "./testing/population-fixture.ts";

const words = (text: string) =>
  foldToAscii(text)
    .toLowerCase()
    .split(/[\s\-'.]+/)
    .filter((word) => word.length > 0);

/** The name a person's records carry (no noise: every record agrees). */
function nameOf(person: SyntheticPerson): { family: string; given: string; birthYear: string } | null {
  const row = person.rows
    .map((entry) => entry.row)
    .find((candidate) => candidate.family_name && candidate.date_of_birth);
  return row
    ? { family: row.family_name!, given: row.given_names!, birthYear: row.date_of_birth!.slice(0, 4) }
    : null;
}

/** Whether every word of the name belongs to one of the cultures of the nationality. */
function namedByNationality(person: SyntheticPerson, name: { family: string; given: string }): boolean {
  const cultures = NATIONALITY_BY_CODE.get(person.truth.nationality)!.cultures.map(([culture]) => culture);
  const all = [...words(name.family), ...words(name.given)].filter((word) => word !== "fnu");
  return cultures.some((culture) => all.every((word) => culture.vocabulary.has(word)));
}

describe("realism: names", () => {
  const { persons } = generatePopulation({ persons: 3000, seed: "names", noise: NO_NOISE });
  const named = persons.flatMap((person) => {
    const name = nameOf(person);
    return name ? [{ person, name }] : [];
  });

  it("draws every person's name from the naming cultures of their nationality", () => {
    const strangers = named.filter(({ person, name }) => !namedByNationality(person, name));
    expect(
      strangers
        .map(({ person, name }) => `${person.truth.nationality} ${name.given} / ${name.family}`)
        .slice(0, 5),
    ).toEqual([]);
  });

  it("does not give one nationality's names to another", () => {
    const vietnamese = NATIONALITY_BY_CODE.get("VNM")!.cultures[0]![0];
    const mexicans = named.filter(({ person }) => person.truth.nationality === "MEX");
    expect(mexicans.length).toBeGreaterThan(100);
    const vietnameseFamily = mexicans.filter(({ name }) =>
      words(name.family).every((word) => vietnamese.vocabulary.has(word)),
    );
    expect(vietnameseFamily.length / mexicans.length).toBeLessThan(0.02);
  });

  it("writes names the ways sources do: two surnames, particles, transliterated scripts", () => {
    const families = named.map(({ name }) => name.family);
    const mexicanTwoSurnames = named.filter(
      ({ person, name }) => person.truth.nationality === "MEX" && name.family.includes(" "),
    );
    expect(mexicanTwoSurnames.length).toBeGreaterThan(50);
    expect(families.some((family) => /^AL-/.test(family))).toBe(true);
    expect(families.some((family) => /^(DE LA|DE|VAN|VAN DER|DA|DOS) /.test(family))).toBe(true);
    expect(families.filter((family) => family === "NGUYEN" || family === "Nguyễn").length).toBeGreaterThan(5);
    expect(named.some(({ name }) => name.given === "FNU")).toBe(true);
  });

  it("has many distinct people sharing very common names and birth years", () => {
    const groups = new Map<string, Set<string>>();
    for (const { person, name } of named) {
      const key = `${words(name.family).join(" ")}|${words(name.given).join(" ")}|${name.birthYear}`;
      groups.set(key, (groups.get(key) ?? new Set()).add(person.personId));
    }
    const crowded = [...groups.values()].filter((group) => group.size >= 3);
    expect(crowded.length).toBeGreaterThanOrEqual(3);
  });
});

describe("realism: enforcement factors are drawn independently of nationality", () => {
  const { persons } = generatePopulation({ persons: 6000, seed: "independence", noise: NO_NOISE });
  const general = new Set(
    SCENARIOS.filter((scenario) => scenario.nationalities === "general").map((scenario) => scenario.name),
  );

  /** Each nationality with enough people has a rate within 4.5 standard errors of the overall rate. */
  function outliers(
    group: readonly SyntheticPerson[],
    factor: (person: SyntheticPerson) => boolean,
  ): string[] {
    const overall = group.filter(factor).length / group.length;
    const byNationality = new Map<string, SyntheticPerson[]>();
    for (const person of group)
      byNationality.set(person.truth.nationality, [
        ...(byNationality.get(person.truth.nationality) ?? []),
        person,
      ]);
    const found: string[] = [];
    for (const [nationality, members] of byNationality) {
      if (members.length < 150) continue;
      const rate = members.filter(factor).length / members.length;
      const tolerance = 4.5 * Math.sqrt((overall * (1 - overall)) / members.length);
      if (Math.abs(rate - overall) > tolerance)
        found.push(`${nationality}: ${rate.toFixed(3)} vs ${overall.toFixed(3)}`);
    }
    return found;
  }

  it("has convictions at the same rate for every nationality", () => {
    expect(outliers(persons, (person) => rowsOf(person, "conviction").length > 0)).toEqual([]);
  });

  it("has custody and final orders at the same rate for every nationality, outside TPS and DACA", () => {
    const group = persons.filter((person) => general.has(person.truth.scenario));
    expect(outliers(group, (person) => rowsOf(person, "custody").length > 0)).toEqual([]);
    expect(outliers(group, (person) => person.truth.final_order_date !== null)).toEqual([]);
  });

  it("would notice a factor that depends on nationality (the test can fail)", () => {
    const biased = (person: SyntheticPerson) =>
      rowsOf(person, "conviction").length > 0 ||
      (person.truth.nationality === "MEX" && person.index % 10 === 0);
    expect(outliers(persons, biased).length).toBeGreaterThan(0);
  });
});
