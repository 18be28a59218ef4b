/** The few log calls consumers make; a pino logger fits it, and tests may pass a silent one. */
export interface ConsumerLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default: a library stays quiet unless given one). */
export const SILENT_LOGGER: ConsumerLogger = { info: () => undefined, warn: () => undefined };
