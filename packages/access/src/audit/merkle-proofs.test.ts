import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { EMPTY_ROOT, leafHash, nodeHash, toHex } from "./merkle-hash.ts";
import {
  consistencyProof,
  inclusionProof,
  merkleRoot,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "./merkle-proofs.ts";
import { MerkleTreeBuilder } from "./merkle-tree-builder.ts";

// The Certificate Transparency reference leaves and tree heads for sizes 1..8 (the RFC 6962 test
// vectors shipped with the CT reference implementations), plus their published proofs.
const REFERENCE_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((hex) => leafHash(Buffer.from(hex, "hex")));
const REFERENCE_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const REFERENCE_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];
const REFERENCE_CONSISTENCY = [
  {
    first: 2,
    second: 8,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

const fromHex = (hex: string) => Buffer.from(hex, "hex");
const MAX_SIZE = 64;
const LEAVES = Array.from({ length: MAX_SIZE }, (_, index) => leafHash(Buffer.from(`entry ${index}`)));
const ROOTS = Array.from({ length: MAX_SIZE + 1 }, (_, size) => merkleRoot(LEAVES, 0, size));

/** The RFC's recursive definition, written as plainly as possible, to check the one-pass builder. */
function recursiveRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return crypto.createHash("sha256").digest();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(recursiveRoot(leaves.slice(0, k)), recursiveRoot(leaves.slice(k)));
}

describe("Merkle tree (RFC 6962 / RFC 9162)", () => {
  it("gives the reference tree heads for sizes 0..8", () => {
    expect(toHex(EMPTY_ROOT)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(merkleRoot([]))).toBe(toHex(EMPTY_ROOT));
    for (let size = 1; size <= 8; size++) {
      expect(toHex(merkleRoot(REFERENCE_LEAVES, 0, size)), `size ${size}`).toBe(REFERENCE_ROOTS[size - 1]);
    }
  });

  it("gives the reference inclusion and consistency proofs", () => {
    for (const vector of REFERENCE_INCLUSION) {
      expect(inclusionProof(REFERENCE_LEAVES, vector.index, vector.size).map(toHex)).toEqual(vector.proof);
      const root = fromHex(REFERENCE_ROOTS[vector.size - 1]!);
      const leaf = REFERENCE_LEAVES[vector.index]!;
      expect(verifyInclusion(leaf, vector.index, vector.size, vector.proof.map(fromHex), root)).toBe(true);
    }
    for (const vector of REFERENCE_CONSISTENCY) {
      expect(consistencyProof(REFERENCE_LEAVES, vector.first, vector.second).map(toHex)).toEqual(
        vector.proof,
      );
      const first = fromHex(REFERENCE_ROOTS[vector.first - 1]!);
      const second = fromHex(REFERENCE_ROOTS[vector.second - 1]!);
      expect(verifyConsistency(vector.first, vector.second, first, second, vector.proof.map(fromHex))).toBe(
        true,
      );
    }
  });

  it("builds in one pass the same head as the recursive definition, at every size", () => {
    const builder = new MerkleTreeBuilder();
    for (let size = 0; size <= MAX_SIZE; size++) {
      expect(toHex(builder.root()), `size ${size}`).toBe(toHex(recursiveRoot(LEAVES.slice(0, size))));
      if (size < MAX_SIZE) builder.append(LEAVES[size]!);
    }
  });

  it("resumes from a saved frontier", () => {
    for (let split = 0; split <= 40; split++) {
      const first = new MerkleTreeBuilder();
      for (const leaf of LEAVES.slice(0, split)) first.append(leaf);
      const resumed = MerkleTreeBuilder.fromFrontier(split, first.frontier());
      for (const leaf of LEAVES.slice(split, 40)) resumed.append(leaf);
      expect(toHex(resumed.root())).toBe(toHex(ROOTS[40]!));
    }
    expect(() => MerkleTreeBuilder.fromFrontier(3, [LEAVES[0]!])).toThrow(/2 perfect subtrees/);
  });

  it("proves and verifies the inclusion of every leaf in every tree up to 64 leaves", () => {
    for (let size = 1; size <= MAX_SIZE; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(LEAVES, index, size);
        const leaf = LEAVES[index]!;
        expect(verifyInclusion(leaf, index, size, proof, ROOTS[size]!)).toBe(true);
        expect(rootFromInclusionProof(leaf, index, size, proof)?.equals(ROOTS[size]!)).toBe(true);
        // Wrong leaf, wrong position, wrong size, wrong root, altered or shortened proof: all refused.
        expect(verifyInclusion(LEAVES[(index + 1) % MAX_SIZE]!, index, size, proof, ROOTS[size]!)).toBe(
          false,
        );
        if (size > 1) {
          expect(verifyInclusion(leaf, (index + 1) % size, size, proof, ROOTS[size]!)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof, ROOTS[size - 1]!)).toBe(false);
          const altered = proof.map((hash) => Buffer.from(hash));
          altered[altered.length - 1]![5]! ^= 0x10;
          expect(verifyInclusion(leaf, index, size, altered, ROOTS[size]!)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), ROOTS[size]!)).toBe(false);
          expect(verifyInclusion(leaf, index, size, [...proof, LEAVES[0]!], ROOTS[size]!)).toBe(false);
        }
        if (size < MAX_SIZE)
          expect(verifyInclusion(leaf, index, size + 1, proof, ROOTS[size + 1]!)).toBe(false);
      }
    }
  });

  it("proves and verifies consistency between every pair of tree sizes up to 64", () => {
    for (let second = 0; second <= MAX_SIZE; second++) {
      for (let first = 0; first <= second; first++) {
        const proof = consistencyProof(LEAVES, first, second);
        expect(
          verifyConsistency(first, second, ROOTS[first]!, ROOTS[second]!, proof),
          `${first}->${second}`,
        ).toBe(true);
        if (first > 0 && first < second) {
          const altered = proof.map((hash) => Buffer.from(hash));
          altered[0]![0]! ^= 0x01;
          expect(verifyConsistency(first, second, ROOTS[first]!, ROOTS[second]!, altered)).toBe(false);
          expect(verifyConsistency(first, second, ROOTS[first]!, ROOTS[second]!, proof.slice(0, -1))).toBe(
            false,
          );
          // A tree that is not a prefix of the second one cannot be proved consistent with it.
          const forkedFirst = merkleRoot([...LEAVES.slice(0, first - 1), leafHash(Buffer.from("fork"))]);
          expect(verifyConsistency(first, second, forkedFirst, ROOTS[second]!, proof)).toBe(false);
          expect(verifyConsistency(first, second, ROOTS[first]!, ROOTS[first]!, proof)).toBe(false);
        }
      }
    }
  });

  it("refuses proofs for leaves or sizes outside the tree", () => {
    expect(() => inclusionProof(LEAVES, 8, 8)).toThrow(RangeError);
    expect(() => inclusionProof(LEAVES, -1, 8)).toThrow(RangeError);
    expect(() => inclusionProof(LEAVES, 0, MAX_SIZE + 1)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 5, 3)).toThrow(RangeError);
    expect(verifyInclusion(LEAVES[0]!, 8, 8, [], ROOTS[8]!)).toBe(false);
    expect(verifyInclusion(Buffer.alloc(31), 0, 1, [], ROOTS[1]!)).toBe(false);
    expect(verifyConsistency(8, 6, ROOTS[8]!, ROOTS[6]!, [])).toBe(false);
    expect(verifyConsistency(4, 4, ROOTS[4]!, ROOTS[5]!, [])).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, ROOTS[8]!, [])).toBe(true);
  });
});
