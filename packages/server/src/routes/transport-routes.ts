import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, type RouteContext } from "./route-context.ts";
import { IsoDate, NoBody } from "./route-schemas.ts";

const Json = z.record(z.string(), z.unknown());
const PlanId = z.object({ planId: z.string().min(1).max(100) });

/** Removal transport plans: list, show, create (draft), freeze (re-check, strike, freeze). */
export async function registerTransportRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { transport } = context.app;

  typed.get(
    "/transport-plans",
    {
      config: { access: { action: "plan.read" } },
      schema: {
        summary: "Transport plans (drafts and frozen)",
        tags: ["transport"],
        querystring: z.object({ office: z.string().max(64).optional() }),
        response: { 200: z.object({ plans: z.array(Json) }) },
      },
    },
    async (request) => ({
      plans: (await transport.listPlans(accessOf(context, request), request.query.office)).map((plan) => ({
        ...plan,
      })),
    }),
  );

  typed.get(
    "/transport-plans/:planId",
    {
      config: { access: { action: "plan.read" } },
      schema: {
        summary: "One plan: manifests, passengers (struck ones with the reason), cases left out and why",
        tags: ["transport"],
        params: PlanId,
        response: { 200: Json },
      },
    },
    async (request) => ({ ...(await transport.showPlan(accessOf(context, request), request.params.planId)) }),
  );

  typed.post(
    "/transport-plans",
    {
      config: { access: { action: "plan.write" } },
      schema: {
        summary: "Plans the horizon's flights for the cases ready for removal and stores the draft",
        tags: ["transport"],
        body: z
          .strictObject({
            from: IsoDate,
            to: IsoDate,
            office: z.string().max(64).optional(),
            options: z
              .strictObject({
                detentionDayCost: z.number().min(0).max(1e7),
                carryOverCost: z.number().min(0).max(1e9),
                acceptanceCaps: z.record(
                  z.string().regex(/^[A-Z]{3}$/),
                  z.number().int().min(0).max(100_000),
                ),
                mipRelativeGap: z.number().min(0).max(1),
                timeLimitSeconds: z.number().min(1).max(300),
              })
              .partial()
              .optional(),
          })
          .refine((body) => body.from <= body.to, "from must not be after to"),
        response: { 201: Json },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ ...(await transport.createPlan(accessOf(context, request), request.body)) }),
  );

  typed.post(
    "/transport-plans/:planId/freeze",
    {
      config: { access: { action: "plan.freeze" } },
      schema: {
        summary:
          "Re-checks every manifest entry against fresh statuses, strikes who no longer qualifies, freezes",
        tags: ["transport"],
        params: PlanId,
        body: NoBody,
        response: { 200: Json },
      },
    },
    async (request) => ({ ...(await transport.freeze(accessOf(context, request), request.params.planId)) }),
  );
}
