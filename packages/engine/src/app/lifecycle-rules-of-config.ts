import path from "node:path";
import { createLifecycleRules } from "@passage/core";
import { createStderrLogger } from "../consumers/consumer-logger.ts";
import {
  createLifecycleRulesInForce,
  type LifecycleRulesInForce,
} from "../lifecycle/lifecycle-rules-in-force.ts";
import { LIFECYCLE_RULES_FILE, type PassageConfig, readLifecycleRulesFileOrThrow } from "./config.ts";

/**
 * The lifecycle rules a process starts with (its configuration's) kept equal to the rules the
 * database's statuses were derived with: on a difference, the data directory's rules file is read
 * again (README, "Upgrading"). Here, not in the composition root, so that the handler list
 * (`projection-handlers.ts`) does not load every service `createApp` builds.
 */
export function lifecycleRulesInForceOf(config: PassageConfig): LifecycleRulesInForce {
  return createLifecycleRulesInForce({
    rules: createLifecycleRules(config.lifecycleRules),
    reread: () => readLifecycleRulesFileOrThrow(config.dataDir),
    source: path.join(config.dataDir, LIFECYCLE_RULES_FILE),
    logger: createStderrLogger("lifecycle", config.logLevel),
  });
}
