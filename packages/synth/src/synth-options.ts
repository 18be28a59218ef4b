import { todayUtc } from "./calendar/day-number.ts";
import { DEFAULT_NOISE_RATES, NOISE_KINDS, type NoiseKind, type NoiseRates } from "./noise/noise-rates.ts";
import { SynthErrors } from "./synth-errors.ts";

/** Everything that determines a synthetic population: same options, same bytes. */
export interface SynthOptions {
  /** How many persons to generate. */
  readonly persons: number;
  /** Any text; `42` and `demo` are both seeds. */
  readonly seed: string;
  /** The reference date: every event is dated on or before it, and the truth is the status at it. */
  readonly asOf: string;
  readonly noise: NoiseRates;
  /** Share of rows that also get a deliberately malformed copy (rejected by ingest). Default 0. */
  readonly malformedRate: number;
  /** Removal flights in the inventory; default one per 100 persons, at least 24. */
  readonly flights: number;
}

/** Options as callers give them: everything optional, validated by `resolveSynthOptionsOrThrow`. */
export interface SynthOptionsInput {
  readonly persons?: number;
  readonly seed?: string | number;
  readonly asOf?: string;
  readonly noise?: Partial<Record<NoiseKind, number>>;
  readonly malformedRate?: number;
  readonly flights?: number;
}

/** Persons generated when none is asked for (the demo population). */
export const DEFAULT_PERSONS = 20_000;
/**
 * The largest population: every identifier is unique by construction up to it (the smallest
 * space is a 7-digit passport format, 10^7 numbers for two passports per person).
 */
export const MAX_PERSONS = 5_000_000;
/** Scenarios reach back to DACA (2012) and TPS designations, and forward only to 2100. */
const EARLIEST_AS_OF = "2015-01-01";
const LATEST_AS_OF = "2100-12-31";

function wholeNumberOrThrow(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw SynthErrors.invalidOption.create(
      option,
      `must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function rateOrThrow(option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw SynthErrors.invalidOption.create(option, `must be a rate between 0 and 1, got ${value}`);
  }
  return value;
}

function asOfOrThrow(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const instant = new Date(`${value}T00:00:00Z`);
  const valid =
    match !== null &&
    !Number.isNaN(instant.getTime()) &&
    instant.toISOString().slice(0, 10) === value &&
    value >= EARLIEST_AS_OF &&
    value <= LATEST_AS_OF;
  if (!valid) {
    throw SynthErrors.invalidOption.create(
      "asOf",
      `must be a date YYYY-MM-DD from ${EARLIEST_AS_OF} to ${LATEST_AS_OF}, got "${value}"`,
    );
  }
  return value;
}

/** Fills defaults and validates every option, throwing PASSAGE_ERR_SYNTH_OPTION_INVALID on the first problem. */
export function resolveSynthOptionsOrThrow(
  input: SynthOptionsInput = {},
  now: Date = new Date(),
): SynthOptions {
  const persons = wholeNumberOrThrow("persons", input.persons ?? DEFAULT_PERSONS, 1, MAX_PERSONS);
  const seed = String(input.seed ?? "1");
  if (seed.length === 0 || seed.length > 200) {
    throw SynthErrors.invalidOption.create("seed", "must be between 1 and 200 characters");
  }
  const noise = { ...DEFAULT_NOISE_RATES } as Record<NoiseKind, number>;
  for (const [kind, rate] of Object.entries(input.noise ?? {})) {
    if (!(NOISE_KINDS as readonly string[]).includes(kind)) {
      throw SynthErrors.invalidOption.create(
        `noise.${kind}`,
        `unknown noise kind (known: ${NOISE_KINDS.join(", ")})`,
      );
    }
    if (rate !== undefined) noise[kind as NoiseKind] = rateOrThrow(`noise.${kind}`, rate);
  }
  const defaultFlights = Math.max(24, Math.round(persons / 100));
  return Object.freeze({
    persons,
    seed,
    asOf: asOfOrThrow(input.asOf ?? todayUtc(now)),
    noise: Object.freeze(noise),
    malformedRate: rateOrThrow("malformedRate", input.malformedRate ?? 0),
    flights: wholeNumberOrThrow("flights", input.flights ?? defaultFlights, 0, 10_000_000),
  });
}
