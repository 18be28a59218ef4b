import { createComparator } from "../compare/create-comparator.ts";
import { LinkageErrors } from "../linkage-errors.ts";
import {
  type ComparisonParameters,
  type LinkageModel,
  MODEL_SCHEMA,
  MODEL_SCHEMA_VERSION,
  MODEL_SCHEMA_VERSIONS_READ,
  type ModelSchemaVersion,
  type TermFrequencyTable,
  type TrainingStatistics,
} from "./linkage-model.ts";
import type { NamesakeBirthYears } from "./namesake-birth-years.ts";
import { validateLinkageSettingsOrThrow } from "./validate-settings.ts";

const fail = (where: string, problem: string) => LinkageErrors.modelInvalid.create(where, problem);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a parsed JSON value looks like a model artefact (rather than a link-file configuration). */
export function isLinkageModelDocument(value: unknown): boolean {
  return isRecord(value) && value.schema === MODEL_SCHEMA;
}

/**
 * Reads a model artefact (JSON text or parsed value), checking its schema version, settings and
 * parameters, so a damaged or foreign file fails with a message naming the problem.
 */
export function parseLinkageModelOrThrow(input: string | unknown): LinkageModel {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw fail("text", `is not JSON (${(error as Error).message})`);
    }
  }
  if (!isRecord(value)) throw fail("document", "must be a JSON object");
  if (value.schema !== MODEL_SCHEMA) throw fail("schema", `must be "${MODEL_SCHEMA}"`);
  const schemaVersion = value.schemaVersion as ModelSchemaVersion;
  if (!MODEL_SCHEMA_VERSIONS_READ.includes(schemaVersion)) {
    throw LinkageErrors.modelVersionUnsupported.create(value.schemaVersion, MODEL_SCHEMA_VERSION);
  }
  const settings = validateLinkageSettingsOrThrow(value.settings, "settings");
  const parameters = value.parameters;
  if (!isRecord(parameters)) throw fail("parameters", "must be an object");
  const prior = parameters.prior;
  if (typeof prior !== "number" || !(prior > 0 && prior < 1)) {
    throw fail("parameters.prior", "must be a probability strictly between 0 and 1");
  }
  if (!isRecord(parameters.comparisons)) throw fail("parameters.comparisons", "must be an object");
  const comparisons: Record<string, ComparisonParameters> = {};
  for (const comparison of settings.comparisons) {
    const where = `parameters.comparisons.${comparison.name}`;
    const entry = parameters.comparisons[comparison.name];
    if (!isRecord(entry)) throw fail(where, "is missing");
    const levels = createComparator(comparison).levels.length;
    comparisons[comparison.name] = {
      m: probabilities(entry.m, levels, `${where}.m`),
      u: probabilities(entry.u, levels, `${where}.u`),
    };
  }
  const termFrequencies: Record<string, TermFrequencyTable> = {};
  if (!isRecord(value.termFrequencies)) throw fail("termFrequencies", "must be an object");
  for (const [name, table] of Object.entries(value.termFrequencies)) {
    const where = `termFrequencies.${name}`;
    if (!settings.comparisons.some((comparison) => comparison.name === name))
      throw fail(where, "names no comparison");
    if (!isRecord(table) || typeof table.records !== "number" || !isRecord(table.counts)) {
      throw fail(where, "must be { records: number, counts: { value: count } }");
    }
    for (const [key, count] of Object.entries(table.counts)) {
      if (typeof count !== "number" || !(count >= 1))
        throw fail(`${where}.counts.${key}`, "must be a count of at least 1");
    }
    termFrequencies[name] = { records: table.records, counts: table.counts as Record<string, number> };
  }
  const fullNameFrequencies = optionalTable(value.fullNameFrequencies, "fullNameFrequencies");
  const fullNameHolders =
    schemaVersion >= 2 ? optionalTable(value.fullNameHolders, "fullNameHolders") : undefined;
  const namesakeBirthYears =
    schemaVersion >= 2 ? optionalBirthYears(value.namesakeBirthYears, "namesakeBirthYears") : undefined;
  if (!isRecord(value.training)) throw fail("training", "must be an object");
  return {
    schema: MODEL_SCHEMA,
    schemaVersion,
    settings,
    parameters: { prior, comparisons },
    termFrequencies,
    ...(fullNameFrequencies ? { fullNameFrequencies } : {}),
    ...(fullNameHolders ? { fullNameHolders } : {}),
    ...(namesakeBirthYears ? { namesakeBirthYears } : {}),
    training: value.training as unknown as TrainingStatistics,
  };
}

function optionalTable(table: unknown, where: string): TermFrequencyTable | undefined {
  if (table === undefined) return undefined;
  if (!isRecord(table) || typeof table.records !== "number" || !isRecord(table.counts)) {
    throw fail(where, "must be { records: number, counts: { name: count } }");
  }
  for (const [key, count] of Object.entries(table.counts)) {
    if (typeof count !== "number" || !(count >= 1))
      throw fail(`${where}.counts.${key}`, "must be a count of at least 1");
  }
  return { records: table.records, counts: table.counts as Record<string, number> };
}

function optionalBirthYears(table: unknown, where: string): NamesakeBirthYears | undefined {
  if (table === undefined) return undefined;
  if (!isRecord(table) || typeof table.holders !== "number" || !isRecord(table.years)) {
    throw fail(where, "must be { holders: number, years: { name: [year, ...] } }");
  }
  for (const [key, years] of Object.entries(table.years)) {
    const sorted =
      Array.isArray(years) &&
      years.every((year, index) => Number.isInteger(year) && (index === 0 || year >= years[index - 1]));
    if (!sorted) throw fail(`${where}.years.${key}`, "must be a sorted list of whole years");
  }
  return { holders: table.holders, years: table.years as Record<string, number[]> };
}

function probabilities(value: unknown, levels: number, where: string): number[] {
  if (!Array.isArray(value) || value.length !== levels)
    throw fail(where, `must list ${levels} probabilities, one per level`);
  return value.map((entry, level) => {
    if (typeof entry !== "number" || !(entry > 0 && entry <= 1)) {
      throw fail(`${where}[${level}]`, `${JSON.stringify(entry)} is not a probability in (0, 1]`);
    }
    return entry;
  });
}

/** The artefact as JSON text (stable key order as built; two-space indentation for reading). */
export function serialiseLinkageModel(model: LinkageModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
