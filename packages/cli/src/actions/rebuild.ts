import { rebuildProjections } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { createProgress } from "../progress.ts";

/** `passage rebuild`: drops and rebuilds the projections, as the command's actor (audited). */
export async function rebuildAllProjections(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const report = await context.withApp(async (app) => {
    const access = await context.access(app);
    // A rebuild runs for minutes and rewrites every projection (the statuses are swapped in only
    // when complete): on record from the start.
    return access.run(
      "projection.rebuild",
      { type: "Projection", id: "all" },
      async () => {
        const progress = createProgress("rebuild", "persons");
        try {
          return await rebuildProjections(app, (done) => progress.update(done));
        } finally {
          progress.stop();
        }
      },
      {},
      (rebuilt) => ({
        linkedRecords: rebuilt.linkedRecords,
        linkedPersons: rebuilt.linkedPersons,
        persons: rebuilt.persons,
        worklistEntries: rebuilt.worklistEntries,
      }),
    );
  });
  if (context.output.json) {
    context.output.document(report);
    return;
  }
  context.output.line(
    `rebuilt: ${report.persons} persons, ${report.worklistEntries} worklist entries in ${(report.milliseconds / 1000).toFixed(1)} s`,
  );
}
