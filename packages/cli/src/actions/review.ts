import type { LinkDecisionResult, PairExplanationView, ReviewItemView } from "@passage/engine";
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
  const limit = wholeNumber("--limit", options.limit);
  const offset = wholeNumber("--offset", options.offset);
  const items = await context.withApp(async (app) => {
    const access = await context.access(app);
    // A role that may read no review item is refused, as GET /api/v1/reviews refuses it, not
    // answered with an empty list.
    await access.refuseUnlessRolePermits("link.read", "review-queue");
    return app.linkage.listReviews(access, {
      status: options.status as "open",
      personId: options.person,
      limit,
      offset,
    });
  });
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
  for (const line of reviewItemLines(item)) context.output.line(line);
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
  for (const line of pairExplanationLines(view)) context.output.line(line);
}

/** `passage review explain`'s text: the waterfall, what overrides its band, the persons and decisions. */
export function pairExplanationLines(view: PairExplanationView): string[] {
  const lines = formatPairExplanation(view.explanation);
  if (view.override !== null) lines.push(`  ${view.override.note}`);
  lines.push(`persons: ${view.left.personId ?? "-"} ~ ${view.right.personId ?? "-"}`);
  for (const decision of view.decisions) {
    lines.push(
      `decision ${decision.decisionId}: ${decision.decision} by ${decision.decidedBy} at ${decision.decidedAt}: ${decision.reason}`,
    );
    if (decision.outdated) lines.push(`  ${outdatedLine(decision.outdatedBy ?? [])}`);
  }
  return lines;
}

/** A record whose change outdated a must-link (as the pair's history names it). */
type OutdatedChange = NonNullable<PairExplanationView["decisions"][number]["outdatedBy"]>[number];

/**
 * What an outdated must-link's line says: which record changed since it was decided, from which
 * version to which, and that it no longer joins anything until the pair is decided again.
 */
function outdatedLine(changes: readonly OutdatedChange[]): string {
  if (changes.length === 0)
    return "outdated: a record changed since it was decided; it joins nothing now: decide the pair again";
  const described = changes.map((change) => {
    const before = new Map(change.decidedOn.map((citation) => [citation.recordKey, citation.version]));
    const moved = change.changedTo.filter((citation) => before.get(citation.recordKey) !== citation.version);
    const shown = moved.length > 0 ? moved : change.changedTo;
    const versions = shown.map((citation) => {
      const from = before.get(citation.recordKey);
      const step = `${from === undefined ? "none" : from} -> ${citation.version}`;
      return change.changedTo.length === 1 ? `version ${step}` : `${citation.recordKey} version ${step}`;
    });
    return `record ${change.record} changed since (${versions.join(", ")})`;
  });
  return `outdated: ${described.join("; ")}; it joins nothing now: decide the pair again`;
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

/** `passage review show`'s text: the item, both records side by side, each field's weight. */
export function reviewItemLines(item: ReviewItemView): string[] {
  const lines = [
    `review ${item.reviewId} ${item.status}: ${item.reason}, probability ${item.matchProbability.toFixed(6)} (weight ${item.matchWeightNow.toFixed(2)} bits now)`,
  ];
  if (item.conflictingIdentifiers.length > 0) {
    lines.push(
      `conflicting identifiers: ${item.conflictingIdentifiers.join(", ")} (each side's value below)`,
    );
  }
  if (item.heldInReview !== null) lines.push(item.heldInReview);
  const names = [...new Set([...Object.keys(item.left.values), ...Object.keys(item.right.values)])].sort();
  lines.push(`${"".padEnd(18)} ${item.leftRecord.padEnd(30)} ${item.rightRecord}`);
  lines.push(`${"person".padEnd(18)} ${(item.leftPersonId ?? "-").padEnd(30)} ${item.rightPersonId ?? "-"}`);
  for (const name of names) {
    lines.push(
      `${name.padEnd(18)} ${(item.left.values[name] ?? "").padEnd(30)} ${item.right.values[name] ?? ""}`,
    );
  }
  for (const field of item.fields) {
    const adjustment =
      field.termFrequencyAdjustment === 0
        ? ""
        : ` (term frequency ${field.termFrequencyAdjustment.toFixed(2)})`;
    lines.push(
      `  ${field.comparison.padEnd(18)} ${field.label.padEnd(16)} ${field.weight.toFixed(2)}${adjustment}`,
    );
  }
  return lines;
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
