import { EMPTY_ROOT, HASH_LENGTH, type HashString, hashStringOf, nodeHashString } from "./merkle-hash.ts";

/**
 * Builds the RFC 9162 Merkle tree head of a growing list of leaves in one pass, keeping only the
 * roots of the perfect subtrees that make up the tree so far (at most log2(n) hashes): appending
 * costs one leaf plus, amortised, one node hash, and the head for any size costs log2(n) more.
 */
export class MerkleTreeBuilder {
  #size = 0;
  // The perfect subtrees, largest (leftmost) first; their sizes are the set bits of #size.
  readonly #stack: HashString[] = [];

  /** Resumes from a saved frontier (the perfect subtree roots of a tree of `size` leaves). */
  static fromFrontier(size: number, frontier: readonly Uint8Array[]): MerkleTreeBuilder {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid tree size ${size}`);
    if (frontier.length !== popCount(size)) {
      throw new RangeError(
        `a tree of ${size} leaves has ${popCount(size)} perfect subtrees, not ${frontier.length}`,
      );
    }
    const builder = new MerkleTreeBuilder();
    builder.#size = size;
    for (const hash of frontier) {
      if (hash.length !== HASH_LENGTH) throw new TypeError("frontier hashes must be 32 bytes");
      builder.#stack.push(hashStringOf(hash));
    }
    return builder;
  }

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash. */
  append(leaf: Uint8Array): void {
    if (leaf.length !== HASH_LENGTH) throw new TypeError(`leaf hashes must be ${HASH_LENGTH} bytes`);
    this.appendHashString(hashStringOf(leaf));
  }

  /** Appends one leaf hash given as a HashString (the verifier's form: no Buffer per leaf). */
  appendHashString(leaf: HashString): void {
    let hash = leaf;
    // Each trailing one bit of the old size is a perfect subtree of the same height to merge with.
    for (let size = this.#size; size % 2 === 1; size = (size - 1) / 2) {
      hash = nodeHashString(this.#stack.pop()!, hash);
    }
    this.#stack.push(hash);
    this.#size += 1;
  }

  /** The Merkle tree head of the leaves appended so far. */
  root(): Buffer {
    if (this.#stack.length === 0) return EMPTY_ROOT;
    let root = this.#stack[this.#stack.length - 1]!;
    for (let index = this.#stack.length - 2; index >= 0; index--)
      root = nodeHashString(this.#stack[index]!, root);
    return Buffer.from(root, "latin1");
  }

  /** The perfect subtree roots, to resume from later with `fromFrontier`. */
  frontier(): Buffer[] {
    return this.#stack.map((hash) => Buffer.from(hash, "latin1"));
  }
}

function popCount(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
