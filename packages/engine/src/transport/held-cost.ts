import { DEFAULT_PLAN_OPTIONS, type PlanOptions, planCost } from "@passage/logistics";
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
export function heldCostOf(plan: Pick<StoredTransportPlan, "manifests" | "options" | "horizon">): HeldCost {
  const options = { ...DEFAULT_PLAN_OPTIONS, ...(plan.options as Partial<PlanOptions>) };
  const held = plan.manifests
    .map((manifest) => ({
      ...manifest,
      passengers: manifest.passengers.filter((passenger) => passenger.strike === null),
    }))
    .filter((manifest) => manifest.passengers.length > 0);
  // The plan's own cost arithmetic over what is still held (no case left out: no carry-over).
  const { flights, detention, total } = planCost(held, [], new Map(), plan.horizon.to, options);
  return { flights, detention, total };
}
