// docs/errors.md from the error registries: every PASSAGE_ERR_* code with its kind, HTTP status,
// CLI exit status and meaning, and the kind -> status scheme. `npx tsx scripts/error-docs.ts`
// rewrites it; scripts/error-docs.test.ts fails when the document and the sources disagree.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ERROR_KINDS, type ErrorKind, exitCodeOf, httpStatusOf } from "@passage/core";

export const REPOSITORY = path.resolve(import.meta.dirname, "..");
export const ERRORS_DOCUMENT = path.join(REPOSITORY, "docs/errors.md");

/** The code every unexpected failure is reported under (no registry declares it: it has no cause to name). */
export const INTERNAL_CODE = "PASSAGE_ERR_INTERNAL";

export interface DocumentedError {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly httpStatus: number;
  readonly exitStatus: number;
  readonly description: string;
  /** The package declaring it, e.g. `@passage/server`. */
  readonly packageName: string;
}

const KIND_MEANINGS: Record<ErrorKind, string> = {
  invalid_input: "the request, arguments or a file are not valid; correct them and retry",
  not_found: "what was named does not exist",
  conflict: "the operation collides with the current state (a duplicate, a stale version)",
  unauthenticated: "no valid session, token or user",
  forbidden: "the caller's role or confidentiality needs do not permit it",
  refused: "valid, but a rule (a due-process gate, a safeguard, a policy) refuses it",
  unavailable: "a dependency (the database, a provider) cannot be reached now; retry later",
  internal: "a fault in Passage itself; the log has the detail",
};

/** Every non-test TypeScript source under packages/NAME/src, relative to the repository. */
export function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "dist") walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        files.push(path.relative(REPOSITORY, full));
      }
    }
  };
  for (const name of readdirSync(path.join(REPOSITORY, "packages"))) {
    try {
      walk(path.join(REPOSITORY, "packages", name, "src"));
    } catch {
      // a package without src/
    }
  }
  return files.sort();
}

/** Every registry module (a source calling registerErrors), imported, with its declared errors. */
export async function registeredErrorDefinitions(): Promise<DocumentedError[]> {
  const { HTTP_STATUS_OF_CODE } = await import("../packages/server/src/plugins/error-handler.ts");
  const errors = new Map<string, DocumentedError>();
  for (const file of sourceFiles()) {
    if (!/\bregisterErrors\(/.test(readFileSync(path.join(REPOSITORY, file), "utf8"))) continue;
    if (file.endsWith("error-registry.ts")) continue;
    const packageName = `@passage/${file.split("/")[1]}`;
    const module = (await import(pathToFileURL(path.join(REPOSITORY, file)).href)) as Record<string, unknown>;
    for (const exported of Object.values(module)) {
      if (exported === null || typeof exported !== "object") continue;
      for (const value of Object.values(exported)) {
        if (!isDefinition(value)) continue;
        errors.set(value.code, {
          code: value.code,
          kind: value.kind,
          httpStatus: HTTP_STATUS_OF_CODE.get(value.code) ?? httpStatusOf(value.kind),
          exitStatus: exitCodeOf(value.kind),
          description: value.description,
          packageName,
        });
      }
    }
  }
  errors.set(INTERNAL_CODE, {
    code: INTERNAL_CODE,
    kind: "internal",
    httpStatus: 500,
    exitStatus: 1,
    description:
      "An unexpected failure; the answer carries no internals, the server log (or PASSAGE_DEBUG=1) has them",
    packageName: "@passage/server",
  });
  return [...errors.values()].sort((a, b) => a.code.localeCompare(b.code));
}

function isDefinition(value: unknown): value is { code: string; kind: ErrorKind; description: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { code?: unknown }).code === "string" &&
    (value as { code: string }).code.startsWith("PASSAGE_ERR_") &&
    ERROR_KINDS.includes((value as { kind: ErrorKind }).kind) &&
    typeof (value as { description?: unknown }).description === "string"
  );
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The whole of docs/errors.md (before Biome aligns its tables). */
export async function renderErrorsDocument(): Promise<string> {
  const errors = await registeredErrorDefinitions();
  const lines = [
    "# Errors",
    "",
    "<!-- Generated by scripts/error-docs.ts from the error registries: edit the registries, then run",
    "`npx tsx scripts/error-docs.ts`. scripts/error-docs.test.ts fails when this file and the sources disagree. -->",
    "",
    "Every error Passage reports has a stable code `PASSAGE_ERR_<AREA>_<PROBLEM>` and a kind. The HTTP API",
    'answers `{ "error": { "code": "PASSAGE_ERR_...", "message": "...", "details"?: {...} } }` with the',
    "status of the kind; the `passage` command prints one line `error PASSAGE_ERR_...: message` on stderr",
    "and exits with the status of the kind. A code never changes meaning; its message may.",
    "",
    "## Kinds: HTTP status and CLI exit status",
    "",
    "| Kind | HTTP status | CLI exit status | Meaning |",
    "| --- | --- | --- | --- |",
    ...ERROR_KINDS.map(
      (kind) => `| \`${kind}\` | ${httpStatusOf(kind)} | ${exitCodeOf(kind)} | ${KIND_MEANINGS[kind]} |`,
    ),
    "",
    "A command that succeeds exits 0. Exit status 1 is an unexpected failure (`PASSAGE_ERR_INTERNAL`,",
    "the stack trace with `PASSAGE_DEBUG=1`). A few codes have an HTTP status more precise than their",
    "kind's (429 rate limited, 413 body too large, 415 unsupported media type), shown in the table",
    "below; what Node's HTTP parser refuses before there is a request is answered 431",
    "(`PASSAGE_ERR_HTTP_HEADERS_TOO_LARGE`), 408 (`PASSAGE_ERR_HTTP_REQUEST_TIMEOUT`) or 400",
    "(`PASSAGE_ERR_HTTP_MALFORMED_REQUEST`).",
    "",
    "## Codes",
    "",
    `${errors.length} codes, by the package that declares them.`,
  ];
  const packages = [...new Set(errors.map((error) => error.packageName))].sort();
  for (const packageName of packages) {
    lines.push(
      "",
      `### ${packageName}`,
      "",
      "| Code | Kind | HTTP | Exit | Meaning |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const error of errors.filter((candidate) => candidate.packageName === packageName)) {
      lines.push(
        `| \`${error.code}\` | \`${error.kind}\` | ${error.httpStatus} | ${error.exitStatus} | ${cell(error.description)} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(ERRORS_DOCUMENT, await renderErrorsDocument());
  // The table cells aligned as `npm run lint` wants them.
  execFileSync(path.join(REPOSITORY, "node_modules/.bin/biome"), ["format", "--write", ERRORS_DOCUMENT], {
    stdio: "inherit",
  });
  process.stdout.write(`wrote ${path.relative(REPOSITORY, ERRORS_DOCUMENT)}\n`);
}
