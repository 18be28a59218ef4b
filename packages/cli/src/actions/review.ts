import type { LinkDecisionResult, ReviewItemView } from "@passage/engine";
import { formatPairExplanation } from "@passage/linkage";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/** `passage review list`: review items, strongest first. */
export async function listReviewItems(
  options: { status: string; person?: string; limit: string; offset: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  if (!["open", "closed", "all"].includes(options.status)) {
    throw CliErrors.usage.create(`--status must be open, closed or all, not "${options.status}"`);
  }
  const items = await context.withApp(async (app) =>
    app.linkage.listReviews(await context.access(app), {
      status: options.status as "open",
      personId: options.person,
      limit: wholeNumber("--limit", options.limit),
      offset: wholeNumber("--offset", options.offset),
    }),
  );
  if (context.output.json) return context.output.document(items);
  for (const item of items) {
    context.output.line(
      `${item.reviewId.padStart(6)}  ${item.status.padEnd(10)} p=${item.matchProbability.toFixed(4)}  ${item.reason.padEnd(26)} ` +
        `${item.leftRecord} (${item.leftPersonId ?? "-"})  ~  ${item.rightRecord} (${item.rightPersonId ?? "-"})`,
    );
  }
}

/** `passage review show ITEM`: both records side by side with each field's weight. */
export async function showReviewItem(reviewId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const item = await context.withApp(async (app) =>
    app.linkage.showReview(await context.access(app), reviewId),
  );
  if (context.output.json) return context.output.document(item);
  printItem(context, item);
}

/** `passage review decide ITEM`: records a human decision. */
export async function decideReviewItem(
  reviewId: string,
  options: { outcome: string; reason: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  const result = await context.withApp(async (app) =>
    app.linkage.decideReview(await context.access(app), reviewId, {
      outcome: options.outcome as "accept",
      reason: options.reason,
    }),
  );
  printResult(context, result);
}

/** `passage review explain LEFT RIGHT`: why two records score as they do. */
export async function explainRecordPair(left: string, right: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const view = await context.withApp(async (app) =>
    app.linkage.explainPair(await context.access(app), left, right),
  );
  if (context.output.json) return context.output.document(view);
  for (const line of formatPairExplanation(view.explanation)) context.output.line(line);
  context.output.line(`persons: ${view.left.personId ?? "-"} ~ ${view.right.personId ?? "-"}`);
  for (const decision of view.decisions) {
    context.output.line(
      `decision ${decision.decisionId}: ${decision.decision} by ${decision.decidedBy} at ${decision.decidedAt}: ${decision.reason}`,
    );
  }
}

/** `passage review unlink RECORD`: takes a record out of its person. */
export async function unlinkRecord(
  record: string,
  options: { reason: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  const result = await context.withApp(async (app) =>
    app.linkage.unlinkRecord(await context.access(app), record, { reason: options.reason }),
  );
  printResult(context, result);
}

function printItem(context: CommandContext, item: ReviewItemView): void {
  context.output.line(
    `review ${item.reviewId} ${item.status}: ${item.reason}, probability ${item.matchProbability.toFixed(6)} (weight ${item.matchWeightNow.toFixed(2)} bits now)`,
  );
  const names = [...new Set([...Object.keys(item.left.values), ...Object.keys(item.right.values)])].sort();
  context.output.line(`${"".padEnd(18)} ${item.leftRecord.padEnd(30)} ${item.rightRecord}`);
  context.output.line(
    `${"person".padEnd(18)} ${(item.leftPersonId ?? "-").padEnd(30)} ${item.rightPersonId ?? "-"}`,
  );
  for (const name of names) {
    context.output.line(
      `${name.padEnd(18)} ${(item.left.values[name] ?? "").padEnd(30)} ${item.right.values[name] ?? ""}`,
    );
  }
  for (const field of item.fields) {
    const adjustment =
      field.termFrequencyAdjustment === 0
        ? ""
        : ` (term frequency ${field.termFrequencyAdjustment.toFixed(2)})`;
    context.output.line(
      `  ${field.comparison.padEnd(18)} ${field.label.padEnd(16)} ${field.weight.toFixed(2)}${adjustment}`,
    );
  }
}

function printResult(context: CommandContext, result: LinkDecisionResult): void {
  if (context.output.json) {
    context.output.document(result);
    return;
  }
  for (const [record, personId] of Object.entries(result.persons))
    context.output.line(`${record} -> ${personId ?? "(unlinked)"}`);
  for (const kept of result.keptApart) {
    const why =
      kept.reason === "conflicting_identifiers"
        ? `its ${kept.conflictingIdentifiers.join(", ")} conflicts with ${kept.conflictsWith.join(", ")} (in review)`
        : kept.reason === "cannot_link"
          ? `a cannot-link separates it from ${kept.conflictsWith.join(", ")}`
          : "no automatic link joins it to the merged person";
    context.output.line(`${kept.record} kept apart -> ${kept.personId}: ${why}`);
  }
  context.output.line(
    `decisions=${result.decisionIds.length} persons_changed=${result.personsChanged.length} retired=${result.retired.length} kept_apart=${result.keptApart.length}`,
  );
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw CliErrors.usage.create(`${flag} must be a whole number, not "${text}"`);
  return value;
}
