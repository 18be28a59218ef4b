import type { App } from "./create-app.ts";

export interface RebuildReport {
  readonly persons: number;
  readonly worklistEntries: number;
  readonly milliseconds: number;
}

/**
 * Drops the derived projections and derives them again from the records, in pipeline order:
 * statuses (with gates), then the worklist from the statuses. The result equals what the
 * incremental path produced (ARCHITECTURE.md: a rebuild gives the same answer).
 */
export async function rebuildProjections(
  app: Pick<App, "lifecycle" | "worklist">,
  onProgress?: (persons: number) => void,
): Promise<RebuildReport> {
  const started = Date.now();
  const { persons } = await app.lifecycle.rebuild(onProgress);
  const worklist = await app.worklist.rebuild();
  return { persons, worklistEntries: worklist.listed, milliseconds: Date.now() - started };
}
