import { hash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { LIFECYCLE_DERIVATION_VERSION, type LifecycleRules } from "@passage/core";
import {
  findOrRecordLifecycleRules,
  findRecordedLifecycleRules,
  findRecordedLifecycleRulesContent,
  type RecordedLifecycleRules,
  recordRebuiltLifecycleRules,
  type SqlExecutor,
} from "@passage/store";
import { LifecycleProjectionErrors } from "./lifecycle-errors.ts";

/** The few log calls a switch of rules makes (a ConsumerLogger fits it). */
export interface LifecycleRulesLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * The lifecycle rules a process derives statuses with, kept equal to the rules the database's
 * statuses were derived with (`lifecycle_rules_in_force`, set by `passage rebuild`). Rules are read
 * from the data directory's file at start; a process that kept them for its lifetime undid a
 * later `passage rebuild` under edited rules person by person (README, "Upgrading"). So every
 * derivation compares its rules with the recorded ones: on a difference it reads the file again
 * and switches when the file now holds the recorded rules, and otherwise refuses
 * (PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE) rather than derive under other rules. The digest
 * covers the derivation's version too (`LIFECYCLE_DERIVATION_VERSION`), so statuses derived by an
 * earlier Passage are not in force either: `derivationOutdated` tells that case apart.
 */
export interface LifecycleRulesInForce {
  /** The rules this process derives with now: those it started with, or the recorded ones it switched to. */
  readonly rules: LifecycleRules;
  /** Their digest, the one every `input_digest` includes. */
  readonly digest: string;
  /**
   * In a transaction that writes statuses, after it has read `person_status` (its lock orders it
   * with a rebuild's swap): the rules to write with, recording them when none are recorded yet.
   * One small read when the rules agree.
   */
  rulesForWritingOrThrow(executor: SqlExecutor): Promise<LifecycleRules>;
  /** For a status derived on the fly (`passage status`, the HTTP status route): the rules in force, never recorded here. */
  rulesForReadingOrThrow(executor: SqlExecutor): Promise<LifecycleRules>;
  /** The rules a rebuild derives with: the rules file as it is now (a rebuild puts it in force). */
  rulesToRebuildWith(): LifecycleRules;
  /**
   * Whether the stored statuses were derived by another version of the derivation under the rules
   * the file holds now: an upgrade of Passage, which a rebuild brings up to date without putting
   * any other rule in force (not an edit of the rules, which is the operator's to put in force).
   */
  derivationOutdated(executor: SqlExecutor): Promise<boolean>;
  /** Records `rules` as the rules in force, in the transaction that swaps a rebuild in; `adopt` after it commits. */
  recordRebuilt(executor: SqlExecutor, rules: LifecycleRules): Promise<void>;
  /** Makes `rules` this process's rules (after its rebuild committed them). */
  adopt(rules: LifecycleRules): void;
}

const digests = new WeakMap<LifecycleRules, string>();

/**
 * The rules and the derivation's version as a digest (once per rules object): a status derived
 * under other rules, or by another version of the derivation, is not current.
 */
export function lifecycleRulesDigestOf(rules: LifecycleRules): string {
  let digest = digests.get(rules);
  if (digest === undefined) {
    digest = hash("sha256", `${LIFECYCLE_DERIVATION_VERSION}|${JSON.stringify(rules)}`, "base64url");
    digests.set(rules, digest);
  }
  return digest;
}

export function createLifecycleRulesInForce(options: {
  readonly rules: LifecycleRules;
  /** Reads the rules file again; absent, the rules given are the only ones this process has. */
  readonly reread?: (() => LifecycleRules) | undefined;
  /** The rules file, for messages (default: "this process's lifecycle rules"). */
  readonly source?: string | undefined;
  readonly logger?: LifecycleRulesLogger | undefined;
}): LifecycleRulesInForce {
  let rules = options.rules;
  const source = options.source ?? "this process's lifecycle rules";

  /** The rules to derive with when `recorded` are in force: ours, or the file's if it now holds them. */
  async function rulesInForceOrThrow(
    executor: SqlExecutor,
    recorded: RecordedLifecycleRules,
    purpose: "write" | "read",
  ): Promise<LifecycleRules> {
    const ours = lifecycleRulesDigestOf(rules);
    if (recorded.digest === ours) return rules;
    const fromFile = options.reread ? options.reread() : rules;
    const fileDigest = lifecycleRulesDigestOf(fromFile);
    if (fileDigest === recorded.digest) {
      options.logger?.warn(
        { from: ours, to: recorded.digest, recordedBy: recorded.recordedBy, recordedAt: recorded.recordedAt },
        `the database's statuses were derived with other lifecycle rules (by ${recordedByText(recorded)}); ${source} holds them now, so this process derives with them from here on`,
      );
      rules = fromFile;
      return rules;
    }
    throw LifecycleProjectionErrors.rulesNotInForce.create({
      purpose,
      cause: (await recordedRulesAre(executor, fromFile)) ? "derivation" : "rules",
      derivationVersion: LIFECYCLE_DERIVATION_VERSION,
      source,
      processDigest: ours,
      fileDigest,
      recordedDigest: recorded.digest,
      recordedBy: recordedByText(recorded),
    });
  }

  return {
    get rules() {
      return rules;
    },
    get digest() {
      return lifecycleRulesDigestOf(rules);
    },
    async rulesForWritingOrThrow(executor) {
      const recorded = await findOrRecordLifecycleRules(executor, lifecycleRulesDigestOf(rules), rules);
      return rulesInForceOrThrow(executor, recorded, "write");
    },
    async rulesForReadingOrThrow(executor) {
      const recorded = await findRecordedLifecycleRules(executor);
      return recorded ? rulesInForceOrThrow(executor, recorded, "read") : rules;
    },
    async derivationOutdated(executor) {
      const recorded = await findRecordedLifecycleRules(executor);
      if (!recorded) return false;
      const fromFile = options.reread ? options.reread() : rules;
      return (
        recorded.digest !== lifecycleRulesDigestOf(fromFile) && (await recordedRulesAre(executor, fromFile))
      );
    },
    rulesToRebuildWith() {
      return options.reread ? options.reread() : rules;
    },
    recordRebuilt(executor, rebuilt) {
      return recordRebuiltLifecycleRules(executor, lifecycleRulesDigestOf(rebuilt), rebuilt);
    },
    adopt(rebuilt) {
      rules = rebuilt;
    },
  };
}

/** Whether the rules recorded in force are `rules` (as JSON: the column keeps no key order). */
async function recordedRulesAre(executor: SqlExecutor, rules: LifecycleRules): Promise<boolean> {
  const recorded = await findRecordedLifecycleRulesContent(executor);
  return recorded !== undefined && isDeepStrictEqual(recorded, JSON.parse(JSON.stringify(rules)));
}

function recordedByText(recorded: RecordedLifecycleRules): string {
  return `${recorded.recordedBy === "rebuild" ? "passage rebuild" : "the first derivation"} at ${recorded.recordedAt}`;
}
