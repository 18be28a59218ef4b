import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands/index.ts";
import { UsageProblem } from "./usage-problem.ts";

/** Builds the `passage` program: global options of CLI.md, then every command. */
export function buildProgram(): Command {
  const program = new Command("passage")
    .description("Passage: auditable immigration case lifecycle platform")
    .option("--json", "print exactly one JSON document on stdout")
    .option("--data-dir <dir>", "data directory (default $PASSAGE_DATA_DIR or ./.passage)")
    .option("--purpose <text>", "purpose of use recorded in the audit log", "cli")
    .option("--as <user>", "act as this user instead of the local operator")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  registerCommands(program);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeErr: () => undefined });
  return program;
}

/** Prints the one-line error of CLI.md and returns the exit status. */
export async function reportError(error: unknown): Promise<number> {
  if (
    error instanceof CommanderError &&
    (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0)
  )
    return 0;
  // The error registry (and the schemas of @passage/core with it) loads only to report an error.
  const [{ exitCodeOf, isPassageError }, { CliErrors }] = await Promise.all([
    import("@passage/core"),
    import("./cli-errors.ts"),
  ]);
  if (error instanceof CommanderError || error instanceof UsageProblem) {
    // Commander shows help in place of a missing subcommand (its message is "(outputHelp)").
    const message =
      error instanceof CommanderError && error.code === "commander.help"
        ? 'a command is required here: "passage --help" lists them, "passage COMMAND --help" their subcommands'
        : error instanceof CommanderError
          ? error.message.replace(/^error: /, "")
          : error.message;
    const usage = CliErrors.usage.create(message);
    process.stderr.write(`error ${usage.code}: ${oneLine(usage.message)}\n`);
    return exitCodeOf(usage.kind);
  }
  if (isPassageError(error)) {
    process.stderr.write(`error ${error.code}: ${oneLine(error.message)}\n`);
    return exitCodeOf(error.kind);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error PASSAGE_ERR_INTERNAL: ${message.split("\n")[0]}\n`);
  if (process.env.PASSAGE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}

/**
 * CLI.md promises a one-line `error CODE: message`; some messages span lines (commander's "Did you
 * mean" hint, a policy file's list of problems), so their lines are joined.
 */
function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join(" ");
}

/**
 * `passage worklist --json | head` closes stdout before the command has written everything. Like
 * any Unix filter's input, the command then ends quietly: what no one reads is dropped (no EPIPE
 * stack trace), the command still closes its database cleanly, and its exit status is its own.
 */
function dropOutputOnceClosed(stream: NodeJS.WritableStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
    throw error;
  });
}

dropOutputOnceClosed(process.stdout);
dropOutputOnceClosed(process.stderr);
try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = await reportError(error);
}
