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
