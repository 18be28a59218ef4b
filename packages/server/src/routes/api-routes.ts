import type { FastifyInstance } from "fastify";
import { registerAuditRoutes } from "./audit-routes.ts";
import { registerAuthRoutes } from "./auth-routes.ts";
import { registerBusinessMetrics } from "./business-metrics.ts";
import { registerDepartureRoutes } from "./departure-routes.ts";
import { registerFeedRoutes } from "./feed-routes.ts";
import { registerHealthRoutes } from "./health-routes.ts";
import { registerLinkageRoutes } from "./linkage-routes.ts";
import { registerPersonRoutes } from "./person-routes.ts";
import { registerRedressRoutes } from "./redress-routes.ts";
import { registerReportRoutes } from "./report-routes.ts";
import type { RouteContext } from "./route-context.ts";
import { registerTransportRoutes } from "./transport-routes.ts";
import { registerUserRoutes } from "./user-routes.ts";
import { registerWorklistRoutes } from "./worklist-routes.ts";

/** Every operation of the Passage API under /api/v1, one module per area. */
export async function registerApiRoutes(
  api: FastifyInstance,
  context: RouteContext,
  version: string,
): Promise<void> {
  await registerHealthRoutes(api, {
    pingDatabase: async () => {
      await context.app.store.pool.query("SELECT 1");
    },
    version,
  });
  registerBusinessMetrics(api, context);
  await registerAuthRoutes(api, context);
  await registerUserRoutes(api, context);
  await registerPersonRoutes(api, context);
  await registerLinkageRoutes(api, context);
  await registerWorklistRoutes(api, context);
  await registerTransportRoutes(api, context);
  await registerDepartureRoutes(api, context);
  await registerFeedRoutes(api, context);
  await registerRedressRoutes(api, context);
  await registerAuditRoutes(api, context);
  await registerReportRoutes(api, context);
}
