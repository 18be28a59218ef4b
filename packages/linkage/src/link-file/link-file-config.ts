import { LinkageErrors } from "../linkage-errors.ts";
import type { LinkageModel } from "../model/linkage-model.ts";
import {
  type BlockingKeyPart,
  type BlockingRule,
  type ComparisonSettings,
  DEFAULT_BLOCK_SIZE_CAP,
  DEFAULT_MAXIMUM_TERM_FREQUENCY_BONUS,
  DEFAULT_SAFEGUARDS,
  type LinkageSettings,
  type LinkType,
} from "../model/linkage-settings.ts";
import { isLinkageModelDocument, parseLinkageModelOrThrow } from "../model/parse-linkage-model.ts";
import type { TrainingOptions } from "../model/train-model.ts";
import {
  describeParts,
  validateComparison,
  validateLinkageSettingsOrThrow,
} from "../model/validate-settings.ts";

/** A parsed `model.json` of `passage link-file`: settings to train with, or a trained model. */
export interface LinkFileConfig {
  readonly idColumn: string;
  /** Settings for dedupe; `settingsFor` adapts the link type to the number of inputs. */
  readonly settings: LinkageSettings;
  readonly training: TrainingOptions;
  /** Present when model.json is a trained artefact: it is used as is, not retrained. */
  readonly model: LinkageModel | undefined;
}

/** Thresholds a model.json leaves out. CLI.md: for link-file, a link means match_probability >= 0.5. */
const DEFAULT_THRESHOLDS = { link: 0.5, review: 0.2 } as const;

/** The name a config file is reported under when its caller gives none. */
const DEFAULT_SOURCE = "model.json";

const fail = (where: string, problem: string, source = DEFAULT_SOURCE) =>
  LinkageErrors.settingsInvalid.create(`${source} ${where}`, problem);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const KNOWN_KEYS = [
  "id",
  "fields",
  "blocking",
  "thresholds",
  "safeguards",
  "training",
  "blockSizeCap",
  "maximumTermFrequencyBonus",
];

/**
 * The keys a `fields[]` entry may hold: those of a comparison. Typed as a record of every key of
 * ComparisonSettings, so a comparison option added there must be added here too.
 */
const FIELD_KEYS = Object.keys({
  column: true,
  kind: true,
  name: true,
  format: true,
  scheme: true,
  scopeColumn: true,
  strong: true,
  manyPerPerson: true,
  termFrequency: true,
  corroborates: true,
  dependsOnFamilyName: true,
  followsName: true,
  missingValues: true,
} satisfies Record<keyof ComparisonSettings, true>);

/** The keys of a blocking rule written as an object, and of a key part written as an object. */
const BLOCKING_RULE_KEYS = Object.keys({
  name: true,
  parts: true,
  refinements: true,
  blockSizeCap: true,
  classPairs: true,
} satisfies Record<keyof BlockingRule, true>);
const KEY_PART_KEYS = Object.keys({ transform: true, comparisons: true } satisfies Record<
  keyof BlockingKeyPart,
  true
>);

/**
 * Reads a link-file configuration: `id` (the id column), `fields` (each `{column, kind}` with
 * kind options), and optionally `blocking`, `thresholds` (`link`, `review`), `safeguards`,
 * `training` (`seed`, `randomPairs`, `pairsPerSession`) and `blockSizeCap`. A trained model
 * artefact (with an `id`) is accepted too. Every error names the offending key.
 */
