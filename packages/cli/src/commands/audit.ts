import type { Command } from "commander";

/** Options of `passage audit verify`. */
export interface AuditVerifyOptions {
  readonly publicKey?: string;
  readonly checkpoints?: string;
}

/**
 * `passage audit verify | prove ENTRY | checkpoint` (CLI.md, issue 6). Each run is itself
 * authorized and recorded in the audit log, as the local operator (or `--as USER`), with the
 * command's purpose of use.
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
    .action(async (options: AuditVerifyOptions, command: Command) => {
      const { verifyAuditLog } = await import("../actions/audit.ts");
      await verifyAuditLog(options, command);
    });

  audit
    .command("prove")
    .description("print the inclusion proof of one entry against the latest signed checkpoint")
    .argument("<entry>", "the entry's index (0-based position in the log)")
    .action(async (entry: string, _options: unknown, command: Command) => {
      const { proveAuditEntry } = await import("../actions/audit.ts");
      await proveAuditEntry(entry, command);
    });

  audit
    .command("checkpoint")
    .description("sign a checkpoint of the log now, into the database and <data-dir>/audit/checkpoints")
    .action(async (_options: unknown, command: Command) => {
      const { checkpointAuditLog } = await import("../actions/audit.ts");
      await checkpointAuditLog(command);
    });
}
