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
  private readonly roundKeys: readonly number[];
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
    this.roundKeys = [1, 2, 3, 4].map((round) => mix32(key * 31 + round * 0x27d4eb2d));
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
    let left = Math.floor(value / this.halfSize);
    let right = value % this.halfSize;
    for (const roundKey of this.roundKeys) {
      const next = (left ^ (mix32(right ^ roundKey) & this.halfMask)) >>> 0;
      left = right;
      right = next;
    }
    return left * this.halfSize + right;
  }
}

const ZEROS = "000000000000000000";

/** `value` as exactly `width` decimal digits. */
export function digits(value: number, width: number): string {
  // Values past 2^31 are heap numbers, slow to print: print them as two small integers.
  const text = value < 1e9 ? String(value) : String(Math.floor(value / 1e6)) + padSix(value % 1e6);
  return text.length >= width ? text : ZEROS.slice(0, width - text.length) + text;
}

function padSix(value: number): string {
  const text = String(value);
  return text.length === 6 ? text : ZEROS.slice(0, 6 - text.length) + text;
}
