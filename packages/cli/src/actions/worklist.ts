import { csvCell } from "@passage/core";
import {
  type LabelledWorklistEntry,
  type ShownExplanation,
  type ShownWorklistHistoryEntry,
  WORKLIST_HISTORY_PAGE_SIZES,
  type WorklistPage,
} from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import { commandAccess } from "./policy.ts";

/** One line of `passage worklist` output (CLI.md: `person_id`, `tier`, `explanation`, and more). */
export interface WorklistLine {
  readonly person_id: string;
  /** The tier in force: a supervisor's override when one holds, else the policy's. */
  readonly tier: number;
  /** The label of `tier`, the tier in force. */
  readonly tier_label: string;
  /** The tier the policy gave, and its label (the same as `tier` and `tier_label` without an override). */
  readonly policy_tier: number;
  readonly policy_tier_label: string;
  /** `reason` is null where withheld: a case with a confidential record, a reader without the need. */
  readonly override: { tier: number; reason: string | null; by: string; at: string } | null;
  readonly score: number;
  readonly order_final_date: string | null;
  readonly policy: { id: string; version: string; digest: string };
  readonly explanation: ShownExplanation;
}

const PAGE = 1000;

/** `passage worklist`: every actionable case with its tier and explanation. */
export async function printWorklist(
  options: { policy?: string; tier?: string; csv?: boolean },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  if (options.csv && context.options.json) throw CliErrors.usage.create("choose one of --json and --csv");
  let tier: number | undefined;
  if (options.tier !== undefined) {
    if (!/^\d{1,4}$/.test(options.tier) || Number(options.tier) < 1)
      throw CliErrors.usage.create(`--tier must be a positive whole number, got "${options.tier}"`);
    tier = Number(options.tier);
  }
  const lines = await context.withCurrentApp(async (app) => {
    const access = await commandAccess(app, context);
    if (options.policy !== undefined) {
      const ranked = await app.worklist.rankWithPolicyFile(access, options.policy, { tier });
      const reference = {
        id: ranked.policy.definition.id,
        version: ranked.policy.definition.version,
        digest: ranked.policy.digest,
      };
      return ranked.entries.map(
        (entry): WorklistLine => ({
          person_id: entry.personId,
          tier: entry.tier,
          tier_label: entry.tierLabel,
          policy_tier: entry.tier,
          policy_tier_label: entry.tierLabel,
          override: null,
          score: entry.score,
          order_final_date: entry.orderFinalDate,
          policy: reference,
          explanation: entry.explanation,
        }),
      );
    }
    const all: WorklistLine[] = [];
    for (let page = 1; ; page++) {
      const result: WorklistPage = await app.worklist.list(access, { tier, page, pageSize: PAGE });
      all.push(...result.entries.map(worklistLineOf));
      if (page * PAGE >= result.total) break;
    }
    return all;
  });
  if (context.output.json) return context.output.document(lines);
  if (options.csv) {
    process.stdout.write(worklistCsv(lines));
    return;
  }
  if (lines.length === 0) context.output.line("no actionable cases");
  for (const line of lines) context.output.line(worklistTextLine(line));
}

/** A listed entry as a line: the tier in force with its label, the policy's tier with its own. */
export function worklistLineOf(entry: LabelledWorklistEntry): WorklistLine {
  return {
    person_id: entry.personId,
    tier: entry.effectiveTier,
    tier_label: entry.effectiveTierLabel,
    policy_tier: entry.tier,
    policy_tier_label: entry.tierLabel,
    override: entry.override
      ? {
          tier: entry.override.tier,
          reason: entry.override.reason,
          by: entry.override.overriddenBy,
          at: entry.override.overriddenAt,
        }
      : null,
    score: entry.score,
    order_final_date: entry.orderFinalDate,
    policy: { id: entry.policyId, version: entry.policyVersion, digest: entry.policyDigest },
    explanation: entry.explanation,
  };
}

/** The columns of `passage worklist --csv`; `policy_tier_label` came later, so it is last. */
export const WORKLIST_CSV_HEADER =
  "person_id,tier,tier_label,policy_tier,override_reason,order_final_date,score,policy_id,policy_version,rules_fired,policy_tier_label";

/** `passage worklist --csv`: every cell through `csvCell`, so no supervisor's text runs as a formula. */
export function worklistCsv(lines: readonly WorklistLine[]): string {
  const rows = lines.map((line) =>
    [
      line.person_id,
      line.tier,
      line.tier_label,
      line.policy_tier,
      line.override?.reason ?? "",
      line.order_final_date ?? "",
      line.score,
      line.policy.id,
      line.policy.version,
      line.explanation.evaluation?.firedRules.map((rule) => rule.id).join(";") ?? "",
      line.policy_tier_label,
    ]
      .map(csvCell)
      .join(","),
  );
  return [WORKLIST_CSV_HEADER, ...rows].map((row) => `${row}\n`).join("");
}

/** One case as `passage worklist` prints it. */
export function worklistTextLine(line: WorklistLine): string {
  const decided = line.explanation.evaluation?.decidedBy;
  const why = decided?.kind === "rule" ? `rule ${decided.ruleId}` : "default tier";
  const override = line.override
    ? ` [override of tier ${line.policy_tier} ${line.policy_tier_label} by ${line.override.by}: ${line.override.reason ?? "reason withheld"}]`
    : "";
  return `${line.person_id}  tier ${line.tier} ${line.tier_label}  final ${line.order_final_date ?? "-"}  ${why}${override}`;
}

/**
 * `passage worklist history PERSON`: every row of the person's ranking history, newest first (as
 * `GET /worklist/{personId}/history` pages it), each stored explanation replayed. `--json`: one
 * document `{ personId, total, entries }`.
 */
export async function printWorklistHistory(personId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const entries = await context.withCurrentApp(async (app) => {
    const access = await commandAccess(app, context);
    const all: ShownWorklistHistoryEntry[] = [];
    const pageSize = WORKLIST_HISTORY_PAGE_SIZES.max;
    for (let page = 1; ; page++) {
      const result = await app.worklist.history(access, personId, { page, pageSize });
      all.push(...result.entries);
      if (page * pageSize >= result.total) break;
    }
    return all;
  });
  if (context.output.json) return context.output.document({ personId, total: entries.length, entries });
  if (entries.length === 0) context.output.line(`no ranking history for ${personId}`);
  for (const entry of entries) context.output.line(worklistHistoryTextLine(entry));
}

/** One history row as `passage worklist history` prints it. */
export function worklistHistoryTextLine(entry: ShownWorklistHistoryEntry): string {
  const policy = `${entry.policyId} ${entry.policyVersion}`;
  const replay =
    entry.replay === null
      ? ""
      : entry.replay.identical
        ? "  replay identical"
        : `  replay differs: ${entry.replay.differences.join(", ")}`;
  if (entry.change === "removed") {
    // A gated removal names the gates that held (its kept explanation's).
    const held = (entry.explanation?.gates.results ?? []).filter((result) => result.holds);
    const why =
      held.length === 0 ? entry.reason : `${entry.reason}: ${held.map((result) => result.gate).join(", ")}`;
    return `#${entry.sequence} ${entry.recordedAt}  left the worklist (${why}) under ${policy}${replay}`;
  }
  const effective =
    entry.effectiveTier !== entry.tier
      ? ` (override: tier ${entry.effectiveTier} ${entry.effectiveTierLabel})`
      : "";
  return `#${entry.sequence} ${entry.recordedAt}  ${policy}  tier ${entry.tier} ${entry.tierLabel}${effective}  score ${entry.score}${replay}`;
}
