import { EMPTY_ROOT, HASH_LENGTH, nodeHash, splitPoint } from "./merkle-hash.ts";
import { MerkleTreeBuilder } from "./merkle-tree-builder.ts";

/** MTH(D[start:end]) over leaf hashes (RFC 9162 §2.1.1), in one pass. */
export function merkleRoot(leaves: readonly Uint8Array[], start = 0, end = leaves.length): Buffer {
  checkRange(leaves.length, start, end);
  if (end === start) return EMPTY_ROOT;
  const builder = new MerkleTreeBuilder();
  for (let index = start; index < end; index++) builder.append(leafOf(leaves, index));
  return builder.root();
}

/** The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1). */
export function inclusionProof(leaves: readonly Uint8Array[], index: number, size = leaves.length): Buffer[] {
  checkRange(leaves.length, 0, size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  }
  const path: Buffer[] = [];
  collectPath(leaves, index, 0, size, path);
  return path;
}

function collectPath(
  leaves: readonly Uint8Array[],
  index: number,
  start: number,
  end: number,
  path: Buffer[],
): void {
  if (end - start === 1) return;
  const k = splitPoint(end - start);
  if (index - start < k) {
    collectPath(leaves, index, start, start + k, path);
    path.push(merkleRoot(leaves, start + k, end));
  } else {
    collectPath(leaves, index, start + k, end, path);
    path.push(merkleRoot(leaves, start, start + k));
  }
}

/** The consistency proof between the trees of the first `first` and `second` leaves (RFC 9162 §2.1.4.1). */
export function consistencyProof(
  leaves: readonly Uint8Array[],
  first: number,
  second = leaves.length,
): Buffer[] {
  checkRange(leaves.length, 0, second);
  if (!Number.isSafeInteger(first) || first < 0 || first > second) {
    throw new RangeError(`cannot prove consistency from ${first} to ${second} leaves`);
  }
  const proof: Buffer[] = [];
  if (first > 0 && first < second) collectSubproof(leaves, first, 0, second, true, proof);
  return proof;
}

function collectSubproof(
  leaves: readonly Uint8Array[],
  m: number,
  start: number,
  end: number,
  whole: boolean,
  proof: Buffer[],
): void {
  const n = end - start;
  if (m === n) {
    if (!whole) proof.push(merkleRoot(leaves, start, end));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    collectSubproof(leaves, m, start, start + k, whole, proof);
    proof.push(merkleRoot(leaves, start + k, end));
  } else {
    collectSubproof(leaves, m - k, start + k, end, false, proof);
    proof.push(merkleRoot(leaves, start, start + k));
  }
}

/** The root an inclusion proof leads to, or undefined when the proof has the wrong shape (RFC 9162 §2.1.3.2). */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Buffer | undefined {
  if (!isHash(leaf) || !Number.isSafeInteger(index) || !Number.isSafeInteger(size)) return undefined;
  if (index < 0 || index >= size || !proof.every(isHash)) return undefined;
  // BigInt keeps the bit arithmetic exact past 2^31 leaves.
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let result: Buffer = Buffer.from(leaf);
  for (const sibling of proof) {
    if (sn === 0n) return undefined;
    if ((fn & 1n) === 1n || fn === sn) {
      result = nodeHash(sibling, result);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      result = nodeHash(result, sibling);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? result : undefined;
}

/** Whether `proof` shows leaf `index` is in the tree of `size` leaves whose head is `root`. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leaf, index, size, proof);
  return computed !== undefined && isHash(root) && computed.equals(root);
}

/** Whether `proof` shows the tree of `second` leaves extends the tree of `first` (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second)
    return false;
  if (!isHash(firstRoot) || !isHash(secondRoot) || !proof.every(isHash)) return false;
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  // Every tree extends the empty tree; RFC 9162 defines no proof for it, so only an empty one is accepted.
  if (first === 0) return proof.length === 0 && Buffer.from(firstRoot).equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let firstResult: Buffer = Buffer.from(path[0]!);
  let secondResult: Buffer = Buffer.from(path[0]!);
  for (const node of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      firstResult = nodeHash(node, firstResult);
      secondResult = nodeHash(node, secondResult);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      secondResult = nodeHash(secondResult, node);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && firstResult.equals(firstRoot) && secondResult.equals(secondRoot);
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && (BigInt(value) & (BigInt(value) - 1n)) === 0n;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_LENGTH;
}

function leafOf(leaves: readonly Uint8Array[], index: number): Uint8Array {
  const leaf = leaves[index]!;
  if (!isHash(leaf)) throw new TypeError(`leaf hash ${index} is not 32 bytes`);
  return leaf;
}

function checkRange(length: number, start: number, end: number): void {
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end < start ||
    end > length
  ) {
    throw new RangeError(`leaf range [${start}, ${end}) is outside the ${length} leaves given`);
  }
}
