import type { BlockingKeyPart, BlockingRule } from "../model/linkage-settings.ts";
import type { ComparisonPlan, PreparedRecord } from "../model/prepared-record.ts";
import { classesPaired, hasListedClass } from "../model/record-classes.ts";

interface CompiledPart {
  readonly transform: BlockingKeyPart["transform"];
  readonly indexes: readonly number[];
}

/** A blocking rule resolved against a comparison plan: computes keys of prepared records. */
export interface CompiledBlockingRule {
  readonly name: string;
  /** Comparisons the rule's key reads: training holds them out of the rule's EM session. */
  readonly comparisonIndexes: readonly number[];
  /** The rule's key, or undefined when the record lacks a part. */
  keyOf(record: PreparedRecord): string | undefined;
  /** The key extended by the first `depth` refinements, or undefined when a refinement part is missing. */
  refinedKeyOf(record: PreparedRecord, depth: number): string | undefined;
  readonly refinementCount: number;
  /** Records a block of this rule may hold: the rule's own cap, else the settings'. */
  readonly blockSizeCap: number;
  /** For a rule limited to pairs of record classes, whether it pairs two records (by id); undefined: every pair. */
  readonly admitsPair: ((leftId: string, rightId: string) => boolean) | undefined;
}

/** Resolves the rule's comparison names (validated earlier) to comparator indexes. */
export function compileBlockingRule(rule: BlockingRule, plan: ComparisonPlan): CompiledBlockingRule {
  const indexOf = new Map(plan.settings.comparisons.map((comparison, index) => [comparison.name, index]));
  const compilePart = (part: BlockingKeyPart): CompiledPart => ({
    transform: part.transform,
    indexes: part.comparisons.map((name) => indexOf.get(name)!),
  });
  const parts = rule.parts.map(compilePart);
  const refinements = rule.refinements.map(compilePart);
  const partKey = (record: PreparedRecord, part: CompiledPart): string | undefined => {
    if (part.transform === "phonetic_pair") {
      const first = keyOfValue(plan, record, part.indexes[0]!, "phonetic_pair");
      const second = keyOfValue(plan, record, part.indexes[1]!, "phonetic_pair");
      if (first === undefined || second === undefined) return undefined;
      return first < second ? `${first}+${second}` : `${second}+${first}`;
    }
    return keyOfValue(plan, record, part.indexes[0]!, part.transform);
  };
  const { classPairs } = rule;
  const keyOf = (record: PreparedRecord): string | undefined => {
    if (classPairs !== undefined && !hasListedClass(classPairs, record.id)) return undefined;
    let key = "";
    for (let index = 0; index < parts.length; index += 1) {
      const part = partKey(record, parts[index]!);
      if (part === undefined || part === "") return undefined;
      key = index === 0 ? part : `${key}|${part}`;
    }
    return key;
  };
  return {
    name: rule.name,
    comparisonIndexes: [...new Set(parts.flatMap((part) => part.indexes))],
    keyOf,
    refinedKeyOf(record, depth) {
      let key = keyOf(record);
      for (let index = 0; index < depth && key !== undefined; index += 1) {
        const part = partKey(record, refinements[index]!);
        key = part === undefined || part === "" ? undefined : `${key}|${part}`;
      }
      return key;
    },
    refinementCount: refinements.length,
    blockSizeCap: rule.blockSizeCap ?? plan.settings.blockSizeCap,
    admitsPair:
      classPairs === undefined ? undefined : (leftId, rightId) => classesPaired(classPairs, leftId, rightId),
  };
}

function keyOfValue(
  plan: ComparisonPlan,
  record: PreparedRecord,
  index: number,
  transform: BlockingKeyPart["transform"],
): string | undefined {
  const value = record.values[index];
  return value === undefined ? undefined : plan.comparators[index]!.blockingKey(value, transform);
}
