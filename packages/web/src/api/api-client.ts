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

/**
 * The one way the UI talks to Passage: same-origin requests with the session cookie, the
 * purpose of use header when one is given, JSON in and out, and every failure turned into an
 * ApiError with a readable message.
 */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.purpose) headers[PURPOSE_HEADER] = options.purpose;
  if (options.body !== undefined) headers["content-type"] = "application/json";
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
