import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY, sourceFiles } from "./error-docs.ts";

/** Variables only the test suite reads (test databases, test binaries), not a deployment's settings. */
const TESTING_ONLY = /^PASSAGE_TEST_|\/testing\//;

/** Every PASSAGE_* environment variable a non-test source reads, with the files that read it. */
function variablesRead(): Map<string, string[]> {
  const variables = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    if (TESTING_ONLY.test(file)) continue;
    const text = readFileSync(path.join(REPOSITORY, file), "utf8");
    for (const match of text.matchAll(/(?:env(?:ironment)?\.|env, "|process\.env\.)(PASSAGE_[A-Z0-9_]+)/g)) {
      const name = match[1]!;
      if (TESTING_ONLY.test(name)) continue;
      variables.set(name, [...(variables.get(name) ?? []), file]);
    }
  }
  return variables;
}

const read = (file: string) => readFileSync(path.join(REPOSITORY, file), "utf8");

describe("README.md's configuration table names every variable Passage reads", () => {
  it("lists each, or its family (PASSAGE_OIDC_*, PASSAGE_NATS_*) with the package README that details it", () => {
    const readme = read("README.md");
    const packageReadmes = [
      read("packages/server/README.md"),
      read("packages/engine/src/scale-out/README.md"),
    ].join("\n");
    const variables = variablesRead();
    expect(variables.size).toBeGreaterThan(10);
    const undocumented = [...variables.keys()].filter((name) => {
      if (readme.includes(`\`${name}\``)) return false;
      const family = name.replace(/^(PASSAGE_[A-Z0-9]+_).*$/, "$1*");
      return !(readme.includes(`\`${family}\``) && packageReadmes.includes(name));
    });
    expect(undocumented.sort()).toEqual([]);
  });
});

describe("README.md's Accounts section names every `passage users` command and option", () => {
  it("has each subcommand and each option of `users add`", () => {
    const readme = read("README.md");
    const source = read("packages/cli/src/commands/users.ts");
    const subcommands = [...source.matchAll(/\.command\("([a-z-]+)"\)/g)]
      .map((match) => match[1]!)
      .filter((name) => name !== "users");
    const addOptions = [
      ...(source.split('.command("add")')[1]?.split(".action(")[0] ?? "").matchAll(/"(--[a-z-]+)/g),
    ].map((match) => match[1]!);
    expect(subcommands.length).toBeGreaterThan(5);
    expect(addOptions).toContain("--password-stdin");
    expect(subcommands.filter((name) => !readme.includes(`passage users ${name}`))).toEqual([]);
    expect(addOptions.filter((option) => !readme.includes(`\`${option}\``))).toEqual([]);
  });
});
