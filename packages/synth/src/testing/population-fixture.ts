import { FEED_SCHEMAS, type Feed } from "@passage/core";
import type { SyntheticPerson } from "../generate-person.ts";
import type { SourceRow } from "../records/record-draft.ts";
import type { SynthOptionsInput } from "../synth-options.ts";
import { createSyntheticPopulation, type SyntheticPopulation } from "../synthetic-population.ts";

/** The reference date the tests use (a Monday; its Friday before is an ordinary business day). */
export const TEST_AS_OF = "2025-06-30";

export interface GeneratedPopulation {
  readonly population: SyntheticPopulation;
  readonly persons: readonly SyntheticPerson[];
  readonly flights: readonly SourceRow[];
}

/** Generates a whole (small) population in memory, for tests. */
export function generatePopulation(input: SynthOptionsInput): GeneratedPopulation {
  const population = createSyntheticPopulation({ asOf: TEST_AS_OF, ...input });
  const persons = [...population.persons()];
  const flights = [...population.flights()];
  return { population, persons, flights };
}

/** The rows of one feed of a person. */
export function rowsOf(person: SyntheticPerson, feed: Feed): SourceRow[] {
  return person.rows.filter((row) => row.feed === feed).map((row) => row.row);
}

/** `FEED:KEY` of a row (the key field's value). */
export function referenceOf(feed: Feed, row: SourceRow): string {
  return `${feed}:${row[FEED_SCHEMAS[feed].keyField]}`;
}
