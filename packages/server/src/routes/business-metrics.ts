import { SMALL_CELL_THRESHOLD } from "@passage/engine";
import { findOperationalTotals } from "@passage/store";
import type { FastifyInstance } from "fastify";
import { Gauge } from "prom-client";
import type { RouteContext } from "./route-context.ts";

/**
 * Business gauges on /metrics, read when scraped: records, persons, actionable cases, open redress
 * requests, audit log size, and how far each projection consumer is behind the outbox. Totals
 * only: nothing about any one person. /metrics is public (CLI.md), so the counts of people in a
 * situation of their own (actionable cases, open redress requests) follow the oversight report's
 * small-cell rule: 1 to 10 is withheld, exported as NaN.
 */
export function registerBusinessMetrics(api: FastifyInstance, context: RouteContext): void {
  const registry = api.metrics;
  const { db } = context.app.store;
  let totals: Promise<Awaited<ReturnType<typeof findOperationalTotals>>> | undefined;
  // One query per scrape, shared by the gauges that read it.
  const current = () => {
    totals ??= findOperationalTotals(db).finally(() => setTimeout(() => (totals = undefined), 1000).unref());
    return totals;
  };
  const totalGauge = (
    name: string,
    help: string,
    read: (value: Awaited<ReturnType<typeof findOperationalTotals>>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await current()));
      },
    });
  totalGauge("passage_records", "Stored source record versions (planner estimate)", (value) => value.records);
  totalGauge("passage_persons", "Persons (linked clusters of records)", (value) => value.persons);
  totalGauge(
    "passage_actionable_cases",
    "Persons with an executable final order and no gate holding (1 to 10: NaN, withheld)",
    (value) => withheldWhenSmall(value.actionable),
  );
  totalGauge("passage_redress_open", "Redress requests not yet resolved (1 to 10: NaN, withheld)", (value) =>
    withheldWhenSmall(value.openRedress),
  );
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

/** A count as the public may see it: zero and counts of 11 or more as they are, 1 to 10 withheld (NaN). */
export function withheldWhenSmall(count: number): number {
  return count > 0 && count < SMALL_CELL_THRESHOLD ? Number.NaN : count;
}
