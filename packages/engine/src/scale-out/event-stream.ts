import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { isPassageError } from "@passage/core";
import type { ConsumerLogger } from "../consumers/consumer-logger.ts";
import type { NatsConfig } from "./nats-config.ts";
import { ScaleOutErrors } from "./scale-out-errors.ts";

/** Subjects of the outbox stream: `passage.events.<partition>`. */
export const EVENT_SUBJECT_PREFIX = "passage.events";

/** Subjects of streamed source rows: `passage.feed.<feed>` (the ingest row API consumes them). */
export const FEED_SUBJECT_PREFIX = "passage.feed";

/** How long JetStream remembers a message id, so a relay that republishes after a crash adds nothing. */
const DUPLICATE_WINDOW_MS = 10 * 60_000; // 10 minutes
/** How long the stream keeps signals: workers read events from the outbox, so a week is plenty. */
const MAX_AGE_MS = 7 * 24 * 3_600_000;
const NANOSECONDS_PER_MILLISECOND = 1_000_000;

/** The subject a partition's signals are published on. */
export function eventSubjectOf(partitionIndex: number): string {
  return `${EVENT_SUBJECT_PREFIX}.${partitionIndex}`;
}

/**
 * What a NATS message says: "the outbox holds events up to `position`" for one partition. It
 * carries no payload: the outbox stays the source of truth (a worker reads the events from it),
 * and no person's record travels over the bus.
 */
export interface OutboxSignal {
  readonly position: string;
  readonly type: string;
  /** The partition count the relay used, so a worker of another layout can tell. */
  readonly partitions: number;
}

export function encodeSignal(signal: OutboxSignal): string {
  return JSON.stringify(signal);
}

/** Reads a signal; undefined for a message that is not one (logged and acknowledged by the worker). */
export function decodeSignal(text: string): OutboxSignal | undefined {
  try {
    const value = JSON.parse(text) as Partial<OutboxSignal>;
    if (typeof value.position !== "string" || !/^[1-9]\d{0,18}$/.test(value.position)) return undefined;
    if (typeof value.partitions !== "number" || typeof value.type !== "string") return undefined;
    return { position: value.position, type: value.type, partitions: value.partitions };
  } catch {
    return undefined;
  }
}

/**
 * Connects to any server of the list and keeps reconnecting for as long as the process runs
 * (a node going down moves the connection to another node).
 */
export async function connectToNats(config: NatsConfig, name: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: [...config.servers],
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 5_000,
      timeout: 5_000,
    });
  } catch (error) {
    throw ScaleOutErrors.natsUnreachable.create(config.servers, (error as Error).message);
  }
}

/** How long one JetStream API request may wait (a meta leader election takes a few seconds). */
const API_TIMEOUT_MS = 10_000;
/** How long start-up keeps retrying while JetStream has no leader (an election takes seconds). */
export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

/**
 * Marks every stream Passage creates (its description starts with it): Passage changes only
 * streams that carry it (or an unmarked one of its own subjects, made by an older version), never
 * another application's.
 */
export const PASSAGE_STREAM_MARK = "[passage]";

/** What Passage wants of one of its streams. */
export interface PassageStreamSpec {
  readonly name: string;
  readonly subjects: readonly string[];
  /** Every subject starts with it: an unmarked stream with only such subjects is an older Passage's. */
  readonly subjectPrefix: string;
  readonly purpose: string;
  readonly maxAgeMs: number;
  readonly duplicateWindowMs: number;
}

/** The outbox stream's wanted settings. */
export function eventStreamSpec(config: NatsConfig): PassageStreamSpec {
  return {
    name: config.stream,
    subjects: [`${EVENT_SUBJECT_PREFIX}.>`],
    subjectPrefix: `${EVENT_SUBJECT_PREFIX}.`,
    purpose: "outbox signals",
    maxAgeMs: MAX_AGE_MS,
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
  };
}

/**
 * Creates the outbox stream if it does not exist (file storage, `replicas` copies, message ids
 * remembered for the duplicate window), checks it otherwise (see ensurePassageStreams), and
 * returns its manager.
 */
