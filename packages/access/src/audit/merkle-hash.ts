import crypto from "node:crypto";

/** Every hash in the log is SHA-256, 32 bytes (RFC 9162 §2.1.1). */
export const HASH_LENGTH = 32;

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = crypto.hash("sha256", Buffer.alloc(0), "buffer");

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/**
 * A hash as a 32-character latin1 ("binary") string, one character per byte. Node's `crypto.hash` returns
 * these at less than half the cost of a Buffer (a Buffer result gets a backing store of its own
 * on every call, and verifying a million entries makes two million hashes), so the verifier and
 * the tree builder keep hashes in this form and convert only at their edges.
 */
export type HashString = string;

// One reusable buffer per prefix: a single-shot hash over a preassembled buffer costs half of an
// incremental hash object.
let leafScratch = Buffer.alloc(4096);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_LENGTH);
nodeScratch[0] = NODE_PREFIX;

/** The leaf hash of an entry: SHA-256(0x00 || entry bytes) (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Buffer {
  return Buffer.from(leafHashString(entry), "latin1");
}

/** `leafHash` as a HashString. */
export function leafHashString(entry: Uint8Array): HashString {
  if (entry.length + 1 > leafScratch.length)
    leafScratch = Buffer.alloc(Math.max(entry.length + 1, leafScratch.length * 2));
  leafScratch[0] = LEAF_PREFIX;
  leafScratch.set(entry, 1);
  return crypto.hash("sha256", leafScratch.subarray(0, entry.length + 1), "binary");
}

/** An interior node: SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_LENGTH || right.length !== HASH_LENGTH) {
    throw new TypeError(`node children must be ${HASH_LENGTH}-byte hashes`);
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_LENGTH);
  return Buffer.from(crypto.hash("sha256", nodeScratch, "binary"), "latin1");
}

/** `nodeHash` over HashStrings. */
export function nodeHashString(left: HashString, right: HashString): HashString {
  if (left.length !== HASH_LENGTH || right.length !== HASH_LENGTH) {
    throw new TypeError(`node children must be ${HASH_LENGTH}-byte hashes`);
  }
  nodeScratch.write(left, 1, "latin1");
  nodeScratch.write(right, 1 + HASH_LENGTH, "latin1");
  return crypto.hash("sha256", nodeScratch, "binary");
}

/** A hash's bytes as a HashString. */
export function hashStringOf(hash: Uint8Array): HashString {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("latin1");
}

/** Whether a HashString and a hash's bytes are the same hash. */
export function hashStringEquals(hash: HashString, bytes: Uint8Array): boolean {
  if (bytes.length !== hash.length) return false;
  for (let index = 0; index < bytes.length; index++) {
    if (hash.charCodeAt(index) !== bytes[index]) return false;
  }
  return true;
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
