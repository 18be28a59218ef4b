/**
 * Every route under /api/v1 declares who may call it in its `config.access`: `"public"` (CLI.md:
 * openapi.json, health, metrics, auth/*, reports) or the action it performs. A route without a
 * declaration is refused at registration, so nothing is reachable by omission.
 */
export type RouteAccess = "public" | { readonly action: string };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export function isPublic(access: RouteAccess | undefined): access is "public" {
  return access === "public";
}
