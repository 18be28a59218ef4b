/**
 * The kinds of noise the generator adds to source rows, each at a configurable rate. A rate is
 * a probability per opportunity, and the opportunity is named for each kind, so that the
 * measured rate (applied / opportunities) estimates the configured one.
 */
export const NOISE_KINDS = [
  /** One keyboard slip (substitution, deletion, doubling, transposition) in a name. Per record. */
  "typo",
  /** Another transliteration of a name token (Mohammed/Muhammad, Sergei/Sergey). Per record whose person has such a token. */
  "transliteration",
  /** Given names and family name swapped. Per record. */
  "nameSwap",
  /** Two surnames split, joined, hyphenated or cut; a particle (de la, van, al-) moved or dropped. Per record whose person has a compound surname. */
  "surnameForm",
  /** Day and month of the birth date swapped. Per record whose birth date has a day of 12 or less, not equal to the month. */
  "dobSwap",
  /** Birth date replaced by the placeholder 1 January of the birth year. Per record whose birth date is not 1 January. */
  "dobPlaceholder",
  /** An optional person field left empty. Per optional person field a record would carry. */
  "missingField",
  /** The person has a second A-number, carried by one of their records. Per person with two or more records carrying an A-number. */
  "secondANumber",
  /** The person renewed their passport: records after the renewal carry the new number. Per person with passport records on two or more dates. */
  "passportRenewal",
] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

export type NoiseRates = Readonly<Record<NoiseKind, number>>;

/** Realistic, small defaults (DOMAIN.md §2.2 describes each problem in real data). */
export const DEFAULT_NOISE_RATES: NoiseRates = Object.freeze({
  typo: 0.02,
  transliteration: 0.06,
  nameSwap: 0.015,
  surnameForm: 0.12,
  dobSwap: 0.01,
  dobPlaceholder: 0.005,
  missingField: 0.02,
  // Per opportunity: about 45% of persons have two or more records carrying an A-number, so
  // 0.011 gives a second A-number to about 0.5% of all persons (DOMAIN.md §2.2).
  secondANumber: 0.011,
  passportRenewal: 0.1,
});

/** Every rate zero: rows exactly as the scenario scripted them. */
export const NO_NOISE: NoiseRates = Object.freeze(
  Object.fromEntries(NOISE_KINDS.map((kind) => [kind, 0])) as Record<NoiseKind, number>,
);

/** Counts of opportunities and applications per noise kind, accumulated while generating. */
export class NoiseTally {
  readonly opportunities: Record<NoiseKind, number>;
  readonly applied: Record<NoiseKind, number>;
  malformedOpportunities = 0;
  malformedApplied = 0;

  constructor() {
    this.opportunities = Object.fromEntries(NOISE_KINDS.map((kind) => [kind, 0])) as Record<
      NoiseKind,
      number
    >;
    this.applied = Object.fromEntries(NOISE_KINDS.map((kind) => [kind, 0])) as Record<NoiseKind, number>;
  }

  /** Adds another tally's counts (e.g. from a worker) to this one. */
  add(other: NoiseTally): void {
    for (const kind of NOISE_KINDS) {
      this.opportunities[kind] += other.opportunities[kind];
      this.applied[kind] += other.applied[kind];
    }
    this.malformedOpportunities += other.malformedOpportunities;
    this.malformedApplied += other.malformedApplied;
  }
}
