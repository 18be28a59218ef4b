import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, type RouteContext } from "./route-context.ts";

/** User accounts, for administrators and auditors (roles, offices, needs — never password hashes). */
export async function registerUserRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  api.withTypeProvider<ZodTypeProvider>().get(
    "/users",
    {
      config: { access: { action: "user.read" } },
      schema: {
        summary: "Every user account with its roles and access attributes",
        tags: ["users"],
        response: { 200: z.object({ users: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (request) => ({
      users: (
        await accessOf(context, request).run("user.read", { type: "Account", id: "*" }, () =>
          context.app.access.accounts.listUsers(),
        )
      ).map((user) => ({ ...user })),
    }),
  );
}
