import { ConsumerErrors } from "./consumer-errors.ts";

/** One of `count` partitions of the outbox, by a stable hash of each event's partition key. */
export interface Partition {
  /** 0-based: 0 <= index < count. */
  readonly index: number;
  readonly count: number;
}

/** The whole outbox as one partition. */
export const WHOLE_OUTBOX: Partition = Object.freeze({ index: 0, count: 1 });

/** Upper bound on partitions: NATS subjects and offsets stay few enough to list and watch. */
export const MAX_PARTITIONS = 1024;

/** Parses `I/N` (e.g. `3/8`), as `passage worker --partition` takes it. */
export function parsePartitionOrThrow(text: string): Partition {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  if (!match) throw ConsumerErrors.invalidPartition.create(text);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_PARTITIONS || index >= count)
    throw ConsumerErrors.invalidPartition.create(text);
  return { index, count };
}

/** Every partition of a layout of `count`, for a runner that consumes them all in one process. */
export function partitionsOf(count: number): Partition[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw ConsumerErrors.invalidPartition.create(`?/${count}`);
  }
  return Array.from({ length: count }, (_, index) => ({ index, count }));
}

/**
 * The name a handler's offset is stored under for one partition: the handler's own name for the
 * whole outbox, `lifecycle#3/8` for partition 3 of 8. A handler run in-process over the whole
 * outbox and a worker started with `--partition 0/1` therefore share one offset.
 */
export function consumerNameOf(handlerName: string, partition: Partition): string {
  return partition.count === 1 ? handlerName : `${handlerName}#${partition.index}/${partition.count}`;
}
