import { catchUpProjections, type SimulationReport, simulateDeparturesAs } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { DeparturesOptions } from "../commands/simulate.ts";

/**
 * `passage simulate departures`: streams simulated departure records into the departure feed as
 * the command's actor — `feed.ingest` on that feed, as the HTTP feed route asks (audited).
 * Linkage and the projections catch up first, so the persons an earlier run sent a departure to
 * are no longer "still here" (the simulator also passes over anyone whose records already hold a
 * departure for the current stay). SIGINT or SIGTERM stops the stream: the records in flight are
 * committed, the summary printed, and the command exits 0. A signal during the catch-up, before
 * anything is sent, ends it with PASSAGE_ERR_CLI_INTERRUPTED.
 */
export async function simulateDepartureStream(options: DeparturesOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const stop = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
    stop.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const report = await context.withApp(
      async (app) => {
        await untilStopped(catchUpProjections(app), stop.signal, () => received ?? "SIGINT");
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
      },
      undefined,
      "work",
    );
    for (const note of summaryNotes(report, options, received)) context.output.note(note);
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

/** What the summary line does not say: why the run stopped, whom it skipped, what it left unsent. */
export function summaryNotes(
  report: SimulationReport,
  options: Pick<DeparturesOptions, "count">,
  signal: string | undefined,
): string[] {
  const notes: string[] = [];
  const persons = (count: number) => `${count} ${count === 1 ? "person" : "persons"}`;
  if (report.interrupted) {
    notes.push(
      `stopped by ${signal ?? "a signal"} after sent=${report.sent}; every record sent is committed`,
    );
  } else if (report.exhausted) {
    notes.push(
      `stopped after sent=${report.sent}${options.count === undefined ? "" : ` of --count ${options.count}`}: ` +
        `every one of the ${persons(report.candidates)} still here has been sent a departure`,
    );
  }
  if (report.corroborationsNotSent > 0) {
    const why = report.interrupted ? "the run was stopped" : "--count was reached";
    notes.push(
      `${report.corroborationsNotSent} planned ${report.corroborationsNotSent === 1 ? "corroboration" : "corroborations"} ` +
        `of self-reports not sent (${why} before ${report.corroborationsNotSent === 1 ? "it was" : "they were"} due): ` +
        `${report.corroborationsNotSent === 1 ? "that claim stays" : "those claims stay"} uncorroborated`,
    );
  }
  if (report.skippedWeakIdentity > 0) {
    notes.push(
      `skipped ${persons(report.skippedWeakIdentity)} still here with no record linkage attaches a departure on ` +
        "(a date of birth and an A-number or passport number)",
    );
  }
  return notes;
}

/** `work`, or PASSAGE_ERR_CLI_INTERRUPTED as soon as `signal` aborts (nothing sent yet). */
async function untilStopped<T>(work: Promise<T>, signal: AbortSignal, name: () => string): Promise<T> {
  if (signal.aborted) throw CliErrors.interrupted.create(name());
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(CliErrors.interrupted.create(name()));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
