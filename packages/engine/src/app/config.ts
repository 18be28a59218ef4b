import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLifecycleRules, type LifecycleRules, LifecycleRulesSchema } from "@passage/core";
import { z } from "zod";
import { NatsConfigSchema, natsConfigFromEnvironment } from "../scale-out/nats-config.ts";
import { ConfigErrors } from "./config-errors.ts";

/** The file in the data directory that changes lifecycle rules, read by every process on that directory. */
export const LIFECYCLE_RULES_FILE = "lifecycle-rules.json";

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
  lifecycleRules: LifecycleRulesSchema.strict().describe(
    `The lifecycle's rules that DOMAIN.md marks [verify] or that are policy: ${LIFECYCLE_RULES_FILE} in the data directory (a JSON object of the rules to change; docs/lifecycle-semantics.md names each), defaults otherwise`,
  ),
});

export type PassageConfig = Readonly<z.infer<typeof ConfigSchema>>;

export interface ConfigSources {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The home directory, which is never a data directory (default: the user's). */
  readonly home?: string | undefined;
  /** Values given on the command line; they win over the environment. */
  readonly overrides?: {
    readonly dataDir?: string | undefined;
    readonly databaseUrl?: string | undefined;
    readonly httpHost?: string | undefined;
    readonly httpPort?: number | undefined;
    readonly logLevel?: string | undefined;
  };
}

/**
 * Where each setting comes from, for error messages: a problem names the flag or variable to fix,
 * not only the setting's path.
 */
const SETTING_SOURCES: Readonly<Record<string, string>> = {
  dataDir: "--data-dir / PASSAGE_DATA_DIR",
  databaseUrl: "DATABASE_URL",
  "http.host": "--host / PASSAGE_HOST",
  "http.port": "--port / PASSAGE_PORT",
  "http.loginAttemptsPerMinute": "PASSAGE_LOGIN_ATTEMPTS_PER_MINUTE",
  logLevel: "PASSAGE_LOG_LEVEL",
  "database.maxConnections": "PASSAGE_DB_MAX_CONNECTIONS",
  "nats.servers": "PASSAGE_NATS_SERVERS",
  "nats.stream": "PASSAGE_NATS_STREAM",
  "nats.replicas": "PASSAGE_NATS_REPLICAS",
  "nats.partitions": "PASSAGE_NATS_PARTITIONS",
  lifecycleRules: `${LIFECYCLE_RULES_FILE} in the data directory`,
};

/**
 * The directory Passage is installed in: the nearest directory above this module (its sources, or
 * the CLI's bundle under node_modules/.cache) whose package.json declares the workspaces.
 */
const INSTALL_DIRECTORY = (() => {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(directory, "package.json"), "utf8"));
      if (manifest && typeof manifest === "object" && "workspaces" in manifest) return directory;
    } catch {
      // no package.json here (or not JSON): look further up
    }
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
})();

