import { ApiError, apiErrorFrom } from "./api-error.ts";
import { PURPOSE_HEADER } from "./purpose-of-use.ts";

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  readonly query?: Readonly<Record<string, QueryValue | readonly QueryValue[]>>;
  readonly body?: unknown;
  /** Purpose of use; required by the server for case data. */
  readonly purpose?: string;
  readonly signal?: AbortSignal;
}

/** Joins `/api/v1`, a path and its query, leaving out empty values. */
export function apiUrl(path: string, query?: RequestOptions["query"]): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (one !== undefined && one !== null && one !== "") search.append(name, String(one));
    }
  }
  const text = search.toString();
  return `/api/v1${path}${text ? `?${text}` : ""}`;
}

/** Called when the server answers 401 to a signed-in call: the session ended (signed out elsewhere, expired). */
export type SessionEndedListener = () => void;

const sessionEndedListeners = new Set<SessionEndedListener>();

/** Subscribes to the end of the session; returns the unsubscribe. The session provider is the one listener. */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/** Calls whose 401 is an answer, not a lost session: a wrong password, nobody signed in yet. */
const SIGN_IN_PATHS = new Set(["/auth/login", "/auth/me"]);

/**
 * A header value carrying any text: its UTF-8 bytes, one character per byte (a "binary" string),
 * since fetch accepts only Latin-1 in headers and would throw on an en dash, a curly apostrophe or
 * Cyrillic. The server's purpose-header plugin decodes the bytes as UTF-8 again; plain ASCII is
 * the same either way.
 */
export function utf8HeaderValue(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return binary;
}

function requestHeadersOrThrow(options: RequestOptions): Headers {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.purpose) headers[PURPOSE_HEADER] = utf8HeaderValue(options.purpose);
  if (options.body !== undefined) headers["content-type"] = "application/json";
  try {
    return new Headers(headers);
  } catch (error) {
    // Not a network failure: the browser refused the request before sending it.
    throw new ApiError(
      0,
      "CLIENT_BAD_HEADER",
      `the request could not be sent: the purpose of use holds a character a request cannot carry (${(error as Error).message}); change the purpose`,
    );
  }
}

/**
 * The one way the UI talks to Passage: same-origin requests with the session cookie, the
 * purpose of use header when one is given, JSON in and out, and every failure turned into an
 * ApiError with a readable message.
 */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers = requestHeadersOrThrow(options);
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "");
  }
  const text = await response.text();
  let body: unknown = text;
  if (text && (response.headers.get("content-type") ?? "").includes("json")) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, "BAD_JSON", "the server sent an unreadable answer");
    }
  }
  if (response.status === 401 && !SIGN_IN_PATHS.has(path)) {
    for (const listener of [...sessionEndedListeners]) listener();
    // The server's "sign in or present an API token" means, to a person in the UI, this:
    throw new ApiError(401, apiErrorFrom(401, body).code, "");
  }
  if (!response.ok) throw apiErrorFrom(response.status, body);
  return (text ? body : undefined) as T;
}

/** Shorthands for the verbs. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>("GET", path, options),
  post: <T>(path: string, options?: RequestOptions) => apiRequest<T>("POST", path, options),
  put: <T>(path: string, options?: RequestOptions) => apiRequest<T>("PUT", path, options),
  delete: <T>(path: string, options?: RequestOptions) => apiRequest<T>("DELETE", path, options),
};
