import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

export interface HealthDependencies {
  /** Resolves when the database answers; rejects otherwise. */
  readonly pingDatabase: () => Promise<void>;
  readonly version: string;
}

const HealthBody = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["ok", "unreachable"]),
  version: z.string(),
});

/** Public liveness and readiness (CLI.md: `health` and `metrics` need no session). */
export async function registerHealthRoutes(
  api: FastifyInstance,
  dependencies: HealthDependencies,
): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/health",
    {
      config: { access: "public" },
      schema: {
        summary: "Service health",
        tags: ["operations"],
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (_request, reply) => {
      const database = await dependencies
        .pingDatabase()
        .then(() => "ok" as const)
        .catch(() => "unreachable" as const);
      const body = {
        status: database === "ok" ? ("ok" as const) : ("degraded" as const),
        database,
        version: dependencies.version,
      };
      return reply.status(database === "ok" ? 200 : 503).send(body);
    },
  );
  typed.get(
    "/metrics",
    {
      config: { access: "public" },
      schema: { summary: "Prometheus metrics", tags: ["operations"], hide: false },
    },
    async (_request, reply) => {
      const registry = api.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
