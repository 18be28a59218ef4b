/** Disjoint sets over 0..size-1 with path halving and union by size. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.size = new Int32Array(size).fill(1);
    for (let index = 0; index < size; index += 1) this.parent[index] = index;
  }

  find(node: number): number {
    const parent = this.parent;
    let current = node;
    while (parent[current] !== current) {
      parent[current] = parent[parent[current]!]!;
      current = parent[current]!;
    }
    return current;
  }

  sizeOf(node: number): number {
    return this.size[this.find(node)]!;
  }

  /** Joins the sets of a and b; returns the new root, the larger set's. */
  union(a: number, b: number): number {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return rootA;
    if (this.size[rootA]! < this.size[rootB]!) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.size[rootA]! += this.size[rootB]!;
    return rootA;
  }
}
