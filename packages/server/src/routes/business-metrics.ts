import { estimatedRecordCount } from "@passage/store";
import type { FastifyInstance } from "fastify";
import { Gauge } from "prom-client";
import type { RouteContext } from "./route-context.ts";

/**
 * Business gauges on /metrics, read when scraped: stored records (the planner's estimate), audit
 * log size, and how far each projection consumer is behind the outbox. /metrics is public
 * (CLI.md), so it counts no people: a count of persons, actionable cases or open redress requests
 * is a sum of the oversight report's cells, and published exactly beside the report's it let a
 * withheld cell be recovered by subtraction (33 open requests, 30 of them `departed`: the withheld
 * `other` cell was 3). People are counted only in the report, under its small-cell rule.
 */
export function registerBusinessMetrics(api: FastifyInstance, context: RouteContext): void {
  const registry = api.metrics;
  const { db } = context.app.store;
  new Gauge({
    name: "passage_records",
    help: "Stored source record versions (planner estimate)",
    registers: [registry],
    async collect() {
      this.set(await estimatedRecordCount(db));
    },
  });
  new Gauge({
    name: "passage_audit_entries",
    help: "Entries in the tamper-evident audit log",
    registers: [registry],
    async collect() {
      this.set(await context.app.access.auditRepository.recordedSize());
    },
  });
  const lag = context.consumerLag;
  if (lag) {
    const events = new Gauge({
      name: "passage_consumer_lag_events",
      help: "Outbox events a projection consumer has yet to apply",
      labelNames: ["consumer"] as const,
      registers: [registry],
      async collect() {
        const measured = await lag();
        for (const consumer of measured) {
          events.set({ consumer: consumer.consumer }, consumer.eventsBehind);
          age.set({ consumer: consumer.consumer }, consumer.oldestUnprocessedAgeMs / 1000);
        }
      },
    });
    const age = new Gauge({
      name: "passage_consumer_lag_seconds",
      help: "Age of the oldest outbox event a projection consumer has yet to apply",
      labelNames: ["consumer"] as const,
      registers: [registry],
    });
  }
}
