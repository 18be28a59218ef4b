import { defineError, registerErrors } from "@passage/core";
import { type Database, listHandlerOffsets, setConsumerOffset } from "@passage/store";
import { type Kysely, sql, type Transaction } from "kysely";
import { ConsumerErrors } from "./consumer-errors.ts";
import { consumerNameOf, type Partition, partitionsOf } from "./partition.ts";

/*
 * A handler's effects must not be applied twice when it moves between partition layouts (say
 * from the in-process runner's one partition to eight workers, or back): each layout keeps its
 * own offsets, so two layouts applying at once would each apply the same events. Table
 * `consumer_layout` therefore records, per handler, the one layout allowed to apply:
 *
 * - every batch share-locks that row in its own transaction (one primary-key read) and refuses,
 *   with PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_SUPERSEDED, when its layout is not the recorded
 *   one (`lockHandlerLayoutOrThrow`);
 * - a consumer starting (before its first batch) locks the row exclusively, which waits for the
 *   recorded layout's batches in flight and keeps new ones out, and, when the recorded layout is
 *   another, adopts it: safe only when every partition of that layout stands at one position P
 *   (everything up to P applied once, nothing after), in which case every partition of the new
 *   layout is set to P and the row names the new layout (`adoptPartitionLayoutOrThrow`).
 *
 * A running worker (`passage worker`) marks its consumers alive (`markLayoutAlive`, every
 * LAYOUT_HEARTBEAT_MS, in rows `alive:<consumer>` of consumer_offset, removed when it stops).
 * While the recorded layout has a consumer marked alive within LAYOUT_ALIVE_MS, a consumer of
 * another layout that does not take over explicitly (any in-process command: `passage worklist`,
 * `catch-up`, the server) refuses to adopt (PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_IN_USE) instead of
 * stopping those workers; only a worker started with the new count (`takeOver`) adopts then.
 *
 * Offsets of layouts that are not the recorded one are dead (their consumers are refused), so
 * they never block an adoption. A database from before the table has no row: the layout whose
 * offsets are furthest ahead is taken as the one that was running.
 */

/** How often a running worker marks its consumers alive. */
export const LAYOUT_HEARTBEAT_MS = 20_000;
/** A layout whose consumer was marked alive this recently has running workers. */
export const LAYOUT_ALIVE_MS = 90_000;

/** The consumer_offset row marking a consumer alive (never a handler's offset: no handler name has ':'). */
function aliveMarkOf(consumer: string): string {
  return `alive:${consumer}`;
}

export const LayoutGuardErrors = {
  partitionLayoutInUse: defineError(
    "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_IN_USE",
    "conflict",
    "Workers of another partition layout are running the handler; a command does not take it over from them",
    (consumer: string, handler: string, partitions: number, recorded: number, alive: string) =>
      `consumer ${consumer} does not start: handler ${handler} is applied by running workers of a layout of ` +
      `${recorded} partition${recorded === 1 ? "" : "s"} (${alive}), and taking it over with this process's ` +
      `${partitions} would stop every one of them; run this command with PASSAGE_NATS_PARTITIONS=${recorded}, ` +
      `or stop those workers first (${LAYOUT_ALIVE_MS / 1000} s after the last one stops, the handler is free), ` +
      `or start workers with --partition I/${partitions} to move the handler on purpose`,
  ),
};
registerErrors("@passage/engine", LayoutGuardErrors);

/**
 * Marks consumers alive now (a running worker, every LAYOUT_HEARTBEAT_MS), or removes the marks
 * (`alive: false`, when it stops), so commands of another layout leave their handlers alone.
 */
export async function markLayoutAlive(
  db: Kysely<Database>,
  consumers: readonly string[],
  alive = true,
): Promise<void> {
  if (consumers.length === 0) return;
  const marks = consumers.map(aliveMarkOf);
  if (!alive) {
    await sql`DELETE FROM consumer_offset WHERE consumer IN (${sql.join(marks)})`.execute(db);
    return;
  }
  await sql`INSERT INTO consumer_offset (consumer, position, updated_at)
    SELECT mark, 0, now() FROM unnest(${marks}::text[]) AS mark
    ON CONFLICT (consumer) DO UPDATE SET updated_at = now()`.execute(db);
}

