import { Worker } from "node:worker_threads";
import type { MerkleAccumulator, TreeHead } from "../audit/audit-verifier.ts";

// The worker does what InProcessMerkleAccumulator does (RFC 9162 §2.1.1: leaf = SHA-256(0x00 ||
// entry), node = SHA-256(0x01 || left || right), perfect subtrees kept on a stack, hashes as
// latin1 strings; the first entry whose leaf differs from its recorded hash stops the tree). It is
// plain JavaScript evaluated in the worker, so it needs no TypeScript loader there; the tests
// check both agree, on intact and on tampered logs.
//
// A batch holds entries back to back, each: flags (1 = a recorded hash follows, 2 = append,
// 4 = the recorded hash is not 32 bytes, so it matches no leaf), the recorded hash (32 bytes), the content's length (32-bit), 0x00, the content. The 0x00 is
// the leaf prefix: the leaf is hashed where it lies, without a copy.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const crypto = require("node:crypto");
const scratch = Buffer.alloc(65);
scratch[0] = 1;
const stack = [];
let size = 0;
let sent = 0;
let mismatch;
const node = (left, right) => {
  scratch.latin1Write(left, 1);
  scratch.latin1Write(right, 33);
  return crypto.hash("sha256", scratch, "latin1");
};
const matches = (leaf, batch, offset) => {
  for (let index = 0; index < 32; index++) if (leaf.charCodeAt(index) !== batch[offset + index]) return false;
  return true;
};
parentPort.on("message", (message) => {
  if (message.entries) {
    const batch = Buffer.from(message.entries, 0, message.length);
    for (let offset = 0; offset < batch.length; ) {
      const flags = batch[offset];
      const length = batch.readUInt32LE(offset + 33);
      const start = offset + 37;
      offset = start + 1 + length;
      const position = sent++;
      if (mismatch !== undefined) continue;
      const leaf = crypto.hash("sha256", batch.subarray(start, offset), "latin1");
      if ((flags & 4) !== 0 || ((flags & 1) !== 0 && !matches(leaf, batch, start - 36))) {
        mismatch = position;
        continue;
      }
      if ((flags & 2) === 0) continue;
      let hash = leaf;
      for (let rest = size; rest % 2 === 1; rest = (rest - 1) / 2) hash = node(stack.pop(), hash);
      stack.push(hash);
      size += 1;
    }
  }
  if (message.rootAt !== undefined) {
    let root = stack.length === 0 ? crypto.hash("sha256", Buffer.alloc(0), "latin1") : stack[stack.length - 1];
    for (let index = stack.length - 2; index >= 0; index--) root = node(stack[index], root);
    parentPort.postMessage({ id: message.id, size, root, mismatch });
  }
});
`;

const BATCH_BYTES = 1 << 20;
const ENTRY_HEADER = 1 + 32 + 4 + 1;

/**
 * Hashes leaves and builds the Merkle tree on a worker thread while the caller reads entries
 * and checks their positions: on a 2-core machine verification then uses both cores.
 */
export class WorkerMerkleAccumulator implements MerkleAccumulator {
  readonly #worker = new Worker(WORKER_SOURCE, { eval: true });
  #batch = Buffer.allocUnsafe(BATCH_BYTES);
  #filled = 0;
  #nextId = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (head: TreeHead) => void; reject: (error: unknown) => void }
  >();
  #failure: unknown;

  constructor() {
    this.#worker.on("message", (message: { id: number; size: number; root: string; mismatch?: number }) => {
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      waiting?.resolve({
        size: message.size,
        root: Buffer.from(message.root, "latin1"),
        mismatch: message.mismatch,
      });
    });
    this.#worker.on("error", (error) => {
      this.#failure = error;
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    });
  }

  appendEntry(content: Uint8Array, recordedLeafHash: Uint8Array | undefined, append: boolean): void {
    const needed = ENTRY_HEADER + content.length;
    if (this.#filled + needed > this.#batch.length) {
      this.#send();
      if (needed > this.#batch.length) this.#batch = Buffer.allocUnsafe(Math.max(needed, BATCH_BYTES));
    }
    const batch = this.#batch;
    const offset = this.#filled;
    let flags = append ? 2 : 0;
    if (recordedLeafHash !== undefined) {
      if (recordedLeafHash.length === 32) {
        flags |= 1;
        batch.set(recordedLeafHash, offset + 1);
      } else flags |= 4;
    }
    batch[offset] = flags;
    batch.writeUInt32LE(content.length, offset + 33);
    batch[offset + 37] = 0x00;
    batch.set(content, offset + ENTRY_HEADER);
    this.#filled = offset + needed;
  }

  rootAt(size: number): Promise<TreeHead> {
    this.#send();
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ rootAt: size, id });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #send(): void {
    if (this.#filled === 0) return;
    // The batch's memory moves to the worker (batches of BATCH_BYTES or more have an ArrayBuffer
    // of their own, never Node's shared pool); a new one takes its place.
    const entries = this.#batch.buffer;
    this.#worker.postMessage({ entries, length: this.#filled }, [entries]);
    this.#batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.#filled = 0;
  }
}
