import type { KeyObject } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import type { AuditRepository } from "@passage/store";
import { AccessErrors } from "../access-errors.ts";
import { type AuditEntry, type AuditEvent, decodeAuditEntryOrThrow } from "../audit/audit-entry.ts";
import { type AuditVerification, type CheckpointSource, verifyAuditLog } from "../audit/audit-verifier.ts";
import {
  checkpointSignatureProblem,
  parseSignedCheckpointOrThrow,
  type SignedCheckpoint,
  signCheckpoint,
} from "../audit/checkpoint.ts";
import { hashFromHex, leafHash, toHex } from "../audit/merkle-hash.ts";
import { inclusionProof, verifyInclusion } from "../audit/merkle-proofs.ts";
import { MerkleTreeBuilder } from "../audit/merkle-tree-builder.ts";
import { AuditAppendQueue } from "./audit-append-queue.ts";
import { readCheckpointFiles, writeCheckpointFile } from "./checkpoint-files.ts";
import {
  type AuditPaths,
  auditPathsOf,
  loadOrCreateSigningKey,
  readPublicKeyOrThrow,
} from "./signing-key.ts";
import { WorkerMerkleAccumulator } from "./worker-merkle-accumulator.ts";

export interface AuditLogOptions {
  readonly repository: AuditRepository;
  /** The data directory: key pair and checkpoint files live in `<dataDir>/audit/`. */
  readonly dataDir: string;
  /** Write a checkpoint once this many entries were appended since the last (default 10,000). */
  readonly checkpointEveryEntries?: number;
  /** With `startCheckpointing()`, write a checkpoint this often when there are new entries (default 60 s). */
  readonly checkpointIntervalMs?: number;
  /** Entries appended in one transaction at most (default 1,000). */
  readonly maxBatch?: number;
  /** Where background checkpoint failures go (default: stderr). */
  readonly onError?: (error: unknown) => void;
  readonly now?: () => Date;
}

/** An inclusion proof of one entry against a signed checkpoint, as `passage audit prove` prints it. */
export interface InclusionProofDocument {
  readonly index: number;
  readonly entry: AuditEntry;
  readonly leafHash: string;
  readonly treeSize: number;
  readonly rootHash: string;
  /** The audit path, leaf to root (RFC 9162 §2.1.3.1), hex. */
  readonly proof: readonly string[];
  readonly checkpoint: SignedCheckpoint;
  readonly verified: boolean;
}

export interface VerifyOptions {
  /** Verify checkpoints with this public key file instead of `<dataDir>/audit/public-key.pem`. */
  readonly publicKeyFile?: string | undefined;
  /** Read checkpoint files from here instead of `<dataDir>/audit/checkpoints`. */
  readonly checkpointDirectory?: string | undefined;
  /**
   * Build the tree on a worker thread. `auto` (default) does so for logs of 50,000 entries or more
   * on machines with at least 2 cores: reading and leaf hashing keep this thread the busiest, and
   * on 2 cores the worker's node hashes fit beside PostgreSQL's COPY (1M entries: 3.1 s of CPU on
   * this thread instead of 4.3 s).
   */
  readonly parallel?: boolean | "auto";
}

const PARALLEL_FROM_ENTRIES = 50_000;
const PARALLEL_FROM_CORES = 2;
/**
 * A checkpoint reads the new entries in chunks of this many rows and hashes them in slices of this
 * many, letting other work run in between: in one piece, the 10,000 entries a busy server adds
 * between checkpoints held its thread for about 50 ms, and every request in flight waited.
 */
const CHECKPOINT_READ_ROWS = 5_000;
const CHECKPOINT_SLICE_ENTRIES = 500;

/**
 * The tamper-evident audit log: appends entries (concurrent callers are grouped into one
 * transaction), signs checkpoints into the database and into files outside it, verifies the
 * whole log and proves single entries.
 */
export class AuditLog {
  readonly paths: AuditPaths;
  readonly #repository: AuditRepository;
  readonly #options: AuditLogOptions;
  readonly #appends: AuditAppendQueue;
  #sinceCheckpoint = 0;
  #checkpointing: Promise<SignedCheckpoint | undefined> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
  // Set once a verification fails: a checkpoint must never sign a log known to be tampered with.
  #tampered: string | undefined;

