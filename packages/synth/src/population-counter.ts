import { FEED_SCHEMAS, FEEDS, type Feed, PRIMARY_STATES, type PrimaryState } from "@passage/core";
import type { SyntheticPerson } from "./generate-person.ts";
import { NOISE_KINDS, type NoiseKind, NoiseTally } from "./noise/noise-rates.ts";
import { SCENARIO_NAMES } from "./scenarios/scenario-catalogue.ts";
import type { SynthOptions } from "./synth-options.ts";

/** A configured rate beside the rate measured in what was generated. */
export interface MeasuredRate {
  readonly configured: number;
  /** applied / opportunities; null when there was no opportunity. */
  readonly measured: number | null;
  readonly applied: number;
  readonly opportunities: number;
}

/** What a run generated: `summary.json`. */
export interface SynthSummary {
  readonly generator: "passage-synth";
  readonly seed: string;
  readonly persons: number;
  readonly asOf: string;
  readonly scenarios: Readonly<Record<string, number>>;
  readonly states: Readonly<Record<PrimaryState, number>>;
  readonly actionable: number;
  readonly ambiguous: number;
  /** Rows (one per event) and distinct record keys per feed, malformed rows excluded. */
  readonly records: Readonly<Record<Feed, { readonly rows: number; readonly keys: number }>>;
  readonly noise: Readonly<Record<NoiseKind, MeasuredRate>>;
  /** Per row: deliberately malformed extra rows. */
  readonly malformed: MeasuredRate;
}

/** Counts in plain data, so that parts of a run (e.g. worker threads) can be added up. */
export interface PopulationCounts {
  scenarios: Record<string, number>;
  states: Record<string, number>;
  rows: Record<string, number>;
  keys: Record<string, number>;
  actionable: number;
  ambiguous: number;
  noiseOpportunities: Record<string, number>;
  noiseApplied: Record<string, number>;
  malformedOpportunities: number;
  malformedApplied: number;
}

const KEY_FIELDS = Object.fromEntries(FEEDS.map((feed) => [feed, FEED_SCHEMAS[feed].keyField])) as Record<
  Feed,
  string
>;

const zeros = (names: readonly string[]): Record<string, number> =>
  Object.fromEntries(names.map((name) => [name, 0]));

/** Counts persons, rows, records and noise as they are generated; mergeable across parts of a run. */
export class PopulationCounter {
  readonly tally = new NoiseTally();
  private readonly scenarios = zeros(SCENARIO_NAMES);
  private readonly states = zeros(PRIMARY_STATES);
  private readonly rows = zeros(FEEDS);
  private readonly keys = zeros(FEEDS);
  private actionable = 0;
  private ambiguous = 0;

  count(person: SyntheticPerson): void {
    const truth = person.truth;
    this.scenarios[truth.scenario]!++;
    this.states[truth.state]!++;
    if (truth.actionable) this.actionable++;
    if (truth.ambiguous !== null) this.ambiguous++;
    // A person's rows come record by record, so a record starts where the key changes.
    let previousFeed = "";
    let previousKey: string | undefined = "";
    for (const { feed, row } of person.rows) {
      this.rows[feed]!++;
      const key = row[KEY_FIELDS[feed]];
      if (feed !== previousFeed || key !== previousKey) this.keys[feed]!++;
      previousFeed = feed;
      previousKey = key;
    }
  }

  countFlight(): void {
    this.rows.flight!++;
    this.keys.flight!++;
  }

  /** The counts as plain data (e.g. to send from a worker thread). */
  counts(): PopulationCounts {
    return {
      scenarios: { ...this.scenarios },
      states: { ...this.states },
      rows: { ...this.rows },
      keys: { ...this.keys },
      actionable: this.actionable,
      ambiguous: this.ambiguous,
      noiseOpportunities: { ...this.tally.opportunities },
      noiseApplied: { ...this.tally.applied },
      malformedOpportunities: this.tally.malformedOpportunities,
      malformedApplied: this.tally.malformedApplied,
    };
  }

  /** Adds the counts of another part of the run. */
  add(counts: PopulationCounts): void {
    const addTo = (target: Record<string, number>, source: Record<string, number>) => {
      for (const [name, value] of Object.entries(source)) target[name] = (target[name] ?? 0) + value;
    };
    addTo(this.scenarios, counts.scenarios);
    addTo(this.states, counts.states);
    addTo(this.rows, counts.rows);
    addTo(this.keys, counts.keys);
    addTo(this.tally.opportunities, counts.noiseOpportunities);
    addTo(this.tally.applied, counts.noiseApplied);
    this.actionable += counts.actionable;
    this.ambiguous += counts.ambiguous;
    this.tally.malformedOpportunities += counts.malformedOpportunities;
    this.tally.malformedApplied += counts.malformedApplied;
  }

  summary(options: SynthOptions): SynthSummary {
    const rate = (configured: number, applied: number, opportunities: number): MeasuredRate => ({
      configured,
      measured: opportunities === 0 ? null : applied / opportunities,
      applied,
      opportunities,
    });
    const tally = this.tally;
    return {
      generator: "passage-synth",
      seed: options.seed,
      persons: options.persons,
      asOf: options.asOf,
      scenarios: { ...this.scenarios },
      states: { ...this.states } as Record<PrimaryState, number>,
      actionable: this.actionable,
      ambiguous: this.ambiguous,
      records: Object.fromEntries(
        FEEDS.map((feed) => [feed, { rows: this.rows[feed]!, keys: this.keys[feed]! }]),
      ) as Record<Feed, { rows: number; keys: number }>,
      noise: Object.fromEntries(
        NOISE_KINDS.map((kind) => [
          kind,
          rate(options.noise[kind], tally.applied[kind], tally.opportunities[kind]),
        ]),
      ) as Record<NoiseKind, MeasuredRate>,
      malformed: rate(options.malformedRate, tally.malformedApplied, tally.malformedOpportunities),
    };
  }
}
