import crypto, { type KeyObject } from "node:crypto";
import { type AuditEntry, encodeAuditEntry } from "./audit-entry.ts";
import type { CheckpointSource, StoredAuditEntry } from "./audit-verifier.ts";
import { signCheckpoint } from "./checkpoint.ts";
import { leafHash, toHex } from "./merkle-hash.ts";
import { MerkleTreeBuilder } from "./merkle-tree-builder.ts";

/**
 * Test support for the tamper trials: an audit log held in memory, exactly as the store keeps it
 * (sequence, canonical content, recorded leaf hash, head counter) plus signed checkpoints, and the
 * ways an attacker with write access to the database or the checkpoint files may alter it.
 */
export interface InMemoryAuditLog {
  entries: StoredAuditEntry[];
  checkpoints: CheckpointSource[];
  recordedSize: number;
}

/** A sample entry for position `index`: varied so that no two entries share content. */
export function sampleAuditEntry(index: number): AuditEntry {
  const actions = ["person.read", "record.write", "link.decide", "worklist.read", "plan.write"] as const;
  return {
    index,
    time: new Date(Date.UTC(2025, 0, 1) + index * 1_000).toISOString(),
    requestId: `request-${index % 7}-${index}`,
    actor: index % 5 === 0 ? "system:local-operator" : `user:officer${index % 3}`,
    purpose: index % 2 === 0 ? "case_review" : "cli",
    action: actions[index % actions.length]!,
    resourceType: "Person",
    resourceId: `person-${(index * 7919) % 1000}`,
    decision: index % 11 === 0 ? "deny" : "allow",
    outcome: index % 11 === 0 ? "failure" : "success",
    errorCode: index % 11 === 0 ? "PASSAGE_ERR_ACCESS_DENIED" : null,
    reasons: index % 11 === 0 ? [] : ["officer-reads-own-office"],
    details: index % 4 === 0 ? { fieldsHidden: ["criminal"], rows: index } : {},
  };
}

/** A log of `size` sample entries with signed checkpoints at the given sizes. */
export function buildInMemoryAuditLog(
  size: number,
  checkpointSizes: readonly number[],
  privateKey: KeyObject,
): InMemoryAuditLog {
  const entries: StoredAuditEntry[] = [];
  const roots = new Map<number, string>();
  const builder = new MerkleTreeBuilder();
  const wanted = new Set(checkpointSizes);
  for (let index = 0; index < size; index++) {
    const content = encodeAuditEntry(sampleAuditEntry(index));
    const leaf = leafHash(content);
    entries.push({ sequence: index, content, leafHash: leaf });
    builder.append(leaf);
    if (wanted.has(index + 1)) roots.set(index + 1, toHex(builder.root()));
  }
  const checkpoints = [...roots.entries()]
    .sort(([a], [b]) => a - b)
    .map(([treeSize, rootHash]) => ({
      source: `checkpoints/${String(treeSize).padStart(12, "0")}.json`,
      checkpoint: signCheckpoint(
        { treeSize, rootHash, timestamp: new Date(Date.UTC(2025, 0, 2) + treeSize).toISOString() },
        privateKey,
      ),
    }));
  return { entries, checkpoints, recordedSize: size };
}

export const TAMPERINGS = [
  "flip-byte",
  "rewrite-entry-and-hash",
  "delete-entry",
  "reorder-entries",
  "truncate-tail",
  "forge-checkpoint-root",
  "forge-checkpoint-signature",
  "resign-checkpoint-with-other-key",
] as const;
export type TamperingKind = (typeof TAMPERINGS)[number];

/** What the verifier must report: the checkpoint it must reject, or the range the first bad entry lies in. */
export type ExpectedDetection =
  | { readonly kind: "entry"; readonly from: number; readonly to: number }
  | { readonly kind: "checkpoint"; readonly source: string };

/** Random choices a trial makes, as fractions in [0, 1), so any generator can drive it. */
export interface TamperChoices {
  readonly kind: TamperingKind;
  readonly first: number;
  readonly second: number;
  readonly third: number;
}

/**
 * Applies one tampering to a copy of the log, or returns undefined when this log cannot carry it
 * (for example, truncating below the last checkpoint needs a checkpoint). Entries after the last
 * checkpoint are protected by their recorded hashes and the head counter only, so an attacker who
 * rewrites both is only caught inside the checkpointed range; the choices below respect that.
 */
