/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

/** One row of the `flight` feed (SOURCES.md). */
export interface Flight {
  readonly flightId: string;
  readonly date: IsoDate;
  readonly originHub: string;
  /** ISO 3166-1 alpha-3. */
  readonly destinationCountry: string;
  readonly destinationPort: string | null;
  readonly seats: number;
  /** Cost of operating the flight, whatever its load (OIG-15-57: cost per flight hour regardless of load). */
  readonly cost: number;
  /**
   * Seats other plans' frozen manifests already hold on this flight (0 when absent): a seat is
   * sold once, so the planner and the freeze re-check offer only what is left.
   */
  readonly seatsHeld?: number;
}

/**
 * The gates' verdict for a case, structurally the policy package's `GateEvaluation` (the engine
 * passes `evaluateGates(...)` output as it is). Only `clear` with no holding result counts as clear.
 */
export interface GateCheck {
  readonly clear: boolean;
  readonly results: readonly { readonly gate: string; readonly holds: boolean }[];
}

export const TRAVEL_DOCUMENT_STATUSES = ["requested", "issued", "refused", "expired"] as const;
export type TravelDocumentStatus = (typeof TRAVEL_DOCUMENT_STATUSES)[number];

/** The latest `travel_document` event for the case. */
export interface TravelDocument {
  readonly country: string;
  readonly status: TravelDocumentStatus;
  /** Last valid day; null when the record gives none (treated as valid throughout the horizon). */
  readonly validTo: IsoDate | null;
}

/**
 * A case offered to the planner. Only cases that are gate-clear, under a final order, in custody
 * and holding a travel document issued for the order's destination are planned; every other is
 * returned in `excluded` with the reason. No location beyond the institutional staging hub.
 */
export interface TransportCase {
  readonly personId: string;
  readonly gateCheck: GateCheck;
  readonly finalOrder: boolean;
  readonly inCustody: boolean;
  /** The staging hub of the custody facility (an institutional place, SOURCES.md). */
  readonly hub: string;
  readonly facility: string | null;
  /** First day the case can fly (e.g. travel document issued, transfer to the hub done). */
  readonly readyDate: IsoDate;
  /** The order's destination country; null when none is set. */
  readonly destinationCountry: string | null;
  /** Countries to which removal is barred (withholding or CAT). */
  readonly withholdingCountries: readonly string[];
  readonly travelDocument: TravelDocument | null;
}

/** Planner settings; every figure is configuration, not law (DOMAIN.md §5). */
export interface PlanOptions {
  /** Cost of one person-day of detention until departure. */
  readonly detentionDayCost: number;
  /** Cost of carrying one unplaced case past the horizon (added to its detention days to the horizon's end). */
  readonly carryOverCost: number;
  /** Per-flight acceptance caps by destination country (landing agreements); absent means the seats. */
  readonly acceptanceCaps: Readonly<Record<string, number>>;
  /** Relative optimality gap at which HiGHS may stop. */
  readonly mipRelativeGap: number;
  readonly timeLimitSeconds: number;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = Object.freeze({
  detentionDayCost: 150, // USD per person-day, a round figure for a detention bed
  carryOverCost: 20_000, // USD per person, the next horizon's cost of a case left behind
  acceptanceCaps: Object.freeze({}),
  mipRelativeGap: 0.005, // 0.5 %, inside the 1 % the issue allows
  timeLimitSeconds: 25,
});

export interface TransportInput {
  /** Only flights dated within the horizon (inclusive) are planned. */
  readonly horizon: { readonly from: IsoDate; readonly to: IsoDate };
  readonly flights: readonly Flight[];
  readonly cases: readonly TransportCase[];
  readonly options?: Partial<PlanOptions>;
}
