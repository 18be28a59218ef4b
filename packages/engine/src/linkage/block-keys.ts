import type { CompiledBlockingRule, PreparedRecord } from "@passage/linkage";

/** One blocking key of a record: its rule, refinement depth and the key's 53-bit hash. */
export interface BlockKey {
  readonly rule: number;
  readonly depth: number;
  readonly block: number;
}

/**
 * The keys of a record under every rule and refinement depth, as the in-memory BlockingIndex
 * computes them (a rule stops at the first missing part). The text key is hashed to 53 bits
 * (cyrb53), so the database index stays two small integers per row; a collision only adds a
 * candidate that scoring then rejects, and a block's size may count it once too often.
 */
export function blockKeysOf(rules: readonly CompiledBlockingRule[], record: PreparedRecord): BlockKey[] {
  const keys: BlockKey[] = [];
  rules.forEach((rule, ruleIndex) => {
    for (let depth = 0; depth <= rule.refinementCount; depth += 1) {
      const key = rule.refinedKeyOf(record, depth);
      if (key === undefined) break;
      keys.push({ rule: ruleIndex, depth, block: blockHash(ruleIndex, depth, key) });
    }
  });
  return keys;
}

/** cyrb53 (a public-domain 53-bit string hash) of `rule/depth/key`. */
export function blockHash(rule: number, depth: number, key: string): number {
  const text = `${rule}\u0001${depth}\u0001${key}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
