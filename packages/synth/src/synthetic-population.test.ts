import { FEED_SCHEMAS, isPassageError, normaliseRow } from "@passage/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatePerson } from "./generate-person.ts";
import { NoiseTally } from "./noise/noise-rates.ts";
import { createSyntheticPopulation } from "./synthetic-population.ts";
import { generatePopulation, referenceOf, TEST_AS_OF } from "./testing/population-fixture.ts";

describe("synthetic population: determinism", () => {
  it("gives identical persons, truth and flights for the same seed and options", () => {
    const first = generatePopulation({ persons: 300, seed: "same" });
    const second = generatePopulation({ persons: 300, seed: "same" });
    expect(JSON.stringify(second.persons)).toBe(JSON.stringify(first.persons));
    expect(JSON.stringify(second.flights)).toBe(JSON.stringify(first.flights));
    expect(second.population.summary()).toEqual(first.population.summary());
  });

  it("gives different persons for a different seed", () => {
    const first = generatePopulation({ persons: 100, seed: "one" });
    const second = generatePopulation({ persons: 100, seed: "two" });
    expect(JSON.stringify(second.persons)).not.toBe(JSON.stringify(first.persons));
  });

  it("generates each person from the seed and index alone (any order, any part of a run)", () => {
    const { population, persons } = generatePopulation({ persons: 120, seed: "alone" });
    for (const index of [119, 0, 57]) {
      const alone = generatePerson(population.plan, index, new NoiseTally());
      expect(JSON.stringify(alone)).toBe(JSON.stringify(persons[index]));
    }
    const part = [
      ...createSyntheticPopulation({ persons: 120, seed: "alone", asOf: TEST_AS_OF }).persons(40, 50),
    ];
    expect(JSON.stringify(part)).toBe(JSON.stringify(persons.slice(40, 50)));
  });
});