/** A handler's recorded layout with the consumers of it marked alive within LAYOUT_ALIVE_MS. */
export interface LiveRecordedLayout {
  readonly handler: string;
  readonly partitions: number;
  /** Its running consumers, each with how long ago it was marked (`lifecycle#0/2 seen 4 s ago`). */
  readonly alive: readonly string[];
}

/**
 * Every handler whose recorded layout has running workers, judged as a command's adoption judges
 * them (adoptPartitionLayoutOrThrow): a consumer of that layout marked alive in the last 90 s.
 * The relay publishes for the partition count of these layouts.
 */
export async function liveRecordedLayouts(db: Kysely<Database>): Promise<LiveRecordedLayout[]> {
  const { rows } = await sql<{ handler: string; partitions: number; consumer: string; seconds: number }>`
    SELECT layout.handler, layout.partitions, substr(mark.consumer, 7) AS consumer,
      extract(epoch FROM now() - mark.updated_at)::float8 AS seconds
    FROM consumer_layout AS layout
    JOIN consumer_offset AS mark ON starts_with(mark.consumer, ${aliveMarkOf("")} || layout.handler)
    WHERE mark.updated_at > now() - make_interval(secs => ${LAYOUT_ALIVE_MS / 1000})
    ORDER BY layout.handler, mark.consumer`.execute(db);
  const layouts = new Map<string, { handler: string; partitions: number; alive: string[] }>();
  for (const row of rows) {
    const ofHandler = row.consumer === row.handler || row.consumer.startsWith(`${row.handler}#`);
    if (!ofHandler || layoutOf(row.consumer) !== row.partitions) continue;
    const layout = layouts.get(row.handler) ?? {
      handler: row.handler,
      partitions: row.partitions,
      alive: [],
    };
    layout.alive.push(`${row.consumer} seen ${Math.round(row.seconds)} s ago`);
    layouts.set(row.handler, layout);
  }
  return [...layouts.values()];
}

/** The partition count an offset name belongs to: `lifecycle` is 1, `lifecycle#3/8` is 8. */
function layoutOf(consumer: string): number {
  const match = /#\d+\/(\d+)$/.exec(consumer);
  return match ? Number(match[1]) : 1;
}

/**
 * In a batch's transaction, before anything else: share-locks the handler's recorded layout
 * until commit, so no adoption can happen while the batch applies, and throws when that layout
 * is not this consumer's.
 */
export async function lockHandlerLayoutOrThrow(
  transaction: Transaction<Database>,
  handlerName: string,
  partition: Partition,
): Promise<void> {
  const { rows } = await sql<{ partitions: number }>`
    SELECT partitions FROM consumer_layout WHERE handler = ${handlerName} FOR SHARE`.execute(transaction);
  const recorded = rows[0]?.partitions;
  if (recorded !== partition.count) {
    throw ConsumerErrors.partitionLayoutSuperseded.create(
      consumerNameOf(handlerName, partition),
      handlerName,
      partition.count,
      recorded,
    );
  }
}

/**
 * Run once per consumer before its first batch, in a transaction of its own: makes this
 * consumer's layout the handler's recorded one, adopting the position of the layout recorded
 * before when it differs (see above), or throws when that is not safe and says what to do.
 */
