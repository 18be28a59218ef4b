import type { Database } from "@passage/store";
import type { Kysely } from "kysely";
import { liveRecordedLayouts } from "../consumers/partition-layout-guard.ts";
import { ScaleOutErrors } from "./scale-out-errors.ts";

/**
 * Throws when workers are running a layout of another partition count than the relay's: its
 * signals would go to `passage.events.<partition>` subjects no worker reads (nothing is lost, but
 * events wait for the workers' 30 s poll). Liveness is the layout guard's (a consumer marked alive
 * in the last 90 s); a handler with no layout recorded, or whose workers are gone, does not count.
 */
export async function checkRelayPartitionsOrThrow(
  db: Kysely<Database>,
  partitions: number,
  options: { running: boolean },
): Promise<void> {
  const other = (await liveRecordedLayouts(db)).filter((layout) => layout.partitions !== partitions);
  if (other.length > 0)
    throw ScaleOutErrors.relayPartitionsMismatch.create(partitions, other, options.running);
}
