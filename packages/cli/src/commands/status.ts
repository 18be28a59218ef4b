import type { Command } from "commander";

/**
 * `passage status --record FEED:KEY [--as-of DATE] [--known-at TS] --json` (CLI.md): the legal
 * status of the person a record belongs to, derived now from the records (as of a date, as known
 * at a moment), with blockers, gates and the evidence for each. The read is audited.
 */
export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("a person's legal status, blockers, gates and evidence, from one of their records")
    .requiredOption("--record <feed:key>", "a record of the person, e.g. admission:12345678901")
    .option("--as-of <date>", "valid time: the status on this date (YYYY-MM-DD; default today)")
    .option("--known-at <timestamp>", "record time: only record versions stored by then (ISO 8601)")
    .action(async (options: { record: string; asOf?: string; knownAt?: string }, command: Command) => {
      const { printStatus } = await import("../actions/status.ts");
      await printStatus(options, command);
    });
}
