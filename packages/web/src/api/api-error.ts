import { readableServerMessage } from "./server-message.ts";

/** The JSON body of every error answer of the Passage API (CLI.md "HTTP"). */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** A failed API call, carrying the server's stable code and a sentence a person can act on. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly details?: unknown,
  ) {
    super(readableMessage(status, code, serverMessage));
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/** Builds an ApiError from a response, whatever its body turned out to be. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.error.code, body.error.message, body.error.details);
  return new ApiError(status, `HTTP_${status}`, typeof body === "string" && body.length < 200 ? body : "");
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * What the person sees: the server's message first (it names the problem), then what to do
 * about the common cases, and never a bare status code alone.
 */
export function readableMessage(status: number, code: string, serverMessage: string): string {
  const plain = serverMessage ? readableServerMessage(serverMessage) : "";
  const said = plain ? `${capitalise(plain.replace(/\.$/, ""))}.` : "";
  switch (status) {
    case 0:
      // Status 0 is no answer at all: the network, unless the browser refused to send the request.
      if (code !== "NETWORK" && said) return said;
      return "The Passage server could not be reached. Check your connection and try again.";
    case 401:
      return said || "Your session has ended. Sign in again.";
    case 403:
      return `${said || "Your role does not permit this."} Ask a supervisor if you need it.`.trim();
    case 404:
      return said || "Not found.";
    case 429:
      return said || "Too many requests. Wait a moment and try again.";
    default:
      if (status >= 500) return `The server failed (${code}). The problem is logged; try again later.`;
      return said || `The request was refused (${code}).`;
  }
}
