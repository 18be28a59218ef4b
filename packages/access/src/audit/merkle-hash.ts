import crypto from "node:crypto";

/** Every hash in the log is SHA-256, 32 bytes (RFC 9162 §2.1.1). */
export const HASH_LENGTH = 32;

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = crypto.hash("sha256", Buffer.alloc(0), "buffer");

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// One reusable buffer per prefix: hashing a million entries calls these two million times, and a
// single-shot hash over a preassembled buffer costs half of an incremental hash object.
let leafScratch = Buffer.alloc(4096);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_LENGTH);

/** The leaf hash of an entry: SHA-256(0x00 || entry bytes) (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Buffer {
  if (entry.length + 1 > leafScratch.length)
    leafScratch = Buffer.alloc(Math.max(entry.length + 1, leafScratch.length * 2));
  leafScratch[0] = LEAF_PREFIX;
  leafScratch.set(entry, 1);
  return crypto.hash("sha256", leafScratch.subarray(0, entry.length + 1), "buffer");
}

/** An interior node: SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_LENGTH || right.length !== HASH_LENGTH) {
    throw new TypeError(`node children must be ${HASH_LENGTH}-byte hashes`);
  }
  nodeScratch[0] = NODE_PREFIX;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_LENGTH);
  return crypto.hash("sha256", nodeScratch, "buffer");
}

/** The largest power of two strictly smaller than `n` (n >= 2): where RFC 9162 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function toHex(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("hex");
}

/** Parses a 64-character hex hash; undefined when it is not one. */
export function hashFromHex(text: unknown): Buffer | undefined {
  if (typeof text !== "string" || !/^[0-9a-f]{64}$/.test(text)) return undefined;
  return Buffer.from(text, "hex");
}
