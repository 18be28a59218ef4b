import fs from "node:fs";
import path from "node:path";
import type { AuditProblem, CheckpointSource } from "../audit/audit-verifier.ts";
import { parseSignedCheckpointOrThrow, type SignedCheckpoint } from "../audit/checkpoint.ts";

/** The file a checkpoint is written to: named by its tree size, so files sort in log order. */
export function checkpointFileName(treeSize: number): string {
  return `${String(treeSize).padStart(12, "0")}.json`;
}

/** Writes a checkpoint file atomically (a temporary file renamed into place). */
export function writeCheckpointFile(directory: string, checkpoint: SignedCheckpoint): string {
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, checkpointFileName(checkpoint.treeSize));
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o644 });
  fs.renameSync(temporary, file);
  return file;
}

/**
 * The checkpoint files in `directory` named for a tree size of at least `fromTreeSize`, that parse
 * (the others are left to `verify`, which names them), in name order.
 */
export function readCheckpointFilesFrom(directory: string, fromTreeSize: number): CheckpointSource[] {
  if (!fs.existsSync(directory)) return [];
  const checkpoints: CheckpointSource[] = [];
  for (const name of fs.readdirSync(directory).sort()) {
    const named = /^(\d+)\.json$/.exec(name);
    if (!named || Number(named[1]) < fromTreeSize) continue;
    const file = path.join(directory, name);
    try {
      const document = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
      checkpoints.push({ source: file, checkpoint: parseSignedCheckpointOrThrow(document, file) });
    } catch {
      // Not a checkpoint: verify reports it.
    }
  }
  return checkpoints;
}

/** Every checkpoint file in `directory`; files that are not checkpoints become problems. */
export function readCheckpointFiles(directory: string): {
  checkpoints: CheckpointSource[];
  problems: AuditProblem[];
} {
  const checkpoints: CheckpointSource[] = [];
  const problems: AuditProblem[] = [];
  if (!fs.existsSync(directory)) return { checkpoints, problems };
  for (const name of fs.readdirSync(directory).sort()) {
    if (!name.endsWith(".json")) continue;
    const file = path.join(directory, name);
    try {
      const document = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
      checkpoints.push({ source: file, checkpoint: parseSignedCheckpointOrThrow(document, file) });
    } catch (error) {
      problems.push({
        kind: "checkpoint",
        source: file,
        reason: `${file} is unreadable: ${(error as Error).message}`,
      });
    }
  }
  return { checkpoints, problems };
}
