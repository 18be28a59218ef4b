import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { AccessErrors } from "../access-errors.ts";

/** The folder holding the schema and policies shipped with Passage. */
export const POLICY_DIRECTORY = fileURLToPath(new URL("../../policies/", import.meta.url));

/** A validated Cedar policy set: the schema, and every policy by its `@id`. */
export interface LoadedPolicySet {
  readonly schema: string;
  readonly policies: Readonly<Record<string, string>>;
  /** The name under which the set is cached inside the Cedar engine. */
  readonly cacheKey: string;
}

let loadCount = 0;

/**
 * Loads the schema (`*.cedarschema`) and policies (`*.cedar`) of a directory, gives each policy
 * its `@id` annotation as id (required and unique, so decisions name their reasons), and
 * validates them strictly against the schema. Invalid policies stop the start, never weaken it.
 */
export function loadPolicySetOrThrow(
  directory: string = POLICY_DIRECTORY,
  options: PolicySetOptions = {},
): LoadedPolicySet {
  const files = fs.readdirSync(directory).sort();
  const schemaFiles = files.filter((name) => name.endsWith(".cedarschema"));
  if (schemaFiles.length !== 1)
    throw AccessErrors.policyInvalid.create(`${directory} needs exactly one .cedarschema`);
  const schema = fs.readFileSync(`${directory}/${schemaFiles[0]}`, "utf8");
  const text = files
    .filter((name) => name.endsWith(".cedar"))
    .map((name) => fs.readFileSync(`${directory}/${name}`, "utf8"))
    .join("\n");
  return policySetFromTextOrThrow(schema, text, options);
}

/** Where a policy set's successful validation may be remembered. */
export interface PolicySetOptions {
  /**
   * A private directory (the data directory's `access/validated-policies`) recording the policy
   * sets that passed validation, by a hash of the Cedar version, the schema and the policy text.
   * Parsing and strictly validating with Cedar costs about half a second of every command's start;
   * the same text validates the same way, so a set recorded here is not parsed and validated
   * again. Any change to the schema, a policy or Cedar misses the record and validates anew, and a
   * record is used only if its policies are exactly the policies of the text (see
   * `recordedPoliciesOf`), so it can spare work but never change what is authorized.
   */
  readonly validationCache?: string;
}

/** Builds a validated policy set from schema and policy text. */
export function policySetFromTextOrThrow(
  schema: string,
  text: string,
  options: PolicySetOptions = {},
): LoadedPolicySet {
  const key = createHash("sha256")
    .update(`passage-policy-set-1\0${cedar.getCedarSDKVersion()}\0${schema}\0${text}`)
    .digest("hex");
  const record = options.validationCache && path.join(options.validationCache, `${key}.json`);
  const recorded = record ? recordedPoliciesOf(record, key, text) : undefined;
  const policies = recorded ?? validatedPoliciesOrThrow(schema, text);
  if (record && !recorded) remember(record, key, policies);
  loadCount += 1;
  const cacheKey = `passage-${process.pid}-${loadCount}`;
  const prepared = cedar.preparsePolicySet(cacheKey, { staticPolicies: policies });
  if (prepared.type !== "success") throw AccessErrors.policyInvalid.create(describe(prepared.errors));
  return { schema, policies, cacheKey };
}

/** Parses the text into policies by `@id`, checks them and validates them strictly against the schema. */
function validatedPoliciesOrThrow(schema: string, text: string): Record<string, string> {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== "success") throw AccessErrors.policyInvalid.create(describe(parts.errors));
  const policies: Record<string, string> = {};
  for (const policy of parts.policies) {
    const json = cedar.policyToJson(policy);
    if (json.type !== "success") throw AccessErrors.policyInvalid.create(describe(json.errors));
    const id = json.json.annotations?.id;
    if (!id)
      throw AccessErrors.policyInvalid.create(`a policy has no @id annotation: ${policy.slice(0, 80)}`);
    if (policies[id]) throw AccessErrors.policyInvalid.create(`two policies have @id("${id}")`);
    // Decisions are cached by the resource's attributes, and lists are filtered on them: a policy
    // that singles out one resource by its id would break both, so none may.
    if (
      json.json.resource.op === "==" ||
      json.json.resource.op === "in" ||
      /\bresource\s*(==|in)\b/.test(policy)
    ) {
      throw AccessErrors.policyInvalid.create(
        `policy ${id} names resources by id; write conditions on attributes`,
      );
    }
    policies[id] = policy;
  }
  const validation = cedar.validate({
    schema,
    policies: { staticPolicies: policies },
    validationSettings: { mode: "strict" },
  });
  if (validation.type !== "success") throw AccessErrors.policyInvalid.create(describe(validation.errors));
  if (validation.validationErrors.length > 0) {
    throw AccessErrors.policyInvalid.create(
      validation.validationErrors.map((error) => `${error.policyId}: ${error.error.message}`).join("; "),
    );
  }
  return policies;
}

/**
 * The policies recorded for `key`, if the record exists and its policies are exactly those of
 * the text: each is a piece of the text carrying its `@id`, and the text without them is only
 * whitespace and comments (a record cannot add, drop or alter a policy). Otherwise undefined.
 */
function recordedPoliciesOf(record: string, key: string, text: string): Record<string, string> | undefined {
  let parsed: { key?: unknown; policies?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(record, "utf8"));
  } catch {
    return undefined;
  }
  if (parsed.key !== key || typeof parsed.policies !== "object" || parsed.policies === null) return undefined;
  const policies = parsed.policies as Record<string, unknown>;
  let rest = text;
  for (const [id, policy] of Object.entries(policies)) {
    if (typeof policy !== "string" || !policy.includes(`@id(${JSON.stringify(id)})`)) return undefined;
    const at = rest.indexOf(policy);
    if (at === -1) return undefined;
    rest = rest.slice(0, at) + rest.slice(at + policy.length);
  }
  if (rest.replace(/\/\/[^\n]*/g, "").trim() !== "") return undefined;
  return policies as Record<string, string>;
}

/** Records a validated policy set; a record that cannot be written is only a lost shortcut. */
function remember(record: string, key: string, policies: Record<string, string>): void {
  try {
    fs.mkdirSync(path.dirname(record), { recursive: true, mode: 0o700 });
    const temporary = `${record}.${process.pid}`;
    fs.writeFileSync(temporary, JSON.stringify({ key, policies }), { mode: 0o600 });
    fs.renameSync(temporary, record);
  } catch {
    // Validation already passed; the next start validates again.
  }
}

function describe(errors: readonly { message: string }[]): string {
  return errors.map((error) => error.message).join("; ");
}
