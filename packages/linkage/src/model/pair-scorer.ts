import { DATE_LEVEL } from "../compare/date-comparator.ts";
import { IDENTIFIER_LEVEL, type ScopedIdentifier } from "../compare/identifier-comparator.ts";
import { NAME_LEVEL } from "../compare/name-comparator.ts";
import type { StandardDate } from "../standardise/standardise-date.ts";
import type { StandardName } from "../standardise/standardise-name.ts";
import { compareRecords } from "./compare-records.ts";
import type { CompiledModel } from "./compiled-model.ts";
import { type DateAgreementSpan, namesakeCollisionChance, namesakeKey } from "./namesake-birth-years.ts";

/** Date levels the namesake cap applies to, and how closely each pins the date. */
const SPAN_OF_DATE_LEVEL: readonly (DateAgreementSpan | undefined)[] = (() => {
  const spans: (DateAgreementSpan | undefined)[] = [];
  spans[DATE_LEVEL.exact] = "day";
  spans[DATE_LEVEL.swap] = "day";
  spans[DATE_LEVEL.yearOff] = "two_days";
  spans[DATE_LEVEL.placeholder] = "year";
  spans[DATE_LEVEL.placeholderYear] = "year";
  return spans;
})();

import type { PreparedRecord } from "./prepared-record.ts";

