/**
 * Blocks (lists of record indexes) as two flat arrays, so another thread can hand them over
 * without copying a million small arrays: block `b` is members[offsets[b] .. offsets[b + 1]).
 */
export interface FlatBlocks {
  readonly offsets: Int32Array;
  readonly members: Int32Array;
}

/** Flattens blocks into offsets and members. */
export function flattenBlocks(blocks: readonly (readonly number[])[]): FlatBlocks {
  let total = 0;
  for (const block of blocks) total += block.length;
  const offsets = new Int32Array(blocks.length + 1);
  const members = new Int32Array(total);
  let next = 0;
  blocks.forEach((block, index) => {
    offsets[index] = next;
    for (const member of block) members[next++] = member;
  });
  offsets[blocks.length] = next;
  return { offsets, members };
}

/** The blocks again, as lists. */
export function unflattenBlocks(flat: FlatBlocks): number[][] {
  const blocks: number[][] = new Array(flat.offsets.length - 1);
  for (let index = 0; index < blocks.length; index += 1) {
    blocks[index] = Array.from(flat.members.subarray(flat.offsets[index]!, flat.offsets[index + 1]!));
  }
  return blocks;
}
