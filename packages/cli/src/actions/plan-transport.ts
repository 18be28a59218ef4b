import type { ShownTransportPlan } from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import { commandAccess } from "./policy.ts";

/**
 * `passage plan-transport --from --to [--office]`: plans the horizon and stores the draft plan. Its
 * office is `--office`, else the `--as` user's; the local operator works in no office, so its plan
 * is recorded under the offices its cases are assigned to (as over HTTP for a user without one).
 */
export async function planTransport(
  options: { from?: string; to?: string; office?: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  if (options.from === undefined || options.to === undefined) {
    throw CliErrors.usage.create(
      "plan-transport needs --from DATE and --to DATE (or a subcommand: freeze, list, show)",
    );
  }
  const plan = await context.withCurrentApp(async (app) => {
    return app.transport.createPlan(await commandAccess(app, context), {
      from: options.from!,
      to: options.to!,
      office: options.office,
    });
  });
  printPlan(context, plan);
}

/** `passage plan-transport freeze PLAN`: re-checks the manifests, strikes, freezes. */
export async function freezeTransportPlan(planId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const report = await context.withCurrentApp(async (app) => {
    return app.transport.freeze(await commandAccess(app, context), planId);
  });
  if (context.output.json) return context.output.document(report);
  context.output.line(
    `plan ${planId} frozen; checked at ${report.checkedAt}; struck ${report.struck.length}${report.struckWithheld > 0 ? ` (and ${report.struckWithheld} not shown: persons whose status you may not read)` : ""}`,
  );
  for (const strike of report.struck)
    context.output.line(
      `  struck ${strike.personId} from ${strike.flightId}: ${strike.reason}${strike.detail ? `: ${strike.detail}` : ""}`,
    );
}

/** `passage plan-transport list [--office]`: every stored plan (of one office), newest first (current: the outbox caught up first). */
export async function listTransportPlans(command: Command, office?: string): Promise<void> {
  const context = createCommandContext(command);
  const plans = await context.withCurrentApp(async (app) => {
    return app.transport.listPlans(await commandAccess(app, context), office);
  });
  if (context.output.json) return context.output.document(plans);
  for (const plan of plans) {
    context.output.line(
      `${plan.planId}  ${plan.status}  ${plan.horizon.from}..${plan.horizon.to}  office ${plan.office}  by ${plan.createdBy}${plan.checkedAt ? `  checked ${plan.checkedAt}` : ""}`,
    );
  }
}

/**
 * `passage plan-transport show PLAN`: one plan with manifests, strikes and left-out cases. The outbox
 * is caught up first, so a frozen plan's strikes are current (a stay, a claim or a flight correction
 * recorded since strikes its persons). A draft is not re-checked until it is frozen: it still shows
 * seated whom it planned, each with the strike its freeze would make now (`strikeAtFreeze`).
 */
export async function showTransportPlan(planId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const plan = await context.withCurrentApp(async (app) => {
    return app.transport.showPlan(await commandAccess(app, context), planId);
  });
  printPlan(context, plan);
}

function printPlan(context: CommandContext, plan: ShownTransportPlan): void {
  if (context.output.json) {
    context.output.document(plan);
    return;
  }
  const cost = plan.cost as { total: number; flights: number; detention: number; carryOver: number };
  const held = plan.heldCost;
  const solver = plan.solver as { status: string; gap: number; runtimeMilliseconds: number };
  context.output.line(
    `plan ${plan.planId} (${plan.status}) ${plan.horizon.from}..${plan.horizon.to}, office ${plan.office}: ${plan.manifests.length} flights, planned cost ${Math.round(cost.total)} (flights ${Math.round(cost.flights)}, detention ${Math.round(cost.detention)}, carry-over ${Math.round(cost.carryOver)}), seats still held cost ${Math.round(held.total)} (flights ${Math.round(held.flights)}, detention ${Math.round(held.detention)}); solver ${solver.status}, gap ${solver.gap}, ${Math.round(solver.runtimeMilliseconds)} ms`,
  );
  if (plan.status === "draft") {
    const struckAtFreeze = plan.manifests.flatMap((manifest) =>
      manifest.passengers.filter((passenger) => passenger.strikeAtFreeze !== null),
    ).length;
    context.output.line(
      `  draft: re-checked when frozen; ${struckAtFreeze} of the passengers shown would be struck now`,
    );
  }
  for (const manifest of plan.manifests) {
    const active = manifest.passengers.filter((passenger) => passenger.strike === null).length;
    context.output.line(
      `  ${manifest.flightId} ${manifest.date} ${manifest.originHub} -> ${manifest.destinationCountry}: ${active}/${manifest.capacity} seats${manifest.passengersWithheld > 0 ? ` (and ${manifest.passengersWithheld} passengers not shown)` : ""}`,
    );
    for (const passenger of manifest.passengers) {
      if (passenger.strike)
        context.output.line(
          `    struck ${passenger.personId}: ${passenger.strike.reason} (${passenger.strike.struckAt})${passenger.strike.detail ? `: ${passenger.strike.detail}` : ""}`,
        );
      else if (passenger.strikeAtFreeze)
        context.output.line(
          `    would be struck at freeze ${passenger.personId}: ${passenger.strikeAtFreeze.reason}${passenger.strikeAtFreeze.detail ? `: ${passenger.strikeAtFreeze.detail}` : ""}`,
        );
    }
  }
  const reasons = new Map<string, number>();
  for (const left of plan.leftOut)
    reasons.set(`${left.kind} ${left.reason}`, (reasons.get(`${left.kind} ${left.reason}`) ?? 0) + 1);
  for (const [reason, count] of reasons) context.output.line(`  ${reason}: ${count}`);
  if (plan.leftOutWithheld > 0) context.output.line(`  left out, not shown: ${plan.leftOutWithheld}`);
  if (plan.leftOutWithheld > 0 || plan.manifests.some((manifest) => manifest.passengersWithheld > 0))
    context.output.line("  (not shown: persons whose status you may not read)");
}
