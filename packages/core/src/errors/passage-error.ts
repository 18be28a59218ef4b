/**
 * What went wrong, in the terms a caller can act on. Every error code maps to one kind, and
 * one function per edge (HTTP status, CLI exit code) maps kinds to that edge's vocabulary.
 */
export const ERROR_KINDS = [
  "invalid_input",
  "not_found",
  "conflict",
  "unauthenticated",
  "forbidden",
  "refused",
  "unavailable",
  "internal",
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A typed error with a stable string code, a kind and optional structured details. */
export class PassageError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, kind: ErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "PassageError";
    this.code = code;
    this.kind = kind;
    this.details = details;
  }
}

/** A registry entry: the code, its kind and a message template. */
export interface ErrorDefinition<Args extends unknown[]> {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly description: string;
  create(...args: Args): PassageError;
}

/** Declares one coded error; `describe` turns the arguments into the message and details. */
export function defineError<Args extends unknown[]>(
  code: string,
  kind: ErrorKind,
  description: string,
  describe: (...args: Args) => string | { message: string; details: Record<string, unknown> },
): ErrorDefinition<Args> {
  if (!/^PASSAGE_ERR_[A-Z0-9]+(_[A-Z0-9]+)+$/.test(code)) {
    throw new Error(`error code ${code} does not follow PASSAGE_ERR_<AREA>_<PROBLEM>`);
  }
  return {
    code,
    kind,
    description,
    create(...args: Args) {
      const described = describe(...args);
      return typeof described === "string"
        ? new PassageError(code, kind, described)
        : new PassageError(code, kind, described.message, described.details);
    },
  };
}

/** HTTP status for an error kind. */
export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case "invalid_input":
      return 400;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
      return 409;
    case "refused":
      return 422;
    case "unavailable":
      return 503;
    case "internal":
      return 500;
    default:
      return assertUnreachable(kind);
  }
}

/** CLI exit status for an error kind (0 is success; 1 is reserved for unexpected failures). */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case "invalid_input":
      return 2;
    case "not_found":
      return 3;
    case "conflict":
      return 4;
    case "unauthenticated":
    case "forbidden":
      return 5;
    case "refused":
      return 6;
    case "unavailable":
      return 7;
    case "internal":
      return 1;
    default:
      return assertUnreachable(kind);
  }
}

/** Compile-time exhaustiveness check for `switch` over a closed union. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable value: ${JSON.stringify(value)}`);
}

export function isPassageError(error: unknown): error is PassageError {
  return error instanceof PassageError;
}
