import type { KeyObject } from "node:crypto";
import { type AuditEntry, decodeAuditEntryOrThrow, ENTRY_PREFIX, readEntryIndex } from "./audit-entry.ts";
import { checkpointSignatureProblem, type SignedCheckpoint } from "./checkpoint.ts";
import { hashStringEquals, leafHashString, toHex } from "./merkle-hash.ts";
import { MerkleTreeBuilder } from "./merkle-tree-builder.ts";

/** An entry as stored: its position, canonical content and the leaf hash recorded when it was written. */
export interface StoredAuditEntry {
  readonly sequence: number;
  readonly content: Uint8Array;
  /** The recorded leaf hash, if the store keeps one; it is compared, never trusted. */
  readonly leafHash?: Uint8Array | undefined;
  /**
   * The columns search filters on, as the store keeps them beside the content (UTF-8), if it does.
   * The tree covers only the content, so each must say exactly what the content says.
   */
  readonly actor?: Uint8Array | undefined;
  readonly resourceType?: Uint8Array | undefined;
  readonly resourceId?: Uint8Array | undefined;
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
  /** Where the tree is built (default: on this thread). */
  readonly tree?: MerkleAccumulator | undefined;
}

/** One thing that is wrong: the first bad entry (`index`), or a checkpoint that does not verify. */
export interface AuditProblem {
  readonly kind: "entry" | "checkpoint";
  /**
   * The first entry that is missing, altered or out of place (for `entry`); with `lastIndex`, the
   * first entry of the range the first bad entry lies in, when the signed roots cannot say which
   * (an entry rewritten together with its recorded hash).
   */
  readonly index?: number;
  /** The last entry of that range. */
  readonly lastIndex?: number;
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
 * checkpoint beyond the last entry is a truncated tail. The scan stops at the first entry out of
 * place; problems are reported in entry order, so the first is the first bad entry.
 */
export async function verifyAuditLog(input: AuditVerificationInput): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const entryProblems: { index: number; lastIndex?: number; reason: string }[] = [];
  const checkpoints = trustedCheckpoints(input, problems);
  const tree: MerkleAccumulator = input.tree ?? new InProcessMerkleAccumulator();
  // Each checkpoint's root is asked for when the pass reaches its size, and compared at the end:
  // an accumulator may hash leaves and build the tree on another thread while the pass reads on.
  const heads: { item: CheckpointSource; head: Promise<TreeHead> | TreeHead }[] = [];
  let nextCheckpoint = 0;
  let position = 0;
  const signedBefore = earliestSigningAfter(checkpoints);
  // The first entry dated after a checkpoint that covers it was signed: it cannot have been in the
  // log then, so it was appended in place of deleted entries (what narrows a deleted range once
  // the log grew again; it is no problem by itself, clocks can disagree).
  let firstLate: number | undefined;
  const reachCheckpoints = () => {
    while (checkpoints[nextCheckpoint]?.checkpoint.treeSize === position) {
      heads.push({ item: checkpoints[nextCheckpoint]!, head: tree.rootAt(position) });
      nextCheckpoint += 1;
    }
  };