export function ensureEventStream(connection: NatsConnection, config: NatsConfig): Promise<JetStreamManager> {
  return ensurePassageStreams(connection, config, [eventStreamSpec(config)]);
}

/** JetStream's code for "a stream of that name already exists" (another process just created it). */
const STREAM_NAME_IN_USE = 10058;

function wantedConfig(spec: PassageStreamSpec, config: NatsConfig): Partial<StreamConfig> & { name: string } {
  return {
    name: spec.name,
    description: `${PASSAGE_STREAM_MARK} ${spec.purpose}, managed by Passage`,
    subjects: [...spec.subjects],
    num_replicas: config.replicas,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    duplicate_window: spec.duplicateWindowMs * NANOSECONDS_PER_MILLISECOND,
    max_age: spec.maxAgeMs * NANOSECONDS_PER_MILLISECOND,
  };
}

/** True when Passage made the stream: it carries the mark, or (older versions) only Passage's subjects. */
export function isPassageStream(existing: StreamConfig, spec: PassageStreamSpec): boolean {
  if (existing.description?.startsWith(PASSAGE_STREAM_MARK)) return true;
  const subjects = existing.subjects ?? [];
  return (
    !existing.description && subjects.length > 0 && subjects.every((s) => s.startsWith(spec.subjectPrefix))
  );
}

/** Whether two subjects (with `*` and `>` wildcards) can match one subject. */
export function subjectsCollide(a: string, b: string): boolean {
  const left = a.split(".");
  const right = b.split(".");
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const x = left[index];
    const y = right[index];
    if (x === ">" || y === ">") return x !== undefined && y !== undefined;
    if (x === undefined || y === undefined) return false;
    if (x !== "*" && y !== "*" && x !== y) return false;
  }
  return true;
}

/**
 * The settings of an existing stream that differ from Passage's: `fixable` ones are updated on
 * Passage's own stream; the others (storage, retention: JetStream cannot change them; fewer
 * replicas than configured... or more: never lowered silently) refuse the start.
 */
export function streamDifferences(
  existing: StreamConfig,
  wanted: Partial<StreamConfig>,
): { fixable: string[]; fatal: string[] } {
  const fixable: string[] = [];
  const fatal: string[] = [];
  const describe = (field: string, has: unknown, wants: unknown) =>
    `${field} is ${JSON.stringify(has)}, Passage needs ${JSON.stringify(wants)}`;
  if (existing.storage !== wanted.storage) fatal.push(describe("storage", existing.storage, wanted.storage));
  if (existing.retention !== wanted.retention)
    fatal.push(describe("retention", existing.retention, wanted.retention));
  if (existing.num_replicas !== wanted.num_replicas) {
    const text = `${describe("num_replicas", existing.num_replicas, wanted.num_replicas)} (PASSAGE_NATS_REPLICAS)`;
    // More copies is safe; fewer would lower durability, so it is never done silently.
    if ((existing.num_replicas ?? 1) < (wanted.num_replicas ?? 1)) fixable.push(text);
    else fatal.push(text);
  }
  for (const field of [
    "discard",
    "max_msgs",
    "max_bytes",
    "max_msgs_per_subject",
    "max_msg_size",
    "max_age",
  ] as const) {
    const has = existing[field] ?? (field === "discard" ? DiscardPolicy.Old : -1);
    const wants = wanted[field];
    // 0 means "no limit" as -1 does (max_age 0: kept for ever would be another choice, but limits hold).
    const same = has === wants || (typeof has === "number" && has <= 0 && wants === -1);
    if (!same) fixable.push(describe(field, has, wants));
  }
  if ((existing.duplicate_window ?? 0) < (wanted.duplicate_window ?? 0)) {
    fixable.push(describe("duplicate_window", existing.duplicate_window, wanted.duplicate_window));
  }
  const subjects = [...(existing.subjects ?? [])].sort();
  const wantedSubjects = [...(wanted.subjects ?? [])].sort();
  if (subjects.join(" ") !== wantedSubjects.join(" ")) {
    fixable.push(describe("subjects", subjects, wantedSubjects));
  }
  if (existing.description !== wanted.description && !existing.description?.startsWith(PASSAGE_STREAM_MARK)) {
    fixable.push(`description is unmarked (a stream of an older Passage): marking it ${PASSAGE_STREAM_MARK}`);
  }
  return { fixable, fatal };
}

