import { randomUUID } from "node:crypto";
import {
  AccessErrors,
  type AccessResource,
  type Action,
  type AuditEntryView,
  type AuditLogVerification,
  type AuditProblem,
  auditEntryViewFor,
  type InclusionProofDocument,
} from "@passage/access";
import type { App } from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { AuditVerifyOptions } from "../commands/audit.ts";

/** `passage audit verify`: every entry's leaf, the Merkle tree and every signed checkpoint. */
export async function verifyAuditLog(options: AuditVerifyOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const result = await context.withApp((app) =>
    asCommandActor(app, context, "audit.verify", AUDIT_LOG, async () => {
      const verification = await app.access.audit.verify({
        publicKeyFile: options.publicKey,
        checkpointDirectory: options.checkpoints,
      });
      if (!verification.ok) {
        printVerification(context, verification);
        throw AccessErrors.tampered.create(describeProblem(verification));
      }
      return verification;
    }),
  );
  printVerification(context, result);
}

/** `passage audit prove ENTRY`: the inclusion proof of one entry against the latest checkpoint. */
export async function proveAuditEntry(entry: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  if (!/^\d{1,15}$/.test(entry)) throw CliErrors.usage.create(`ENTRY must be an entry index, got "${entry}"`);
  const proof = await context.withApp((app) =>
    asCommandActor(app, context, "audit.read", AUDIT_LOG, async () => {
      const document = await app.access.audit.prove(Number(entry));
      if (!document.verified) {
        throw AccessErrors.tampered.create(`entry ${entry} is not included in the signed checkpoint`);
      }
      // As the API lists it: what would tell the reader (--as USER) of an asylum or 1367 case
      // without the need is withheld; the leaf hash and path are of the stored entry.
      const reader = await app.access.commandLineActor(context.options.as);
      return { ...document, entry: auditEntryViewFor(document.entry, reader) };
    }),
  );
  printProof(context, proof);
}

/** `passage audit checkpoint`: signs a checkpoint of the log now. */
export async function checkpointAuditLog(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const checkpoint = await context.withApp((app) =>
    asCommandActor(app, context, "audit.checkpoint", AUDIT_LOG, () => app.access.audit.checkpoint()),
  );
  if (context.output.json) {
    context.output.document({ checkpoint: checkpoint ?? null });
    return;
  }
  if (!checkpoint) context.output.line("the audit log is empty: nothing to sign");
  else
    context.output.line(
      `checkpoint: ${checkpoint.treeSize} entries, root ${checkpoint.rootHash}, signed ${checkpoint.timestamp} (key ${checkpoint.keyId})`,
    );
}

/**
 * Runs `work` as the command's actor (the local operator, or `--as USER`), authorized by the
 * access policies and recorded in the audit log with the command's purpose, success or failure.
 */
export async function asCommandActor<T>(
  app: App,
  context: CommandContext,
  action: Action,
  resource: AccessResource,
  work: () => Promise<T>,
): Promise<T> {
  const actor = await app.access.commandLineActor(context.options.as);
  const access = app.access.forRequest({ actor, purpose: context.options.purpose, requestId: randomUUID() });
  return access.run(action, resource, work);
}

const AUDIT_LOG = { type: "AuditLog", id: "passage" } as const;

/**
 * The error line: the first bad entry when there is one (a bad checkpoint file listed before it
 * must not hide it), then how many other problems there are.
 */
function describeProblem(verification: AuditLogVerification): string {
  const problem = firstEntryProblem(verification) ?? verification.problems[0]!;
  const others = verification.problems.length - 1;
  const more = others > 0 ? ` (and ${others} other problem(s), listed above)` : "";
  if (problem.kind !== "entry") return `${problem.reason}${more}`;
  return problem.lastIndex === undefined
    ? `first bad entry ${problem.index}: ${problem.reason}${more}`
    : `first bad entry within ${problem.index}..${problem.lastIndex}: ${problem.reason}${more}`;
}

function firstEntryProblem(verification: AuditLogVerification): AuditProblem | undefined {
  return verification.problems.find((problem) => problem.kind === "entry");
}

function printVerification(context: CommandContext, verification: AuditLogVerification): void {
  for (const warning of verification.warnings) context.output.note(`warning: ${warning}`);
  if (context.output.json) {
    const first = firstEntryProblem(verification);
    context.output.document({
      ok: verification.ok,
      entries: verification.entries,
      rootHash: verification.rootHash,
      checkpointsVerified: verification.checkpointsVerified,
      latestCheckpoint: verification.latestCheckpoint ?? null,
      firstBadEntry: first?.index ?? null,
      // When the signed roots cannot say which entry was rewritten, the range it lies in.
      firstBadEntryRange:
        first?.index !== undefined && first.lastIndex !== undefined
          ? { first: first.index, last: first.lastIndex }
          : null,
      checkpointsWithoutCopy: verification.checkpointsWithoutCopy,
      checkpointsWithMismatchingCopy: verification.checkpointsWithMismatchingCopy,
      warnings: verification.warnings,
      problems: verification.problems,
    });
    return;
  }
  if (!verification.ok) {
    for (const problem of verification.problems) context.output.line(`FAILED: ${problem.reason}`);
    return;
  }
  context.output.line(`verified ${verification.entries} audit entries; Merkle root ${verification.rootHash}`);
  const latest = verification.latestCheckpoint;
  if (latest) {
    context.output.line(
      `${verification.checkpointsVerified} signed checkpoint(s) verified; the latest covers ${latest.treeSize} entries (signed ${latest.timestamp})`,
    );
  } else {
    context.output.line(
      "no checkpoint yet: verified the chain only (each entry's content against its leaf hash, positions gapless " +
        'and in order); sign one with "passage audit checkpoint"',
    );
  }
}

function printProof(
  context: CommandContext,
  proof: Omit<InclusionProofDocument, "entry"> & { entry: AuditEntryView },
): void {
  if (context.output.json) {
    context.output.document(proof);
    return;
  }
  const { entry } = proof;
  context.output.line(
    `entry ${proof.index}: ${entry.time} ${entry.actor} ${entry.action} ${entry.resourceType}/${entry.resourceId} ${entry.decision} ${entry.outcome}`,
  );
  context.output.line(`leaf hash   ${proof.leafHash}`);
  context.output.line(`tree size   ${proof.treeSize}`);
  context.output.line(`root hash   ${proof.rootHash}`);
  context.output.line(`checkpoint  signed ${proof.checkpoint.timestamp} by key ${proof.checkpoint.keyId}`);
  context.output.line(`audit path (leaf to root, RFC 9162 §2.1.3):`);
  for (const hash of proof.proof) context.output.line(`  ${hash}`);
  context.output.line(`verified    ${proof.verified ? "yes" : "NO"}`);
}
