import type { DayNumber } from "./calendar-date.ts";
import type { BenefitEvent } from "./person-events.ts";
import type { BenefitStatus } from "./person-status.ts";
import type { BenefitType, ProtectedStatusType } from "./vocabulary.ts";

/**
 * Benefit applications by receipt (docs/lifecycle-semantics.md §6): the latest event of a receipt
 * decides whether it is pending, granted or neither. Events of one day are ordered filed,
 * referred, approved, denied, withdrawn, terminated, revoked, so the more final one wins.
 */

export const BENEFIT_TYPE_OF_FORM: Readonly<Record<string, BenefitType>> = {
  "I-589": "ASYLUM",
  "I-485": "ADJUSTMENT",
  "I-821": "TPS",
  "I-821D": "DACA",
  "I-914": "T_VISA",
  "I-918": "U_VISA",
  "I-360": "VAWA_SIJ",
  "I-539": "EXTENSION_CHANGE",
  "I-246": "DHS_STAY",
  "N-400": "NATURALIZATION",
};

/**
 * The protected status an approval confers. I-360 covers both VAWA self-petitions and SIJ and
 * the feed does not say which: VAWA is reported, the reading under which 8 U.S.C. 1367 applies.
 */
export const PROTECTED_STATUS_OF_FORM: Readonly<Record<string, ProtectedStatusType>> = {
  "I-589": "ASYLEE",
  "I-485": "LPR",
  "I-821": "TPS",
  "I-821D": "DACA",
  "I-914": "T_STATUS",
  "I-918": "U_STATUS",
  "I-360": "VAWA",
};

const STATUS_OF_EVENT: Readonly<Record<string, BenefitStatus>> = {
  filed: "pending",
  referred: "referred",
  approved: "granted",
  denied: "denied",
  withdrawn: "withdrawn",
  terminated: "terminated",
  revoked: "revoked",
};

export interface Receipt {
  readonly receiptNumber: string;
  readonly formType: string;
  readonly benefit: BenefitType;
  /** The receipt's events, oldest first. */
  readonly events: readonly BenefitEvent[];
  readonly latest: BenefitEvent;
  readonly filed: BenefitEvent | null;
  readonly status: BenefitStatus;
  /** For a grant: its validity (valid_from, else the approval date; valid_to, else open). */
  readonly validFromDay: DayNumber | null;
  readonly validToDay: DayNumber | null;
}

/** Groups benefit events (sorted) by receipt number; receipts in order of their first event. */
export function receiptsOf(events: readonly BenefitEvent[]): Receipt[] {
  const grouped = new Map<string, BenefitEvent[]>();
  for (const event of events) {
    const list = grouped.get(event.receiptNumber);
    if (list === undefined) grouped.set(event.receiptNumber, [event]);
    else list.push(event);
  }
  const receipts: Receipt[] = [];
  for (const [receiptNumber, receiptEvents] of grouped) {
    const latest = receiptEvents[receiptEvents.length - 1]!;
    const status = STATUS_OF_EVENT[latest.event]!;
    const granted = status === "granted";
    receipts.push({
      receiptNumber,
      formType: latest.formType,
      benefit: BENEFIT_TYPE_OF_FORM[latest.formType]!,
      events: receiptEvents,
      latest,
      filed: receiptEvents.find((event) => event.event === "filed") ?? null,
      status,
      validFromDay: granted ? (latest.validFromDay ?? latest.day) : null,
      validToDay: granted ? latest.validToDay : null,
    });
  }
  return receipts;
}

/** A grant is current when the as-of day is within its validity. */
export function isCurrentGrant(receipt: Receipt, asOfDay: DayNumber): boolean {
  return (
    receipt.status === "granted" &&
    receipt.validFromDay! <= asOfDay &&
    (receipt.validToDay === null || receipt.validToDay >= asOfDay)
  );
}

/** The day an application was filed (its first `filed` event, else its first event). */
export function filedDayOf(receipt: Receipt): DayNumber {
  return (receipt.filed ?? receipt.events[0]!).day;
}
