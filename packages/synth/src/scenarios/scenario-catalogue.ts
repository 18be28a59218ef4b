import { APPEAL_SCENARIOS } from "./appeal-scenarios.ts";
import { HUMANITARIAN_SCENARIOS } from "./humanitarian-scenarios.ts";
import { ORDER_SCENARIOS } from "./order-scenarios.ts";
import { PROCEEDINGS_SCENARIOS } from "./proceedings-scenarios.ts";
import { REMOVAL_SCENARIOS } from "./removal-scenarios.ts";
import type { Scenario } from "./scenario.ts";
import { STATUS_SCENARIOS } from "./status-scenarios.ts";
import { VISITOR_SCENARIOS } from "./visitor-scenarios.ts";

/** Every scenario of the population mix, with its weight. */
export const SCENARIOS: readonly Scenario[] = [
  ...VISITOR_SCENARIOS,
  ...HUMANITARIAN_SCENARIOS,
  ...STATUS_SCENARIOS,
  ...PROCEEDINGS_SCENARIOS,
  ...ORDER_SCENARIOS,
  ...APPEAL_SCENARIOS,
  ...REMOVAL_SCENARIOS,
];

/** Scenario names, in catalogue order. */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((entry) => entry.name);
