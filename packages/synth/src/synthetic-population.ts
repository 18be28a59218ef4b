import { flightInventory } from "./flights/flight-inventory.ts";
import { generatePerson, type SyntheticPerson } from "./generate-person.ts";
import { PopulationCounter, type SynthSummary } from "./population-counter.ts";
import { createPopulationPlan, type PopulationPlan } from "./population-plan.ts";
import type { SourceRow } from "./records/record-draft.ts";
import { resolveSynthOptionsOrThrow, type SynthOptions, type SynthOptionsInput } from "./synth-options.ts";

/** A seeded population: persons streamed one at a time, the flight inventory, and what was measured. */
export interface SyntheticPopulation {
  readonly options: SynthOptions;
  readonly plan: PopulationPlan;
  /** Persons `from` (included) to `to` (excluded), by default all, counted into the summary as they are yielded. */
  persons(from?: number, to?: number): Generator<SyntheticPerson>;
  /** The removal-flight inventory (not about persons). */
  flights(): Generator<SourceRow>;
  /** The counter behind `summary` (parts generated elsewhere, e.g. in worker threads, are added to it). */
  readonly counter: PopulationCounter;
  /** Counts so far (complete once every person and flight has been yielded). */
  summary(): SynthSummary;
}

/** Creates a population from options (validated; PASSAGE_ERR_SYNTH_OPTION_INVALID on a bad one). */
export function createSyntheticPopulation(input: SynthOptionsInput = {}, now?: Date): SyntheticPopulation {
  const options = resolveSynthOptionsOrThrow(input, now);
  const plan = createPopulationPlan(options);
  const counter = new PopulationCounter();
  return {
    options,
    plan,
    counter,
    *persons(from = 0, to = options.persons) {
      for (let index = from; index < to; index++) {
        const person = generatePerson(plan, index, counter.tally);
        counter.count(person);
        yield person;
      }
    },
    *flights() {
      for (const flight of flightInventory(plan)) {
        counter.countFlight();
        yield flight;
      }
    },
    summary: () => counter.summary(options),
  };
}
