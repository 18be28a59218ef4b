import fs from "node:fs";
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
export function loadPolicySetOrThrow(directory: string = POLICY_DIRECTORY): LoadedPolicySet {
  const files = fs.readdirSync(directory).sort();
  const schemaFiles = files.filter((name) => name.endsWith(".cedarschema"));
  if (schemaFiles.length !== 1)
    throw AccessErrors.policyInvalid.create(`${directory} needs exactly one .cedarschema`);
  const schema = fs.readFileSync(`${directory}/${schemaFiles[0]}`, "utf8");
  const text = files
    .filter((name) => name.endsWith(".cedar"))
    .map((name) => fs.readFileSync(`${directory}/${name}`, "utf8"))
    .join("\n");
  return policySetFromTextOrThrow(schema, text);
}

/** Builds a validated policy set from schema and policy text. */
export function policySetFromTextOrThrow(schema: string, text: string): LoadedPolicySet {
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
  loadCount += 1;
  const cacheKey = `passage-${process.pid}-${loadCount}`;
  const prepared = cedar.preparsePolicySet(cacheKey, { staticPolicies: policies });
  if (prepared.type !== "success") throw AccessErrors.policyInvalid.create(describe(prepared.errors));
  return { schema, policies, cacheKey };
}

function describe(errors: readonly { message: string }[]): string {
  return errors.map((error) => error.message).join("; ");
}
