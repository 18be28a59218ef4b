/** A growable list of record-index pairs with the blocking rule that produced each. */
export class PairBuffer {
  left: Int32Array;
  right: Int32Array;
  rule: Uint8Array;
  count = 0;

  constructor(initialCapacity = 1024) {
    this.left = new Int32Array(initialCapacity);
    this.right = new Int32Array(initialCapacity);
    this.rule = new Uint8Array(initialCapacity);
  }

  push(left: number, right: number, rule: number): void {
    if (this.count === this.left.length) this.grow();
    this.left[this.count] = left;
    this.right[this.count] = right;
    this.rule[this.count] = rule;
    this.count += 1;
  }

  private grow(): void {
    const capacity = this.left.length * 2;
    const left = new Int32Array(capacity);
    const right = new Int32Array(capacity);
    const rule = new Uint8Array(capacity);
    left.set(this.left);
    right.set(this.right);
    rule.set(this.rule);
    this.left = left;
    this.right = right;
    this.rule = rule;
  }
}

/** Candidate pairs as compact columns: pair `k` is (left[k], right[k]), found by rule[k]. */
export interface CandidatePairs {
  readonly count: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly rule: Uint8Array;
}

/** Trims a buffer to its filled length. */
export function candidatePairsOf(buffer: PairBuffer): CandidatePairs {
  return {
    count: buffer.count,
    left: buffer.left.subarray(0, buffer.count),
    right: buffer.right.subarray(0, buffer.count),
    rule: buffer.rule.subarray(0, buffer.count),
  };
}