export function parseLinkFileConfigOrThrow(value: unknown, source = DEFAULT_SOURCE): LinkFileConfig {
  const failHere = (where: string, problem: string) => fail(where, problem, source);
  if (!isRecord(value)) throw failHere("", "must be a JSON object");
  if (isLinkageModelDocument(value)) {
    const model = parseLinkageModelOrThrow(value);
    const idColumn = (value as Record<string, unknown>).id;
    if (typeof idColumn !== "string" || idColumn === "")
      throw failHere("id", 'a trained model used by link-file must name its id column in "id"');
    return { idColumn, settings: model.settings, training: {}, model };
  }
  refuseUnknownKeys(value, "", KNOWN_KEYS, source);
  if (typeof value.id !== "string" || value.id.trim() === "") throw failHere("id", "must name the id column");
  if (!Array.isArray(value.fields) || value.fields.length === 0) {
    throw failHere(
      "fields",
      'must list at least one compared column, e.g. [{"column": "surname", "kind": "family_name"}]',
    );
  }
  const comparisons = value.fields.map((field, index) => {
    const where = `fields[${index}]`;
    if (!isRecord(field)) throw failHere(where, "must be an object with column and kind");
    // A misspelt option is refused, not ignored: "stong": true would quietly drop a safeguard.
    refuseUnknownKeys(field, where, FIELD_KEYS, source);
    if (typeof field.column !== "string" || field.column === "")
      throw failHere(`${where}.column`, "must name a column");
    if (field.column === value.id)
      throw failHere(`${where}.column`, `"${field.column}" is the id column; it cannot be compared`);
    return validateComparison({ ...field, name: field.name ?? field.column }, `${source} ${where}`);
  });
  const names = new Set<string>();
  for (const comparison of comparisons) {
    if (names.has(comparison.name))
      throw failHere("fields", `"${comparison.name}" is compared twice (give one a distinct "name")`);
    names.add(comparison.name);
  }
  const thresholds = optionalObject(value.thresholds, "thresholds", ["link", "review"], source);
  const safeguards = optionalObject(
    value.safeguards,
    "safeguards",
    ["requireCorroboration", "minimumCorroboratingWeight"],
    source,
  );
  for (const key of ["link", "review"]) {
    const threshold = thresholds[key];
    if (threshold !== undefined && (typeof threshold !== "number" || !(threshold > 0 && threshold < 1))) {
      throw failHere(
        `thresholds.${key}`,
        `${JSON.stringify(threshold)} is not a probability strictly between 0 and 1`,
      );
    }
  }
  const link = (thresholds.link as number | undefined) ?? DEFAULT_THRESHOLDS.link;
  const review = (thresholds.review as number | undefined) ?? DEFAULT_THRESHOLDS.review;
  if (review > link) {
    const stated = (key: "link" | "review", threshold: number) =>
      `thresholds.${key} (${threshold}${thresholds[key] === undefined ? " by default" : ""})`;
    throw failHere(
      "thresholds",
      `${stated("review", review)} must not exceed ${stated("link", link)}: pairs from review up to link go to review, link and above are linked`,
    );
  }
  const corroborating = comparisons.some(
    (comparison) => !comparison.kind.endsWith("_name") && comparison.kind !== "date",
  );
  const requireCorroboration = safeguards.requireCorroboration ?? DEFAULT_SAFEGUARDS.requireCorroboration;
  if (requireCorroboration === true && !corroborating) {
    throw failHere(
      "safeguards.requireCorroboration",
      "links need evidence beyond names and dates, but no field is an identifier, postcode, text, number or exact column; add one or set it to false",
    );
  }
  if (value.blocking !== undefined) {
    if (!Array.isArray(value.blocking)) {
      throw failHere(
        "blocking",
        `${JSON.stringify(value.blocking)} is not a list: give a list of blocking rules, e.g. ["phonetic:surname & year:birth_date", "value:national_id"]`,
      );
    }
    if (value.blocking.length === 0) {
      throw failHere("blocking", "must list at least one blocking rule (or be left out to have them chosen)");
    }
    refuseUnknownBlockingKeys(value.blocking, source);
  }
  const blockingRules =
    value.blocking === undefined ? automaticBlockingRules(comparisons, source) : value.blocking;
  const validated = validateLinkageSettingsOrThrow(
    {
      linkType: "dedupe",
      comparisons,
      blockingRules,
      blockSizeCap: value.blockSizeCap ?? DEFAULT_BLOCK_SIZE_CAP,
      thresholds: { autoLinkProbability: link, reviewProbability: review },
      safeguards: {
        requireCorroboration,
        minimumCorroboratingWeight:
          safeguards.minimumCorroboratingWeight ?? DEFAULT_SAFEGUARDS.minimumCorroboratingWeight,
      },
      maximumTermFrequencyBonus: value.maximumTermFrequencyBonus ?? DEFAULT_MAXIMUM_TERM_FREQUENCY_BONUS,
    },
    source,
  );
  const settings = withStrongIdentifierBlocking(validated);
  return {
    idColumn: value.id,
    settings,
    training: trainingOptions(value.training, source),
    model: undefined,
  };
}

function optionalObject(
  value: unknown,
  where: string,
  known: readonly string[],
  source: string,
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw fail(where, "must be an object", source);
  refuseUnknownKeys(value, where, known, source);
  return value;
}

/** Refuses any key of an object of the configuration that is not among the known ones. */
function refuseUnknownKeys(
  value: Record<string, unknown>,
  where: string,
  known: readonly string[],
  source: string,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = where === "" ? key : `${where}.${key}`;
      throw fail(path, `unknown key (known: ${known.join(", ")})`, source);
    }
  }
}

/**
 * Refuses unknown keys in the rules of `blocking` written as objects (and their key parts written
 * as objects); their meaning is checked with the settings.
 */
