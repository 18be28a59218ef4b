import type { GateCheck, IsoDate, TransportCase } from "./transport-input.ts";

/** Why a case is not ready to be manifested (before planning, or at manifest freeze). */
export const EXCLUSION_REASONS = [
  "GATED",
  "NO_FINAL_ORDER",
  "NOT_IN_CUSTODY",
  "NO_DESTINATION",
  "DESTINATION_BARRED",
  "NO_TRAVEL_DOCUMENT",
  "DOCUMENT_FOR_OTHER_COUNTRY",
  "DOCUMENT_EXPIRED",
  /** Ready only after the horizon ends (planning only: a manifest's own check is NOT_READY_BY_FLIGHT). */
  "NOT_READY_IN_HORIZON",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export type Readiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: ExclusionReason; readonly gates: readonly string[] };

/** The gates that hold; a check that says clear but lists a holding gate is not clear. */
export function holdingGates(check: GateCheck): string[] {
  return check.results.filter((result) => result.holds).map((result) => result.gate);
}

export function isGateClear(check: GateCheck): boolean {
  return check.clear === true && holdingGates(check).length === 0;
}

/**
 * Whether a case may be manifested for a flight no earlier than `earliestFlightDate`: gate-clear,
 * final order, in custody, destination set and not protected, and a travel document issued for
 * that destination still valid then. Checked in this order, so the reason is the first that fails.
 */
export function assessReadiness(transportCase: TransportCase, earliestFlightDate: IsoDate): Readiness {
  const fail = (reason: ExclusionReason, gates: readonly string[] = []): Readiness => ({
    ready: false,
    reason,
    gates,
  });
  if (!isGateClear(transportCase.gateCheck)) return fail("GATED", holdingGates(transportCase.gateCheck));
  if (!transportCase.finalOrder) return fail("NO_FINAL_ORDER");
  if (!transportCase.inCustody) return fail("NOT_IN_CUSTODY");
  const destination = transportCase.destinationCountry;
  if (destination === null) return fail("NO_DESTINATION");
  if (transportCase.withholdingCountries.includes(destination)) return fail("DESTINATION_BARRED");
  const document = transportCase.travelDocument;
  // A document the issuer marked expired is expired, not missing: the operator renews it, not requests it.
  if (document?.status === "expired") return fail("DOCUMENT_EXPIRED");
  if (document === null || document.status !== "issued") return fail("NO_TRAVEL_DOCUMENT");
  if (document.country !== destination) return fail("DOCUMENT_FOR_OTHER_COUNTRY");
  const firstDay =
    transportCase.readyDate > earliestFlightDate ? transportCase.readyDate : earliestFlightDate;
  if (document.validTo !== null && document.validTo < firstDay) return fail("DOCUMENT_EXPIRED");
  return { ready: true };
}
