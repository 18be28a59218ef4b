import type { App } from "./create-app.ts";

export interface RebuildReport {
  /** Records re-linked and persons formed (zero when no linkage model is active yet). */
  readonly linkedRecords: number;
  readonly linkedPersons: number;
  readonly persons: number;
  readonly worklistEntries: number;
  /** Frozen manifest entries struck because their person no longer qualifies (e.g. retired by a merge). */
  readonly manifestEntriesStruck: number;
  readonly milliseconds: number;
}

/**
 * Drops the derived projections and derives them again from the records, in pipeline order:
 * persons (linkage re-links every record with the active model, honouring human decisions and
 * carrying person ids over), statuses (with gates), then the worklist from the statuses, and last re-checks
 * frozen manifests (a rebuilt status announces no event to strike by). The result equals what the
 * incremental path produced (ARCHITECTURE.md: a rebuild gives the same answer).
 */
export async function rebuildProjections(
  app: Pick<App, "linkage" | "lifecycle" | "worklist"> & Partial<Pick<App, "transport">>,
  onProgress?: (persons: number) => void,
): Promise<RebuildReport> {
  const started = Date.now();
  const linked = await app.linkage.rebuild();
  const { persons } = await app.lifecycle.rebuild(onProgress);
  const worklist = await app.worklist.rebuild();
  // Without the transport service (a fresh demo database) there are no frozen plans to re-check.
  const manifestEntriesStruck = (await app.transport?.recheckFrozenManifests()) ?? 0;
  return {
    linkedRecords: linked.records,
    linkedPersons: linked.persons,
    persons,
    worklistEntries: worklist.listed,
    manifestEntriesStruck,
    milliseconds: Date.now() - started,
  };
}

/**
 * Whether the stored statuses were derived by an earlier version of the lifecycle derivation under
 * the rules the data directory holds (Passage was upgraded): `passage serve` and `passage start`
 * then rebuild before they serve, so that no status, worklist entry or plan rests on a derivation
 * this version has corrected. An edited rules file is not such a case: putting it in force is the
 * operator's `passage rebuild` (README, "Upgrading").
 */
export function derivationOutdated(app: Pick<App, "lifecycle" | "store">): Promise<boolean> {
  return app.lifecycle.rulesInForce.derivationOutdated(app.store.db);
}
