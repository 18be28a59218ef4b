import type { KeyObject } from "node:crypto";
import { readEntryIndex } from "./audit-entry.ts";
import { checkpointSignatureProblem, type SignedCheckpoint } from "./checkpoint.ts";
import { leafHash, toHex } from "./merkle-hash.ts";
import { MerkleTreeBuilder } from "./merkle-tree-builder.ts";

/** An entry as stored: its position, canonical content and the leaf hash recorded when it was written. */
export interface StoredAuditEntry {
  readonly sequence: number;
  readonly content: Uint8Array;
  /** The recorded leaf hash, if the store keeps one; it is compared, never trusted. */
  readonly leafHash?: Uint8Array | undefined;
}

/** A checkpoint and where it was read from (a file path, or `database`). */
export interface CheckpointSource {
  readonly source: string;
  readonly checkpoint: SignedCheckpoint;
}

export interface AuditVerificationInput {
  /** Every stored entry in sequence order, in batches. */
  readonly entries: AsyncIterable<readonly StoredAuditEntry[]> | Iterable<readonly StoredAuditEntry[]>;
  readonly checkpoints: readonly CheckpointSource[];
  /** The log's Ed25519 public key: the only thing the verifier has to trust (none: no checkpoint can verify). */
  readonly publicKey: KeyObject | undefined;
  /** The number of entries the store says it holds (its head counter), when it keeps one. */
  readonly recordedSize?: number | undefined;
}

/** One thing that is wrong: the first bad entry (`index`), or a checkpoint that does not verify. */
export interface AuditProblem {
  readonly kind: "entry" | "checkpoint";
  /** The first entry that is missing, altered or out of place (for `entry`). */
  readonly index?: number;
  /** The checkpoint's source (for `checkpoint`). */
  readonly source?: string;
  readonly reason: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  /** MTH over every entry read. */
  readonly rootHash: string;
  /** Checkpoints whose signature verified and whose root the entries reproduce. */
  readonly checkpointsVerified: number;
  /** The largest verified checkpoint, if any. */
  readonly latestCheckpoint: SignedCheckpoint | undefined;
  readonly problems: readonly AuditProblem[];
}

/**
 * Verifies a log from its entries, its checkpoints and the public key alone, in one streaming
 * pass: every leaf is recomputed from the entry's content, positions must be gapless and in
 * order, and the running Merkle head must equal the root signed by each checkpoint when the pass
 * reaches that checkpoint's size — which proves every entry before it included and every earlier
 * checkpoint consistent with it (RFC 9162 §2.1.3-2.1.4) without building a proof per entry. A
 * checkpoint beyond the last entry is a truncated tail. Stops at the first bad entry.
 */
