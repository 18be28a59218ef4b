/**
 * Every route under /api/v1 declares who may call it in its `config.access`: `"public"` (CLI.md:
 * openapi.json, health, metrics, auth/*, reports), `"signed-in"` (any signed-in user, for what
 * concerns only themselves: their profile, their own API tokens) or the action it performs. A
 * route without a declaration is refused at registration, so nothing is reachable by omission.
 */
export type RouteAccess = "public" | "signed-in" | { readonly action: string };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export function isPublic(access: RouteAccess | undefined): access is "public" {
  return access === "public";
}

/** The API's root: what lies under it is answered as CLI.md "HTTP" says, however the path is spelt. */
const API_ROOT = "/api";

/**
 * Whether a request is for the API: it matched an API route, or its path, decoded and normalised,
 * lies under /api. The raw `request.url` is not enough: the router decodes percent-encoding, so
 * `/%61pi/v1/redress` reaches the `/api/v1/redress` operation, and a check of the raw text would
 * let it past the authentication hook. Unmatched paths are judged by their normalised form
 * (every percent-encoding undone, backslashes and repeated slashes as one slash, dot segments
 * resolved, any case), so that an anonymous caller learns nothing from a 404 under /api either.
 */
export function isApiRequest(request: {
  readonly url: string;
  readonly routeOptions: { readonly url?: string | undefined };
}): boolean {
  const route = request.routeOptions.url;
  if (route !== undefined && isUnderApi(route)) return true;
  return isUnderApi(normalisedPathOf(request.url));
}

function isUnderApi(path: string): boolean {
  return path === API_ROOT || path.startsWith(`${API_ROOT}/`);
}

/** A request target's path, decoded until nothing changes, with its spelling variants made one. */
export function normalisedPathOf(url: string): string {
  let path = url.split(/[?#]/, 1)[0] ?? "";
  // Bounded: each round removes at least one level of encoding; a malformed escape stays as it is.
  for (let round = 0; round < 8 && path.includes("%"); round++) {
    const decoded = decodePercentEncoding(path);
    if (decoded === path) break;
    path = decoded;
  }
  const segments: string[] = [];
  for (const segment of path.replaceAll("\\", "/").toLowerCase().split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}

/** Percent-decoding that leaves a malformed escape (`%zz`, a cut UTF-8 sequence) as written. */
function decodePercentEncoding(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (_escape, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}
