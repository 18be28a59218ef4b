import type { ComparisonKind, KeyTransform } from "../model/linkage-settings.ts";

/** The raw values of one record, by column name. */
export type RecordValues = Readonly<Record<string, string | undefined>>;

/** One level of a comparison, strongest agreement first; level 0 is always "missing". */
export interface ComparisonLevel {
  readonly label: string;
  readonly description: string;
  /** Default m probability, the starting point of EM. */
  readonly startingM: number;
  /**
   * Default u probability: how often two different persons of a large population compare at this
   * level. The prior of u estimation (a table of few persons shows little of it) and the u of the
   * built-in parameters a table too small to train on is linked with.
   */
  readonly startingU: number;
}

/** A strong identifier's value for the conflict safeguard: values of one scheme must agree. */
export interface StrongIdentifier {
  /** e.g. `a_number`, or `passport:MEX` (a passport number is scoped by its country). */
  readonly scheme: string;
  readonly value: string;
  /** Whether two values one typo apart are read as the same identifier rather than a conflict. */
  readonly toleratesTypos: boolean;
}

/**
 * How one field is standardised, compared and keyed. `compare` is called only when both values
 * are present; it returns a level, 0 when the two cannot be compared (e.g. passports of two countries).
 */
export interface FieldComparator<Value = unknown> {
  readonly kind: ComparisonKind;
  readonly levels: readonly ComparisonLevel[];
  /** Whether agreement here is evidence beyond name and date of birth (the safeguard). */
  readonly corroborating: boolean;
  prepare(values: RecordValues): Value | undefined;
  compare(left: Value, right: Value): number;
  /** The value counted for term-frequency adjustment at `level`, or undefined when not adjusted. */
  termFrequencyKey(value: Value, level: number): string | undefined;
  /** Key text for blocking, or undefined when the value gives no key for this transform. */
  blockingKey(value: Value, transform: KeyTransform): string | undefined;
  /** Strong identifiers only: the value that must not conflict within an automatic cluster. */
  strongIdentifier(value: Value): StrongIdentifier | undefined;
}

export const MISSING_LEVEL: ComparisonLevel = {
  label: "missing",
  description: "one or both values missing: no evidence either way",
  startingM: 1,
  startingU: 1,
};

/** A memoising wrapper: equal raw text is prepared once and shares one prepared value. */
export function memoise<Value>(
  prepare: (raw: string) => Value | undefined,
): (raw: string) => Value | undefined {
  const cache = new Map<string, Value | undefined>();
  const CACHE_LIMIT = 2_000_000; // entries; a long-running incremental process must not grow forever
  return (raw) => {
    let prepared = cache.get(raw);
    if (prepared === undefined && !cache.has(raw)) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      prepared = prepare(raw);
      cache.set(raw, prepared);
    }
    return prepared;
  };
}
