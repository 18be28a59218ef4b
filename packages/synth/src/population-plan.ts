import { type DayNumber, dayOf } from "./calendar/day-number.ts";
import {
  DACA_NATIONALITIES,
  NATIONALITY_BY_CODE,
  NATIONALITY_PROFILES,
  type NationalityProfile,
} from "./names/nationality-profiles.ts";
import { mix32, seedWords, streamRandom } from "./random/seeded-random.ts";
import { IdentifierFactory } from "./records/identifier-factory.ts";
import type { NationalityPool, Scenario } from "./scenarios/scenario.ts";
import { SCENARIOS } from "./scenarios/scenario-catalogue.ts";
import { TPS_PERIOD_DAYS, tpsDesignatedOn } from "./scenarios/tps-designations.ts";
import { SynthErrors } from "./synth-errors.ts";
import type { SynthOptions } from "./synth-options.ts";

/** A weighted table drawn by binary search over cumulative weights. */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], index) => {
      total += weight;
      this.cumulative[index] = total;
    });
  }

  /** The item for a uniform draw in [0, 1). */
  at(uniform: number): T {
    const target = uniform * this.cumulative[this.cumulative.length - 1]!;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low]!;
  }
}

/** Everything fixed for a run: the options, the reference day, identifiers and the draw tables. */
export interface PopulationPlan {
  readonly options: SynthOptions;
  readonly asOf: DayNumber;
  readonly seed: readonly [number, number, number, number];
  readonly ids: IdentifierFactory;
  readonly scenarios: WeightedTable<Scenario>;
  /** Scenario of each of the first persons: every scenario appears once, in a seeded order. */
  readonly firstScenarios: readonly Scenario[];
  readonly nationalities: Readonly<Record<NationalityPool, WeightedTable<NationalityProfile>>>;
}

/** Stream numbers of a run's independent random streams. */
export const STREAMS = { person: 1, order: 2, flights: 3 } as const;

/** Resolves the fixed parts of a run: reference day, seed words, identifiers, draw tables, first scenarios. */
export function createPopulationPlan(options: SynthOptions): PopulationPlan {
  const seed = seedWords(options.seed);
  const shuffle = streamRandom(seed, STREAMS.order, 0);
  const firstScenarios = [...SCENARIOS];
  for (let index = firstScenarios.length - 1; index > 0; index--) {
    const other = shuffle.below(index + 1);
    [firstScenarios[index], firstScenarios[other]] = [firstScenarios[other]!, firstScenarios[index]!];
  }
  const general = NATIONALITY_PROFILES.map((profile) => [profile, profile.weight] as const);
  const asOf = dayOf(options.asOf);
  // TPS holders come from countries designated at least one registration period before the
  // reference date (so an expired registration can also have ended by then).
  const tps = general.filter(
    ([profile]) => profile.tps && tpsDesignatedOn(profile.code) + TPS_PERIOD_DAYS < asOf,
  );
  if (tps.length === 0)
    throw SynthErrors.invalidOption.create(
      "asOf",
      `${options.asOf} is before any TPS designation the generator knows`,
    );
  return {
    options,
    asOf,
    seed,
    ids: new IdentifierFactory(mix32(seed[0] ^ mix32(seed[1] ^ mix32(seed[2] ^ seed[3])))),
    scenarios: new WeightedTable(SCENARIOS.map((entry) => [entry, entry.weight] as const)),
    firstScenarios,
    nationalities: {
      general: new WeightedTable(general),
      tps: new WeightedTable(tps),
      daca: new WeightedTable(
        DACA_NATIONALITIES.map(([code, weight]) => [NATIONALITY_BY_CODE.get(code)!, weight] as const),
      ),
    },
  };
}
