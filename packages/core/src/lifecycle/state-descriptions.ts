import { assertUnreachable } from "../errors/passage-error.ts";
import type { PrimaryStateResult } from "./primary-state.ts";

/** One line saying what a primary state means for the person, for people reading a status. */
export function describeState(state: Pick<PrimaryStateResult, "primary" | "detail">): string {
  const { primary, detail } = state;
  switch (primary) {
    case "USC":
      return "U.S. citizen: no civil immigration action";
    case "DEPARTED":
      return detail === "verified"
        ? "Departed: verified by a government record"
        : "Departure claimed by self-report, not yet corroborated by a government record";
    case "REMOVAL_IN_PROGRESS":
      return "Final removal order with a travel document requested or issued";
    case "VD_PERIOD":
      return "Voluntary departure period running";
    case "FINAL_ORDER":
      return "Removal order administratively final (8 CFR 1241.1)";
    case "BIA_PENDING":
      return "Appeal or certification pending before the BIA";
    case "APPEAL_WINDOW":
      return "Within the 30-day window to appeal the IJ decision";
    case "IJ_DECIDED":
      return `Immigration judge decided: ${detail ?? "outcome not recorded"}`;
    case "IN_PROCEEDINGS":
      return detail === "admin_closed"
        ? "In removal proceedings, administratively closed"
        : "In removal proceedings";
    case "NTA_ISSUED":
      return "Notice to appear filed with the immigration court";
    case "PROTECTED_STATUS":
      return `Protected status: ${detail}`;
    case "BENEFIT_PENDING":
      return `Benefit application pending: ${detail}`;
    case "EOS_COS_PENDING":
      return "Timely extension or change of status pending";
    case "OVERSTAY_SUSPECTED":
      return "Suspected overstay: no departure or status recorded after the authorised period (analytic flag, not a legal finding)";
    case "ADMITTED_FIXED":
      return "Admitted until a fixed date";
    case "ADMITTED_DS":
      return "Admitted for duration of status";
    case "PAROLED":
      return "Paroled into the United States";
    case "EWI_PRESENT":
      return "Present after entry without inspection";
    case "NO_ENTRY_RECORDED":
      return "No entry to the United States recorded";
    default:
      return assertUnreachable(primary);
  }
}
