import { randomUUID } from "node:crypto";
import {
  AccessErrors,
  type AuditEvent,
  type AuditVerification,
  type InclusionProofDocument,
} from "@passage/access";
import { isPassageError } from "@passage/core";
import type { App } from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/**
 * `passage audit verify | prove ENTRY | checkpoint` (CLI.md, issue 6). Each run is itself
 * recorded in the audit log, as the local operator, with the command's purpose of use.
 */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command("audit")
    .description("verify, prove and checkpoint the tamper-evident audit log");

  audit
    .command("verify")
    .description("recompute every entry's leaf and the Merkle tree; check every signed checkpoint against it")
    .option(
      "--public-key <file>",
      "verify checkpoints with this Ed25519 public key (default <data-dir>/audit/public-key.pem)",
    )
    .option("--checkpoints <dir>", "read checkpoint files from here (default <data-dir>/audit/checkpoints)")
    .action(async (options: { publicKey?: string; checkpoints?: string }, command: Command) => {
      const context = createCommandContext(command);
      const result = await context.withApp((app) =>
        recorded(app, context, "audit.verify", async () => {
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
    });

  audit
    .command("prove")
    .description("print the inclusion proof of one entry against the latest signed checkpoint")
    .argument("<entry>", "the entry's index (0-based position in the log)")
    .action(async (entry: string, _options: unknown, command: Command) => {
      const context = createCommandContext(command);
      if (!/^\d{1,15}$/.test(entry))
        throw CliErrors.usage.create(`ENTRY must be an entry index, got "${entry}"`);
      const proof = await context.withApp((app) =>
        recorded(app, context, "audit.prove", async () => {
          const document = await app.access.audit.prove(Number(entry));
          if (!document.verified) {
            throw AccessErrors.tampered.create(`entry ${entry} is not included in the signed checkpoint`);
          }
          return document;
        }),
      );
      printProof(context, proof);
    });

  audit
    .command("checkpoint")
    .description("sign a checkpoint of the log now, into the database and <data-dir>/audit/checkpoints")
    .action(async (_options: unknown, command: Command) => {
      const context = createCommandContext(command);
      const checkpoint = await context.withApp((app) =>
        recorded(app, context, "audit.checkpoint", () => app.access.audit.checkpoint()),
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
    });
}

/** Runs `work` and records it in the audit log, success or failure, as the local operator. */
async function recorded<T>(
  app: App,
  context: CommandContext,
  action: string,
  work: () => Promise<T>,
): Promise<T> {
  const event = (outcome: "success" | "failure", errorCode: string | null): AuditEvent => ({
    time: new Date().toISOString(),
    requestId: randomUUID(),
    actor: "system:local-operator",
    purpose: context.options.purpose,
    action,
    resourceType: "AuditLog",
    resourceId: "passage",
    decision: "allow",
    outcome,
    errorCode,
    reasons: ["local-operator"],
    details: {},
  });
  try {
    const result = await work();
    await app.access.audit.append(event("success", null));
    return result;
  } catch (error) {
    await app.access.audit
      .append(event("failure", isPassageError(error) ? error.code : "PASSAGE_ERR_INTERNAL"))
      .catch(() => undefined);
    throw error;
  }
}

function describeProblem(verification: AuditVerification): string {
  const problem = verification.problems[0]!;
  return problem.kind === "entry" ? `first bad entry ${problem.index}: ${problem.reason}` : problem.reason;
}

function printVerification(context: CommandContext, verification: AuditVerification): void {
  if (context.output.json) {
    context.output.document({
      ok: verification.ok,
      entries: verification.entries,
      rootHash: verification.rootHash,
      checkpointsVerified: verification.checkpointsVerified,
      latestCheckpoint: verification.latestCheckpoint ?? null,
      firstBadEntry: verification.problems.find((problem) => problem.kind === "entry")?.index ?? null,
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

function printProof(context: CommandContext, proof: InclusionProofDocument): void {
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
