import type { KeyObject } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import type { AuditCheckpointRow, AuditRepository } from "@passage/store";
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
import { readCheckpointFiles, readCheckpointFilesFrom, writeCheckpointFile } from "./checkpoint-files.ts";
import { type AuditPaths, auditPathsOf, loadSigningKey, readPublicKeyOrThrow } from "./signing-key.ts";
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
  /** Always true: `prove` throws `PASSAGE_ERR_AUDIT_TAMPERED` when the proof does not reach the signed root. */
  readonly verified: boolean;
}

/** A verification of the log, with what is not tampering but weakens it. */
export interface AuditLogVerification extends AuditVerification {
  /** Database checkpoints with no checkpoint file of their tree size among those verified against. */
  readonly checkpointsWithoutCopy: number;
  /**
   * Database checkpoints whose checkpoint file of the same tree size is not a copy of them (another
   * root, or a signature that does not verify): an altered or forged copy, not a missing one.
   */
  readonly checkpointsWithMismatchingCopy: number;
  /** Lines to show beside the result (not failures). */
  readonly warnings: readonly string[];
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
  // A background checkpoint refused as tampering: it resets the count of entries since the last
  // checkpoint, so `close()` would sign nothing and end quietly; it reports this instead.
  #refusedInBackground: unknown;

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
      if ((error as { code?: unknown }).code === AccessErrors.tampered.code)
        this.#refusedInBackground ??= error;
      this.#reportCheckpointFailure(error);
    });
  }

  #reportCheckpointFailure(error: unknown): void {
    (
      this.#options.onError ??
      ((problem) => process.stderr.write(`audit checkpoint failed: ${String(problem)}\n`))
    )(error);
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
    const keys = await this.#signingKeys();
    const { size, latest, files } = await this.#headToSign(keys.publicKey);
    this.#sinceCheckpoint = 0;
    if (latest && latest.checkpoint.treeSize === size) {
      writeCheckpointFile(this.paths.checkpoints, latest.checkpoint);
      return latest.checkpoint;
    }
    if (size === 0) return undefined;
    const builder = latest
      ? MerkleTreeBuilder.fromFrontier(latest.row.treeSize, latest.row.frontier)
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
        const file = files.get(index + 1);
        if (file && toHex(builder.root()) !== file.checkpoint.rootHash) {
          throw AccessErrors.tampered.create(
            `entries 0..${index} do not reproduce the root signed for ${index + 1} entries in ${file.source}: ` +
              "the log is inconsistent with a signed checkpoint kept outside the database (audit verify names " +
              "what changed); refusing to sign a checkpoint",
          );
        }
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

  /**
   * The head to sign: the log's size, the database checkpoint to resume from and the checkpoint
   * files to reproduce on the way (`#checkpointFilesToMatch`). The files kept outside the database
   * bind the log too: a log truncated under a signed file (its database checkpoints deleted with
   * the entries) must not be signed again at a smaller size, nor its replacement entries signed
   * over the deleted ones, so a file beyond the size read is `PASSAGE_ERR_AUDIT_TAMPERED`, naming
   * it. Unless the size read again after the files covers it: then another process (a command run
   * beside this one) signed it meanwhile over entries appended since the first read; entries are
   * never removed, so a checkpoint signed before a read never exceeds it. The head is then taken
   * again at that size, and the file is reproduced like any other.
   */
  async #headToSign(publicKey: KeyObject): Promise<{
    size: number;
    latest: { row: AuditCheckpointRow; checkpoint: SignedCheckpoint } | undefined;
    files: Map<number, CheckpointSource>;
  }> {
    let size = await this.#repository.recordedSize();
    for (;;) {
      // Only a checkpoint signed with the log's key, within the head, whose frontier reproduces
      // its signed root is resumed from: a row inserted or altered in the database (which `verify`
      // names) must neither stop checkpointing nor make the key sign a root it did not compute.
      const latest = await this.#latestTrustedCheckpoint(size, publicKey, true);
      const { files, largest } = this.#checkpointFilesToMatch(latest?.checkpoint, publicKey);
      if (!largest || largest.checkpoint.treeSize <= size) return { size, latest, files };
      const now = await this.#repository.recordedSize();
      if (largest.checkpoint.treeSize > now) {
        throw AccessErrors.tampered.create(
          `the log holds ${now} entries but ${largest.source} is a checkpoint signed at ` +
            `${largest.checkpoint.timestamp} for ${largest.checkpoint.treeSize}: entries were deleted under it ` +
            "(audit verify names them); refusing to sign a checkpoint",
        );
      }
      size = now;
    }
  }

  /**
   * The checkpoint files signed with the log's key beyond `latest` (the database checkpoint the
   * tree resumes from), by tree size, for the tree to reproduce as it passes their sizes, and the
   * largest of them (`#headToSign` compares it with the log's size). Throws
   * `PASSAGE_ERR_AUDIT_TAMPERED` naming the file when one has `latest`'s size and another root:
   * the log was rewritten under it.
   */
  #checkpointFilesToMatch(
    latest: SignedCheckpoint | undefined,
    publicKey: KeyObject,
  ): { files: Map<number, CheckpointSource>; largest: CheckpointSource | undefined } {
    const from = latest?.treeSize ?? 0;
    const files = readCheckpointFilesFrom(this.paths.checkpoints, from).filter(
      ({ checkpoint }) => checkpoint.treeSize >= from && !checkpointSignatureProblem(checkpoint, publicKey),
    );
    const largest = files.reduce<CheckpointSource | undefined>(
      (found, file) => (found && found.checkpoint.treeSize >= file.checkpoint.treeSize ? found : file),
      undefined,
    );
    const bySize = new Map<number, CheckpointSource>();
    for (const file of files) {
      const { checkpoint } = file;
      if (latest && checkpoint.treeSize === latest.treeSize && checkpoint.rootHash !== latest.rootHash) {
        throw AccessErrors.tampered.create(
          `${file.source} and the database checkpoint both sign ${checkpoint.treeSize} entries with different ` +
            "roots: the log is inconsistent with a signed checkpoint kept outside the database; refusing to sign a checkpoint",
        );
      }
      if (checkpoint.treeSize > from) bySize.set(checkpoint.treeSize, file);
    }
    return { files: bySize, largest };
  }

  /**
   * The database checkpoint with the largest tree size at most `size` that can be trusted (see
   * `storedCheckpointProblem`); rows that cannot are passed over.
   */
  async #latestTrustedCheckpoint(
    size: number,
    publicKey: KeyObject,
    withFrontier: boolean,
  ): Promise<{ row: AuditCheckpointRow; checkpoint: SignedCheckpoint } | undefined> {
    for (let atMost = size; atMost >= 0; ) {
      const row = await this.#repository.latestCheckpoint(atMost);
      if (!row) return undefined;
      const trusted = trustStoredCheckpoint(row, publicKey, withFrontier);
      if (typeof trusted !== "string") return { row, checkpoint: trusted };
      atMost = row.treeSize - 1;
    }
    return undefined;
  }

  async #signingKeys(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    if (!this.#keys) {
      const hasCheckpoints =
        hasCheckpointFiles(this.paths.checkpoints) ||
        (await this.#repository.latestCheckpoint()) !== undefined;
      this.#keys = loadSigningKey(this.paths, hasCheckpoints);
    }
    return this.#keys;
  }

  /**
   * Verifies the whole log against every checkpoint file and database checkpoint (see
   * `verifyAuditLog`). Files are read before the database snapshot is taken, so a checkpoint
   * written meanwhile cannot look like a truncated tail. Database checkpoints with no copy among
   * the files, or whose file of the same size does not match them (altered or forged), are reported
   * as warnings: the copies kept outside the database are what a verifier who does not trust the
   * operators relies on.
   */
  async verify(options: VerifyOptions = {}): Promise<AuditLogVerification> {
    await this.flush();
    // A directory named on purpose must be there: a mistyped path would otherwise verify nothing
    // of what is kept outside the database and still report success.
    if (options.checkpointDirectory !== undefined && !isDirectory(options.checkpointDirectory)) {
      throw AccessErrors.checkpointDirectoryNotFound.create(options.checkpointDirectory);
    }
    const checkpointDirectory = options.checkpointDirectory ?? this.paths.checkpoints;
    const files = readCheckpointFiles(checkpointDirectory);
    const keyFile = options.publicKeyFile ?? this.paths.publicKey;
    // A key file named on purpose must be there: missing is a setup problem (not found), not a key
    // that cannot be read.
    if (options.publicKeyFile !== undefined && !fs.existsSync(options.publicKeyFile)) {
      throw AccessErrors.auditKeyMissing.create(
        options.publicKeyFile,
        "there is no such file; --public-key names the log's Ed25519 public key (PEM) to verify its checkpoints with",
      );
    }
    const publicKey =
      options.publicKeyFile !== undefined || fs.existsSync(keyFile)
        ? readPublicKeyOrThrow(keyFile)
        : undefined;
    const snapshot = await this.#repository.openSnapshot();
    try {
      if (!publicKey && (snapshot.checkpoints.length > 0 || files.checkpoints.length > 0)) {
        // A setup problem, not tampering: without the key no checkpoint can be checked at all.
        throw AccessErrors.auditKeyMissing.create(
          keyFile,
          "the log has signed checkpoints, which are verified with it; restore it, or name the log's " +
            "public key with --public-key FILE",
        );
      }
      const stored: CheckpointSource[] = [];
      const problems = [...files.problems];
      for (const row of snapshot.checkpoints) {
        // The frontier and columns are not signed; a row whose frontier or columns disagree with
        // its signed document was altered (its signed head is still checked like any other).
        const trusted = publicKey ? trustStoredCheckpoint(row, publicKey, true) : undefined;
        if (typeof trusted === "string" && !trusted.startsWith(SIGNATURE_PROBLEM)) {
          problems.push({
            kind: "checkpoint",
            source: "database",
            reason: `database checkpoint for ${row.treeSize} entries: ${trusted}`,
          });
        }
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
      // Forged rows are problems already; the warnings are about genuine checkpoints kept only inside.
      const genuine = stored
        .map(({ checkpoint }) => checkpoint)
        .filter((checkpoint) => publicKey && !checkpointSignatureProblem(checkpoint, publicKey));
      const copies = copiesOf(genuine, files.checkpoints, publicKey);
      const uncopied = copies.filter(({ copy }) => copy === "none").map(({ treeSize }) => treeSize);
      const mismatched = copies.filter(({ copy }) => copy === "mismatching").map(({ treeSize }) => treeSize);
      const warnings = [
        ...(uncopied.length === 0
          ? []
          : [
              `${uncopied.length} of ${genuine.length} database checkpoint(s) have no copy in ${checkpointDirectory} ` +
                `(tree sizes ${summarizeSizes(uncopied)}): they were verified with the key, but only copies kept ` +
                "outside the database bind the log against whoever can write to it",
            ]),
        ...(mismatched.length === 0
          ? []
          : [
              `${mismatched.length} of ${genuine.length} database checkpoint(s) have a mismatching copy in ` +
                `${checkpointDirectory} (tree sizes ${summarizeSizes(mismatched)}): the file of that size signs ` +
                "another root or its signature does not verify, so it was altered or forged and binds nothing",
            ]),
      ];
      return {
        ...result,
        ok: all.length === 0,
        problems: all,
        checkpointsWithoutCopy: uncopied.length,
        checkpointsWithMismatchingCopy: mismatched.length,
        warnings,
      };
    } finally {
      await snapshot.close();
    }
  }

  /**
   * The inclusion proof of entry `index` against the latest trusted database checkpoint that
   * covers it, or else the checkpoint file that does (`#checkpointCoveringOrThrow`). Throws `PASSAGE_ERR_AUDIT_TAMPERED` naming the first bad entry when the entry is missing or
   * altered or the proof does not reach the signed root.
   */
  async prove(index: number): Promise<InclusionProofDocument> {
    await this.flush();
    const size = await this.#repository.recordedSize();
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw AccessErrors.auditEntryNotFound.create(String(index), size);
    }
    const publicKey = this.#publicKeyOrThrow();
    const covering = await this.#checkpointCoveringOrThrow(index, size, publicKey);
    const { checkpoint } = covering;
    const row = await this.#repository.readEntry(index);
    if (!row) throw AccessErrors.tampered.create(`entry ${index} is missing (deleted)`);
    let entry: AuditEntry;
    try {
      entry = decodeAuditEntryOrThrow(row.content);
      if (entry.index !== index) throw new Error(`it holds the content of entry ${entry.index}`);
    } catch (error) {
      throw AccessErrors.tampered.create(
        `entry ${index} is not the canonical audit entry it was written as (altered): ${(error as Error).message}`,
      );
    }
    const recorded = await this.#repository.readLeafHashes(0, checkpoint.treeSize);
    const missing = recorded.indexOf(undefined);
    if (missing >= 0) {
      throw AccessErrors.tampered.create(
        `entry ${missing} is missing (deleted): entry ${index} cannot be proven against the checkpoint for ${checkpoint.treeSize} entries`,
      );
    }
    const leaves = recorded as Buffer[];
    const leaf = leafHash(row.content);
    leaves[index] = leaf;
    const proof = inclusionProof(leaves, index, checkpoint.treeSize);
    if (!verifyInclusion(leaf, index, checkpoint.treeSize, proof, hashFromHex(checkpoint.rootHash)!)) {
      throw AccessErrors.tampered.create(await this.#whyNotIncluded(index, covering));
    }
    return {
      index,
      entry,
      leafHash: toHex(leaf),
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      proof: proof.map(toHex),
      checkpoint,
      verified: true,
    };
  }

  /**
   * The checkpoint to prove entry `index` against: the latest trusted database checkpoint when one
   * covers it; else the smallest checkpoint file signed with the log's key that covers it (the
   * database's were deleted, say with a tail of the log, but the copies kept outside it still bind
   * the entries they cover). Throws `PASSAGE_ERR_AUDIT_TAMPERED` naming that file when it covers
   * more entries than the log holds (entries were deleted under it), and
   * `PASSAGE_ERR_AUDIT_NO_CHECKPOINT` only when no signed checkpoint covers the entry at all.
   */
  async #checkpointCoveringOrThrow(
    index: number,
    size: number,
    publicKey: KeyObject,
  ): Promise<CheckpointSource> {
    const latest = await this.#latestTrustedCheckpoint(size, publicKey, false);
    if (latest && latest.checkpoint.treeSize > index) {
      return { source: "the database checkpoint", checkpoint: latest.checkpoint };
    }
    const file = readCheckpointFilesFrom(this.paths.checkpoints, index + 1)
      .filter(
        ({ checkpoint }) => checkpoint.treeSize > index && !checkpointSignatureProblem(checkpoint, publicKey),
      )
      .reduce<CheckpointSource | undefined>(
        (found, each) => (found && found.checkpoint.treeSize <= each.checkpoint.treeSize ? found : each),
        undefined,
      );
    if (!file) throw AccessErrors.noCheckpoint.create(index);
    if (file.checkpoint.treeSize <= size) return file;
    // Another process may have signed the file since the size was read, over entries appended
    // meanwhile: the size read now covers it then (entries are never removed), a truncated log not.
    const now = await this.#repository.recordedSize();
    if (file.checkpoint.treeSize > now) {
      throw AccessErrors.tampered.create(
        `entry ${index} is covered by ${file.source}, a checkpoint signed at ${file.checkpoint.timestamp} for ` +
          `${file.checkpoint.treeSize} entries, but the log holds ${now} and no database checkpoint covers it: ` +
          "entries were deleted under the file (audit verify names them)",
      );
    }
    return file;
  }

  /** Names the first entry whose content does not match its recorded leaf hash, or the range. */
  async #whyNotIncluded(index: number, { source, checkpoint }: CheckpointSource): Promise<string> {
    for (let from = 0; from < checkpoint.treeSize; from += CHECKPOINT_READ_ROWS) {
      const to = Math.min(checkpoint.treeSize, from + CHECKPOINT_READ_ROWS);
      const rows = await this.#repository.readEntries(from, to);
      for (let position = from; position < to; position++) {
        const row = rows[position - from];
        if (row?.sequence !== position) return `entry ${position} is missing (deleted)`;
        if (!leafHash(row.content).equals(row.leafHash)) {
          return `entry ${position}'s content does not match the leaf hash recorded when it was written (altered)`;
        }
      }
    }
    return (
      `entry ${index} is not included in the checkpoint signed at ${checkpoint.timestamp} for ` +
      `${checkpoint.treeSize} entries (${source}): an entry within 0..${checkpoint.treeSize - 1} was altered, ` +
      "or deleted and replaced, together with its recorded hash (audit verify narrows the range)"
    );
  }

  #publicKeyOrThrow(): KeyObject {
    if (!fs.existsSync(this.paths.publicKey)) {
      throw AccessErrors.auditKeyMissing.create(
        this.paths.publicKey,
        "checkpoints are verified with it; restore it from a backup",
      );
    }
    return readPublicKeyOrThrow(this.paths.publicKey);
  }

  /**
   * Commits pending entries, stops the checkpoint timer, when entries were added signs a last
   * checkpoint, and ends the repository's connections for appends, also when that checkpoint
   * fails. A missing or mismatched key is reported through `onError`, not thrown; a log the
   * checkpoint refuses to sign (`PASSAGE_ERR_AUDIT_TAMPERED`), here or in the background while the
   * process ran, is thrown once the connections are ended: what the process did stands, and the caller decides how to report the tampering beside
   * it (the command line prints the command's output, then the error).
   */
  async close(options: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    try {
      await this.flush();
      if (this.#checkpointing) await this.#checkpointing.catch(() => undefined);
      if (options.checkpoint !== false && this.#sinceCheckpoint > 0 && !this.#tampered) {
        await this.checkpoint().catch((error: unknown) => {
          // A missing or replaced key file is reported, not thrown: what the process did (a
          // verification, a read) stands, and "passage audit checkpoint" fails on it loudly.
          const code = (error as { code?: unknown }).code;
          if (code !== AccessErrors.auditKeyMissing.code && code !== AccessErrors.signingKeyInvalid.code)
            throw error;
          this.#reportCheckpointFailure(error);
        });
      }
      if (options.checkpoint !== false && this.#refusedInBackground !== undefined)
        throw this.#refusedInBackground;
    } finally {
      await this.#repository.close();
    }
  }
}

/** Resolves once the event loop has run what was waiting (I/O callbacks, timers). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const SIGNATURE_PROBLEM = "its signature";

/**
 * The signed checkpoint a database row holds, or why it cannot be trusted: its signature does not
 * verify with the log's key, its columns disagree with the signed document, or (`withFrontier`)
 * the frontier stored to resume from does not reproduce the signed root.
 */
function trustStoredCheckpoint(
  row: AuditCheckpointRow,
  publicKey: KeyObject,
  withFrontier: boolean,
): SignedCheckpoint | string {
  let checkpoint: SignedCheckpoint;
  try {
    checkpoint = parseSignedCheckpointOrThrow(row.document, "the database checkpoint");
  } catch (error) {
    return `${SIGNATURE_PROBLEM} cannot be checked: ${(error as Error).message}`;
  }
  const signatureProblem = checkpointSignatureProblem(checkpoint, publicKey);
  if (signatureProblem) return `${SIGNATURE_PROBLEM} does not verify: ${signatureProblem}`;
  if (checkpoint.treeSize !== row.treeSize || checkpoint.rootHash !== toHex(row.rootHash)) {
    return `its row (tree size ${row.treeSize}, root ${toHex(row.rootHash)}) is not the signed head it holds (altered)`;
  }
  if (withFrontier) {
    let root: string;
    try {
      root = toHex(MerkleTreeBuilder.fromFrontier(row.treeSize, row.frontier).root());
    } catch (error) {
      return `its stored frontier is malformed (altered): ${(error as Error).message}`;
    }
    if (root !== checkpoint.rootHash)
      return "its stored frontier does not reproduce its signed root (altered)";
  }
  return checkpoint;
}

/**
 * Whether each genuine database checkpoint has a copy among the checkpoint files: a file of its
 * tree size with its root and a signature that verifies, or only files of its size that do not
 * match it (`mismatching`), or no file of its size (`none`).
 */
function copiesOf(
  checkpoints: readonly SignedCheckpoint[],
  files: readonly CheckpointSource[],
  publicKey: KeyObject | undefined,
): { treeSize: number; copy: "copied" | "mismatching" | "none" }[] {
  return checkpoints.map((checkpoint) => {
    const sameSize = files.filter((file) => file.checkpoint.treeSize === checkpoint.treeSize);
    const copied = sameSize.some(
      (file) =>
        file.checkpoint.rootHash === checkpoint.rootHash &&
        (!publicKey || !checkpointSignatureProblem(file.checkpoint, publicKey)),
    );
    return {
      treeSize: checkpoint.treeSize,
      copy: copied ? "copied" : sameSize.length > 0 ? "mismatching" : "none",
    };
  });
}

/** "3, 7, 12" or, for many, "3, 7, 12, ... (40 in all)". */
function summarizeSizes(sizes: readonly number[]): string {
  return sizes.length <= 5
    ? sizes.join(", ")
    : `${sizes.slice(0, 5).join(", ")}, ... (${sizes.length} in all)`;
}

function hasCheckpointFiles(directory: string): boolean {
  try {
    return fs.readdirSync(directory).some((name) => name.endsWith(".json"));
  } catch {
    return false;
  }
}

function isDirectory(directory: string): boolean {
  try {
    return fs.statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
