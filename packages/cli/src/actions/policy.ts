import { randomUUID } from "node:crypto";
import type { AuditedAccess } from "@passage/access";
import { isPassageError } from "@passage/core";
import { type App, readPolicyFileOrThrow } from "@passage/engine";
import { diffPolicies, type PolicyDiff, PolicyErrors, type PolicyProblem } from "@passage/policy";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/** The audited access layer of one command: the local operator, or the user of `--as`. */
export async function commandAccess(app: App, context: CommandContext): Promise<AuditedAccess> {
  const actor = await app.access.commandLineActor(context.options.as);
  return app.access.forRequest({ actor, purpose: context.options.purpose, requestId: randomUUID() });
}

/**
 * `passage policy check FILE`: the policy's summary, or (CLI.md) one `error CODE: message` line
 * listing every problem with its file:line, as dry-run and activate report an invalid file.
 */
export async function checkPolicyFile(file: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  try {
    const { policy: loaded } = await readPolicyFileOrThrow(file);
    const { id, version, effective, rules, tiers } = loaded.definition;
    if (context.output.json) {
      context.output.document({ file, valid: true, id, version, digest: loaded.digest, problems: [] });
      return;
    }
    context.output.line(
      `${file}: valid: policy ${id} ${version}, ${rules.length} rules, ${tiers.length} tiers, effective ${effective.from}${effective.to ? ` to ${effective.to}` : ""}, digest ${loaded.digest}`,
    );
  } catch (error) {
    if (!isPassageError(error) || error.code !== "PASSAGE_ERR_POLICY_INVALID") throw error;
    if (context.output.json) {
      const problems = (error.details?.problems ?? []) as PolicyProblem[];
      context.output.document({ file, valid: false, problems });
    }
    // The error's message joins every problem; the command's error line prints it on one line.
    throw error;
  }
}

/** `passage policy diff A B`: what changed from A to B. */
export async function diffPolicyFiles(a: string, b: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const [before, after] = await readBothPolicyFilesOrThrow(a, b);
  const diff = diffPolicies(before.policy, after.policy);
  if (context.output.json) return context.output.document(diff);
  for (const line of describeDiff(diff)) context.output.line(line);
}

/** Both files read; when both are invalid, one error lists the problems of both (not only the first's). */
async function readBothPolicyFilesOrThrow(a: string, b: string) {
  const [before, after] = await Promise.allSettled([readPolicyFileOrThrow(a), readPolicyFileOrThrow(b)]);
  if (before.status === "fulfilled" && after.status === "fulfilled")
    return [before.value, after.value] as const;
  const invalid = [before, after].filter(
    (outcome): outcome is PromiseRejectedResult =>
      outcome.status === "rejected" &&
      isPassageError(outcome.reason) &&
      outcome.reason.code === "PASSAGE_ERR_POLICY_INVALID",
  );
  if (invalid.length === 2) {
    throw PolicyErrors.invalidPolicy.create(
      `${a} and ${b}`,
      invalid.flatMap((outcome) => (outcome.reason.details?.problems ?? []) as PolicyProblem[]),
    );
  }
  throw before.status === "rejected" ? before.reason : (after as PromiseRejectedResult).reason;
}

/** `passage policy dry-run FILE`: the tier changes FILE would make, applying nothing. */
export async function dryRunPolicyFile(file: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const result = await context.withCurrentApp(async (app) => {
    return app.worklist.dryRunPolicyFile(await commandAccess(app, context), file);
  });
  if (context.output.json) return context.output.document(result);
  context.output.line(
    `${result.from.id} ${result.from.version} -> ${result.to.id} ${result.to.version}: ${result.changed} of ${result.cases} actionable cases change tier (${result.unchanged} unchanged)`,
  );
  for (const transition of result.transitions)
    context.output.line(`  tier ${transition.from} -> ${transition.to}: ${transition.count}`);
  // A rule that raised an error did not fire on those cases, which may be why they moved.
  for (const error of result.ruleErrors) {
    const policy = error.policy === "from" ? result.from : result.to;
    const budget =
      error.budgetExceeded > 0 ? `, ${error.budgetExceeded} of them out of evaluation budget` : "";
    context.output.line(
      `  rule ${error.ruleId} of ${policy.id} ${policy.version} raised an error on ${error.cases} case${error.cases === 1 ? "" : "s"}${budget} (did not fire): ${error.message}`,
    );
  }
  for (const change of result.changes) {
    context.output.line(
      `  ${change.personId}: ${change.from.tier} ${change.from.label} (${change.from.decidedBy}) -> ${change.to.tier} ${change.to.label} (${change.to.decidedBy})`,
    );
  }
}

