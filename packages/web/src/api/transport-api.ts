import { api } from "./api-client.ts";

export interface TransportPlanSummary {
  readonly planId: string;
  readonly status: "draft" | "frozen";
  readonly office: string;
  readonly horizon: { readonly from: string; readonly to: string };
  readonly createdBy: string;
  readonly createdAt: string;
  readonly frozenBy: string | null;
  readonly frozenAt: string | null;
  readonly checkedAt: string | null;
  /** The plan's cost as planned: what the solver weighed; strikes never change it. */
  readonly cost: PlannedCost;
}

/** A plan's cost as planned, in USD. */
export interface PlannedCost {
  readonly flights: number;
  readonly detention: number;
  /** The next horizon's cost of the ready cases the plan left behind. */
  readonly carryOver: number;
  readonly total: number;
}

/** What the seats a plan still holds cost, in USD: no carry-over (a struck person is not the plan's to carry). */
export interface HeldCost {
  /** The flights that still carry an unstruck passenger. */
  readonly flights: number;
  /** The detention days of the unstruck passengers until their flight. */
  readonly detention: number;
  readonly total: number;
}

/** A strike recorded on a manifest entry. */
export interface ManifestStrike {
  readonly reason: string;
  readonly gates: readonly string[];
  readonly source: "freeze" | "status_change";
  readonly struckAt: string;
  /** What the reason code alone does not say (for PERSON_RETIRED, the person merged into), or null. */
  readonly detail: string | null;
}

/** The strike a draft's freeze would make now: its re-check, run and not recorded. */
export interface StrikeAtFreeze {
  readonly reason: string;
  readonly gates: readonly string[];
  readonly detail: string | null;
}

export interface ManifestPassenger {
  readonly personId: string;
  readonly readyDate: string;
  readonly detentionDays: number;
  readonly strike: ManifestStrike | null;
  /** On a draft, the strike its freeze would make now, or null if it would keep them; always null on a frozen plan. */
  readonly strikeAtFreeze: StrikeAtFreeze | null;
}

export interface Manifest {
  readonly flightId: string;
  readonly date: string;
  readonly originHub: string;
  readonly destinationCountry: string;
  readonly destinationPort: string | null;
  readonly seats: number;
  readonly capacity: number;
  readonly cost: number;
  /** The passengers whose status the reader may read. */
  readonly passengers: readonly ManifestPassenger[];
  /** Passengers whose status the reader may not read: counted, not named. */
  readonly passengersWithheld: number;
}

export interface TransportPlan extends TransportPlanSummary {
  readonly manifests: readonly Manifest[];
  /** What the seats still held cost (`cost` is the plan's as planned, before any strike). */
  readonly heldCost: HeldCost;
  readonly leftOut: readonly {
    readonly personId: string;
    readonly kind: "unplaced" | "excluded";
    readonly reason: string;
    readonly gates: readonly string[];
  }[];
  /** Left-out cases of persons whose status the reader may not read: counted, not named. */
  readonly leftOutWithheld: number;
}

export interface FreezeReport {
  readonly plan: TransportPlan;
  readonly checkedAt: string;
  readonly struck: readonly {
    personId: string;
    flightId: string;
    reason: string;
    gates: readonly string[];
    detail: string | null;
  }[];
  readonly struckWithheld: number;
}

const plan = (planId: string) => `/transport-plans/${encodeURIComponent(planId)}`;

export async function fetchPlans(purpose: string, signal?: AbortSignal): Promise<TransportPlanSummary[]> {
  return (
    await api.get<{ plans: TransportPlanSummary[] }>("/transport-plans", {
      purpose,
      ...(signal ? { signal } : {}),
    })
  ).plans;
}

export function fetchPlan(planId: string, purpose: string, signal?: AbortSignal) {
  return api.get<TransportPlan>(plan(planId), { purpose, ...(signal ? { signal } : {}) });
}

/** Plans the horizon's flights for the cases ready for removal; stores a draft. */
export function createPlan(horizon: { from: string; to: string }, purpose: string) {
  return api.post<TransportPlan>("/transport-plans", { purpose, body: horizon });
}

/** Re-checks every manifest entry against fresh statuses, strikes who no longer qualifies, and freezes. */
export function freezePlan(planId: string, purpose: string) {
  return api.post<FreezeReport>(`${plan(planId)}/freeze`, { purpose, body: {} });
}