/** An environment variable's value, an empty one counting as unset (as a shell's `VAR=` means). */
function fromEnvironment(env: ConfigSources["env"], name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** A number from the environment; a value that is not one stays text, so validation names it. */
function numberFromEnvironment(env: ConfigSources["env"], name: string): number | string | undefined {
  const value = fromEnvironment(env, name);
  if (value === undefined) return undefined;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

/**
 * The data directory, resolved against the working directory. CLI.md: `$PWD/.passage` by default,
 * never the install directory or `$HOME` (nor the filesystem root): the embedded cluster and the
 * signing key would be written straight into it.
 */
function dataDirectoryOrThrow(sources: ConfigSources): string {
  const given = sources.overrides?.dataDir;
  if (given !== undefined && given.trim() === "") {
    throw ConfigErrors.invalid.create("--data-dir is empty (give a directory, or leave the option out)");
  }
  const chosen =
    given ?? fromEnvironment(sources.env, "PASSAGE_DATA_DIR") ?? path.join(sources.cwd, ".passage");
  const dataDir = path.resolve(sources.cwd, chosen);
  const home = sources.home ?? os.homedir();
  if (dataDir === path.parse(dataDir).root)
    throw ConfigErrors.dataDirRefused.create(dataDir, "it is the filesystem root");
  if (home !== "" && dataDir === path.resolve(home))
    throw ConfigErrors.dataDirRefused.create(dataDir, "it is the home directory");
  if (dataDir === INSTALL_DIRECTORY)
    throw ConfigErrors.dataDirRefused.create(dataDir, "it is the directory Passage is installed in");
  const existing = nearestExistingPath(dataDir);
  if (existing === dataDir && !isDirectory(existing))
    throw ConfigErrors.dataDirRefused.create(dataDir, "it exists and is not a directory");
  if (existing !== dataDir && !isDirectory(existing))
    throw ConfigErrors.dataDirUnusable.create(dataDir, `${existing} is a file, not a directory`);
  return dataDir;
}

/**
 * Creates the data directory if it is missing and checks that Passage may write in it, before
 * anything is written there (the embedded cluster, the signing key): a directory that cannot be
 * created or written is refused with PASSAGE_ERR_DATA_DIR_UNUSABLE naming it and the reason
 * (permissions, a read-only or immutable directory, a file in its path), not a raw errno.
 */
export function prepareDataDirectoryOrThrow(dataDir: string): void {
  const existing = nearestExistingPath(dataDir);
  if (!isDirectory(existing)) {
    throw ConfigErrors.dataDirUnusable.create(
      dataDir,
      existing === dataDir ? "it exists and is not a directory" : `${existing} is a file, not a directory`,
    );
  }
  // The nearest existing directory is checked before anything is created under it.
  for (const directory of existing === dataDir ? [dataDir] : [existing, dataDir]) {
    try {
      if (directory !== existing) makeDirectories(existing, directory);
      fs.accessSync(directory, fs.constants.W_OK | fs.constants.X_OK);
    } catch (error) {
      throw dataDirectoryError(dataDir, directory, error);
    }
  }
}

/**
 * Creates `directory` and its missing parents below `existing`, one level at a time. Not
 * `mkdirSync(..., {recursive: true})`: under a pseudo-filesystem (`/proc/x`, where mkdir answers
 * ENOENT though the parent exists) Node 20's recursive mkdir retries for ever.
 */
function makeDirectories(existing: string, directory: string): void {
  let current = existing;
  for (const part of path.relative(existing, directory).split(path.sep)) {
    current = path.join(current, part);
    fs.mkdirSync(current);
  }
}

/** PASSAGE_ERR_DATA_DIR_UNUSABLE for a file-system error met on `directory` (the data directory or a parent). */
export function dataDirectoryError(dataDir: string, directory: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = directory === dataDir ? "it" : directory;
  const reasons: Record<string, string> = {
    EACCES: `permission denied: the user running Passage may not write in ${directory}`,
    EPERM: `operation not permitted in ${directory} (an immutable or protected directory)`,
    EROFS: `${where} is on a read-only file system`,
    ENOTDIR: `a part of the path of ${directory} is a file, not a directory`,
    ENOSPC: `no space left on the device of ${directory}`,
    EDQUOT: `the disk quota of ${directory} is exhausted`,
    ENOENT: `${directory} cannot be created there`,
  };
  const reason =
    (code === undefined ? undefined : reasons[code]) ??
    `${directory}: ${error instanceof Error ? error.message : String(error)}`;
  return ConfigErrors.dataDirUnusable.create(dataDir, reason);
}

/** `file`, or its nearest ancestor that exists (a file in the path stops the walk there). */
function nearestExistingPath(file: string): string {
  let current = file;
  for (;;) {
    try {
      fs.statSync(current);
      return current;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return current;
    }
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    // Not readable (a permission problem): prepareDataDirectoryOrThrow names what it meets.
    return true;
  }
}

/**
 * The lifecycle rules the data directory's rules file changes ({} when there is none), as written:
 * the schema checks them with the rest. Unreadable or not a JSON object: refused, naming the file.
 */
function lifecycleRulesOrThrow(dataDir: string): unknown {
  const file = path.join(dataDir, LIFECYCLE_RULES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw ConfigErrors.invalid.create(`${file}: cannot be read (${(error as Error).message})`);
  }
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch (error) {
    throw ConfigErrors.invalid.create(`${file}: not JSON (${(error as Error).message})`);
  }
  if (rules === null || typeof rules !== "object" || Array.isArray(rules)) {
    throw ConfigErrors.invalid.create(`${file}: must be a JSON object of lifecycle rules`);
  }
  return rules;
}

/**
 * The lifecycle rules the data directory's rules file gives now (the defaults without one),
 * checked as at start: what a running process reads again when the database's statuses were
 * rebuilt under other rules (`LifecycleRulesInForce`), so that it can switch to them.
 */
export function readLifecycleRulesFileOrThrow(dataDir: string): LifecycleRules {
  const parsed = ConfigSchema.shape.lifecycleRules.safeParse(lifecycleRulesOrThrow(dataDir));
  if (!parsed.success) {
    const file = path.join(dataDir, LIFECYCLE_RULES_FILE);
    throw ConfigErrors.invalid.create(
      parsed.error.issues
        .map(
          (issue) =>
            `lifecycleRules${issue.path.map((part) => `.${String(part)}`).join("")} (${file}): ${issue.message}`,
        )
        .join("; "),
    );
  }
  return createLifecycleRules(parsed.data);
}

/** Builds the one configuration object from flags, environment and defaults. */
export function loadConfigOrThrow(sources: ConfigSources): PassageConfig {
  const { env, overrides = {} } = sources;
  const dataDir = dataDirectoryOrThrow(sources);
  const candidate = {
    dataDir,
    databaseUrl: overrides.databaseUrl ?? fromEnvironment(env, "DATABASE_URL"),
    http: {
      host: overrides.httpHost ?? fromEnvironment(env, "PASSAGE_HOST") ?? "127.0.0.1",
      port: overrides.httpPort ?? numberFromEnvironment(env, "PASSAGE_PORT") ?? 8080,
      loginAttemptsPerMinute: numberFromEnvironment(env, "PASSAGE_LOGIN_ATTEMPTS_PER_MINUTE") ?? 20,
    },
    logLevel: overrides.logLevel ?? fromEnvironment(env, "PASSAGE_LOG_LEVEL") ?? "info",
    database: {
      maxConnections: numberFromEnvironment(env, "PASSAGE_DB_MAX_CONNECTIONS") ?? 10,
    },
    nats: natsConfigFromEnvironment(env),
    lifecycleRules: lifecycleRulesOrThrow(dataDir),
  };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => {
        const setting = issue.path.join(".");
        const source =
          SETTING_SOURCES[setting] ??
          SETTING_SOURCES[issue.path.slice(0, 2).join(".")] ??
          SETTING_SOURCES[String(issue.path[0])];
        return `${setting}${source ? ` (${source})` : ""}: ${issue.message}`;
      })
      .join("; ");
    throw ConfigErrors.invalid.create(problems);
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