/** `passage policy activate FILE`: stores and activates the policy (audited). */
export async function activatePolicyFile(
  file: string,
  options: { reason?: string; outsideEffectiveDates?: boolean },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  if (options.reason === undefined) {
    throw CliErrors.usage.create(
      "policy activate needs --reason TEXT: why the policy is activated (recorded, and published in the oversight report)",
    );
  }
  const reason = options.reason;
  const result = await context.withCurrentApp(async (app) => {
    return app.worklist.activatePolicyFile(await commandAccess(app, context), file, reason, {
      outsideEffectiveDates: options.outsideEffectiveDates === true,
    });
  });
  if (context.output.json) return context.output.document(result);
  context.output.line(
    `active: ${result.policy.policyId} ${result.policy.version} (digest ${result.policy.digest.slice(0, 12)}${result.stored ? ", newly stored" : ""}); worklist re-evaluated: ${result.worklist.listed} cases listed`,
  );
}

/** `passage policy list`: stored versions and the activation history. */
export async function listPolicyVersions(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const result = await context.withApp(async (app) => {
    const access = await commandAccess(app, context);
    // A fresh database gets its default policy on first use.
    await app.store.db
      .transaction()
      .execute((transaction) => app.worklist.policies.ensureActive(transaction));
    return app.worklist.listPolicies(access);
  });
  if (context.output.json) {
    return context.output.document({
      versions: result.versions.map(({ text: _text, ...version }) => version),
      activations: result.activations,
    });
  }
  for (const version of result.versions) {
    context.output.line(
      `${version.active ? "*" : " "} ${version.policyId} ${version.version}  effective ${version.effectiveFrom}${version.effectiveTo ? ` to ${version.effectiveTo}` : ""}  digest ${version.digest.slice(0, 12)}  loaded ${version.loadedAt} by ${version.loadedBy}`,
    );
  }
  for (const activation of result.activations) {
    context.output.line(
      `  activated ${activation.policyId} ${activation.version} at ${activation.activatedAt} by ${activation.activatedBy}: ${activation.reason}`,
    );
  }
}

function describeDiff(diff: PolicyDiff): string[] {
  if (diff.identical)
    return [`${diff.from.id} ${diff.from.version} and ${diff.to.id} ${diff.to.version} are identical`];
  const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const lines = [`${diff.from.id} ${diff.from.version} -> ${diff.to.id} ${diff.to.version}`];
  for (const change of diff.changes)
    lines.push(`  ${change.field}: ${show(change.from)} -> ${show(change.to)}`);
  for (const tier of diff.tiers.added) lines.push(`  + tier ${tier.tier} ${tier.label} (${tier.kind})`);
  for (const tier of diff.tiers.removed) lines.push(`  - tier ${tier.tier} ${tier.label} (${tier.kind})`);
  for (const tier of diff.tiers.changed) {
    for (const change of tier.changes)
      lines.push(`  ~ tier ${tier.tier} ${change.field}: ${show(change.from)} -> ${show(change.to)}`);
  }
  for (const rule of diff.rules.added) lines.push(`  + rule ${rule.id}: ${rule.condition}`);
  for (const rule of diff.rules.removed) lines.push(`  - rule ${rule.id}: ${rule.condition}`);
  for (const rule of diff.rules.changed) {
    for (const change of rule.changes)
      lines.push(`  ~ rule ${rule.id} ${change.field}: ${show(change.from)} -> ${show(change.to)}`);
  }
  if (diff.rules.reordered)
    lines.push("  rules common to both are in a different order (first firing tier rule wins)");
  return lines;
}
