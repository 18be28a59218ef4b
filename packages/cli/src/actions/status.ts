import { formatCitation, parseRecordReferenceOrThrow } from "@passage/core";
import { readRecordStatus } from "@passage/engine";
import { holdingGates } from "@passage/policy";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";

/** `passage status --record FEED:KEY`: a person's legal status with its evidence (audited). */
export async function printStatus(
  options: { record: string; asOf?: string; knownAt?: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  // Refused before the database is opened, with the code any malformed reference has
  // (PASSAGE_ERR_RECORD_REFERENCE_INVALID: no colon, no key, a key the feed's key field refuses).
  parseRecordReferenceOrThrow(options.record);
  const document = await context.withCurrentApp(async (app) => {
    // The HTTP status read exactly: decided on the person's case, confidential matters shown only
    // to a reader with the need (`--as USER`).
    return readRecordStatus(
      await context.access(app),
      { db: app.store.db, lifecycle: app.lifecycle },
      options.record,
      { asOf: options.asOf, knownAt: options.knownAt },
    );
  });
  if (context.output.json) {
    context.output.document(document);
    return;
  }
  for (const line of statusLines(document)) context.output.line(line);
}

/**
 * The human status: state, overlays, blockers, gates holding, evidence. A blocker shows its detail,
 * or its description when it has none (a withheld blocker: WITHHELD_MATTER's words, never "null").
 */
export function statusLines(document: Awaited<ReturnType<typeof readRecordStatus>>): string[] {
  const lines: string[] = [];
  const state = document.state;
  lines.push(
    `person ${document.person_id}: ${state.primary}${state.detail ? ` (${state.detail})` : ""}` +
      `${state.since ? ` since ${state.since}` : ""}${state.until ? ` until ${state.until}` : ""}` +
      ` as of ${document.as_of}${document.known_at ? `, as known at ${document.known_at}` : ""}`,
  );
  lines.push(`  ${state.description}`);
  lines.push(`actionable: ${document.actionable ? "yes" : "no"}`);
  for (const overlay of document.overlays) {
    lines.push(
      `overlay ${overlay.overlay}${overlay.since ? ` since ${overlay.since}` : ""}: ${overlay.description}`,
    );
  }
  for (const blocker of document.blockers) {
    lines.push(
      `blocker ${blocker.code} [${blocker.binding}] ${blocker.detail ?? blocker.description} (${blocker.basis})`,
    );
    lines.push(`  evidence: ${blocker.evidence.map(formatCitation).join(", ") || "none"}`);
  }
  const holding = holdingGates({ ...document.gates, personId: document.person_id, asOf: document.as_of });
  lines.push(`gates holding: ${holding.map((gate) => gate.gate).join(", ") || "none"}`);
  lines.push(`evidence: ${document.evidence.map(formatCitation).join(", ")}`);
  return lines;
}
