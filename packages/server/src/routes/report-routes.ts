import { buildOversightReport } from "@passage/engine";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { oversightReportCsv } from "../reports/report-csv.ts";
import { oversightReportHtml } from "../reports/report-html.ts";
import type { RouteContext } from "./route-context.ts";

const Cell = z.object({ key: z.string(), count: z.number().nullable(), suppressed: z.boolean() });
/** The report takes no query parameter: an unknown one (`?format=csv`) is refused with 400 naming it. */
const NoQuery = z.strictObject({});

const Report = z.object({
  generatedAt: z.string(),
  threshold: z.number(),
  tables: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      cells: z.array(Cell),
      total: z.number().nullable(),
    }),
  ),
  redressTimes: z.array(
    z.object({
      kind: z.string(),
      withheld: z.boolean(),
      medianDays: z.number().nullable(),
      p90Days: z.number().nullable(),
    }),
  ),
  policies: z.array(
    z.object({
      policyId: z.string(),
      version: z.string(),
      digest: z.string(),
      activatedAt: z.string(),
      active: z.boolean(),
      reason: z.string(),
    }),
  ),
  notes: z.array(z.string()),
});

/** The published oversight aggregates (CLI.md: public without a session), as JSON, CSV and an HTML page. */
export async function registerReportRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const build = () => buildOversightReport(context.app.store.db);
  const publicReport = { config: { access: "public" as const }, schema: { tags: ["reports"], security: [] } };

  typed.get(
    "/reports",
    {
      ...publicReport,
      schema: {
        ...publicReport.schema,
        summary: "Oversight report (small cells withheld)",
        querystring: NoQuery,
        response: { 200: Report },
      },
    },
    async () => {
      const report = await build();
      return {
        ...report,
        tables: report.tables.map((table) => ({ ...table, cells: [...table.cells] })),
        redressTimes: [...report.redressTimes],
        policies: [...report.policies],
        notes: [...report.notes],
      };
    },
  );
  typed.get(
    "/reports/oversight.csv",
    {
      ...publicReport,
      schema: { ...publicReport.schema, summary: "Oversight report as CSV", querystring: NoQuery },
    },
    async (_request, reply) => reply.type("text/csv; charset=utf-8").send(oversightReportCsv(await build())),
  );
  typed.get(
    "/reports/oversight.html",
    {
      ...publicReport,
      schema: {
        ...publicReport.schema,
        summary: "Oversight report as a page with charts",
        querystring: NoQuery,
      },
    },
    async (_request, reply) =>
      reply.type("text/html; charset=utf-8").send(oversightReportHtml(await build())),
  );
}
