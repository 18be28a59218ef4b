import { DEFAULT_PLAN_OPTIONS, type PlanOptions } from "@passage/logistics";
import type { StoredTransportPlan } from "@passage/store";

/** What a plan's seats still held cost, in the plan's cost units (USD). */
export interface HeldCost {
  /** The flights that still carry an unstruck passenger (a flight costs the same whatever its load). */
  readonly flights: number;
  /** The detention days of the unstruck passengers until their flight. */
  readonly detention: number;
  readonly total: number;
}

/**
 * The cost of the seats a plan still holds: a strike takes its passenger's detention days off,
 * and the last strike on a flight takes the flight off (it need not fly). Counted over every
 * passenger, named or not: the figure is the plan's, as `cost` is. No carry-over: a struck person
 * is not this plan's to carry, and the planned `cost` keeps what the solver weighed.
 */
export function heldCostOf(plan: Pick<StoredTransportPlan, "manifests" | "options">): HeldCost {
  const { detentionDayCost } = { ...DEFAULT_PLAN_OPTIONS, ...(plan.options as Partial<PlanOptions>) };
  let flights = 0;
  let detention = 0;
  for (const manifest of plan.manifests) {
    const held = manifest.passengers.filter((passenger) => passenger.strike === null);
    if (held.length > 0) flights += manifest.cost;
    for (const passenger of held) detention += detentionDayCost * passenger.detentionDays;
  }
  return { flights, detention, total: flights + detention };
}
