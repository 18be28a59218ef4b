import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPolicySetOrThrow, POLICY_DIRECTORY, policySetFromTextOrThrow } from "./policy-set.ts";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

function cacheDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-policy-cache-"));
  directories.push(directory);
  return path.join(directory, "validated-policies");
}

function shippedText(): { schema: string; text: string } {
  const files = fs.readdirSync(POLICY_DIRECTORY).sort();
  const read = (name: string) => fs.readFileSync(path.join(POLICY_DIRECTORY, name), "utf8");
  return {
    schema: read(files.find((name) => name.endsWith(".cedarschema"))!),
    text: files
      .filter((name) => name.endsWith(".cedar"))
      .map(read)
      .join("\n"),
  };
}

function onlyRecord(cache: string): string {
  const records = fs.readdirSync(cache);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatch(/^[0-9a-f]{64}\.json$/);
  return path.join(cache, records[0]!);
}

describe("the validation record of a policy set", () => {
  it("is written privately once the set validates, and gives back exactly the same policies", () => {
    const cache = cacheDirectory();
    const fresh = loadPolicySetOrThrow();
    const first = loadPolicySetOrThrow(POLICY_DIRECTORY, { validationCache: cache });
    const record = onlyRecord(cache);
    expect(fs.statSync(record).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const second = loadPolicySetOrThrow(POLICY_DIRECTORY, { validationCache: cache });
    expect(first.policies).toEqual(fresh.policies);
    expect(second.policies).toEqual(fresh.policies);
    expect(second.cacheKey).not.toBe(first.cacheKey);
  });

  it("is not used for another text: an invalid change is refused although the old text was recorded", () => {
    const cache = cacheDirectory();
    const { schema, text } = shippedText();
    policySetFromTextOrThrow(schema, text, { validationCache: cache });
    const broken = `${text}\n@id("x") permit (principal, action, resource) when { resource.shoeSize == 1 };`;
    expect(() => policySetFromTextOrThrow(schema, broken, { validationCache: cache })).toThrow(/invalid/);
    expect(fs.readdirSync(cache)).toHaveLength(1);
  });

  it("is ignored, and written anew, when it would drop, add, alter or rename a policy", () => {
    const cache = cacheDirectory();
    const { schema, text } = shippedText();
    const fresh = policySetFromTextOrThrow(schema, text, { validationCache: cache });
    const record = onlyRecord(cache);
    const original = JSON.parse(fs.readFileSync(record, "utf8")) as {
      key: string;
      policies: Record<string, string>;
    };
    const forbid = Object.keys(original.policies).find((id) => /\bforbid\b/.test(original.policies[id]!))!;
    const [first, second] = Object.keys(original.policies);
    const { [forbid]: _dropped, ...withoutForbid } = original.policies;
    const tampered: Record<string, string>[] = [
      withoutForbid,
      { ...original.policies, extra: '@id("extra") permit (principal, action, resource);' },
      { ...original.policies, [first!]: original.policies[first!]!.replace("permit", "permit ") },
      { ...original.policies, [first!]: original.policies[second!]!, [second!]: original.policies[first!]! },
    ];
    for (const policies of tampered) {
      fs.writeFileSync(record, JSON.stringify({ key: original.key, policies }));
      expect(policySetFromTextOrThrow(schema, text, { validationCache: cache }).policies).toEqual(
        fresh.policies,
      );
      expect(JSON.parse(fs.readFileSync(record, "utf8"))).toEqual(original);
    }
    fs.writeFileSync(record, JSON.stringify({ key: "0".repeat(64), policies: original.policies }));
    expect(policySetFromTextOrThrow(schema, text, { validationCache: cache }).policies).toEqual(
      fresh.policies,
    );
    expect(JSON.parse(fs.readFileSync(record, "utf8"))).toEqual(original);
  });
});
