import { simulateDeparturesAs } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import type { DeparturesOptions } from "../commands/simulate.ts";

/**
 * `passage simulate departures`: streams simulated departure records into the departure feed as
 * the command's actor — `feed.ingest` on that feed, as the HTTP feed route asks (audited).
 */
export async function simulateDepartureStream(options: DeparturesOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const report = await context.withApp(async (app) => {
      const access = await context.access(app);
      return simulateDeparturesAs(access, app.store, {
        rate: options.rate,
        count: options.count,
        selfReportShare: options.selfReportShare,
        corroborationShare: options.corroborationShare,
        signal: stop.signal,
        onRecord: (result, row) => {
          if (!context.output.json) {
            context.output.note(`${row.evidence} ${row.departure_id} -> ${result.outcome}`);
          }
        },
      });
    });
    if (report.exhausted) {
      // Each person still here is sent one departure a run; their statuses are not derived yet.
      context.output.note(
        `stopped after sent=${report.sent}${options.count === undefined ? "" : ` of --count ${options.count}`}: ` +
          `every one of the ${report.candidates} ${report.candidates === 1 ? "person" : "persons"} still here has been sent a departure`,
      );
    }
    if (context.output.json) context.output.document(report);
    else
      context.output.line(
        `sent=${report.sent} rejected=${report.rejected} by evidence: ${JSON.stringify(report.byEvidence)}`,
      );
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}
