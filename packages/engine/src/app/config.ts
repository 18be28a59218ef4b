import path from "node:path";
import { z } from "zod";
import { NatsConfigSchema, natsConfigFromEnvironment } from "../scale-out/nats-config.ts";

/** Every setting Passage reads, with its default and meaning; validated once at start, then frozen. */
export const ConfigSchema = z.object({
  dataDir: z
    .string()
    .min(1)
    .describe(
      "Data directory: embedded PostgreSQL cluster, audit checkpoints, signing key. Default $PWD/.passage",
    ),
  databaseUrl: z
    .string()
    .url()
    .optional()
    .describe("External PostgreSQL >= 15; replaces the embedded server entirely (secret: masked in logs)"),
  http: z
    .object({
      host: z.string().default("127.0.0.1").describe("Address the HTTP server binds"),
      port: z.number().int().min(0).max(65535).default(8080).describe("HTTP port"),
      loginAttemptsPerMinute: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(20)
        .describe("Password sign-in attempts allowed per client address and minute (slows guessing)"),
    })
    .default({ host: "127.0.0.1", port: 8080, loginAttemptsPerMinute: 20 }),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  database: z
    .object({
      maxConnections: z.number().int().min(2).max(200).default(10).describe("Connection pool size"),
    })
    .default({ maxConnections: 10 }),
  nats: NatsConfigSchema.describe("NATS JetStream scale-out: relay and partition workers"),
});

export type PassageConfig = Readonly<z.infer<typeof ConfigSchema>>;

export interface ConfigSources {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Values given on the command line; they win over the environment. */
  readonly overrides?: {
    readonly dataDir?: string | undefined;
    readonly databaseUrl?: string | undefined;
    readonly httpHost?: string | undefined;
    readonly httpPort?: number | undefined;
    readonly logLevel?: string | undefined;
  };
}

/** Builds the one configuration object from flags, environment and defaults. */
export function loadConfigOrThrow(sources: ConfigSources): PassageConfig {
  const { env, overrides = {} } = sources;
  const dataDir = overrides.dataDir ?? env.PASSAGE_DATA_DIR ?? path.join(sources.cwd, ".passage");
  const candidate = {
    dataDir: path.resolve(sources.cwd, dataDir),
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    http: {
      host: overrides.httpHost ?? env.PASSAGE_HOST ?? "127.0.0.1",
      port: overrides.httpPort ?? (env.PASSAGE_PORT ? Number(env.PASSAGE_PORT) : 8080),
      loginAttemptsPerMinute: env.PASSAGE_LOGIN_ATTEMPTS_PER_MINUTE
        ? Number(env.PASSAGE_LOGIN_ATTEMPTS_PER_MINUTE)
        : 20,
    },
    logLevel: overrides.logLevel ?? env.PASSAGE_LOG_LEVEL ?? "info",
    database: {
      maxConnections: env.PASSAGE_DB_MAX_CONNECTIONS ? Number(env.PASSAGE_DB_MAX_CONNECTIONS) : 10,
    },
    nats: natsConfigFromEnvironment(env),
  };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new Error(`invalid configuration: ${problems}`);
  }
  return deepFreeze(parsed.data);
}

/** The configuration with secrets masked, for logs. */
export function describeConfig(config: PassageConfig): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl ? config.databaseUrl.replace(/:[^:@/]*@/, ":***@") : undefined,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
