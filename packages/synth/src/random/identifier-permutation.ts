import { mix32 } from "./seeded-random.ts";

/**
 * A keyed bijection on [0, limit): identifiers (A-numbers, receipts, record keys) are the
 * permuted value of (person index, slot), so they are unique by construction, look random, and
 * reveal nothing about which person they belong to — linkage has to earn its answers.
 * A balanced four-round Feistel network on 2^bits values, cycle-walked down to `limit`.
 */
export class IdentifierPermutation {
  private readonly halfBits: number;
  private readonly halfSize: number;
  private readonly halfMask: number;
  // Four round keys as fields, not an array: `round` runs for every identifier of a run.
  private readonly key0: number;
  private readonly key1: number;
  private readonly key2: number;
  private readonly key3: number;
  readonly limit: number;

  constructor(key: number, limit: number) {
    let bits = Math.ceil(Math.log2(limit));
    if (bits % 2 === 1) bits += 1;
    if (bits < 4) bits = 4;
    if (bits > 52) throw new RangeError(`identifier space of ${limit} is too large`);
    this.limit = limit;
    this.halfBits = bits / 2;
    this.halfSize = 2 ** this.halfBits;
    this.halfMask = this.halfSize - 1;
    const roundKeys = [1, 2, 3, 4].map((round) => mix32(key * 31 + round * 0x27d4eb2d));
    this.key0 = roundKeys[0]!;
    this.key1 = roundKeys[1]!;
    this.key2 = roundKeys[2]!;
    this.key3 = roundKeys[3]!;
  }

  /** The permuted value of `value` (which must be below `limit`). */
  apply(value: number): number {
    if (value < 0 || value >= this.limit) throw new RangeError(`${value} is outside [0, ${this.limit})`);
    let result = value;
    do result = this.round(result);
    while (result >= this.limit);
    return result;
  }

  private round(value: number): number {
    const mask = this.halfMask;
    const left = Math.floor(value / this.halfSize);
    const right = value % this.halfSize;
    const second = (left ^ (mix32(right ^ this.key0) & mask)) >>> 0;
    const third = (right ^ (mix32(second ^ this.key1) & mask)) >>> 0;
    const fourth = (second ^ (mix32(third ^ this.key2) & mask)) >>> 0;
    const fifth = (third ^ (mix32(fourth ^ this.key3) & mask)) >>> 0;
    return fourth * this.halfSize + fifth;
  }
}

const ZEROS = "000000000000000000";

/** Zero-padded decimal groups ("0000".."9999", and the shorter leading groups), built once. */
const groupTable = (width: number): readonly string[] =>
  Array.from({ length: 10 ** width }, (_, value) => String(value).padStart(width, "0"));
const FOUR_DIGITS = groupTable(4);
/** Leading groups by total width 9-12: one to four digits before two groups of four. */
const LEADING_DIGITS: readonly (readonly string[])[] = [
  groupTable(1),
  groupTable(2),
  groupTable(3),
  FOUR_DIGITS,
];

/** 10^9 to 10^12 by width minus 9: `10 ** width` with a variable width is a call to pow. */
const TABLE_LIMITS = [1e9, 1e10, 1e11, 1e12];

/** `value` as exactly `width` decimal digits. */
export function digits(value: number, width: number): string {
  // Identifiers are 9 to 12 digits: three table lookups instead of printing a (heap) number and padding it.
  if (width >= 9 && width <= 12 && value < TABLE_LIMITS[width - 9]!) {
    const low = value % 10_000;
    const rest = (value - low) / 10_000;
    const middle = rest % 10_000;
    return LEADING_DIGITS[width - 9]![(rest - middle) / 10_000]! + FOUR_DIGITS[middle]! + FOUR_DIGITS[low]!;
  }
  // Values past 2^31 are heap numbers, slow to print: print them as two small integers.
  const text = value < 1e9 ? String(value) : String(Math.floor(value / 1e6)) + padSix(value % 1e6);
  return text.length >= width ? text : ZEROS.slice(0, width - text.length) + text;
}

function padSix(value: number): string {
  const text = String(value);
  return text.length === 6 ? text : ZEROS.slice(0, 6 - text.length) + text;
}
