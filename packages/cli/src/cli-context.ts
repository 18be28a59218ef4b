import { randomUUID } from "node:crypto";
import type { AuditedAccess } from "@passage/access";
import { exitCodeOf, isPassageError } from "@passage/core";
// The composition root and the configuration only, not the engine's index: a command loads the
// services createApp builds, never every pipeline the engine exports.
import { loadConfigOrThrow, type PassageConfig } from "@passage/engine/config";
import { type App, createApp } from "@passage/engine/create-app";
import type { Command } from "commander";
import { CliErrors } from "./cli-errors.ts";
import { createOutput, type Output } from "./output.ts";

/** Options every command accepts (CLI.md "Running"). */
export interface GlobalOptions {
  readonly json: boolean;
  readonly dataDir: string | undefined;
  readonly purpose: string;
  readonly as: string | undefined;
}

/** What a command's action gets: its options, output, configuration and the app on demand. */
export interface CommandContext {
  readonly options: GlobalOptions;
  readonly output: Output;
  config(overrides?: { httpHost?: string; httpPort?: number }): PassageConfig;
  /**
   * Opens the app (store, services), runs `work`, and shuts the app down — also on SIGINT or
   * SIGTERM, after which the command fails with PASSAGE_ERR_CLI_INTERRUPTED, unless `signals` is
   * `work` (the work stops on the signal itself). Commands that must never touch the database
   * (synth, link-file) simply do not call it.
   */
  withApp<T>(
    work: (app: App) => Promise<T>,
    overrides?: { httpHost?: string; httpPort?: number },
    signals?: SignalHandling,
  ): Promise<T>;
  /**
   * `withApp` for a command that reads what the projections hold (status, worklist, plans,
   * policies, report): linkage and the projections first catch up with every committed record
   * (CLI.md: reads are current as of the command).
   */
  withCurrentApp<T>(work: (app: App) => Promise<T>): Promise<T>;
  /**
   * The audited access layer for this command: the local operator (or the `--as` user) with the
   * `--purpose` given (default `cli`), one request id for the whole command (CLI.md "Running").
   */
  access(app: App): Promise<AuditedAccess>;
}

/**
 * `interrupt` (the default): SIGINT or SIGTERM ends the command with PASSAGE_ERR_CLI_INTERRUPTED.
 * `work`: the work stops on the signal itself (it listens for it) and finishes cleanly; the app
 * is shut down when the work has returned, not raced against it.
 */
export type SignalHandling = "interrupt" | "work";

export function globalOptionsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals() as Record<string, unknown>;
  return {
    json: Boolean(options.json),
    dataDir: options.dataDir as string | undefined,
    purpose: (options.purpose as string | undefined) ?? "cli",
    as: options.as as string | undefined,
  };
}

export function createCommandContext(command: Command): CommandContext {
  const options = globalOptionsOf(command);
  const output = createOutput(options.json);
  const config = (overrides: { httpHost?: string; httpPort?: number } = {}) =>
    loadConfigOrThrow({
      cwd: process.cwd(),
      env: process.env,
      overrides: {
        dataDir: options.dataDir,
        ...overrides,
        logLevel: process.env.PASSAGE_LOG_LEVEL ?? "warn",
      },
    });
  const context: CommandContext = {
    options,
    output,
    config,
    async access(app) {
      const actor = await app.access.commandLineActor(options.as);
      return app.access.forRequest({ actor, purpose: options.purpose, requestId: randomUUID() });
    },
    async withApp(work, overrides, signals = "interrupt") {
      const app = await createApp(config(overrides));
      let interrupt: ((signal: NodeJS.Signals) => void) | undefined;
      const interrupted = new Promise<never>((_, reject) => {
        interrupt = (signal) => reject(CliErrors.interrupted.create(signal));
      });
      const onSignal = (signal: NodeJS.Signals) => interrupt?.(signal);
      // Work that stops on the signal itself is not raced: the app shuts down once it returns.
      if (signals === "interrupt") {
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
      }
      let failed = false;
      try {
        return await (signals === "interrupt" ? Promise.race([work(app), interrupted]) : work(app));
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        // When the work failed, its error says what went wrong: a shutdown that fails for the same
        // cause (the database lost) must not replace it. When the work succeeded, its result is
        // still printed and the shutdown's failure (the audit log refusing to sign its closing
        // checkpoint over a tampered log) is reported after it, with that failure's exit status.
        await app.shutdown().catch((error: unknown) => {
          if (!failed) reportAfterOutput(error);
        });
      }
    },
    withCurrentApp(work) {
      return context.withApp(async (app) => {
        // Loaded here, not at start-up: `passage --help` and commands without the database skip it.
        const { catchUpProjections } = await import("@passage/engine");
        await catchUpProjections(app);
        return work(app);
      });
    },
  };
  return context;
}

/**
 * Reports a failure that came after the command's work was done (its app's shutdown): the
 * command's output is printed first, as CLI.md describes it (a read must not lose its answer, an
 * ingest its `read=... new=...` line for rows it committed); then, as the process ends, the
 * one-line `error CODE: message` on stderr, and the process exits with that error's status (6 for
 * PASSAGE_ERR_AUDIT_TAMPERED), so that a script still learns that something is wrong.
 */
function reportAfterOutput(error: unknown): void {
  const [code, message, status] = isPassageError(error)
    ? [error.code, error.message, exitCodeOf(error.kind)]
    : ["PASSAGE_ERR_INTERNAL", error instanceof Error ? error.message : String(error), 1];
  process.exitCode = status;
  process.once("beforeExit", () => {
    const line = `${message}; reported after the command's work was done: its work is kept and its output stands`;
    process.stderr.write(`error ${code}: ${line.replace(/\s*\r?\n\s*/g, " ")}\n`);
  });
}
