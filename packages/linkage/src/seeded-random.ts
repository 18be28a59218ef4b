/**
 * A small deterministic pseudo-random generator (mulberry32): training samples and test
 * fixtures must give the same result from the same seed on every machine.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, bound). */
export function randomInteger(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}
