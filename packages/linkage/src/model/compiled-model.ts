import { DATE_LEVEL } from "../compare/date-comparator.ts";
import type { StrongIdentifier } from "../compare/field-comparator.ts";
import type { LinkageModel } from "./linkage-model.ts";
import { type ComparisonPlan, createComparisonPlan, type PreparedRecord } from "./prepared-record.ts";

/** A model made ready to score: weights per level precomputed from m and u. */
export interface CompiledModel {
  readonly artefact: LinkageModel;
  readonly plan: ComparisonPlan;
  /** log2(prior / (1 - prior)). */
  readonly priorWeight: number;
  /** Per comparison, per level: log2(m / u); 0 for the missing level. */
  readonly levelWeights: readonly Float64Array[];
  /** Per comparison, per level: the u a term-frequency adjustment divides (0: level not adjusted). */
  readonly termFrequencyBaseU: readonly Float64Array[];
  readonly termFrequencyCounts: readonly (ReadonlyMap<string, number> | undefined)[];
  readonly termFrequencyRecords: readonly number[];
  readonly corroborating: readonly boolean[];
  readonly fullNameCounts: ReadonlyMap<string, number> | undefined;
  readonly fullNameRecords: number;
  /** Version 2 artefacts: holders per full name, the total of holders, and log2(m(given) m(family)) of exact agreement. */
  readonly fullNameHolders: ReadonlyMap<string, number> | undefined;
  readonly fullNameHolderTotal: number;
  readonly exactNamesLogM: number;
  /** Version 2: holders' birth years per name (the namesake cap), and what the cap covers. */
  readonly namesakeYears: ReadonlyMap<string, readonly number[]> | undefined;
  /** Per comparison: counted under the namesake cap (names, the date, fields that follow the name). */
  readonly namesakeCapped: readonly boolean[];
  /** Per comparison: agreement mostly follows from the name (`followsName`: sex, nationality, country of birth). */
  readonly followsName: readonly boolean[];
  /** Index of the date comparison, or -1. */
  readonly dateIndex: number;
  /**
   * The strong identifier comparisons (`strong: true`) a pair is held in review by when the two
   * records hold exactly the same value (`classifyPair`'s floor); `scoped`: the value means one
   * person only within its scope (a passport within its issuing country), so both must name it.
   */
  readonly personIdentifiers: readonly {
    readonly index: number;
    readonly name: string;
    readonly scoped: boolean;
  }[];
  strongIdentifiers(record: PreparedRecord): StrongIdentifier[];
}

/** Compiles a model artefact. Scores depend only on the artefact, so a reloaded model scores alike. */
export function compileModel(artefact: LinkageModel, plan?: ComparisonPlan): CompiledModel {
  const comparisonPlan = plan ?? createComparisonPlan(artefact.settings);
  const prior = artefact.parameters.prior;
  const levelWeights: Float64Array[] = [];
  const termFrequencyBaseU: Float64Array[] = [];
  const termFrequencyCounts: (Map<string, number> | undefined)[] = [];
  const termFrequencyRecords: number[] = [];
  artefact.settings.comparisons.forEach((comparison, index) => {
    const { m, u } = artefact.parameters.comparisons[comparison.name]!;
    const levelCount = comparisonPlan.levelCounts[index]!;
    const weights = new Float64Array(levelCount);
    for (let level = 1; level < levelCount; level += 1) weights[level] = Math.log2(m[level]! / u[level]!);
    if (comparison.kind === "date") {
      // A shared placeholder date is never stronger evidence than a shared year: 1 January is
      // what systems write when they do not know (DOMAIN.md §2.2).
      // A placeholder tells at most its year, and may be a guess: at most one bit for it.
      weights[DATE_LEVEL.placeholderYear] = Math.min(weights[DATE_LEVEL.placeholderYear]!, 1);
      weights[DATE_LEVEL.placeholder] = Math.min(
        weights[DATE_LEVEL.placeholder]!,
        weights[DATE_LEVEL.placeholderYear]!,
      );
    }
    levelWeights.push(weights);
    const table = artefact.termFrequencies[comparison.name];
    const baseU = new Float64Array(levelCount);
    if (table !== undefined) {
      const comparator = comparisonPlan.comparators[index]!;
      // Exact agreement divides its own u; variant agreement divides the u of "exact or variant",
      // the chance two random records share the canonical spelling.
      if (comparator.kind.endsWith("_name")) {
        baseU[1] = u[1]!;
        baseU[2] = u[1]! + u[2]!;
      } else {
        baseU[1] = u[1]!;
      }
      termFrequencyCounts.push(new Map(Object.entries(table.counts)));
      termFrequencyRecords.push(table.records);
    } else {
      termFrequencyCounts.push(undefined);
      termFrequencyRecords.push(0);
    }
    termFrequencyBaseU.push(baseU);
  });
  return {
    artefact,
    plan: comparisonPlan,
    priorWeight: Math.log2(prior / (1 - prior)),
    levelWeights,
    termFrequencyBaseU,
    termFrequencyCounts,
    termFrequencyRecords,
    fullNameCounts: artefact.fullNameFrequencies
      ? new Map(Object.entries(artefact.fullNameFrequencies.counts))
      : undefined,
    fullNameRecords: artefact.fullNameFrequencies?.records ?? 0,
    fullNameHolders: artefact.fullNameHolders
      ? new Map(Object.entries(artefact.fullNameHolders.counts))
      : undefined,
    fullNameHolderTotal: artefact.fullNameHolders?.records ?? 0,
    namesakeYears: artefact.namesakeBirthYears
      ? new Map(Object.entries(artefact.namesakeBirthYears.years))
      : undefined,
    namesakeCapped: artefact.settings.comparisons.map(
      (comparison) =>
        comparison.kind.endsWith("_name") || comparison.kind === "date" || comparison.followsName === true,
    ),
    followsName: artefact.settings.comparisons.map((comparison) => comparison.followsName === true),
    dateIndex: comparisonPlan.comparators.findIndex((comparator) => comparator.kind === "date"),
    personIdentifiers: artefact.settings.comparisons.flatMap((comparison, index) =>
      comparison.kind === "identifier" && comparison.strong === true
        ? [{ index, name: comparison.name, scoped: comparison.scopeColumn !== undefined }]
        : [],
    ),
    exactNamesLogM:
      comparisonPlan.swap === undefined
        ? 0
        : Math.log2(
            artefact.parameters.comparisons[artefact.settings.comparisons[comparisonPlan.swap.given]!.name]!
              .m[1]! *
              artefact.parameters.comparisons[
                artefact.settings.comparisons[comparisonPlan.swap.family]!.name
              ]!.m[1]!,
          ),
    corroborating: comparisonPlan.comparators.map(
      (comparator, index) => artefact.settings.comparisons[index]!.corroborates ?? comparator.corroborating,
    ),
    strongIdentifiers: (record) => comparisonPlan.strongIdentifiers(record),
  };
}

/** Match probability of a match weight (bits): 2^w / (1 + 2^w). */
export function probabilityOfWeight(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** Match weight (bits) of a probability. */
export function weightOfProbability(probability: number): number {
  return Math.log2(probability / (1 - probability));
}
