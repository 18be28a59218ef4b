import { rebuildProjections } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { createProgress } from "../progress.ts";

/**
 * `passage rebuild`: drops the derived projections and derives them again from the records
 * (ARCHITECTURE.md: derived state is a projection; a rebuild gives the same answer).
 */
export function registerRebuildCommand(program: Command): void {
  program
    .command("rebuild")
    .description("drop the projections (statuses, worklist) and rebuild them from the records")
    .action(async (_options: unknown, command: Command) => {
      const context = createCommandContext(command);
      const report = await context.withApp(async (app) => {
        const progress = createProgress("rebuild", "persons");
        try {
          return await rebuildProjections(app, (done) => progress.update(done));
        } finally {
          progress.stop();
        }
      });
      if (context.output.json) {
        context.output.document(report);
        return;
      }
      context.output.line(
        `rebuilt: ${report.persons} persons, ${report.worklistEntries} worklist entries in ${(report.milliseconds / 1000).toFixed(1)} s`,
      );
    });
}
