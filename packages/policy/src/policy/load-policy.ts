import { createHash } from "node:crypto";
import { type Document, LineCounter, parseDocument, visit } from "yaml";
import { isIsoDate } from "../case-facts.ts";
import {
  ALLOWED_VARIABLE_BY_NAME,
  ALLOWED_VARIABLES,
  describeUndeclaredName,
  type FactGroup,
} from "../cel/case-allowlist.ts";
import { formatType } from "../cel/cel-types.ts";
import { CelCompileError, compileCondition, type SlotVariable } from "../cel/compile-condition.ts";
import { CONDITION_LIMITS } from "../cel/condition-limits.ts";
import { PolicyErrors, type PolicyProblem } from "../policy-errors.ts";
import {
  type CompiledRule,
  FACTORS,
  type Factor,
  type Policy,
  type PolicyDefinition,
  type PolicyRuleDefinition,
  type PolicyTier,
  TIER_KINDS,
  type TierKind,
} from "./policy-definition.ts";

const TOP_LEVEL_FIELDS = ["id", "version", "description", "effective", "tiers", "default_tier", "rules"];
const EFFECTIVE_FIELDS = ["from", "to"];
const TIER_FIELDS = ["tier", "label", "kind", "description"];
const RULE_FIELDS = ["id", "description", "basis", "condition", "tier", "weight", "factor"];
const IDENTIFIER = /^[a-z0-9][a-z0-9._-]*$/;

const SLOT_VARIABLES: ReadonlyMap<string, SlotVariable> = new Map(
  ALLOWED_VARIABLES.map((entry, slot) => [entry.name, { slot, type: entry.type }]),
);

type Path = readonly (string | number)[];

/**
 * Parses and validates a policy file (YAML) and compiles its rules. Every problem is collected
 * and reported at once, each naming the file, line, rule id and field: unknown fields, CEL
 * syntax and type errors, and any name outside the allowlist of case facts.
 */
