import type { Command } from "commander";
import { registerAuditCommand } from "./audit.ts";
import { registerDeparturesCommand } from "./departures.ts";
import { registerIngestCommand } from "./ingest.ts";
import { registerLinkCommand } from "./link.ts";
import { registerLinkFileCommand } from "./link-file.ts";
import { registerPlanTransportCommand } from "./plan-transport.ts";
import { registerPolicyCommand } from "./policy.ts";
import { registerRebuildCommand } from "./rebuild.ts";
import { registerRedressCommand } from "./redress.ts";
import { registerRelayCommand } from "./relay.ts";
import { registerReportCommand } from "./report.ts";
import { registerReviewCommand } from "./review.ts";
import { registerServeCommand } from "./serve.ts";
import { registerSimulateCommand } from "./simulate.ts";
import { registerStartCommand } from "./start.ts";
import { registerStatusCommand } from "./status.ts";
import { registerSynthCommand } from "./synth.ts";
import { registerUsersCommand } from "./users.ts";
import { registerWorkerCommand } from "./worker.ts";
import { registerWorklistCommand } from "./worklist.ts";

/**
 * Every command of `passage`, one file each under commands/. A command file exports
 * `register<Name>Command(program)` and is listed here. It only declares the command (names,
 * arguments, options, descriptions: what --help shows); its action imports the work from
 * actions/<name>.ts when it runs, so each command loads only what it uses.
 */
export function registerCommands(program: Command): void {
  void program;
  registerIngestCommand(program);
  registerLinkCommand(program);
  registerLinkFileCommand(program);
  registerAuditCommand(program);
  registerUsersCommand(program);
  registerRelayCommand(program);
  registerWorkerCommand(program);
  registerSynthCommand(program);
  registerPolicyCommand(program);
  registerWorklistCommand(program);
  registerPlanTransportCommand(program);
  registerServeCommand(program);
  registerRedressCommand(program);
  registerReportCommand(program);
  registerDeparturesCommand(program);
  registerReviewCommand(program);
  registerStatusCommand(program);
  registerRebuildCommand(program);
  registerSimulateCommand(program);
  registerStartCommand(program);
}
