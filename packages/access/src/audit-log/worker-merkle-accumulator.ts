import { Worker } from "node:worker_threads";
import type { MerkleAccumulator } from "../audit/audit-verifier.ts";
import type { HashString } from "../audit/merkle-hash.ts";

// The worker builds the tree exactly as MerkleTreeBuilder does (RFC 9162 §2.1.1: node =
// SHA-256(0x01 || left || right), perfect subtrees kept on a stack, hashes as latin1 strings);
// it is plain JavaScript evaluated in the worker so it needs no TypeScript loader there. A test
// checks both agree.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const crypto = require("node:crypto");
const scratch = Buffer.alloc(65);
scratch[0] = 1;
const stack = [];
let size = 0;
const node = (left, right) => {
  scratch.latin1Write(left, 1);
  scratch.latin1Write(right, 33);
  return crypto.hash("sha256", scratch, "latin1");
};
parentPort.on("message", (message) => {
  if (message.leaves) {
    const leaves = Buffer.from(message.leaves);
    for (let offset = 0; offset < leaves.length; offset += 32) {
      let hash = leaves.latin1Slice(offset, offset + 32);
      for (let rest = size; rest % 2 === 1; rest = (rest - 1) / 2) hash = node(stack.pop(), hash);
      stack.push(hash);
      size += 1;
    }
  }
  if (message.rootAt !== undefined) {
    let root = stack.length === 0 ? crypto.hash("sha256", Buffer.alloc(0), "latin1") : stack[stack.length - 1];
    for (let index = stack.length - 2; index >= 0; index--) root = node(stack[index], root);
    parentPort.postMessage({ id: message.id, size, root });
  }
});
`;

const LEAVES_PER_MESSAGE = 8_192;

/**
 * Builds the Merkle tree on a worker thread while the caller reads and hashes entries: on a
 * 2-core machine verification then uses both cores (leaf hashes here, node hashes there).
 */
export class WorkerMerkleAccumulator implements MerkleAccumulator {
  readonly #worker = new Worker(WORKER_SOURCE, { eval: true });
  #batch = Buffer.allocUnsafe(LEAVES_PER_MESSAGE * 32);
  #filled = 0;
  #nextId = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (root: Buffer) => void; reject: (error: unknown) => void }
  >();
  #failure: unknown;

  constructor() {
    this.#worker.on("message", (message: { id: number; root: HashString }) => {
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      waiting?.resolve(Buffer.from(message.root, "latin1"));
    });
    this.#worker.on("error", (error) => {
      this.#failure = error;
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    });
  }

  append(leaf: HashString): void {
    this.#batch.write(leaf, this.#filled * 32, "latin1");
    this.#filled += 1;
    if (this.#filled === LEAVES_PER_MESSAGE) this.#send();
  }

  rootAt(size: number): Promise<Buffer> {
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
    const leaves = this.#batch.buffer.slice(
      this.#batch.byteOffset,
      this.#batch.byteOffset + this.#filled * 32,
    );
    this.#worker.postMessage({ leaves }, [leaves]);
    this.#batch = Buffer.allocUnsafe(LEAVES_PER_MESSAGE * 32);
    this.#filled = 0;
  }
}