  try {
    reachCheckpoints();
    // The checks of an entry, in order: its position, its content against its recorded leaf hash
    // (by the accumulator, which may answer later), the index its content names, the columns
    // search filters on against its content.
    let stop: { index: number; lastIndex?: number; reason: string } | undefined;
    scan: for await (const batch of input.entries) {
      for (const entry of batch) {
        stop = positionProblem(entry, position, input.recordedSize);
        if (stop) break scan;
        const index = readEntryIndex(entry.content);
        const columns = index === position ? searchColumnsProblem(entry) : undefined;
        if (index === position && columns === undefined) {
          tree.appendEntry(entry.content, entry.leafHash, true);
          if (firstLate === undefined && isDatedAfter(entry.content, position, signedBefore[nextCheckpoint]))
            firstLate = position;
        } else if (columns !== undefined) {
          tree.appendEntry(entry.content, entry.leafHash, false);
          stop = { index: position, reason: columns };
          break scan;
        } else {
          tree.appendEntry(entry.content, entry.leafHash, false);
          stop =
            index === undefined
              ? { index: position, reason: `entry ${position} is not a canonical audit entry` }
              : index > position
                ? {
                    index: position,
                    reason: `entry ${position} holds the content of entry ${index} (entries were moved or reordered)`,
                  }
                : // An earlier entry's content: entries were inserted before it (the first bad one
                  // is then the first inserted), or it is a copy of that entry.
                  {
                    index,
                    lastIndex: position,
                    reason:
                      `entry ${position} holds the content of entry ${index}: entries were inserted from ${index} ` +
                      `on and the rest shifted, or entry ${position} was overwritten with a copy`,
                  };
          break scan;
        }
        position += 1;
        reachCheckpoints();
      }
    }
    const final = await tree.rootAt(position);
    if (final.mismatch !== undefined) {
      // The first entry whose content does not match its recorded leaf hash comes before (or is)
      // the entry the pass stopped at; the tree holds the entries before it.
      stop = {
        index: final.mismatch,
        reason: `entry ${final.mismatch}'s content does not match the leaf hash recorded when it was written (altered)`,
      };
      position = final.mismatch;
    }
    if (stop) entryProblems.push(stop);
    const rootHash = toHex(final.root);

    let verifiedUpTo = 0;
    let verified = 0;
    let latest: SignedCheckpoint | undefined;
    for (const { item, head } of heads) {
      const { source, checkpoint } = item;
      const { size, root } = await head;
      // A checkpoint beyond the first altered entry is not reached, as if the pass had stopped there.
      if (size !== checkpoint.treeSize) break;
      if (toHex(root) !== checkpoint.rootHash) {
        const replaced =
          firstLate !== undefined && firstLate >= verifiedUpTo && firstLate < checkpoint.treeSize
            ? `; entries ${firstLate}..${checkpoint.treeSize - 1} are dated after a checkpoint covering them was ` +
              `signed: entries ${firstLate}..${checkpoint.treeSize - 1} were deleted and others appended in their place`
            : "";
        entryProblems.push({
          index: verifiedUpTo,
          lastIndex: checkpoint.treeSize - 1,
          reason:
            `entries ${verifiedUpTo}..${checkpoint.treeSize - 1} do not reproduce the root signed at ` +
            `${checkpoint.timestamp} for ${checkpoint.treeSize} entries (${source}): an entry in that range was ` +
            `altered or replaced together with its recorded hash` +
            replaced +
            (verifiedUpTo > 0 ? `; entries before ${verifiedUpTo} are proven by an earlier checkpoint` : ""),
        });
        break;
      }
      verifiedUpTo = checkpoint.treeSize;
      verified += 1;
      latest = checkpoint;
    }

    if (entryProblems.length === 0)
      tailProblems(input, checkpoints.slice(nextCheckpoint), position, firstLate, entryProblems);
    entryProblems.sort((a, b) => a.index - b.index);
    problems.push(...entryProblems.map((problem) => ({ kind: "entry" as const, ...problem })));
    return {
      ok: problems.length === 0,
      entries: position,
      rootHash,
      checkpointsVerified: verified,
      latestCheckpoint: latest,
      problems,
    };
  } finally {
    await tree.close?.();
  }
}

/** A checkpoint beyond the last entry is a truncated tail; a head counter that disagrees, deleted or inserted entries. */
function tailProblems(
  input: AuditVerificationInput,
  unreached: readonly CheckpointSource[],
  position: number,
  firstLate: number | undefined,
  problems: { index: number; reason: string }[],
): void {
  const beyond = unreached.filter((item) => item.checkpoint.treeSize > position);
  if (beyond.length > 0) {
    const largest = beyond[beyond.length - 1]!;
    // Entries appended after the deletion fill positions the checkpoint covers: the deleted range
    // starts at the first of them, not where the log now ends.
    const from = firstLate !== undefined && firstLate < position ? firstLate : position;
    problems.push({
      index: from,
      reason:
        `the log ends after ${position} entries but a checkpoint signed at ${largest.checkpoint.timestamp} ` +
        `covers ${largest.checkpoint.treeSize} (${largest.source}): entries ${from}..` +
        `${largest.checkpoint.treeSize - 1} were deleted (truncated tail)` +
        (from < position
          ? `; entries ${from}..${position - 1} are dated after a checkpoint covering them was signed: they were ` +
            "appended in place of deleted ones"
          : ""),
    });
  } else if (input.recordedSize !== undefined && input.recordedSize !== position) {
    problems.push({
      index: Math.min(position, input.recordedSize),
      reason:
        input.recordedSize > position
          ? `the log's head records ${input.recordedSize} entries but only ${position} are stored: entries ` +
            `${position}..${input.recordedSize - 1} were deleted`
          : `the log holds ${position} entries but its head records ${input.recordedSize}: entries from ` +
            `${input.recordedSize} on were inserted outside the log`,
    });
  }
}

