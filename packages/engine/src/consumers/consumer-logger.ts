/** The few log calls consumers make; a pino logger fits it, and tests may pass a silent one. */
export interface ConsumerLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default: a library stays quiet unless given one). */
export const SILENT_LOGGER: ConsumerLogger = { info: () => undefined, warn: () => undefined };

/** Log levels from the most to the least severe, as PASSAGE_LOG_LEVEL names them (pino's). */
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

/**
 * One line per message on stderr (`warn relay: message {"details":1}`), for long-running commands.
 * Messages less severe than `level` (the configured PASSAGE_LOG_LEVEL; `silent` drops all) are dropped.
 */
export function createStderrLogger(
  prefix: string,
  level = "info",
  stream: NodeJS.WritableStream = process.stderr,
): ConsumerLogger {
  const shown = (wanted: "info" | "warn") =>
    level !== "silent" && LEVELS.indexOf(wanted) <= LEVELS.indexOf(level as (typeof LEVELS)[number]);
  const write = (wanted: "info" | "warn", details: Record<string, unknown>, message: string) => {
    if (shown(wanted)) stream.write(`${wanted} ${prefix}: ${message} ${JSON.stringify(details)}\n`);
  };
  return {
    info: (details, message) => write("info", details, message),
    warn: (details, message) => write("warn", details, message),
  };
}