export async function adoptPartitionLayoutOrThrow(
  transaction: Transaction<Database>,
  handlerName: string,
  partition: Partition,
  options: { takeOver?: boolean | undefined } = {},
): Promise<void> {
  const consumer = consumerNameOf(handlerName, partition);
  // Usually this layout is already the recorded one: no lock needed (the batches check again).
  const current = await sql<{ partitions: number }>`
    SELECT partitions FROM consumer_layout WHERE handler = ${handlerName}`.execute(transaction);
  if (current.rows[0]?.partitions === partition.count) return;
  // Either this inserts the row (and holds it until commit) or the row exists and is locked.
  const inserted = await sql<{ partitions: number }>`
    INSERT INTO consumer_layout (handler, partitions) VALUES (${handlerName}, ${partition.count})
    ON CONFLICT (handler) DO NOTHING RETURNING partitions`.execute(transaction);
  let recorded: number | undefined;
  if (inserted.rows.length === 0) {
    const { rows } = await sql<{ partitions: number }>`
      SELECT partitions FROM consumer_layout WHERE handler = ${handlerName} FOR UPDATE`.execute(transaction);
    recorded = rows[0]!.partitions;
    if (recorded === partition.count) return;
    if (!options.takeOver) {
      const { rows: alive } = await sql<{ consumer: string; seconds: number }>`
        SELECT substr(consumer, 7) AS consumer, extract(epoch FROM now() - updated_at)::float8 AS seconds
        FROM consumer_offset
        WHERE starts_with(consumer, ${aliveMarkOf(handlerName)})
          AND updated_at > now() - make_interval(secs => ${LAYOUT_ALIVE_MS / 1000})
        ORDER BY consumer`.execute(transaction);
      const running = alive.filter(
        (row) =>
          (row.consumer === handlerName || row.consumer.startsWith(`${handlerName}#`)) &&
          layoutOf(row.consumer) === recorded,
      );
      if (running.length > 0) {
        throw LayoutGuardErrors.partitionLayoutInUse.create(
          consumer,
          handlerName,
          partition.count,
          recorded,
          running.map((row) => `${row.consumer} seen ${Math.round(row.seconds)} s ago`).join(", "),
        );
      }
    }
  }
  const byLayout = new Map<number, Array<{ consumer: string; position: string }>>();
  for (const offset of await listHandlerOffsets(transaction, handlerName)) {
    const layout = layoutOf(offset.consumer);
    byLayout.set(layout, [...(byLayout.get(layout) ?? []), offset]);
  }
  const own = byLayout.get(partition.count) ?? [];
  const ownPositions = partitionsOf(partition.count).map(
    (member) =>
      own.find((offset) => offset.consumer === consumerNameOf(handlerName, member))?.position ?? "0",
  );
  let source = recorded;
  if (source === undefined) {
    // No layout recorded yet: the one furthest ahead, if ahead of this one, was running.
    const lowest = ownPositions.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
    let furthest = BigInt(lowest);
    for (const [layout, members] of byLayout) {
      if (layout === partition.count) continue;
      for (const member of members) {
        if (BigInt(member.position) > furthest) [furthest, source] = [BigInt(member.position), layout];
      }
    }
    if (source === undefined) return;
  }
  const members = byLayout.get(source) ?? [];
  const positions = new Set(members.map((member) => member.position));
  const [position] = positions;
  const described = members.map((member) => `${member.consumer} at ${member.position}`).join(", ");
  if (members.length !== source || positions.size !== 1 || position === undefined) {
    throw ConsumerErrors.partitionLayoutConflict.create(
      consumer,
      handlerName,
      partition.count,
      source,
      described,
    );
  }
  const ahead = own.filter((offset) => BigInt(offset.position) > BigInt(position));
  if (ahead.length > 0) {
    // Only possible for offsets left from before the layout was recorded.
    throw ConsumerErrors.partitionLayoutAhead.create(
      consumer,
      source,
      position,
      ahead.map((offset) => `${offset.consumer} at ${offset.position}`).join(", "),
    );
  }
  for (const member of partitionsOf(partition.count)) {
    await setConsumerOffset(transaction, consumerNameOf(handlerName, member), position);
  }
  await sql`UPDATE consumer_layout SET partitions = ${partition.count}, adopted_at = now()
    WHERE handler = ${handlerName}`.execute(transaction);
}
