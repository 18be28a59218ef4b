import { describe, expect, it } from "vitest";
import { addYears, dayOf } from "./calendar/day-number.ts";
import type { SyntheticPerson } from "./generate-person.ts";
import { NO_NOISE } from "./noise/noise-rates.ts";
import { tpsDesignatedOn } from "./scenarios/tps-designations.ts";
import { generatePopulation, rowsOf } from "./testing/population-fixture.ts";

/**
 * Dates the law allows, over whole generated populations (rows exactly as scripted: no noise):
 * nothing before birth, citizenship at birth when acquired at birth, cancellation of removal only
 * after ten years' presence and without an aggravated felony, TPS and DACA only after they existed.
 */

const DATE = /^\d{4}-\d{2}-\d{2}/;

/** The birth date the person's rows carry ("" when no row carries one). */
function birthOf(person: SyntheticPerson): string {
  return person.rows.find((entry) => entry.row.date_of_birth)?.row.date_of_birth ?? "";
}

function benefitEvents(person: SyntheticPerson, form: string, event: string): string[] {
  return rowsOf(person, "benefit")
    .filter((row) => row.form_type === form && row.event === event)
    .map((row) => row.event_date!);
}

const today = generatePopulation({ persons: 6000, seed: "dates", noise: NO_NOISE });
const early = generatePopulation({ persons: 3000, seed: "dates-2015", noise: NO_NOISE, asOf: "2015-01-01" });

describe.each([
  ["as of 2025-06-30", today.persons],
  ["as of 2015-01-01", early.persons],
])("population dates %s", (_label, persons) => {
  it("has no record dated before its person's birth", () => {
    const early: string[] = [];
    for (const person of persons) {
      const birth = birthOf(person);
      for (const { feed, row } of person.rows)
        for (const [field, value] of Object.entries(row))
          if (field !== "date_of_birth" && value && DATE.test(value) && value.slice(0, 10) < birth)
            early.push(
              `${person.personId} ${person.truth.scenario} born ${birth}: ${feed}.${field} ${value}`,
            );
    }
    expect(early.slice(0, 5)).toEqual([]);
  });

  it("dates citizenship acquired at birth from birth, and no citizenship derived in adulthood", () => {
    const wrong: string[] = [];
    for (const person of persons) {
      const birth = birthOf(person);
      for (const row of rowsOf(person, "citizenship")) {
        const effective = row.effective_date!;
        if ((row.basis === "acquired" || row.basis === "birth_abroad") && effective !== birth)
          wrong.push(`${person.personId} ${row.basis} effective ${effective}, born ${birth}`);
        if (row.basis === "derived" && dayOf(effective) >= addYears(dayOf(birth), 18))
          wrong.push(`${person.personId} derived at 18 or over: ${effective}, born ${birth}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("grants cancellation of removal only after ten years' presence before the NTA, and never with an aggravated felony", () => {
    const wrong: string[] = [];
    let granted = 0;
    for (const person of persons) {
      const court = rowsOf(person, "court");
      const grant = court.find(
        (row) =>
          row.event_type === "decision" &&
          row.outcome === "relief_granted" &&
          row.relief_type === "cancellation",
      );
      if (grant === undefined) continue;
      granted++;
      const nta = court
        .filter((row) => row.event_type === "nta_filed" && row.case_id === grant.case_id)
        .map((row) => row.event_date!)[0]!;
      const entries = [
        ...rowsOf(person, "admission").map((row) => row.admission_date!),
        ...rowsOf(person, "encounter").map((row) => row.entry_date ?? row.event_date!),
      ].sort();
      if (entries.length === 0 || dayOf(entries[0]!) > addYears(dayOf(nta), -10))
        wrong.push(`${person.personId}: first entry ${entries[0]}, NTA ${nta}`);
      if (rowsOf(person, "conviction").some((row) => row.aggravated_felony === "Y"))
        wrong.push(`${person.personId}: aggravated felony and cancellation`);
    }
    expect(granted).toBeGreaterThan(5);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("files TPS registrations only after the country's designation", () => {
    const wrong: string[] = [];
    for (const person of persons)
      for (const filed of benefitEvents(person, "I-821", "filed"))
        if (dayOf(filed) < tpsDesignatedOn(person.truth.nationality))
          wrong.push(`${person.personId} ${person.truth.nationality} filed ${filed}`);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("files DACA requests only after 15 August 2012 and at 15 or older", () => {
    const wrong: string[] = [];
    let requests = 0;
    for (const person of persons) {
      const birth = dayOf(birthOf(person));
      for (const filed of benefitEvents(person, "I-821D", "filed")) {
        requests++;
        if (filed < "2012-08-15" || dayOf(filed) < addYears(birth, 15))
          wrong.push(`${person.personId} born ${birthOf(person)} filed ${filed}`);
      }
    }
    expect(requests).toBeGreaterThan(20);
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe("second A-numbers", () => {
  it("go to about 0.5% of persons by default", () => {
    const { persons } = generatePopulation({ persons: 20000, seed: "a-numbers" });
    const share =
      persons.filter((person) => person.truth.ambiguous?.includes("conflicting_a_numbers")).length /
      persons.length;
    // 0.5% of 20,000 is 100 persons (standard deviation about 10).
    expect(share).toBeGreaterThan(0.0035);
    expect(share).toBeLessThan(0.0065);
  });
});
