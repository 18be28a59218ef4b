import type { Command } from "commander";

/**
 * `passage policy check | diff | dry-run | activate | list` (issue 5): published priority
 * policies as versioned YAML files. `check` and `diff` never touch the database.
 */
export function registerPolicyCommand(program: Command): void {
  const policy = program
    .command("policy")
    .description("priority policies: check, diff, dry-run, activate, list");

  policy
    .command("check")
    .description(
      "validate a policy file: its summary, or one coded line listing every problem (file:line, rule, field), exit non-zero",
    )
    .argument("<file>", "a policy YAML file")
    .action(async (file: string, _options: unknown, command: Command) => {
      const { checkPolicyFile } = await import("../actions/policy.ts");
      await checkPolicyFile(file, command);
    });

  policy
    .command("diff")
    .description(
      "what changed from policy file A to policy file B: dates, tiers, rules added, removed, changed",
    )
    .argument("<a>", "the policy file before")
    .argument("<b>", "the policy file after")
    .action(async (a: string, b: string, _options: unknown, command: Command) => {
      const { diffPolicyFiles } = await import("../actions/policy.ts");
      await diffPolicyFiles(a, b, command);
    });

  policy
    .command("dry-run")
    .description(
      "how many actionable cases would change tier under FILE against the active policy, and which (applies nothing)",
    )
    .argument("<file>", "a policy YAML file")
    .action(async (file: string, _options: unknown, command: Command) => {
      const { dryRunPolicyFile } = await import("../actions/policy.ts");
      await dryRunPolicyFile(file, command);
    });

  policy
    .command("activate")
    .description("store a policy file and make it the active policy; the worklist is re-evaluated (audited)")
    .argument("<file>", "a policy YAML file")
    .option(
      "--reason <text>",
      "why it is activated (required; recorded, and published in the oversight report: name no person or case)",
    )
    .option(
      "--outside-effective-dates",
      "activate a policy whose effective dates do not cover today (e.g. to compare a past one); recorded in the audit log",
    )
    .action(
      async (
        file: string,
        options: { reason?: string; outsideEffectiveDates?: boolean },
        command: Command,
      ) => {
        const { activatePolicyFile } = await import("../actions/policy.ts");
        await activatePolicyFile(file, options, command);
      },
    );

  policy
    .command("list")
    .description("every stored policy version (the active one marked) and the activation history")
    .action(async (_options: unknown, command: Command) => {
      const { listPolicyVersions } = await import("../actions/policy.ts");
      await listPolicyVersions(command);
    });
}
