import { type Database, listHandlerOffsets, setConsumerOffset } from "@passage/store";
import type { Transaction } from "kysely";
import { ConsumerErrors } from "./consumer-errors.ts";
import type { Partition } from "./partition.ts";

/** The partition count an offset name belongs to: `lifecycle` is 1, `lifecycle#3/8` is 8. */
function layoutOf(consumer: string): number {
  const match = /#\d+\/(\d+)$/.exec(consumer);
  return match ? Number(match[1]) : 1;
}

/**
 * Run once per consumer before its first batch, inside that batch's transaction after its
 * offset row is locked. A handler's effects must not be applied twice when it moves between
 * partition layouts (say from the in-process runner's one partition to eight workers, or back):
 * each layout keeps its own offsets. If another layout has applied events beyond this consumer's
 * offset, this consumer adopts that layout's position, which is safe only when every partition of
 * that layout stands at the same position P (everything up to P applied once, nothing after);
 * otherwise it refuses to start and says what to do.
 */
export async function reconcilePartitionLayoutOrThrow(
  transaction: Transaction<Database>,
  handlerName: string,
  consumer: string,
  partition: Partition,
  storedOffset: string,
): Promise<string> {
  const offsets = await listHandlerOffsets(transaction, handlerName);
  const ahead = new Map<number, Array<{ consumer: string; position: string }>>();
  for (const offset of offsets) {
    const layout = layoutOf(offset.consumer);
    if (layout === partition.count) continue;
    ahead.set(layout, [...(ahead.get(layout) ?? []), offset]);
  }
  for (const [layout, members] of ahead) {
    if (!members.some((member) => BigInt(member.position) > BigInt(storedOffset))) ahead.delete(layout);
  }
  if (ahead.size === 0) return storedOffset;
  const [layout, members] = [...ahead][0]!;
  const positions = new Set(members.map((member) => member.position));
  if (ahead.size > 1 || members.length !== layout || positions.size !== 1) {
    const described = [...ahead.values()]
      .flat()
      .map((member) => `${member.consumer} at ${member.position}`)
      .join(", ");
    throw ConsumerErrors.partitionLayoutConflict.create(consumer, storedOffset, described);
  }
  const [position] = positions as Set<string>;
  await setConsumerOffset(transaction, consumer, position!);
  return position!;
}
