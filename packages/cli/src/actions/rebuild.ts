import type { AuditedAccess } from "@passage/access";
import { LIFECYCLE_DERIVATION_VERSION } from "@passage/core";
import { type App, derivationOutdated, type RebuildReport, rebuildProjections } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import type { Output } from "../output.ts";
import { createProgress } from "../progress.ts";

/** `passage rebuild`: drops and rebuilds the projections, as the command's actor (audited). */
export async function rebuildAllProjections(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const report = await context.withApp(async (app) => rebuildAsActor(app, await context.access(app)));
  if (context.output.json) {
    context.output.document(report);
    return;
  }
  context.output.line(
    `rebuilt: ${report.persons} persons, ${report.worklistEntries} worklist entries in ${(report.milliseconds / 1000).toFixed(1)} s`,
  );
}

/**
 * For `passage serve` and `passage start`, before they serve: when the stored statuses were derived
 * by an earlier version of the lifecycle derivation under the rules in force (Passage was upgraded),
 * rebuilds the projections as the command's actor, saying so. Otherwise the upgrade's corrections
 * would reach a person only when one of their records next changed, and meanwhile no status could
 * be written or read (PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE).
 */
export async function rebuildIfDerivationOutdated(
  app: App,
  access: AuditedAccess,
  output: Output,
): Promise<void> {
  if (!(await derivationOutdated(app))) return;
  output.note(
    `the stored statuses were derived by an earlier version of Passage's lifecycle derivation (this one's is ${LIFECYCLE_DERIVATION_VERSION}): rebuilding the projections before serving`,
  );
  const report = await rebuildAsActor(app, access);
  output.note(
    `rebuilt: ${report.persons} persons, ${report.worklistEntries} worklist entries in ${(report.milliseconds / 1000).toFixed(1)} s`,
  );
}

/** Rebuilds the projections as `access`'s actor, on record from the start (a rebuild runs for minutes). */
function rebuildAsActor(app: App, access: AuditedAccess): Promise<RebuildReport> {
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
}
