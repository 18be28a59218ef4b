import type { Command } from "commander";
import { UsageProblem } from "../usage-problem.ts";

/** `--from` and `--to` choose the horizon of a new plan: a subcommand that reads plans refuses them. */
function refuseHorizon(command: Command): void {
  const given = (["from", "to"] as const).filter((name) => command.parent?.opts()[name] !== undefined);
  if (given.length > 0) {
    throw new UsageProblem(
      `${given.map((name) => `--${name}`).join(" and ")} ${given.length === 1 ? "chooses" : "choose"} the horizon of a new plan; "plan-transport ${command.name()}" takes none`,
    );
  }
}

/** `--office` names a new plan's office, or the office whose plans `list` lists: one plan's subcommands refuse it. */
function refuseOffice(command: Command): void {
  if (command.parent?.opts().office !== undefined) {
    throw new UsageProblem(
      `--office names a new plan's office or the office whose plans "plan-transport list" lists; "plan-transport ${command.name()}" takes none`,
    );
  }
}

/**
 * `passage plan-transport --from DATE --to DATE [--office OFFICE] [--json]` (issue 5): plans the
 * horizon's flights for the ready cases (final order, gate-clear, in custody, travel document for
 * the destination) and stores a draft plan, as `POST /api/v1/transport-plans` does; `passage plan-transport freeze PLAN_ID` re-checks every manifest entry
 * against fresh statuses and strikes who no longer qualifies; `list` and `show PLAN_ID` read plans.
 */
export function registerPlanTransportCommand(program: Command): void {
  const planTransport = program
    .command("plan-transport")
    .description(
      "plan removal transport for a horizon and store the draft plan (subcommands: freeze, list, show)",
    )
    .option("--from <date>", "first flight date of the horizon (YYYY-MM-DD)")
    .option("--to <date>", "last flight date of the horizon (YYYY-MM-DD)")
    .option(
      "--office <office>",
      "the office the plan belongs to (default: the --as user's; without one, the offices its cases are assigned to)",
    )
    .action(async (options: { from?: string; to?: string; office?: string }, command: Command) => {
      const { planTransport } = await import("../actions/plan-transport.ts");
      await planTransport(options, command);
    });

  planTransport
    .command("freeze")
    .description(
      "re-check every manifest entry against fresh statuses, strike who no longer qualifies, freeze",
    )
    .argument("<plan-id>", "the plan to freeze")
    .action(async (planId: string, _options: unknown, command: Command) => {
      refuseHorizon(command);
      refuseOffice(command);
      const { freezeTransportPlan } = await import("../actions/plan-transport.ts");
      await freezeTransportPlan(planId, command);
    });

  planTransport
    .command("list")
    .description("every stored plan (of --office OFFICE if given), newest first")
    .action(async (_options: unknown, command: Command) => {
      refuseHorizon(command);
      const { listTransportPlans } = await import("../actions/plan-transport.ts");
      await listTransportPlans(command, command.parent?.opts().office);
    });

  planTransport
    .command("show")
    .description("one plan with its manifests, strikes and left-out cases")
    .argument("<plan-id>")
    .action(async (planId: string, _options: unknown, command: Command) => {
      refuseHorizon(command);
      refuseOffice(command);
      const { showTransportPlan } = await import("../actions/plan-transport.ts");
      await showTransportPlan(planId, command);
    });
}