  constructor(options: AuditLogOptions) {
    this.#repository = options.repository;
    this.#options = options;
    this.paths = auditPathsOf(options.dataDir);
    this.#appends = new AuditAppendQueue({
      repository: options.repository,
      maxBatch: options.maxBatch,
      onCommitted: (count) => {
        this.#sinceCheckpoint += count;
      },
      onIdle: () => {
        if (this.#sinceCheckpoint >= (this.#options.checkpointEveryEntries ?? 10_000))
          this.#checkpointInBackground();
      },
    });
  }

  /** Appends one event; resolves with its index once it is committed (concurrent callers share a transaction). */
  append(event: AuditEvent): Promise<number> {
    return this.#appends.append(event);
  }

  /** Resolves once every entry appended so far is committed. */
  flush(): Promise<void> {
    return this.#appends.flush();
  }

  /** Writes a checkpoint every `checkpointIntervalMs` while there are new entries; `close()` stops it. */
  startCheckpointing(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#sinceCheckpoint > 0) this.#checkpointInBackground();
    }, this.#options.checkpointIntervalMs ?? 60_000);
    this.#timer.unref();
  }

  #checkpointInBackground(): void {
    this.checkpoint().catch((error) => {
      (
        this.#options.onError ??
        ((problem) => process.stderr.write(`audit checkpoint failed: ${String(problem)}\n`))
      )(error);
    });
  }

  /**
   * Signs the current tree head into the database and a file, unless the latest checkpoint
   * already covers every entry (then makes sure its file exists). New leaves are recomputed from
   * the entries' content, never taken from their recorded hashes, and the tree resumes from the
   * last checkpoint's frontier, so a checkpoint costs only the entries since the last one.
   */
  checkpoint(): Promise<SignedCheckpoint | undefined> {
    this.#checkpointing ??= this.#writeCheckpoint().finally(() => {
      this.#checkpointing = undefined;
    });
    return this.#checkpointing;
  }

  async #writeCheckpoint(): Promise<SignedCheckpoint | undefined> {
    await this.flush();
    if (this.#tampered)
      throw AccessErrors.tampered.create(`${this.#tampered}; refusing to sign a checkpoint`);
    const keys = this.#signingKeys();
    const latest = await this.#repository.latestCheckpoint();
    const size = await this.#repository.recordedSize();
    this.#sinceCheckpoint = 0;
    if (latest && latest.treeSize >= size) {
      const signed = parseSignedCheckpointOrThrow(latest.document, "the database");
      writeCheckpointFile(this.paths.checkpoints, signed);
      return signed;
    }
    if (size === 0) return undefined;
    const builder = latest
      ? MerkleTreeBuilder.fromFrontier(latest.treeSize, latest.frontier)
      : new MerkleTreeBuilder();
    for (let from = builder.size; from < size; from += CHECKPOINT_READ_ROWS) {
      const to = Math.min(size, from + CHECKPOINT_READ_ROWS);
      const rows = await this.#repository.readEntries(from, to);
      for (let index = from; index < to; index++) {
        // A server checkpoints while it answers requests, each waiting on this thread.
        if (index > from && (index - from) % CHECKPOINT_SLICE_ENTRIES === 0) await yieldToEventLoop();
        const row = rows[index - from];
        if (row?.sequence !== index) {
          throw AccessErrors.tampered.create(`entry ${index} is missing; refusing to sign a checkpoint`);
        }
        const leaf = leafHash(row.content);
        if (!leaf.equals(row.leafHash)) {
          throw AccessErrors.tampered.create(
            `entry ${index} does not match its leaf hash; refusing to sign a checkpoint`,
          );
        }
        builder.append(leaf);
      }
    }
    const signed = signCheckpoint(
      {
        treeSize: size,
        rootHash: toHex(builder.root()),
        timestamp: (this.#options.now?.() ?? new Date()).toISOString(),
      },
      keys.privateKey,
    );
    // The file first: if the database insert then fails, the file still binds the log.
    writeCheckpointFile(this.paths.checkpoints, signed);
    await this.#repository.insertCheckpoint({
      treeSize: size,
      rootHash: hashFromHex(signed.rootHash)!,
      signedAt: signed.timestamp,
      keyId: signed.keyId,
      signature: Buffer.from(signed.signature, "base64"),
      document: { ...signed },
      frontier: builder.frontier(),
    });
    return signed;
  }

  #signingKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
    this.#keys ??= loadOrCreateSigningKey(this.paths);
    return this.#keys;
  }

  /**
   * Verifies the whole log against every checkpoint file and database checkpoint (see
   * `verifyAuditLog`). Files are read before the database snapshot is taken, so a checkpoint
   * written meanwhile cannot look like a truncated tail.
   */
  async verify(options: VerifyOptions = {}): Promise<AuditVerification> {
    await this.flush();
    // A directory named on purpose must be there: a mistyped path would otherwise verify nothing
    // of what is kept outside the database and still report success.
    if (options.checkpointDirectory !== undefined && !isDirectory(options.checkpointDirectory)) {
      throw AccessErrors.checkpointDirectoryNotFound.create(options.checkpointDirectory);
    }
    const files = readCheckpointFiles(options.checkpointDirectory ?? this.paths.checkpoints);
    const keyFile = options.publicKeyFile ?? this.paths.publicKey;
    const publicKey =
      options.publicKeyFile !== undefined || fs.existsSync(keyFile)
        ? readPublicKeyOrThrow(keyFile)
        : undefined;
    const snapshot = await this.#repository.openSnapshot();
    try {
      const stored: CheckpointSource[] = [];
      const problems = [...files.problems];
      for (const row of snapshot.checkpoints) {
        try {
          stored.push({
            source: "database",
            checkpoint: parseSignedCheckpointOrThrow(row.document, "database"),
          });
        } catch (error) {
          problems.push({ kind: "checkpoint", source: "database", reason: (error as Error).message });
        }
      }
      const parallel = options.parallel ?? "auto";
      const result = await verifyAuditLog({
        entries: snapshot.entries(),
        checkpoints: [...files.checkpoints, ...stored],
        publicKey,
        recordedSize: snapshot.recordedSize,
        tree:
          parallel === true ||
          (parallel === "auto" &&
            snapshot.recordedSize >= PARALLEL_FROM_ENTRIES &&
            os.availableParallelism() >= PARALLEL_FROM_CORES)
            ? new WorkerMerkleAccumulator()
            : undefined,
      });
      const all = [...problems, ...result.problems];
      if (all.length > 0) this.#tampered = all[0]!.reason;
      return { ...result, ok: all.length === 0, problems: all };
    } finally {
      await snapshot.close();
    }
  }

  /** The inclusion proof of entry `index` against the latest checkpoint that covers it. */
  async prove(index: number): Promise<InclusionProofDocument> {
    await this.flush();
    const size = await this.#repository.recordedSize();
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw AccessErrors.auditEntryNotFound.create(String(index), size);
    }
    const latest = await this.#repository.latestCheckpoint();
    if (!latest || latest.treeSize <= index) throw AccessErrors.noCheckpoint.create(index);
    const checkpoint = parseSignedCheckpointOrThrow(latest.document, "database");
    const row = await this.#repository.readEntry(index);
    if (!row) throw AccessErrors.tampered.create(`entry ${index} is missing`);
    const leaves = await this.#repository.readLeafHashes(0, checkpoint.treeSize);
    const leaf = leafHash(row.content);
    leaves[index] = leaf;
    const proof = inclusionProof(leaves, index, checkpoint.treeSize);
    const root = hashFromHex(checkpoint.rootHash)!;
    const signatureProblem = checkpointSignatureProblem(checkpoint, this.#signingKeys().publicKey);
    const verified =
      signatureProblem === undefined && verifyInclusion(leaf, index, checkpoint.treeSize, proof, root);
    return {
      index,
      entry: decodeAuditEntryOrThrow(row.content),
      leafHash: toHex(leaf),
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      proof: proof.map(toHex),
      checkpoint,
      verified,
    };
  }

  /**
   * Commits pending entries, stops the checkpoint timer, when entries were added signs a last
   * checkpoint, and ends the repository's connections for appends.
   */
  async close(options: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.#checkpointing) await this.#checkpointing.catch(() => undefined);
    if (options.checkpoint !== false && this.#sinceCheckpoint > 0 && !this.#tampered) await this.checkpoint();
    await this.#repository.close();
  }
}

/** Resolves once the event loop has run what was waiting (I/O callbacks, timers). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isDirectory(directory: string): boolean {
  try {
    return fs.statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
