import { PURPOSE_HEADER } from "./routes/route-context.ts";

type Operation = {
  security?: unknown[];
  parameters?: Array<Record<string, unknown>>;
  responses?: Record<string, unknown>;
};
type OpenApiDocument = {
  components?: Record<string, Record<string, unknown>>;
  paths?: Record<string, Record<string, Operation>>;
};

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);
const ERROR_REF = { $ref: "#/components/schemas/Error" };

/** What every operation may answer besides its success, by the conventions of CLI.md "HTTP". */
const ERRORS: ReadonlyArray<
  readonly [status: string, description: string, when: (path: string, isPublic: boolean) => boolean]
> = [
  [
    "400",
    "The request does not match the operation's schema (PASSAGE_ERR_HTTP_INVALID_REQUEST) or is refused as invalid",
    () => true,
  ],
  ["401", "No valid session or API token (PASSAGE_ERR_HTTP_UNAUTHENTICATED)", (_path, isPublic) => !isPublic],
  [
    "403",
    "The caller's role, or the case's office, assignment or confidentiality, does not permit it (PASSAGE_ERR_HTTP_FORBIDDEN, PASSAGE_ERR_ACCESS_DENIED, PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED)",
    (_path, isPublic) => !isPublic,
  ],
  ["404", "What the path names does not exist", (path) => path.includes("{")],
  [
    "429",
    "Too many requests from this caller or address (PASSAGE_ERR_HTTP_RATE_LIMITED, with Retry-After)",
    () => true,
  ],
  ["500", "An unexpected failure (PASSAGE_ERR_INTERNAL), without internals", () => true],
];

/**
 * The OpenAPI document with what the routes' own schemas do not state: the error body every
 * failure has, the failures each operation may answer, and the purpose-of-use header that every
 * operation on case data reads (and audits). Applied to the generated document as it is served.
 */
export function withApiConventions<T>(document: T): T {
  const openapi = document as OpenApiDocument;
  openapi.components ??= {};
  openapi.components.schemas = {
    ...openapi.components.schemas,
    Error: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message"],
          properties: {
            code: { type: "string", pattern: "^PASSAGE_ERR_[A-Z0-9_]+$" },
            message: { type: "string" },
            details: { type: "object" },
          },
        },
      },
    },
  };
  openapi.components.parameters = {
    ...openapi.components.parameters,
    Purpose: {
      name: PURPOSE_HEADER,
      in: "header",
      required: false,
      description:
        "Purpose of use, recorded with the request's audit entries; reads of case data (persons, status, records, links, reviews, worklists, redress) are refused without it",
      schema: { type: "string", minLength: 1, maxLength: 200 },
    },
  };
  for (const [path, operations] of Object.entries(openapi.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.has(method)) continue;
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      if (!isPublic)
        operation.parameters = [...(operation.parameters ?? []), { $ref: "#/components/parameters/Purpose" }];
      const responses = { ...operation.responses };
      for (const [status, description, when] of ERRORS) {
        if (responses[status] === undefined && when(path, isPublic)) {
          responses[status] = { description, content: { "application/json": { schema: ERROR_REF } } };
        }
      }
      operation.responses = responses;
    }
  }
  return document;
}
