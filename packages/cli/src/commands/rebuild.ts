import type { Command } from "commander";

/**
 * `passage rebuild`: drops the derived projections and derives them again from the records
 * (ARCHITECTURE.md: derived state is a projection; a rebuild gives the same answer).
 */
export function registerRebuildCommand(program: Command): void {
  program
    .command("rebuild")
    .description("drop the projections (statuses, worklist) and rebuild them from the records")
    .action(async (_options: unknown, command: Command) => {
      const { rebuildAllProjections } = await import("../actions/rebuild.ts");
      await rebuildAllProjections(command);
    });
}