describe("synthetic population: the feed contract", () => {
  const { persons, flights, population } = generatePopulation({ persons: 2500, seed: "contract" });

  it("writes every row valid against the contract, with no dropped identifier", () => {
    const problems: string[] = [];
    for (const person of persons) {
      for (const { feed, row } of person.rows) {
        const result = normaliseRow(feed, row);
        if (!result.ok) problems.push(`${feed} ${JSON.stringify(result.issues)}`);
        else if (result.warnings.length > 0)
          problems.push(`${feed} warnings ${JSON.stringify(result.warnings)}`);
      }
    }
    for (const flight of flights) {
      const result = normaliseRow("flight", flight);
      if (!result.ok) problems.push(`flight ${JSON.stringify(result.issues)}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(flights.length).toBeGreaterThanOrEqual(24);
  });

  it("reports nothing later than the first instant of the reference date", () => {
    const reports = persons.flatMap((person) =>
      person.rows.flatMap(({ feed, row }) => (feed === "departure" ? [String(row.reported_at)] : [])),
    );
    const onTheDay = reports.filter((reported) => reported.startsWith(TEST_AS_OF));
    expect(onTheDay.length).toBeGreaterThan(0);
    expect(onTheDay.filter((reported) => reported !== `${TEST_AS_OF}T00:00:00Z`)).toEqual([]);
    expect(reports.filter((reported) => reported > `${TEST_AS_OF}T00:00:00Z`)).toEqual([]);
  });

  it("keys every record to exactly one person, and the truth lists each record exactly once", () => {
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const person of persons) {
      for (const { feed, row } of person.rows) {
        const reference = referenceOf(feed, row);
        const previous = owner.get(reference);
        if (previous !== undefined && previous !== person.personId) shared.push(reference);
        owner.set(reference, person.personId);
      }
    }
    const listed = new Map<string, string>();
    const twice: string[] = [];
    for (const person of persons) {
      for (const reference of person.truth.records) {
        if (listed.has(reference)) twice.push(reference);
        listed.set(reference, person.personId);
      }
    }
    expect(shared).toEqual([]);
    expect(twice).toEqual([]);
    expect(listed).toEqual(owner);
    const records = population.summary().records;
    for (const feed of Object.keys(records) as (keyof typeof records)[]) {
      const keys = [...listed.keys()].filter((reference) => reference.startsWith(`${feed}:`)).length;
      expect(records[feed].keys, feed).toBe(feed === "flight" ? flights.length : keys);
    }
  });

  it("never gives two persons the same A-number, passport, I-94 number or FIN", () => {
    const owners = new Map<string, string>();
    const clashes: string[] = [];
    for (const person of persons) {
      for (const { feed, row } of person.rows) {
        const fields = normaliseRow(feed, row);
        if (!fields.ok) continue;
        const values = fields.fields;
        const identifiers = [
          values.a_number === undefined ? null : `a:${values.a_number}`,
          values.passport_number === undefined
            ? null
            : `p:${values.passport_country}:${values.passport_number}`,
          values.i94_number === undefined ? null : `i:${values.i94_number}`,
          values.fin === undefined ? null : `f:${values.fin}`,
        ];
        for (const identifier of identifiers) {
          if (identifier === null) continue;
          const owner = owners.get(identifier);
          if (owner !== undefined && owner !== person.personId) clashes.push(identifier);
          owners.set(identifier, person.personId);
        }
      }
    }
    expect(clashes).toEqual([]);
    expect(owners.size).toBeGreaterThan(2500);
  });

  it("keeps malformed rows apart, rejected by the contract, at the configured rate", () => {
    const { persons: noisy, population } = generatePopulation({
      persons: 800,
      seed: "malformed",
      malformedRate: 0.05,
    });
    let malformed = 0;
    let rows = 0;
    for (const person of noisy) {
      rows += person.rows.length;
      for (const { feed, row } of person.malformedRows) {
        malformed++;
        expect(normaliseRow(feed, row).ok).toBe(false);
        expect(person.truth.records).not.toContain(referenceOf(feed, row));
      }
      for (const { feed, row } of person.rows) expect(normaliseRow(feed, row).ok).toBe(true);
    }
    const measured = population.summary().malformed;
    expect(measured.applied).toBe(malformed);
    expect(measured.opportunities).toBe(rows);
    expect(Math.abs(malformed / rows - 0.05)).toBeLessThan(4.5 * Math.sqrt((0.05 * 0.95) / rows));
  });

  it("produces contract-valid rows for any seed and reference date (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2100, 11, 31) }),
        (seed, instant) => {
          const asOf = new Date(instant).toISOString().slice(0, 10);
          const population = createSyntheticPopulation({ persons: 6, seed, asOf });
          for (const person of population.persons()) {
            for (const { feed, row } of person.rows) {
              expect(normaliseRow(feed, row).ok).toBe(true);
              const date =
                row[
                  FEED_SCHEMAS[feed].fields.find((field) => field.type.kind === "date" && field.required)!
                    .name
                ];
              expect(date! <= asOf).toBe(true);
              // No report time still to come on the reference date: a population for today must ingest today.
              if (typeof row.reported_at === "string")
                expect(row.reported_at <= `${asOf}T00:00:00Z`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("synthetic population: options", () => {
  const invalid = (input: Parameters<typeof createSyntheticPopulation>[0]) => {
    try {
      createSyntheticPopulation(input);
    } catch (error) {
      return isPassageError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    return "accepted";
  };

  it("refuses bad options with one coded error naming the option", () => {
    expect(invalid({ persons: 0 })).toMatch(/^PASSAGE_ERR_SYNTH_OPTION_INVALID: persons/);
    expect(invalid({ persons: 1.5 })).toMatch(/persons: must be a whole number/);
    expect(invalid({ asOf: "2025-02-30" })).toMatch(/asOf: must be a date/);
    expect(invalid({ asOf: "2025-13-01" })).toMatch(
      /^PASSAGE_ERR_SYNTH_OPTION_INVALID: asOf: must be a date/,
    );
    expect(invalid({ asOf: "30/06/2025" })).toMatch(/asOf: must be a date/);
    expect(invalid({ asOf: "1999-01-01" })).toMatch(/asOf/);
    expect(invalid({ noise: { typo: 1.5 } })).toMatch(/noise.typo: must be a rate/);
    expect(invalid({ noise: { typos: 0.1 } as never })).toMatch(/unknown noise kind/);
    expect(invalid({ malformedRate: -0.1 })).toMatch(/malformedRate/);
    expect(invalid({ persons: 3, asOf: TEST_AS_OF })).toBe("accepted");
  });

  it("spreads even a small flight inventory over its span, with flights ahead of the reference date", () => {
    const population = createSyntheticPopulation({ persons: 300, seed: "flights", asOf: "2026-11-23" });
    const dates = [...population.flights()].map((flight) => flight.date!);
    expect(dates.length).toBe(24);
    const ahead = dates.filter((date) => date > "2026-11-23");
    // 90 of the inventory's 270 days are ahead: about a third of its flights.
    expect(ahead.length).toBeGreaterThanOrEqual(6);
    expect(new Set(dates).size).toBe(24);
  });

  it("defaults the reference date to today in UTC", () => {
    const population = createSyntheticPopulation({ persons: 1 }, new Date("2030-03-04T23:30:00-05:00"));
    expect(population.options.asOf).toBe("2030-03-05");
  });
});
