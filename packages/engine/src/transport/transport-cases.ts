import type { PersonStatus } from "@passage/core";
import type { TransportCase } from "@passage/logistics";
import { evaluateGates } from "@passage/policy";
import type { StoredStatus } from "@passage/store";
import { gateInputOfStored } from "../worklist/worklist-candidates.ts";
import type { FacilityHubs } from "./facility-hubs.ts";

/** Primary states in which a removal can be planned (an executable final order). */
export const PLANNABLE_STATES = ["FINAL_ORDER", "REMOVAL_IN_PROGRESS"] as const;

/**
 * Primary states of the actionable statuses offered to planning: the plannable ones, and DEPARTED,
 * which is actionable only under a claimed departure alone (a verified one ends the order); such
 * a case is planned as without the claim (`transportCaseOf`).
 */
export const OFFERED_STATES = [...PLANNABLE_STATES, "DEPARTED"] as const;

/** A case the engine leaves out before the planner sees it: its custody facility has no hub. */
export const FACILITY_WITHOUT_HUB = "FACILITY_WITHOUT_HUB";

/**
 * The planner's view of one stored status, with a fresh gate evaluation: custody (and the hub of
 * its facility), the order's destination, withholding countries and the latest travel document.
 * Nothing about where a person is beyond the institutional facility and hub (SOURCES.md).
 */
export function transportCaseOf(
  stored: StoredStatus,
  facilityHubs: FacilityHubs,
): { case: TransportCase } | { excluded: typeof FACILITY_WITHOUT_HUB; facility: string } {
  const status = stored.status as PersonStatus;
  const gateCheck = evaluateGates(gateInputOfStored(stored));
  const custody = status.facts.custody;
  const inCustody = custody?.detained === true;
  const facility = inCustody ? custody.facilityCode : null;
  const hub = facility === null ? undefined : facilityHubs.hubs.get(facility);
  if (inCustody && facility !== null && hub === undefined)
    return { excluded: FACILITY_WITHOUT_HUB, facility };
  const document = status.facts.travelDocument;
  const finalOn = status.facts.court?.finality?.finalOn ?? null;
  // In custody at the current facility from its latest custody event (the book-in, or the transfer
  // to it), not from the start of custody: a person transferred to the hub is ready from the transfer.
  const readyDate = latestOf([
    finalOn,
    inCustody ? custody.lastEventOn : null,
    document?.status === "issued" ? document.statusOn : null,
  ]);
  return {
    case: {
      personId: stored.personId,
      gateCheck,
      // A claimed departure alone (DEPARTED claimed) leaves the order where it stood: a person in
      // custody has not self-departed, so the order is planned as without the claim.
      finalOrder:
        status.finalOrderExecutable &&
        (PLANNABLE_STATES as readonly string[]).includes(
          status.gateInputs.claimedDeparturePending?.stateWithoutClaim ?? status.state.primary,
        ),
      inCustody,
      hub: hub ?? "",
      facility,
      readyDate: readyDate ?? status.asOf,
      destinationCountry: status.gateInputs.destinationCountry?.country ?? null,
      withholdingCountries: status.gateInputs.withholdingCountries
        .map((entry) => entry.country)
        .filter((country): country is string => country !== null),
      travelDocument: document
        ? {
            country: document.country,
            status: document.status as "requested" | "issued" | "refused" | "expired",
            validTo: document.validTo,
          }
        : null,
    },
  };
}

function latestOf(dates: readonly (string | null)[]): string | null {
  let latest: string | null = null;
  for (const date of dates) if (date !== null && (latest === null || date > latest)) latest = date;
  return latest;
}