export function applyTampering(
  original: InMemoryAuditLog,
  choices: TamperChoices,
): { log: InMemoryAuditLog; expected: ExpectedDetection } | undefined {
  const log: InMemoryAuditLog = {
    entries: [...original.entries],
    checkpoints: [...original.checkpoints],
    recordedSize: original.recordedSize,
  };
  const size = log.entries.length;
  const pick = (fraction: number, below: number) => Math.min(below - 1, Math.floor(fraction * below));
  const covered = log.checkpoints.reduce((largest, item) => Math.max(largest, item.checkpoint.treeSize), 0);
  const boundaryBelow = (index: number) =>
    log.checkpoints.reduce(
      (largest, item) =>
        item.checkpoint.treeSize <= index ? Math.max(largest, item.checkpoint.treeSize) : largest,
      0,
    );
  switch (choices.kind) {
    case "flip-byte": {
      const index = pick(choices.first, size);
      const entry = log.entries[index]!;
      const content = Buffer.from(entry.content);
      content[pick(choices.second, content.length)]! ^= 1 + pick(choices.third, 255);
      log.entries[index] = { ...entry, content };
      return { log, expected: { kind: "entry", from: index, to: index } };
    }
    case "rewrite-entry-and-hash": {
      if (covered === 0) return undefined;
      const index = pick(choices.first, covered);
      const entry = log.entries[index]!;
      const content = Buffer.from(entry.content);
      content[pick(choices.second, content.length)]! ^= 1 + pick(choices.third, 255);
      log.entries[index] = { ...entry, content, leafHash: leafHash(content) };
      return { log, expected: { kind: "entry", from: boundaryBelow(index), to: index } };
    }
    case "delete-entry": {
      const index = pick(choices.first, size);
      log.entries.splice(index, 1);
      return { log, expected: { kind: "entry", from: index, to: index } };
    }
    case "reorder-entries": {
      if (size < 2) return undefined;
      const first = pick(choices.first, size - 1);
      const second = first + 1 + pick(choices.second, size - first - 1);
      const a = log.entries[first]!;
      const b = log.entries[second]!;
      // The rows keep their positions; their contents (and recorded hashes) trade places.
      log.entries[first] = { sequence: a.sequence, content: b.content, leafHash: b.leafHash };
      log.entries[second] = { sequence: b.sequence, content: a.content, leafHash: a.leafHash };
      return { log, expected: { kind: "entry", from: first, to: first } };
    }
    case "truncate-tail": {
      // Half the time the attacker also lowers the head counter; then only a checkpoint reveals it.
      const fixHead = choices.second < 0.5;
      const limit = fixHead ? covered : size;
      if (limit === 0) return undefined;
      const cut = pick(choices.first, limit);
      log.entries.length = cut;
      if (fixHead) log.recordedSize = cut;
      return { log, expected: { kind: "entry", from: cut, to: cut } };
    }
    case "forge-checkpoint-root":
    case "forge-checkpoint-signature":
    case "resign-checkpoint-with-other-key": {
      if (log.checkpoints.length === 0) return undefined;
      const at = pick(choices.first, log.checkpoints.length);
      const item = log.checkpoints[at]!;
      const forged = forgeCheckpoint(item.checkpoint, choices);
      log.checkpoints[at] = { source: item.source, checkpoint: forged };
      return { log, expected: { kind: "checkpoint", source: item.source } };
    }
  }
}

function forgeCheckpoint(
  checkpoint: CheckpointSource["checkpoint"],
  choices: TamperChoices,
): CheckpointSource["checkpoint"] {
  switch (choices.kind) {
    case "forge-checkpoint-root": {
      const root = Buffer.from(checkpoint.rootHash, "hex");
      root[Math.floor(choices.second * 32)]! ^= 1 + Math.floor(choices.third * 255);
      return { ...checkpoint, rootHash: toHex(root) };
    }
    case "forge-checkpoint-signature": {
      const signature = Buffer.from(checkpoint.signature, "base64");
      signature[Math.floor(choices.second * 64)]! ^= 1 + Math.floor(choices.third * 255);
      return { ...checkpoint, signature: signature.toString("base64") };
    }
    default: {
      // A head the attacker signs with a key of their own, claiming a root of their choosing.
      const { privateKey } = crypto.generateKeyPairSync("ed25519");
      const root = Buffer.from(checkpoint.rootHash, "hex");
      root[0]! ^= 0xff;
      return signCheckpoint({ ...checkpoint, rootHash: toHex(root) }, privateKey);
    }
  }
}
