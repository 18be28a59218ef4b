import type { LinkageSettings } from "../model/linkage-settings.ts";
import type { ComparisonPlan, PreparedRecord } from "../model/prepared-record.ts";
import { type CompiledBlockingRule, compileBlockingRule } from "./blocking-keys.ts";
import { type CandidatePairs, candidatePairsOf, PairBuffer } from "./pair-buffer.ts";

/** What blocking did, per rule. */
export interface BlockingRuleStatistics {
  readonly rule: string;
  readonly blocks: number;
  readonly largestBlock: number;
  /** New pairs this rule contributed (pairs an earlier rule already found are not counted again). */
  readonly pairs: number;
  /** Blocks above the cap that were split by a refinement. */
  readonly refinedBlocks: number;
  /** Records left out of this rule because their block stayed above the cap after every refinement. */
  readonly skippedRecords: number;
}

export interface CandidateGeneration {
  readonly pairs: CandidatePairs;
  readonly statistics: readonly BlockingRuleStatistics[];
  /** Each rule's blocks (record indexes), kept so training samples them without blocking again. */
  readonly blocks: readonly (readonly (readonly number[])[])[];
}

/**
 * Candidate pairs from the union of the blocking rules, without quadratic blow-up: each rule
 * groups records by key, a block above the cap is refined (or, with no refinement left,
 * skipped), and a pair found by an earlier rule is not emitted again — it is recognised by
 * the two records sharing an earlier rule's block, so no set of seen pairs is kept.
 * `link_only` pairs only records of different sources; a pair's left index is always the
 * smaller (in `link_only`, the source-0 record).
 */
export function generateCandidatePairs(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
): CandidateGeneration {
  const settings = plan.settings;
  const rules = settings.blockingRules.map((rule) => compileBlockingRule(rule, plan));
  const blockOf: EarlierBlocks[] = [];
  const buffer = new PairBuffer(Math.max(1024, records.length * 4));
  const statistics: BlockingRuleStatistics[] = [];
  const blocksOfRules: number[][][] = [];
  rules.forEach((rule, ruleIndex) => {
    const membership = new Int32Array(records.length).fill(-1);
    const blocks = buildBlocks(rule, records, rule.blockSizeCap);
    blocks.blocks.forEach((members, blockIndex) => {
      for (const member of members) membership[member] = blockIndex;
    });
    const before = buffer.count;
    for (const members of blocks.blocks) {
      emitPairs(settings, records, members, ruleIndex, rule.admitsPair, blockOf, buffer);
    }
    blockOf.push({ membership, admitsPair: rule.admitsPair });
    blocksOfRules.push(blocks.blocks);
    statistics.push({
      rule: rule.name,
      blocks: blocks.blocks.length,
      largestBlock: blocks.largestBlock,
      pairs: buffer.count - before,
      refinedBlocks: blocks.refinedBlocks,
      skippedRecords: blocks.skippedRecords,
    });
  });
  return { pairs: candidatePairsOf(buffer), statistics, blocks: blocksOfRules };
}

interface Blocks {
  readonly blocks: number[][];
  largestBlock: number;
  refinedBlocks: number;
  skippedRecords: number;
}

/** Groups records by the rule's key, refining oversize blocks; blocks of one record are dropped. */
export function buildBlocks(
  rule: CompiledBlockingRule,
  records: readonly PreparedRecord[],
  cap: number,
): Blocks {
  const groups = new Map<string, number[]>();
  for (let index = 0; index < records.length; index += 1) {
    const key = rule.keyOf(records[index]!);
    if (key === undefined) continue;
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [index]);
    else members.push(index);
  }
  const result: Blocks = { blocks: [], largestBlock: 0, refinedBlocks: 0, skippedRecords: 0 };
  const place = (members: number[], depth: number): void => {
    if (members.length < 2) return;
    if (members.length <= cap) {
      result.blocks.push(members);
      if (members.length > result.largestBlock) result.largestBlock = members.length;
      return;
    }
    if (depth >= rule.refinementCount) {
      result.skippedRecords += members.length;
      return;
    }
    result.refinedBlocks += 1;
    const finer = new Map<string, number[]>();
    for (const member of members) {
      const key = rule.refinedKeyOf(records[member]!, depth + 1);
      if (key === undefined) continue;
      const group = finer.get(key);
      if (group === undefined) finer.set(key, [member]);
      else group.push(member);
    }
    for (const group of finer.values()) place(group, depth + 1);
  };
  for (const members of groups.values()) place(members, 0);
  return result;
}

function emitPairs(
  settings: LinkageSettings,
  records: readonly PreparedRecord[],
  members: readonly number[],
  ruleIndex: number,
  admitsPair: CompiledBlockingRule["admitsPair"],
  earlierBlocks: readonly EarlierBlocks[],
  buffer: PairBuffer,
): void {
  const linkOnly = settings.linkType === "link_only";
  const size = members.length;
  for (let a = 0; a < size; a += 1) {
    const first = members[a]!;
    const firstSource = records[first]!.source;
    for (let b = a + 1; b < size; b += 1) {
      const second = members[b]!;
      let left = first;
      let right = second;
      if (linkOnly) {
        const secondSource = records[second]!.source;
        if (secondSource === firstSource) continue;
        if (firstSource !== 0) {
          left = second;
          right = first;
        }
      } else if (second < first) {
        left = second;
        right = first;
      }
      if (admitsPair !== undefined && !admitsPair(records[left]!.id, records[right]!.id)) continue;
      if (foundEarlier(earlierBlocks, records, left, right)) continue;
      buffer.push(left, right, ruleIndex);
    }
  }
}

/** A rule's block of each record (-1: none), and which of a block's pairs the rule compared. */
interface EarlierBlocks {
  readonly membership: Int32Array;
  readonly admitsPair: CompiledBlockingRule["admitsPair"];
}

function foundEarlier(
  earlierBlocks: readonly EarlierBlocks[],
  records: readonly PreparedRecord[],
  left: number,
  right: number,
): boolean {
  for (let index = 0; index < earlierBlocks.length; index += 1) {
    const { membership, admitsPair } = earlierBlocks[index]!;
    const block = membership[left]!;
    if (block === -1 || block !== membership[right]) continue;
    if (admitsPair === undefined || admitsPair(records[left]!.id, records[right]!.id)) return true;
  }
  return false;
}
