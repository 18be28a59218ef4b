import type { Command } from "commander";

/**
 * `passage worklist [--policy FILE] [--tier N] [--json|--csv]` (CLI.md): every actionable case,
 * tiered and explained, current as of the command (the outbox is caught up first). With
 * `--policy FILE` the cases are ranked on the fly by that file and nothing is stored.
 * `passage worklist history PERSON [--json]`: the person's past rankings and removals, newest
 * first, each stored explanation replayed (an addition; CLI.md's contract is unchanged).
 */
export function registerWorklistCommand(program: Command): void {
  const worklist = program
    .command("worklist")
    .description("every actionable (gate-clear) case with its tier and explanation, by tier then age")
    .option(
      "--policy <file>",
      "rank with this policy file on the fly instead of the active policy (stores nothing)",
    )
    .option("--tier <n>", "only cases of this tier")
    .option("--csv", "print CSV instead of text")
    .action(async (options: { policy?: string; tier?: string; csv?: boolean }, command: Command) => {
      const { printWorklist } = await import("../actions/worklist.ts");
      await printWorklist(options, command);
    });

  worklist
    .command("history")
    .description("a person's past rankings and removals, newest first: policy, tier, why it left, replay")
    .argument("<person>", "the person id")
    .action(async (personId: string, _options: unknown, command: Command) => {
      const { printWorklistHistory } = await import("../actions/worklist.ts");
      await printWorklistHistory(personId, command);
    });
}