function refuseUnknownBlockingKeys(blocking: readonly unknown[], source: string): void {
  const checkParts = (parts: unknown, where: string) => {
    if (!Array.isArray(parts)) return;
    parts.forEach((part, index) => {
      if (isRecord(part)) refuseUnknownKeys(part, `${where}[${index}]`, KEY_PART_KEYS, source);
    });
  };
  blocking.forEach((rule, index) => {
    const where = `blocking[${index}]`;
    if (Array.isArray(rule)) checkParts(rule, where);
    if (!isRecord(rule)) return;
    refuseUnknownKeys(rule, where, BLOCKING_RULE_KEYS, source);
    checkParts(rule.parts, `${where}.parts`);
    checkParts(rule.refinements, `${where}.refinements`);
  });
}

function trainingOptions(value: unknown, source: string): TrainingOptions {
  if (value === undefined) return {};
  if (!isRecord(value)) throw fail("training", "must be an object", source);
  const options: Record<string, number> = {};
  refuseUnknownKeys(
    value,
    "training",
    ["seed", "randomPairs", "pairsPerSession", "maximumIterations"],
    source,
  );
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "number" || !Number.isInteger(entry) || entry < 0)
      throw fail(`training.${key}`, "must be a whole number", source);
    options[key] = entry;
  }
  return options;
}

/** The settings with the link type the inputs call for: one input dedupes, two link across. */
export function settingsFor(config: LinkFileConfig, inputCount: number): LinkageSettings {
  const linkType: LinkType = inputCount === 2 ? "link_only" : "dedupe";
  return { ...config.settings, linkType };
}

/**
 * The settings with a blocking rule on the value of every strong identifier that given rules do
 * not key on alone: two rows holding one value are always compared, so a pair sharing it is at
 * least reviewed (`classifyPair`'s floor) however much else disagrees, and is never left out.
 */
function withStrongIdentifierBlocking(settings: LinkageSettings): LinkageSettings {
  const keyedAlone = (name: string) =>
    settings.blockingRules.some(
      (rule) =>
        rule.classPairs === undefined &&
        rule.parts.length === 1 &&
        rule.parts[0]!.transform === "value" &&
        rule.parts[0]!.comparisons.length === 1 &&
        rule.parts[0]!.comparisons[0] === name,
    );
  const missing = settings.comparisons.filter(
    (comparison) =>
      comparison.kind === "identifier" && comparison.strong === true && !keyedAlone(comparison.name),
  );
  if (missing.length === 0) return settings;
  return {
    ...settings,
    blockingRules: [
      ...settings.blockingRules,
      ...missing.map((comparison) => ({
        name: `value:${comparison.name}`,
        parts: [{ transform: "value" as const, comparisons: [comparison.name] }],
        refinements: [],
      })),
    ],
  };
}

/**
 * Blocking rules chosen from the field kinds: every identifier on its own; family-name sound
 * with birth year (refined by given initial and birth day), both name sounds in either order
 * with birth year, given-name sound with full date, family sound with birth day and month,
 * and postcode with a name initial. Each rule catches what the others' typos hide.
 */
export function automaticBlockingRules(
  comparisons: readonly ComparisonSettings[],
  source = DEFAULT_SOURCE,
): BlockingRule[] {
  const first = (kind: ComparisonSettings["kind"]) =>
    comparisons.find((comparison) => comparison.kind === kind)?.name;
  const given = first("given_name");
  const family = first("family_name") ?? first("full_name");
  const date = first("date");
  const postcode = first("postcode");
  const part = (transform: BlockingKeyPart["transform"], ...names: string[]): BlockingKeyPart => ({
    transform,
    comparisons: names,
  });
  const rules: BlockingRule[] = [];
  const add = (parts: BlockingKeyPart[], refinements: BlockingKeyPart[] = []) =>
    rules.push({ name: describeParts(parts), parts, refinements });
  for (const comparison of comparisons)
    if (comparison.kind === "identifier") add([part("value", comparison.name)]);
  const fullName = first("full_name");
  if (family && date) {
    add(
      [part("phonetic", family), part("year", date)],
      [...(given ? [part("initial", given)] : []), part("month_day", date)],
    );
    add([part("phonetic", family), part("month_day", date)], given ? [part("initial", given)] : []);
  }
  if (fullName && date) add([part("last_phonetic", fullName), part("year", date)], [part("month_day", date)]);
  if (given && family && date)
    add([part("phonetic_pair", given, family), part("year", date)], [part("month_day", date)]);
  if (given && date)
    add([part("phonetic", given), part("value", date)], family ? [part("initial", family)] : []);
  if (postcode && (given ?? family)) add([part("value", postcode), part("initial", (given ?? family)!)]);
  if (!date && family && given) add([part("phonetic", family), part("initial", given)]);
  if (rules.length === 0) {
    throw fail(
      "blocking",
      'cannot choose blocking rules from these fields (no identifier, and no name with a date or postcode); give "blocking" rules',
      source,
    );
  }
  return rules;
}
