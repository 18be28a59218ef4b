import type { ComparisonPlan, PreparedRecord } from "../model/prepared-record.ts";
import { type CompiledBlockingRule, compileBlockingRule } from "./blocking-keys.ts";

/**
 * A blocking index maintained record by record, for incremental linking: the same rules, keys,
 * cap and refinements as batch blocking. A block above the cap is looked up through its
 * refinements; one still above the cap after the last refinement gives no candidates.
 */
export class BlockingIndex {
  private readonly plan: ComparisonPlan;
  private readonly rules: readonly CompiledBlockingRule[];
  /** Per rule, per refinement depth: key -> record slots. */
  private readonly blocks: Map<string, number[]>[][];
  private readonly slots: (PreparedRecord | undefined)[] = [];
  private readonly slotOfId = new Map<string, number>();
  private readonly freeSlots: number[] = [];

  constructor(plan: ComparisonPlan) {
    this.plan = plan;
    this.rules = plan.settings.blockingRules.map((rule) => compileBlockingRule(rule, plan));
    this.blocks = this.rules.map((rule) => Array.from({ length: rule.refinementCount + 1 }, () => new Map()));
  }

  get size(): number {
    return this.slotOfId.size;
  }

  get(id: string): PreparedRecord | undefined {
    const slot = this.slotOfId.get(id);
    return slot === undefined ? undefined : this.slots[slot];
  }

  /** Adds a record (replacing any earlier record with the same id). */
  add(record: PreparedRecord): void {
    if (this.slotOfId.has(record.id)) this.remove(record.id);
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = record;
    this.slotOfId.set(record.id, slot);
    this.forEachKey(record, (map, key) => {
      const members = map.get(key);
      if (members) members.push(slot);
      else map.set(key, [slot]);
    });
  }

  /** Removes a record; returns whether it was there. */
  remove(id: string): boolean {
    const slot = this.slotOfId.get(id);
    if (slot === undefined) return false;
    const record = this.slots[slot]!;
    this.forEachKey(record, (map, key) => {
      const members = map.get(key);
      if (!members) return;
      const position = members.indexOf(slot);
      if (position >= 0) members.splice(position, 1);
      if (members.length === 0) map.delete(key);
    });
    this.slots[slot] = undefined;
    this.slotOfId.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /**
   * The indexed records sharing a block with `record` under any rule (never the record itself;
   * under `link_only`, only records of the other source).
   */
  candidates(record: PreparedRecord): PreparedRecord[] {
    const linkOnly = this.plan.settings.linkType === "link_only";
    const ownSlot = this.slotOfId.get(record.id);
    const found = new Set<number>();
    this.rules.forEach((rule, ruleIndex) => {
      for (let depth = 0; depth <= rule.refinementCount; depth += 1) {
        const key = rule.refinedKeyOf(record, depth);
        if (key === undefined) return;
        const members = this.blocks[ruleIndex]![depth]!.get(key);
        if (!members) return;
        // The block's size as batch would see it: its members plus the record itself.
        const size = members.length + (ownSlot === undefined || !members.includes(ownSlot) ? 1 : 0);
        if (size > rule.blockSizeCap) continue;
        for (const slot of members) {
          if (rule.admitsPair?.(record.id, this.slots[slot]!.id) !== false) found.add(slot);
        }
        return;
      }
    });
    const result: PreparedRecord[] = [];
    for (const slot of found) {
      const candidate = this.slots[slot]!;
      if (candidate.id === record.id) continue;
      if (linkOnly && candidate.source === record.source) continue;
      result.push(candidate);
    }
    return result;
  }

  private forEachKey(record: PreparedRecord, visit: (map: Map<string, number[]>, key: string) => void): void {
    this.rules.forEach((rule, ruleIndex) => {
      for (let depth = 0; depth <= rule.refinementCount; depth += 1) {
        const key = rule.refinedKeyOf(record, depth);
        if (key === undefined) break;
        visit(this.blocks[ruleIndex]![depth]!, key);
      }
    });
  }
}
