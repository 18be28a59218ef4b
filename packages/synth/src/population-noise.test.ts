import { normaliseANumber, normalisePassportNumber } from "@passage/core";
import { describe, expect, it } from "vitest";
import { NO_NOISE, NOISE_KINDS, type NoiseKind } from "./noise/noise-rates.ts";
import { generatePopulation } from "./testing/population-fixture.ts";

const allAt = (rate: number) =>
  Object.fromEntries(NOISE_KINDS.map((kind) => [kind, rate])) as Record<NoiseKind, number>;

/** Persons whose rows (travel documents aside) carry two distinct values of a normalised identifier. */
function personsWithTwo(
  persons: ReturnType<typeof generatePopulation>["persons"],
  field: "a_number" | "passport_number",
): number {
  const normalise = field === "a_number" ? normaliseANumber : normalisePassportNumber;
  let count = 0;
  for (const person of persons) {
    const values = new Set<string | number>();
    for (const { feed, row } of person.rows) {
      if (feed === "travel_document" || !row[field]) continue;
      const parsed = normalise(row[field]!);
      if (parsed.ok) values.add(parsed.value);
    }
    if (values.size > 1) count++;
  }
  return count;
}

describe("noise: measured rates match configured rates", () => {
  for (const rate of [0.02, 0.1, 0.3]) {
    it(`measures each kind within sampling tolerance at ${rate}`, () => {
      const { population } = generatePopulation({ persons: 1500, seed: `noise-${rate}`, noise: allAt(rate) });
      const noise = population.summary().noise;
      for (const kind of NOISE_KINDS) {
        const { measured, opportunities, applied, configured } = noise[kind];
        expect(configured).toBe(rate);
        expect(opportunities, kind).toBeGreaterThan(100);
        const tolerance = 4.5 * Math.sqrt((rate * (1 - rate)) / opportunities) + 1 / opportunities;
        expect(Math.abs(measured! - rate), `${kind}: ${applied}/${opportunities}`).toBeLessThan(tolerance);
      }
    });
  }

  it("counts exactly the second A-numbers and renewed passports that the rows carry", () => {
    const { persons, population } = generatePopulation({
      persons: 1500,
      seed: "identifiers",
      noise: { secondANumber: 0.2, passportRenewal: 0.3 },
    });
    const noise = population.summary().noise;
    expect(noise.secondANumber.applied).toBeGreaterThan(0);
    expect(personsWithTwo(persons, "a_number")).toBe(noise.secondANumber.applied);
    expect(personsWithTwo(persons, "passport_number")).toBe(noise.passportRenewal.applied);
    for (const person of persons) {
      const conflicting = person.truth.ambiguous?.includes("conflicting") ?? false;
      expect(person.truth.gates.includes("IDENTITY_NOT_CONFIRMED")).toBe(conflicting);
    }
  });

  it("applies nothing at rate zero, and keeps the default rates small", () => {
    const { persons, population } = generatePopulation({ persons: 600, seed: "quiet", noise: NO_NOISE });
    for (const kind of NOISE_KINDS) expect(population.summary().noise[kind].applied).toBe(0);
    expect(personsWithTwo(persons, "a_number")).toBe(0);
    expect(personsWithTwo(persons, "passport_number")).toBe(0);
    const defaults = generatePopulation({ persons: 10, seed: "quiet" }).population.options.noise;
    for (const kind of NOISE_KINDS) expect(defaults[kind]).toBeLessThanOrEqual(0.15);
    // Per opportunity (a person with two or more A-number records): about 0.5% of all persons.
    expect(defaults.secondANumber).toBe(0.011);
  });
});
