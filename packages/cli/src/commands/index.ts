import type { Command } from "commander";
import { registerAuditCommand } from "./audit.ts";

/**
 * Every command of `passage`, one file each under commands/. A command file exports
 * `register<Name>Command(program)` and is listed here.
 */
export function registerCommands(program: Command): void {
  void program;
  registerAuditCommand(program);
}
