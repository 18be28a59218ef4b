import type { RecordCitation } from "../records/source-record.ts";
import { PROTECTED_STATUS_OF_FORM, type Receipt } from "./benefit-receipts.ts";
import type { DayNumber } from "./calendar-date.ts";
import { citationsOf } from "./citations.ts";
import type { CourtCase } from "./court-case.ts";
import { reliefProtectionOf } from "./court-case-status.ts";
import type { ProtectedStatusType } from "./vocabulary.ts";

/**
 * Every protection the records grant (docs/lifecycle-semantics.md §6): approved benefits by form,
 * and court relief while the decision granting it stands (from the decision date). A removal
 * order that names a `withholding_country` withholds removal to that country: the IJ orders
 * removal and withholds it in the same decision (8 CFR 1208.16).
 */

export interface Grant {
  readonly type: ProtectedStatusType;
  readonly source: "benefit" | "court";
  readonly fromDay: DayNumber;
  readonly toDay: DayNumber | null;
  /** Withholding and CAT protect against removal to one country; null if none is recorded. */
  readonly country: string | null;
  readonly evidence: readonly RecordCitation[];
}

/** The order in which a current grant names PROTECTED_STATUS's detail (§6). */
export const PROTECTION_PRECEDENCE: readonly ProtectedStatusType[] = [
  "LPR",
  "ASYLEE",
  "REFUGEE",
  "TPS",
  "T_STATUS",
  "U_STATUS",
  "VAWA",
  "SIJ",
  "WITHHOLDING",
  "CAT",
  "DACA",
  "DEFERRED_ACTION",
];

export function grantsOf(receipts: readonly Receipt[], cases: readonly CourtCase[]): Grant[] {
  const grants: Grant[] = [];
  for (const receipt of receipts) {
    const type = PROTECTED_STATUS_OF_FORM[receipt.formType];
    if (receipt.status !== "granted" || type === undefined) continue;
    grants.push({
      type,
      source: "benefit",
      fromDay: receipt.validFromDay!,
      toDay: receipt.validToDay,
      country: null,
      evidence: citationsOf(...receipt.events),
    });
  }
  for (const courtCase of cases) {
    const decision = courtCase.decision;
    if (decision === null) continue;
    const { event } = decision;
    const relief = reliefProtectionOf(event.reliefType);
    let type: ProtectedStatusType | null = null;
    if (decision.kind === "relief") type = relief;
    else if (
      (decision.kind === "removal" || decision.kind === "voluntary_departure") &&
      event.withholdingCountry !== null
    ) {
      type = relief === "CAT" ? "CAT" : "WITHHOLDING";
    }
    if (type === null) continue;
    grants.push({
      type,
      source: "court",
      fromDay: event.day,
      toDay: null,
      country: type === "WITHHOLDING" || type === "CAT" ? event.withholdingCountry : null,
      evidence: citationsOf(event, decision.affirmedBy),
    });
  }
  return grants;
}

export function isCurrent(grant: Grant, asOfDay: DayNumber): boolean {
  return grant.fromDay <= asOfDay && (grant.toDay === null || grant.toDay >= asOfDay);
}
