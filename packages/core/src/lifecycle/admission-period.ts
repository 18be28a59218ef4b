import { filedDayOf, type Receipt } from "./benefit-receipts.ts";
import type { DayNumber } from "./calendar-date.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import type { Entry } from "./current-stay.ts";
import type { AdmissionEvent, CourtEvent } from "./person-events.ts";
import { approvalPeriodsOf } from "./protections.ts";

/**
 * The authorised period of the latest admission (or parole) of the current stay
 * (docs/lifecycle-semantics.md §1.2, §2 items 13-15): admit-until as recorded, D/S, or a D/S class
 * the rules turn into a fixed period; extended by approved I-539s (made D/S by one with no end
 * date); and whether an extension or change filed on time is pending.
 */

export interface ExtensionFiling {
  readonly receipt: Receipt;
  /** Filed on or before the end of the authorised period then in force, by a class that may extend. */
  readonly timely: boolean;
}

export interface AdmissionPeriod {
  readonly entry: AdmissionEvent;
  readonly kind: "admission" | "parole";
  /** Last day of authorised stay; null while the admission is D/S (or an approval made it open-ended). */
  readonly authorisedUntilDay: DayNumber | null;
  /** The approved I-539 with no `valid_to` (a change to a D/S class) that made the stay open-ended. */
  readonly openEndedBy: Receipt | null;
  readonly extensionFilings: readonly ExtensionFiling[];
  /** The first pending timely I-539, if any. */
  readonly timelyPendingExtension: Receipt | null;
  /**
   * The notice to appear that ended a parole early (8 CFR 212.5(e)(2)(i)), with `authorisedUntilDay`
   * its day; null when none did (`deriveStatus` sets it: it needs the court's events).
   */
  readonly paroleEndedBy: CourtEvent | null;
}

/** The authorised period of the latest entry, when that entry is an admission or parole. */
export function admissionPeriodOf(
  latestEntry: Entry | null,
  receipts: readonly Receipt[],
  rules: CompiledLifecycleRules,
): AdmissionPeriod | null {
  if (latestEntry === null || latestEntry.kind === "entry_without_inspection") return null;
  const entry = latestEntry.event;
  let authorisedUntilDay = entry.admitUntilDay;
  if (authorisedUntilDay === null) {
    const fixedDays = rules.rules.durationOfStatusFixedPeriodDays[entry.classOfAdmission];
    if (fixedDays !== undefined) {
      // A period of N days counts the admission day, as an I-94 admit-until date does.
      const graceDays = rules.rules.durationOfStatusGraceDays[entry.classOfAdmission] ?? 0;
      authorisedUntilDay = entry.day + fixedDays - 1 + graceDays;
    }
  }
  const mayExtend = !rules.classesWithoutExtension.has(entry.classOfAdmission);
  const filings: ExtensionFiling[] = [];
  let timelyPendingExtension: Receipt | null = null;
  let openEndedBy: Receipt | null = null;
  const extensions = receipts
    .filter((receipt) => receipt.formType === "I-539" && filedDayOf(receipt) >= entry.day)
    .sort((left, right) => filedDayOf(left) - filedDayOf(right));
  for (const receipt of extensions) {
    const timely = mayExtend && (authorisedUntilDay === null || filedDayOf(receipt) <= authorisedUntilDay);
    filings.push({ receipt, timely });
    if (receipt.status === "pending" && timely) timelyPendingExtension ??= receipt;
    // Each approval extended the stay for as long as it held: one USCIS later revoked (or that
    // was withdrawn) extended it to the day before that, not never (§9; `approvalPeriodsOf`).
    for (const period of approvalPeriodsOf(receipt)) {
      if (period.toDay === null) {
        // An approval is open-ended unless it says otherwise (§6): an extension or change of status
        // with no end date is one to a D/S class (F-1, J-1), so the stay is D/S from then on, with no
        // overstay date and unlawful presence only on a formal finding (DOMAIN.md §1.2).
        authorisedUntilDay = null;
        openEndedBy = receipt;
      } else {
        authorisedUntilDay =
          authorisedUntilDay === null ? period.toDay : Math.max(authorisedUntilDay, period.toDay);
        openEndedBy = null;
      }
    }
  }
  return {
    entry,
    kind: latestEntry.kind,
    authorisedUntilDay,
    openEndedBy,
    extensionFilings: filings,
    timelyPendingExtension,
    paroleEndedBy: null,
  };
}
