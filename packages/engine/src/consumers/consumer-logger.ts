/** The few log calls consumers make; a pino logger fits it, and tests may pass a silent one. */
export interface ConsumerLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default: a library stays quiet unless given one). */
export const SILENT_LOGGER: ConsumerLogger = { info: () => undefined, warn: () => undefined };

/** One line per message on stderr (`warn relay: message {"details":1}`), for long-running commands. */
export function createStderrLogger(
  prefix: string,
  stream: NodeJS.WritableStream = process.stderr,
): ConsumerLogger {
  const write = (level: string, details: Record<string, unknown>, message: string) =>
    stream.write(`${level} ${prefix}: ${message} ${JSON.stringify(details)}\n`);
  return {
    info: (details, message) => write("info", details, message),
    warn: (details, message) => write("warn", details, message),
  };
}
