/**
 * A small, fast, seedable pseudo-random generator (sfc32, from PractRand). Written here rather
 * than taken from a library so that the bytes a seed produces never change with a dependency
 * upgrade: "same seed + options = byte-identical output" is part of the generator's contract.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // sfc32 needs a few rounds before seeds that differ in one bit diverge.
    for (let round = 0; round < 12; round++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.c = (rotated + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, count). */
  below(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One item of a weighted list. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let target = this.next() * total;
    for (const [item, weight] of items) {
      target -= weight;
      if (target < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /**
   * One element of a list ordered from most to least frequent, with a Zipf-like skew: the
   * first entries are drawn far more often, as real name frequencies are.
   */
  skewed<T>(items: readonly T[], skew = 2.2): T {
    return items[Math.floor(items.length * this.next() ** skew)]!;
  }
}

/** 32-bit mixing function (a finaliser of MurmurHash3) used to derive seeds. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Four 32-bit words from any seed text (cyrb128), so `--seed 42` and `--seed demo` both work. */
export function seedWords(seed: string): readonly [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let index = 0; index < seed.length; index++) {
    const code = seed.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/**
 * The generator of one stream (a person, the flight inventory) of a seeded run. Each person's
 * stream depends only on the seed and the person's index, so any person can be generated alone.
 */
export function streamRandom(
  words: readonly [number, number, number, number],
  stream: number,
  index: number,
): SeededRandom {
  const salt = mix32(stream * 0x9e3779b1 + 0x632be5ab);
  return new SeededRandom(
    words[0] ^ mix32(index ^ salt),
    words[1] ^ mix32(index + 0x68e31da4),
    words[2] ^ salt,
    words[3] ^ mix32(Math.floor(index / 4294967296) + 0x1b873593),
  );
}