export async function verifyAuditLog(input: AuditVerificationInput): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const checkpoints = trustedCheckpoints(input, problems);
  const builder = new MerkleTreeBuilder();
  let nextCheckpoint = 0;
  // A head of the empty log has nothing to reach in the pass below; check it here.
  while (checkpoints[nextCheckpoint]?.checkpoint.treeSize === 0) {
    const { source, checkpoint } = checkpoints[nextCheckpoint]!;
    if (checkpoint.rootHash !== toHex(builder.root())) {
      problems.push({
        kind: "checkpoint",
        source,
        reason: `checkpoint for 0 entries (${source}) has a wrong root`,
      });
    }
    nextCheckpoint += 1;
  }
  let verifiedUpTo = 0;
  let verified = 0;
  let latest: SignedCheckpoint | undefined;
  let position = 0;

  const fail = (index: number, reason: string) => {
    problems.push({ kind: "entry", index, reason });
  };

  scan: for await (const batch of input.entries) {
    for (const entry of batch) {
      const leaf = leafHash(entry.content);
      const problem = entryProblem(entry, leaf, position);
      if (problem) {
        fail(position, problem);
        break scan;
      }
      builder.append(leaf);
      position += 1;
      while (
        nextCheckpoint < checkpoints.length &&
        checkpoints[nextCheckpoint]!.checkpoint.treeSize === position
      ) {
        const { source, checkpoint } = checkpoints[nextCheckpoint]!;
        nextCheckpoint += 1;
        if (toHex(builder.root()) !== checkpoint.rootHash) {
          fail(
            verifiedUpTo,
            `entries ${verifiedUpTo}..${position - 1} do not reproduce the root signed at ${checkpoint.timestamp} ` +
              `for ${checkpoint.treeSize} entries (${source}): an entry in that range was altered or replaced ` +
              `together with its recorded hash` +
              (verifiedUpTo > 0
                ? `; entries before ${verifiedUpTo} are proven by an earlier checkpoint`
                : ""),
          );
          break scan;
        }
        verifiedUpTo = position;
        verified += 1;
        latest = checkpoint;
      }
    }
  }

  const stoppedEarly = problems.some((problem) => problem.kind === "entry");
  if (!stoppedEarly) {
    const beyond = checkpoints.slice(nextCheckpoint).filter((item) => item.checkpoint.treeSize > position);
    if (beyond.length > 0) {
      const largest = beyond[beyond.length - 1]!;
      fail(
        position,
        `the log ends after ${position} entries but a checkpoint signed at ${largest.checkpoint.timestamp} ` +
          `covers ${largest.checkpoint.treeSize} (${largest.source}): entries ${position}..` +
          `${largest.checkpoint.treeSize - 1} were deleted (truncated tail)`,
      );
    } else if (input.recordedSize !== undefined && input.recordedSize !== position) {
      fail(
        Math.min(position, input.recordedSize),
        input.recordedSize > position
          ? `the log's head records ${input.recordedSize} entries but only ${position} are stored: entries ` +
              `${position}..${input.recordedSize - 1} were deleted`
          : `the log holds ${position} entries but its head records ${input.recordedSize}: entries from ` +
              `${input.recordedSize} on were inserted outside the log`,
      );
    }
  }

  return {
    ok: problems.length === 0,
    entries: position,
    rootHash: toHex(builder.root()),
    checkpointsVerified: verified,
    latestCheckpoint: latest,
    problems,
  };
}

function entryProblem(entry: StoredAuditEntry, leaf: Buffer, position: number): string | undefined {
  if (entry.sequence !== position) {
    return entry.sequence > position
      ? `entry ${position} is missing: the next stored entry is ${entry.sequence} (entries ${position}..` +
          `${entry.sequence - 1} were deleted)`
      : `entry ${entry.sequence} is stored again or out of order at position ${position}`;
  }
  if (entry.leafHash !== undefined && !leaf.equals(entry.leafHash)) {
    return `entry ${position}'s content does not match the leaf hash recorded when it was written (altered)`;
  }
  const index = readEntryIndex(entry.content);
  if (index === undefined) return `entry ${position} is not a canonical audit entry`;
  if (index !== position) {
    return `entry ${position} holds the content of entry ${index} (entries were moved or reordered)`;
  }
  return undefined;
}

/** Checkpoints whose signatures verify, by size; the others become problems. */
function trustedCheckpoints(input: AuditVerificationInput, problems: AuditProblem[]): CheckpointSource[] {
  const trusted = new Map<string, CheckpointSource>();
  for (const item of input.checkpoints) {
    const problem = input.publicKey
      ? checkpointSignatureProblem(item.checkpoint, input.publicKey)
      : "there is no public key to verify it with";
    if (problem) {
      problems.push({
        kind: "checkpoint",
        source: item.source,
        reason: `checkpoint for ${item.checkpoint.treeSize} entries (${item.source}) does not verify: ${problem}`,
      });
      continue;
    }
    // The same head read from the database and from its file is checked once.
    const key = `${item.checkpoint.treeSize}:${item.checkpoint.rootHash}`;
    if (!trusted.has(key)) trusted.set(key, item);
  }
  return [...trusted.values()].sort((a, b) => a.checkpoint.treeSize - b.checkpoint.treeSize);
}
