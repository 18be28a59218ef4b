import { NAME_LEVEL } from "../compare/name-comparator.ts";
import type { StandardName } from "../standardise/standardise-name.ts";
import { compareRecords } from "./compare-records.ts";
import type { CompiledModel } from "./compiled-model.ts";
import type { PreparedRecord } from "./prepared-record.ts";

/**
 * Scores pairs with one compiled model, reusing its buffers: after `score`, `levels`,
 * `termFrequencyAdjustments`, `swapped` and `corroboratingWeight` describe the last pair. Batch,
 * incremental and explanation all score through this class, so a pair's weight is the same
 * floating-point number on every path.
 */
export class PairScorer {
  readonly model: CompiledModel;
  readonly levels: Uint8Array;
  readonly termFrequencyAdjustments: Float64Array;
  swapped = false;
  corroboratingWeight = 0;
  /** The full-name frequency correction of the last pair, in bits (0 or negative). */
  fullNameAdjustment = 0;

  constructor(model: CompiledModel) {
    this.model = model;
    this.levels = new Uint8Array(model.plan.comparators.length);
    this.termFrequencyAdjustments = new Float64Array(model.plan.comparators.length);
  }

  /** The match weight in bits: prior + field weights + term-frequency adjustments. */
  score(left: PreparedRecord, right: PreparedRecord): number {
    const model = this.model;
    const levels = this.levels;
    this.swapped = compareRecords(model.plan, left, right, levels);
    let weight = model.priorWeight;
    let corroborating = 0;
    const comparisonCount = levels.length;
    for (let index = 0; index < comparisonCount; index += 1) {
      const level = levels[index]!;
      let fieldWeight = model.levelWeights[index]![level]!;
      let adjustment = 0;
      const baseU = model.termFrequencyBaseU[index]![level]!;
      if (baseU > 0) {
        adjustment = this.termFrequencyAdjustment(index, level, left.values[index], baseU);
        fieldWeight += adjustment;
      }
      this.termFrequencyAdjustments[index] = adjustment;
      weight += fieldWeight;
      if (fieldWeight > 0 && model.corroborating[index]) corroborating += fieldWeight;
    }
    this.corroboratingWeight = corroborating;
    this.fullNameAdjustment = this.fullNameCorrection(left, levels);
    return weight + this.fullNameAdjustment;
  }

  /**
   * When given and family names both agree exactly, log2(tf(given) * tf(family) / tf(full name))
   * if negative: a full name commoner than its halves suggest is weaker evidence.
   */
  private fullNameCorrection(left: PreparedRecord, levels: Uint8Array): number {
    const model = this.model;
    const swap = model.plan.swap;
    if (swap === undefined || model.fullNameCounts === undefined || this.swapped) return 0;
    if (levels[swap.given] !== NAME_LEVEL.exact || levels[swap.family] !== NAME_LEVEL.exact) return 0;
    const given = left.values[swap.given] as StandardName;
    const family = left.values[swap.family] as StandardName;
    const givenShare = this.share(swap.given, given.folded);
    const familyShare = this.share(swap.family, family.folded);
    if (givenShare === 0 || familyShare === 0) return 0;
    const fullCount = model.fullNameCounts.get(`${given.folded} ${family.folded}`) ?? 1;
    const correction = Math.log2((givenShare * familyShare) / (fullCount / model.fullNameRecords));
    return Math.min(correction, 0);
  }

  private share(index: number, key: string): number {
    const records = this.model.termFrequencyRecords[index]!;
    const counts = this.model.termFrequencyCounts[index];
    return records === 0 || counts === undefined ? 0 : (counts.get(key) ?? 1) / records;
  }

  private termFrequencyAdjustment(index: number, level: number, value: unknown, baseU: number): number {
    const model = this.model;
    const comparator = model.plan.comparators[index]!;
    // Under a names swap the left value sits in the other comparison; its own key still names it.
    const key = value === undefined ? undefined : comparator.termFrequencyKey(value, level);
    if (key === undefined) return 0;
    const records = model.termFrequencyRecords[index]!;
    if (records === 0) return 0;
    const count = model.termFrequencyCounts[index]!.get(key) ?? 1;
    const adjustment = Math.log2(baseU / (count / records));
    const maximum = model.artefact.settings.maximumTermFrequencyBonus;
    return Math.min(adjustment, maximum);
  }
}