/** JetStream's code for "replicas > 1 not supported in non-clustered mode": a single server. */
const REPLICAS_NOT_SUPPORTED = 10074;
/** JetStream's code for "JetStream system temporarily unavailable": no meta leader yet. */
const CLUSTER_NOT_AVAILABLE = 10008;

/**
 * A JetStream failure as a Passage error that says what is missing: a configuration that can
 * never work (JetStream not enabled; replicas on a single server) is refused as such, so start-up
 * fails at once; anything else is unavailable (no leader yet: retried during start-up).
 */
export function jetStreamUnavailable(stream: string, config: NatsConfig, error: unknown): Error {
  if (isPassageError(error)) return error;
  if (isJetStreamApiNotEnabled(error)) {
    return ScaleOutErrors.jetStreamNotEnabled.create(config.servers, describeJetStreamError(error));
  }
  if (error instanceof JetStreamApiError && error.code === REPLICAS_NOT_SUPPORTED) {
    return ScaleOutErrors.replicasUnsupported.create(stream, config.replicas, error.message);
  }
  return ScaleOutErrors.streamUnavailable.create(stream, config.replicas, describeJetStreamError(error));
}

/**
 * True when no server answers JetStream's API at all (the client's "jetstream is not enabled",
 * raised on "no responders" to `$JS.API.*`), or JetStream answers that it is not enabled for the
 * account. A cluster without a leader answers neither way: its requests time out (or answer 503).
 */
function isJetStreamApiNotEnabled(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "JetStreamNotEnabled") return false;
  const cause = error.cause;
  if (cause instanceof JetStreamApiError) return true;
  // A publish that no stream takes also ends in "no responders" and the same error: not this case.
  return cause instanceof Error && /no responders/i.test(cause.message) && cause.message.includes("$JS.API");
}

/**
 * A NATS client's error in words, telling apart what the client words alike: a timeout or a 503
 * means no JetStream leader answered; no responder to the JetStream API means JetStream is not
 * enabled; no responder to a publish means no stream takes its subject.
 */
export function describeJetStreamError(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof JetStreamApiError) {
    if (error.code === CLUSTER_NOT_AVAILABLE || error.status === 503) {
      return (
        `${message}: the cluster has no JetStream meta leader (a majority of its JetStream servers down, ` +
        "or an election in progress)"
      );
    }
    return message;
  }
  if (/timeout/i.test(message) || (error as Error)?.name === "TimeoutError") {
    return (
      `no JetStream answer in time (${message}): the cluster has no JetStream ` +
      "meta leader or stream leader (a majority of its JetStream servers down, or an election in progress)"
    );
  }
  if ((error as Error)?.name === "JetStreamNotEnabled") {
    const cause = (error as Error).cause;
    const detail = cause instanceof Error ? cause.message : message;
    if (isJetStreamApiNotEnabled(error)) return `no server answers the JetStream API: ${detail}`;
    return `no JetStream stream takes the subject: ${detail}`;
  }
  return message;
}

/** A failure worth retrying during start-up (no leader yet, connection moving): not a refusal. */
export function isTransientJetStreamError(error: unknown): boolean {
  if (isPassageError(error)) return error.code === ScaleOutErrors.streamUnavailable.code;
  if (error instanceof JetStreamApiError) return false;
  return true;
}

/**
 * Runs a start-up step, retrying transient JetStream failures (no meta leader yet: an election
 * after a node failure takes seconds) for up to `timeoutMs`; a refusal fails at once.
 */