export function loadPolicyOrThrow(text: string, file: string): Policy {
  // The file's text is stored verbatim (policy_version.text): what PostgreSQL cannot store, or no
  // policy should hold, is refused here, where its line can be named, not at activation.
  const unstorable = unstorableCharacter(text);
  if (unstorable !== undefined) {
    const at = text.search(UNSTORABLE);
    throw PolicyErrors.invalidPolicy.create(file, [
      {
        file,
        field: "(file)",
        line: text.slice(0, at).split("\n").length,
        message: `contains ${unstorable} (at character ${at + 1}); a policy file is UTF-8 text without control characters other than tab and line breaks`,
      },
    ]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const problems: PolicyProblem[] = [];
  for (const error of document.errors) {
    const line = error.linePos?.[0]?.line;
    const tooDeep = TOO_DEEP.test(error.message);
    // Past the parser's stack, every enclosing collection fails alike (and how many depends on
    // the stack left to the caller): the first says it all.
    if (tooDeep && problems.some((problem) => problem.message === NESTED_TOO_DEEP)) continue;
    problems.push({
      file,
      field: "(yaml)",
      message: tooDeep ? NESTED_TOO_DEEP : yamlMessage(error.message),
      ...(line ? { line } : {}),
    });
  }
  if (problems.length > 0) throw PolicyErrors.invalidPolicy.create(file, problems);
  const lineOf = (path: Path): number | undefined => {
    // A missing field (a tier without label) is reported at the line of the mapping it is missing from.
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    if (error instanceof RangeError && TOO_DEEP.test(error.message)) {
      throw PolicyErrors.invalidPolicy.create(file, [{ file, field: "(yaml)", message: NESTED_TOO_DEEP }]);
    }
    // Aliases that expand past yaml's limit ("billion laughs") are refused while converting.
    if (!(error instanceof ReferenceError)) throw error;
    const line = firstAliasLine(document, lineCounter);
    throw PolicyErrors.invalidPolicy.create(file, [
      { file, field: "(yaml)", message: error.message, ...(line === undefined ? {} : { line }) },
    ]);
  }
  return compilePolicyOrThrow(raw, file, lineOf);
}

/** How a stack overflow reads (V8), while parsing or converting a document nested very deep. */
const TOO_DEEP = /Maximum call stack size exceeded/;
const NESTED_TOO_DEEP =
  "the YAML is nested too deep (collections inside one another) to be read; a policy needs a few levels";

/** The first line of a yaml error, without its trailing position (the problem has the line). */
function yamlMessage(message: string): string {
  return message
    .split("\n")[0]!
    .replace(/ at line \d+, column (\d+):?$/, " (column $1)")
    .replace(/:\s*$/, "");
}

const UNSTORABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first character of `text` that PostgreSQL cannot store in a text or jsonb column, or that no
 * policy text should hold, described (e.g. `the control character U+0000`): a C0 control other
 * than tab, line feed and carriage return, DEL, or half of a surrogate pair. Undefined when none.
 */
export function unstorableCharacter(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return code >= "D800" && code <= "DFFF"
    ? `the unpaired surrogate U+${code}`
    : `the control character U+${code}`;
}

/**
 * The text of a policy file read as bytes: they must be UTF-8. Any other encoding (Latin-1, say)
 * is refused naming the byte offset and line of the first byte that is not, rather than read with
 * U+FFFD in place of its letters, which would be checked, stored and published so.
 */
export function decodePolicyFileOrThrow(bytes: Uint8Array, file: string): string {
  const at = firstInvalidUtf8Byte(bytes);
  if (at === undefined) return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let line = 1;
  for (let index = 0; index < at; index++) if (bytes[index] === 0x0a) line++;
  throw PolicyErrors.invalidPolicy.create(file, [
    {
      file,
      field: "(file)",
      line,
      message: `is not valid UTF-8: byte 0x${bytes[at]!.toString(16).padStart(2, "0")} at byte offset ${at} (save the file as UTF-8)`,
    },
  ]);
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, if any. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    if (lead < 0x80) {
      at++;
      continue;
    }
    // The length of the sequence and the range of its second byte (no overlong forms, no surrogates, <= U+10FFFF).
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead >= 0xf1 && lead <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : lead === 0xf4
                    ? [4, 0x80, 0x8f]
                    : [0, 0, 0];
    if (length === 0) return at;
    const second = bytes[at + 1];
    if (second === undefined || second < low || second > high) return at;
    for (let index = 2; index < length; index++) {
      const next = bytes[at + index];
      if (next === undefined || next < 0x80 || next > 0xbf) return at;
    }
    at += length;
  }
  return undefined;
}

/** The line of the document's first alias (`*name`), where expanding aliases begins. */
function firstAliasLine(document: Document, lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  visit(document, {
    Alias(_key, node) {
      if (node.range) line = lineCounter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

/** Validates and compiles a policy given as a plain object (the parsed YAML). */
export function compilePolicyOrThrow(
  raw: unknown,
  file: string,
  lineOf: (path: Path) => number | undefined = () => undefined,
): Policy {
  const validator = new PolicyValidator(file, lineOf);
  const compiled = validator.validate(raw);
  if (validator.problems.length > 0 || compiled === undefined) {
    throw PolicyErrors.invalidPolicy.create(file, validator.problems);
  }
  return compiled;
}

class PolicyValidator {
  readonly problems: PolicyProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly lineOf: (path: Path) => number | undefined,
  ) {}

  problem(path: Path, message: string, ruleId?: string): void {
    const field = path.reduce<string>(
      (text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part),
      "",
    );
    const line = this.lineOf(path);
    this.problems.push({
      file: this.file,
      field: field || "(document)",
      message,
      ...(ruleId === undefined ? {} : { ruleId }),
      ...(line === undefined ? {} : { line }),
    });
  }

  object(
    value: unknown,
    path: Path,
    allowed: readonly string[],
    ruleId?: string,
  ): Record<string, unknown> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problem(path, "must be a mapping", ruleId);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.problem([...path, key], `unknown field "${key}" (allowed: ${allowed.join(", ")})`, ruleId);
      }
    }
    return value as Record<string, unknown>;
  }

  text(value: unknown, path: Path, ruleId?: string): string | undefined {
    if (typeof value !== "string" || value.trim() === "") {
      this.problem(path, value === undefined ? "is required" : "must be a non-empty string", ruleId);
      return undefined;
    }
    const unstorable = unstorableCharacter(value);
    if (unstorable !== undefined) {
      this.problem(path, `contains ${unstorable}, which a policy's text may not hold`, ruleId);
      return undefined;
    }
    return value.trim();
  }

  tierNumber(value: unknown, path: Path, ruleId?: string): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      this.problem(path, value === undefined ? "is required" : "must be a positive integer", ruleId);
      return undefined;
    }
    if (value > CONDITION_LIMITS.maxTier) {
      this.problem(
        path,
        `tier ${value} is above ${CONDITION_LIMITS.maxTier}, the highest tier the worklist's tier filter and overrides accept`,
        ruleId,
      );
      return undefined;
    }
    return value;
  }

  validate(raw: unknown): Policy | undefined {
    const top = this.object(raw, [], TOP_LEVEL_FIELDS);
    if (top === undefined) return undefined;
    const id = this.text(top.id, ["id"]);
    if (id !== undefined && !IDENTIFIER.test(id)) {
      this.problem(["id"], "must be lower-case letters, digits, '.', '_' or '-'");
    }
    const version = this.version(top.version);
    const description = this.text(top.description, ["description"]);
    const effective = this.effective(top.effective);
    const tiers = this.tiers(top.tiers);
    const tierByNumber = new Map((tiers ?? []).map((tier) => [tier.tier, tier]));
    const defaultTier = this.tierNumber(top.default_tier, ["default_tier"]);
    if (defaultTier !== undefined && tiers !== undefined && !tierByNumber.has(defaultTier)) {
      this.problem(["default_tier"], `tier ${defaultTier} is not declared in tiers`);
    }
    const rules = this.rules(top.rules, tierByNumber, tiers !== undefined);
    if (
      id === undefined ||
      version === undefined ||
      description === undefined ||
      effective === undefined ||
      tiers === undefined ||
      defaultTier === undefined ||
      rules === undefined ||
      this.problems.length > 0
    ) {
      return undefined;
    }
    const definition: PolicyDefinition = {
      id,
      version,
      description,
      effective,
      tiers,
      defaultTier,
      rules: rules.map(({ id, description, basis, condition, effect }) => ({
        id,
        description,
        basis,
        condition,
        effect,
      })),
    };
    return {
      definition,
      digest: createHash("sha256").update(JSON.stringify(definition)).digest("hex"),
      file: this.file,
      weightRules: rules.filter((rule) => rule.effect.kind === "weight"),
      tierRules: rules.filter((rule) => rule.effect.kind === "tier"),
      tierByNumber,
      frameSize: Math.max(ALLOWED_VARIABLES.length, ...rules.map((rule) => rule.program.frameSize)),
      factGroups: new Set(rules.flatMap((rule) => rule.evidenceGroups)),
    };
  }

  version(value: unknown): string | undefined {
    // Any number is refused, whole or not: YAML reads `2.0` as 2 and `1.10` as 1.1.
    if (typeof value === "number") {
      this.problem(
        ["version"],
        `write the version as a quoted string (version: "..."): YAML reads it as the number ${value}, so 2.0 would be 2 and 1.10 would be 1.1`,
      );
      return undefined;
    }
    return this.text(value, ["version"]);
  }

  effective(value: unknown): PolicyDefinition["effective"] | undefined {
    const effective = this.object(value, ["effective"], EFFECTIVE_FIELDS);
    if (effective === undefined) return undefined;
    const from = effective.from;
    const to = effective.to ?? null;
    let valid = true;
    if (!isIsoDate(from)) {
      this.problem(["effective", "from"], from === undefined ? "is required" : "must be a YYYY-MM-DD date");
      valid = false;
    }
    if (to !== null && !isIsoDate(to)) {
      this.problem(["effective", "to"], "must be a YYYY-MM-DD date, or absent for an open end");
      valid = false;
    }
    if (valid && to !== null && (to as string) <= (from as string)) {
      this.problem(["effective", "to"], `must be after effective.from (${from as string})`);
      valid = false;
    }
    return valid ? { from: from as string, to: to as string | null } : undefined;
  }

  tiers(value: unknown): PolicyTier[] | undefined {
    if (!Array.isArray(value) || value.length === 0) {
      this.problem(["tiers"], "must be a non-empty list of tiers");
      return undefined;
    }
    const tiers: PolicyTier[] = [];
    value.forEach((entry, index) => {
      const path = ["tiers", index];
      const tier = this.object(entry, path, TIER_FIELDS);
      if (tier === undefined) return;
      const number = this.tierNumber(tier.tier, [...path, "tier"]);
      const label = this.text(tier.label, [...path, "label"]);
      const kind = (tier.kind ?? "priority") as TierKind;
      if (!TIER_KINDS.includes(kind))
        this.problem([...path, "kind"], `must be one of ${TIER_KINDS.join(", ")}`);
      const description =
        tier.description === undefined ? null : this.text(tier.description, [...path, "description"]);
      if (number !== undefined && tiers.some((existing) => existing.tier === number)) {
        this.problem([...path, "tier"], `tier ${number} is declared twice`);
      }
      if (number !== undefined && label !== undefined) {
        tiers.push({ tier: number, label, kind, description: description ?? null });
      }
    });
    return tiers.sort((a, b) => a.tier - b.tier);
  }

  rules(value: unknown, tierByNumber: ReadonlyMap<number, PolicyTier>, tiersKnown: boolean) {
    if (!Array.isArray(value)) {
      this.problem(["rules"], "must be a list of rules (empty when the default tier applies to all)");
      return undefined;
    }
    if (value.length > CONDITION_LIMITS.maxRules) {
      // Every rule runs on every case: the number of rules bounds the work of a case.
      this.problem(
        ["rules"],
        `the policy has ${value.length} rules; the limit is ${CONDITION_LIMITS.maxRules}`,
      );
      return undefined;
    }
    const characters = value.reduce<number>(
      (total, entry) =>
        total +
        (typeof (entry as { condition?: unknown })?.condition === "string"
          ? (entry as { condition: string }).condition.length
          : 0),
      0,
    );
    if (characters > CONDITION_LIMITS.maxConditionCharacters) {
      // Compiling is the work a check does: it is bounded before any of it is done.
      this.problem(
        ["rules"],
        `the conditions have ${characters} characters in all; the limit is ${CONDITION_LIMITS.maxConditionCharacters}`,
      );
      return undefined;
    }
    const compiled: CompiledRule[] = [];
    const seen = new Set<string>();
    value.forEach((entry, index) => {
      const path = ["rules", index];
      const ruleId =
        typeof (entry as { id?: unknown })?.id === "string" ? (entry as { id: string }).id : undefined;
      const rule = this.object(entry, path, RULE_FIELDS, ruleId);
      if (rule === undefined) return;
      const id = this.text(rule.id, [...path, "id"], ruleId);
      if (id !== undefined && !IDENTIFIER.test(id)) {
        this.problem([...path, "id"], "must be lower-case letters, digits, '.', '_' or '-'", ruleId);
      }
      if (id !== undefined && seen.has(id))
        this.problem([...path, "id"], `rule id "${id}" is used twice`, ruleId);
      if (id !== undefined) seen.add(id);
      const description = this.text(rule.description, [...path, "description"], ruleId);
      const basis = this.text(rule.basis, [...path, "basis"], ruleId);
      const condition = this.text(rule.condition, [...path, "condition"], ruleId);
      const effect = this.effect(rule, path, ruleId, tierByNumber, tiersKnown);
      if (!id || !description || !basis || !condition || !effect) return;
      const program = this.condition(condition, effect, [...path, "condition"], ruleId);
      if (!program) return;
      compiled.push({ id, description, basis, condition, effect, index, ...program });
    });
    return compiled;
  }

  effect(
    rule: Record<string, unknown>,
    path: Path,
    ruleId: string | undefined,
    tierByNumber: ReadonlyMap<number, PolicyTier>,
    tiersKnown: boolean,
  ): PolicyRuleDefinition["effect"] | undefined {
    const hasTier = rule.tier !== undefined;
    const hasWeight = rule.weight !== undefined;
    if (hasTier === hasWeight) {
      this.problem(path, "a rule has exactly one of tier or weight", ruleId);
      return undefined;
    }
    if (hasTier) {
      if (rule.factor !== undefined) {
        this.problem([...path, "factor"], "factor goes with weight, not with tier", ruleId);
      }
      const tier = this.tierNumber(rule.tier, [...path, "tier"], ruleId);
      if (tier === undefined) return undefined;
      if (tiersKnown && !tierByNumber.has(tier)) {
        this.problem([...path, "tier"], `tier ${tier} is not declared in tiers`, ruleId);
        return undefined;
      }
      return { kind: "tier", tier };
    }
    const weight = rule.weight;
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
      this.problem([...path, "weight"], "must be a positive number (the factor gives its sign)", ruleId);
      return undefined;
    }
    if (weight > CONDITION_LIMITS.maxWeight) {
      // The score sums the weights: past the bound a sum could overflow to Infinity (or NaN).
      this.problem(
        [...path, "weight"],
        `weight ${weight} is above ${CONDITION_LIMITS.maxWeight}, the largest a rule may carry (so that the score, the sum of the weights, stays finite and exact)`,
        ruleId,
      );
      return undefined;
    }
    const factor = rule.factor as Factor;
    if (!FACTORS.includes(factor)) {
      this.problem([...path, "factor"], `a weight needs factor: ${FACTORS.join(" or ")}`, ruleId);
      return undefined;
    }
    return { kind: "weight", factor, weight };
  }

  condition(source: string, effect: PolicyRuleDefinition["effect"], path: Path, ruleId: string | undefined) {
    let program: ReturnType<typeof compileCondition>;
    try {
      program = compileCondition(source, SLOT_VARIABLES, { describeUndeclared: describeUndeclaredName });
    } catch (error) {
      if (!(error instanceof CelCompileError)) throw error;
      this.problem(path, error.message, ruleId);
      return undefined;
    }
    if (program.type.kind !== "bool") {
      this.problem(path, `must be a bool condition, not ${formatType(program.type)}`, ruleId);
      return undefined;
    }
    const groups = new Set<FactGroup>();
    let valid = true;
    for (const name of program.referencedVariables) {
      const variable = ALLOWED_VARIABLE_BY_NAME.get(name)!;
      groups.add(variable.group);
      if (variable.mitigationOnly && !(effect.kind === "weight" && effect.factor === "mitigating")) {
        this.problem(
          path,
          `'${name}' may be read only by a mitigating factor (age is never aggravating)`,
          ruleId,
        );
        valid = false;
      }
      if (variable.tierRulesOnly && effect.kind !== "tier") {
        this.problem(
          path,
          `'${name}' may be read only by tier rules (a weight cannot depend on the score)`,
          ruleId,
        );
        valid = false;
      }
    }
    if (![...groups].some((group) => group !== "as_of")) {
      // Every ranking shows the case facts it rests on: a condition of constants and the date alone
      // would place every case alike, citing nothing.
      this.problem(
        path,
        "reads no fact of the case (only constants or as_of): it would cite nothing",
        ruleId,
      );
      valid = false;
    }
    return valid ? { program, evidenceGroups: [...groups].sort() } : undefined;
  }
}