/**
 * For each checkpoint position in `checkpoints` (by tree size), the earliest signing time among it
 * and every later one, as its first 19 characters (`YYYY-MM-DDTHH:MM:SS`, UTC): an entry before
 * that checkpoint's size was in the log when each of them was signed.
 */
function earliestSigningAfter(checkpoints: readonly CheckpointSource[]): (Buffer | undefined)[] {
  const bounds: (Buffer | undefined)[] = new Array(checkpoints.length + 1).fill(undefined);
  let earliest = Number.POSITIVE_INFINITY;
  for (let at = checkpoints.length - 1; at >= 0; at--) {
    const signed = Date.parse(checkpoints[at]!.checkpoint.timestamp);
    if (signed < earliest) earliest = signed;
    bounds[at] = Number.isFinite(earliest)
      ? Buffer.from(new Date(earliest).toISOString().slice(0, 19))
      : undefined;
  }
  return bounds;
}

const TIME_KEY = Buffer.from(',"time":"');

/**
 * Whether canonical entry `position`'s time is a later second than `bound` (whole seconds only,
 * compared on the bytes: fractions are written with 0 to 6 digits).
 */
function isDatedAfter(content: Uint8Array, position: number, bound: Buffer | undefined): boolean {
  if (bound === undefined) return false;
  const start = ENTRY_PREFIX.length + String(position).length;
  for (let offset = 0; offset < TIME_KEY.length; offset++)
    if (content[start + offset] !== TIME_KEY[offset]) return false;
  const time = start + TIME_KEY.length;
  for (let offset = 0; offset < bound.length; offset++) {
    const byte = content[time + offset];
    if (byte === undefined) return false;
    if (byte !== bound[offset]) return byte > bound[offset]!;
  }
  return false;
}

/** The tree head an accumulator answers with. */
export interface TreeHead {
  /** The leaves in the tree: the size asked for, or fewer when an entry before it did not match its recorded leaf hash. */
  readonly size: number;
  /** MTH over those leaves. */
  readonly root: Buffer;
  /** The position of the first entry whose content does not match its recorded leaf hash, if any so far. */
  readonly mismatch: number | undefined;
}

/**
 * Where the verifier sends every entry, in order: the accumulator computes its leaf hash
 * (RFC 9162 §2.1.1), compares it with the recorded one when there is one, and appends it to the
 * tree. From the first mismatch on it appends nothing more. `rootAt(size)` is called when exactly
 * `size` entries were sent.
 */
export interface MerkleAccumulator {
  /** The next entry; `append` false checks its leaf hash without appending it (the pass stops there). */
  appendEntry(content: Uint8Array, recordedLeafHash: Uint8Array | undefined, append: boolean): void;
  rootAt(size: number): Promise<TreeHead> | TreeHead;
  close?(): Promise<void> | void;
}

/** The one-pass tree builder on the calling thread. */
export class InProcessMerkleAccumulator implements MerkleAccumulator {
  readonly #builder = new MerkleTreeBuilder();
  #sent = 0;
  #mismatch: number | undefined;