export async function retryWhileJetStreamUnavailable<T>(
  step: () => Promise<T>,
  options: { timeoutMs: number; what: string; logger?: ConsumerLogger | undefined },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 250;
  let warned = false;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isTransientJetStreamError(error) || Date.now() + delay > deadline) throw error;
      if (!warned) {
        warned = true;
        options.logger?.warn(
          { error: (error as Error).message, retryingForMs: deadline - Date.now() },
          `${options.what}: JetStream unavailable; retrying`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

/**
 * Makes each of Passage's streams what Passage needs, checking everything before changing
 * anything: a stream of that name not made by Passage is refused (never modified); an existing
 * Passage stream whose storage or retention differs, or with more replicas than configured, is
 * refused naming each difference (durability is never lowered silently); other differences
 * (limits, discard policy, more replicas, subjects of an older version, the mark) are updated; a
 * missing stream is created, unless another stream already takes one of its subjects, which is
 * named. Returns the manager.
 */
export async function ensurePassageStreams(
  connection: NatsConnection,
  config: NatsConfig,
  specs: readonly PassageStreamSpec[],
  logger?: ConsumerLogger,
): Promise<JetStreamManager> {
  const names = specs.map((spec) => spec.name).join(", ");
  let manager: JetStreamManager;
  const plans: Array<{
    spec: PassageStreamSpec;
    wanted: Partial<StreamConfig> & { name: string };
    existing?: StreamConfig;
  }> = [];
  try {
    manager = await jetstreamManager(connection, { timeout: API_TIMEOUT_MS });
    for (const spec of specs) {
      const wanted = wantedConfig(spec, config);
      try {
        plans.push({ spec, wanted, existing: (await manager.streams.info(spec.name)).config });
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound)
          throw error;
        plans.push({ spec, wanted });
      }
    }
  } catch (error) {
    throw jetStreamUnavailable(names, config, error);
  }
  // Check everything first.
  const updates: Array<{ name: string; wanted: Partial<StreamConfig>; fixable: string[] }> = [];
  const subjectsToClaim: Array<{ stream: string; subjects: readonly string[] }> = [];
  for (const { spec, wanted, existing } of plans) {
    if (!existing) {
      subjectsToClaim.push({ stream: spec.name, subjects: spec.subjects });
      continue;
    }
    if (!isPassageStream(existing, spec)) {
      throw ScaleOutErrors.streamForeign.create(spec.name, existing.description, existing.subjects ?? []);
    }
    const { fixable, fatal } = streamDifferences(existing, wanted);
    if (fatal.length > 0) throw ScaleOutErrors.streamIncompatible.create(spec.name, [...fatal, ...fixable]);
    if (fixable.length > 0) {
      updates.push({ name: spec.name, wanted, fixable });
      const added = spec.subjects.filter((subject) => !(existing.subjects ?? []).includes(subject));
      if (added.length > 0) subjectsToClaim.push({ stream: spec.name, subjects: added });
    }
  }
  try {
    if (subjectsToClaim.length > 0) {
      const own = new Set(specs.map((spec) => spec.name));
      for await (const other of manager.streams.list()) {
        if (own.has(other.config.name)) continue;
        for (const claim of subjectsToClaim) {
          const taken = (other.config.subjects ?? []).filter((theirs) =>
            claim.subjects.some((ours) => subjectsCollide(ours, theirs)),
          );
          if (taken.length > 0) {
            throw ScaleOutErrors.subjectsOverlap.create(
              claim.stream,
              claim.subjects,
              other.config.name,
              taken,
            );
          }
        }
      }
    }
    // Then change.
    for (const update of updates) {
      try {
        await manager.streams.update(update.name, update.wanted);
      } catch (error) {
        throw jetStreamUnavailable(update.name, config, error);
      }
      logger?.warn({ stream: update.name, changed: update.fixable }, "updated Passage's stream settings");
    }
    for (const plan of plans) {
      if (plan.existing) continue;
      try {
        await manager.streams.add(plan.wanted);
        logger?.info({ stream: plan.spec.name }, "created stream");
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NAME_IN_USE)
          throw jetStreamUnavailable(plan.spec.name, config, error);
      }
    }
  } catch (error) {
    if (isPassageError(error)) throw error;
    throw jetStreamUnavailable(names, config, error);
  }
  return manager;
}
