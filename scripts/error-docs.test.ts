import { readFileSync } from "node:fs";
import path from "node:path";
import { ERROR_KINDS, exitCodeOf, httpStatusOf } from "@passage/core";
import { describe, expect, it } from "vitest";
import { ERRORS_DOCUMENT, REPOSITORY, registeredErrorDefinitions, sourceFiles } from "./error-docs.ts";

/** The rows of docs/errors.md's tables whose first cell is a code or a kind, as trimmed cells. */
function tableRows(): string[][] {
  return readFileSync(ERRORS_DOCUMENT, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) =>
          cell
            .trim()
            .replaceAll("\\|", "|")
            .replace(/^`(.*)`$/, "$1"),
        ),
    );
}

const FIX = "docs/errors.md is out of date: run `npx tsx scripts/error-docs.ts`";

describe("docs/errors.md stays true to the sources", () => {
  it("documents every code a source names, thrown from a registry or written out", () => {
    const documented = new Set(tableRows().map(([code]) => code));
    const named = new Set<string>();
    for (const file of sourceFiles()) {
      const text = readFileSync(path.join(REPOSITORY, file), "utf8");
      // Whole codes in quotes: a comment's PASSAGE_ERR_X_* names a family, not a code.
      for (const match of text.matchAll(/["'`](PASSAGE_ERR_[A-Z0-9_]*[A-Z0-9])["'`]/g)) named.add(match[1]!);
    }
    expect(named.size).toBeGreaterThan(100);
    expect([...named].filter((code) => !documented.has(code)).sort(), FIX).toEqual([]);
  });

  it("gives each registered code its kind, HTTP status, exit status and meaning", async () => {
    const documented = tableRows()
      .filter(([code]) => code?.startsWith("PASSAGE_ERR_"))
      .map(([code, kind, http, exit, meaning]) => ({ code, kind, http, exit, meaning }))
      .sort((a, b) => a.code!.localeCompare(b.code!));
    const registered = (await registeredErrorDefinitions()).map((error) => ({
      code: error.code,
      kind: error.kind,
      http: String(error.httpStatus),
      exit: String(error.exitStatus),
      meaning: error.description.replaceAll("\n", " "),
    }));
    expect(documented, FIX).toEqual(registered);
  });

  it("states the HTTP and exit status of every kind as the code maps them", () => {
    const kinds = tableRows()
      .filter(([first]) => (ERROR_KINDS as readonly string[]).includes(first!))
      .map(([kind, http, exit]) => [kind, http, exit]);
    expect(kinds, FIX).toEqual(
      ERROR_KINDS.map((kind) => [kind, String(httpStatusOf(kind)), String(exitCodeOf(kind))]),
    );
  });
});