  appendEntry(content: Uint8Array, recordedLeafHash: Uint8Array | undefined, append: boolean): void {
    const position = this.#sent++;
    if (this.#mismatch !== undefined) return;
    const leaf = leafHashString(content);
    if (recordedLeafHash !== undefined && !hashStringEquals(leaf, recordedLeafHash)) {
      this.#mismatch = position;
      return;
    }
    if (append) this.#builder.appendHashString(leaf);
  }

  rootAt(size: number): TreeHead {
    if (size !== this.#sent && this.#sent !== size + 1)
      throw new RangeError(`asked for the root at ${size} after ${this.#sent} entries`);
    return { size: this.#builder.size, root: this.#builder.root(), mismatch: this.#mismatch };
  }
}

/** The columns the store keeps beside the content, in the order the canonical content holds them. */
const SEARCH_COLUMNS = ["actor", "resourceType", "resourceId"] as const;
/** Where each one's value starts in canonical content: top-level string keys come before `details`. */
const SEARCH_KEYS = SEARCH_COLUMNS.map((column) => Buffer.from(`,${JSON.stringify(column)}:"`));
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Why an entry's search columns (actor, resource type, resource id) are not what its content says,
 * or undefined when they are (or the store keeps none). Auditors search by these columns, and the
 * tree covers only the content: a column rewritten in the database would hide the entry from a
 * search and still verify. A million entries are checked in place, on the bytes as read (with
 * Buffer's indexOf and compare, the check cost twice as much): in canonical content a key's first
 * occurrence is the entry's own (string values escape every quote, and the three come before
 * `details`), and a column with no quote or backslash is its own JSON string. Anything else is
 * decoded in full.
 */
export function searchColumnsProblem(entry: StoredAuditEntry): string | undefined {
  let from = ENTRY_PREFIX.length;
  for (let at = 0; at < SEARCH_COLUMNS.length; at++) {
    const stored = entry[SEARCH_COLUMNS[at]!];
    if (stored === undefined) continue;
    from = valueEnd(entry.content, SEARCH_KEYS[at]!, from, stored);
    if (from < 0) return searchColumnsProblemDecoded(entry);
  }
  return undefined;
}

/**
 * Where the string value after the first `key` from `from` ends, if it is exactly `stored` (with
 * no quote or backslash, which would be escaped); -1 otherwise.
 */
function valueEnd(content: Uint8Array, key: Uint8Array, from: number, stored: Uint8Array): number {
  const first = key[0];
  const keyLength = key.length;
  const last = content.length - keyLength;
  let found = -1;
  search: for (let position = from; position <= last; position++) {
    if (content[position] !== first) continue;
    for (let offset = 1; offset < keyLength; offset++)
      if (content[position + offset] !== key[offset]) continue search;
    found = position;
    break;
  }
  if (found < 0) return -1;
  const start = found + keyLength;
  const length = stored.length;
  if (content[start + length] !== QUOTE) return -1;
  for (let offset = 0; offset < length; offset++) {
    const byte = stored[offset];
    if (byte !== content[start + offset] || byte === QUOTE || byte === BACKSLASH) return -1;
  }
  return start + length;
}

function searchColumnsProblemDecoded(entry: StoredAuditEntry): string | undefined {
  let decoded: AuditEntry;
  try {
    decoded = decodeAuditEntryOrThrow(entry.content);
  } catch (error) {
    return `entry ${entry.sequence} is not a canonical audit entry (altered): ${(error as Error).message}`;
  }
  for (const column of SEARCH_COLUMNS) {
    const bytes = entry[column];
    if (bytes === undefined) continue;
    const stored = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    if (stored !== decoded[column]) {
      return (
        `entry ${entry.sequence}'s ${column} column says ${JSON.stringify(stored)} but its content says ` +
        `${JSON.stringify(decoded[column])}: the columns search filters on were altered outside the log ` +
        "(searches by them miss or misattribute the entry)"
      );
    }
  }
  return undefined;
}

function positionProblem(
  entry: StoredAuditEntry,
  position: number,
  recordedSize: number | undefined,
): { index: number; reason: string } | undefined {
  if (entry.sequence === position) return undefined;
  if (recordedSize !== undefined && position >= recordedSize && entry.sequence > position) {
    return {
      index: entry.sequence,
      reason:
        `entry ${entry.sequence} is stored beyond the log's head (${recordedSize} entries): it was inserted ` +
        "outside the log",
    };
  }
  return {
    index: position,
    reason:
      entry.sequence > position
        ? `entry ${position} is missing: the next stored entry is ${entry.sequence} (entries ${position}..` +
          `${entry.sequence - 1} were deleted)`
        : `entry ${entry.sequence} is stored again or out of order at position ${position}`,
  };
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