/**
 * Scores pairs with one compiled model, reusing its buffers: after `score`, `levels`,
 * `termFrequencyAdjustments`, `swapped`, `corroboratingWeight` and `sharedIdentifier` describe the
 * last pair. Batch,
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
  /** The namesake cap's correction of the last pair, in bits (0 or negative). */
  namesakeAdjustment = 0;
  /**
   * The strong identifier (comparison name) the last pair's two records hold exactly the same
   * value of, a scoped one (passport) with the same scope named on both sides; else undefined.
   * `classifyPair` holds such a pair in review whatever its score.
   */
  sharedIdentifier: string | undefined = undefined;
  /** Each field's weight in the last pair, term-frequency adjustment included. */
  readonly fieldWeights: Float64Array;

  constructor(model: CompiledModel) {
    this.model = model;
    this.levels = new Uint8Array(model.plan.comparators.length);
    this.termFrequencyAdjustments = new Float64Array(model.plan.comparators.length);
    this.fieldWeights = new Float64Array(model.plan.comparators.length);
  }

  /** The match weight in bits: prior + field weights + term-frequency adjustments + name corrections. */
  score(first: PreparedRecord, second: PreparedRecord): number {
    // One orientation per pair, whichever way round it is given: term-frequency and full-name
    // corrections read one side's value, so without it batch (index order) and incremental
    // (arrival first) could score the same pair differently.
    const left = second.id < first.id ? second : first;
    const right = left === first ? second : first;
    const model = this.model;
    const levels = this.levels;
    this.swapped = compareRecords(model.plan, left, right, levels);
    let weight = model.priorWeight;
    let corroborating = 0;
    // Without a birth date on both sides the namesake cap cannot weigh what follows the name
    // (sex, nationality, country of birth), so it corroborates nothing: two records sharing a
    // name and a country but no date must agree on an identifier to link automatically.
    const dateMissing = model.dateIndex !== -1 && levels[model.dateIndex] === 0;
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
      this.fieldWeights[index] = fieldWeight;
      weight += fieldWeight;
      if (fieldWeight > 0 && model.corroborating[index] && !(dateMissing && model.followsName[index]))
        corroborating += fieldWeight;
    }
    this.corroboratingWeight = corroborating;
    this.sharedIdentifier = this.sharedIdentifierOf(left, right, levels);
    this.fullNameAdjustment = this.fullNameCorrection(left, levels, this.fullNameHoldersOfPair(left, levels));
    weight += this.fullNameAdjustment;
    this.namesakeAdjustment = this.namesakeCap(left, right, levels);
    return weight + this.namesakeAdjustment;
  }

  /**
   * The first strong identifier both records hold exactly. A scoped one counts only with its scope
   * on both sides: a passport number alone is unique to no one (countries issue the same numbers).
   */
  private sharedIdentifierOf(
    left: PreparedRecord,
    right: PreparedRecord,
    levels: Uint8Array,
  ): string | undefined {
    for (const identifier of this.model.personIdentifiers) {
      if (levels[identifier.index] !== IDENTIFIER_LEVEL.exact) continue;
      if (
        identifier.scoped &&
        ((left.values[identifier.index] as ScopedIdentifier).scope === undefined ||
          (right.values[identifier.index] as ScopedIdentifier).scope === undefined)
      )
        continue;
      return identifier.name;
    }
    return undefined;
  }

  /**
   * The namesake cap (`LinkageModel.namesakeBirthYears`): 0, or the negative correction that
   * brings prior + names + date + fields that follow the name down to log2((1 - c) / c).
   */
  private namesakeCap(left: PreparedRecord, right: PreparedRecord, levels: Uint8Array): number {
    const model = this.model;
    const swap = model.plan.swap;
    const dateIndex = model.dateIndex;
    if (model.namesakeYears === undefined || swap === undefined || dateIndex === -1) return 0;
    const span = SPAN_OF_DATE_LEVEL[levels[dateIndex]!];
    if (span === undefined) return 0;
    const given = levels[swap.given]!;
    const family = levels[swap.family]!;
    // Names that agree at least as closely as a typo: a typo of a common name is still that name.
    if (given > NAME_LEVEL.close || family > NAME_LEVEL.close || (given === 0 && family === 0)) return 0;
    const year = (left.values[dateIndex] as StandardDate).year;
    const chance = Math.max(
      this.collisionChance(left, swap.given, swap.family, year, span),
      this.collisionChance(right, swap.given, swap.family, year, span),
    );
    if (chance <= 0) return 0;
    let capped = model.priorWeight + this.fullNameAdjustment;
    for (let index = 0; index < levels.length; index += 1)
      if (model.namesakeCapped[index]) capped += this.fieldWeights[index]!;
    const cap = Math.log2((1 - chance) / chance);
    return capped > cap ? cap - capped : 0;
  }

  private collisionChance(
    record: PreparedRecord,
    given: number,
    family: number,
    year: number,
    span: DateAgreementSpan,
  ): number {
    const key = namesakeKey(
      record.values[given] as StandardName | undefined,
      record.values[family] as StandardName | undefined,
    );
    return key === undefined ? 0 : namesakeCollisionChance(this.model.namesakeYears!.get(key), year, span);
  }

  /**
   * Holders of the pair's full name when both names agree exactly, read directly (version 2
   * models; 0 otherwise). A name absent from the table has one holder.
   */
  private fullNameHoldersOfPair(left: PreparedRecord, levels: Uint8Array): number {
    const model = this.model;
    const swap = model.plan.swap;
    if (swap === undefined || this.swapped || model.fullNameHolders === undefined) return 0;
    if (levels[swap.given] !== NAME_LEVEL.exact || levels[swap.family] !== NAME_LEVEL.exact) return 0;
    const given = left.values[swap.given] as StandardName;
    const family = left.values[swap.family] as StandardName;
    return model.fullNameHolders.get(`${given.folded} ${family.folded}`) ?? 1;
  }

  /**
   * When given and family names both agree exactly, a full name held by several persons is weaker
   * evidence than its two halves suggest (Fellegi-Sunter takes them as independent; within a
   * community they are not): the names' weight is capped at log2(m(given) m(family) H / (h - 1)),
   * h holders of the full name among H. A version 1 artefact keeps its record-count correction.
   */
  private fullNameCorrection(left: PreparedRecord, levels: Uint8Array, holders: number): number {
    const model = this.model;
    const swap = model.plan.swap;
    if (swap === undefined || this.swapped) return 0;
    if (levels[swap.given] !== NAME_LEVEL.exact || levels[swap.family] !== NAME_LEVEL.exact) return 0;
    if (model.fullNameHolders !== undefined) {
      if (holders < 2) return 0;
      const granted = this.fieldWeights[swap.given]! + this.fieldWeights[swap.family]!;
      const supported = model.exactNamesLogM + Math.log2(model.fullNameHolderTotal / (holders - 1));
      return Math.min(supported - granted, 0);
    }
    if (model.fullNameCounts === undefined) return 0;
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
