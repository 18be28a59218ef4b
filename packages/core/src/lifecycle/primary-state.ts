import type { RecordCitation } from "../records/source-record.ts";
import type { AdmissionPeriod } from "./admission-period.ts";
import { filedDayOf, type Receipt } from "./benefit-receipts.ts";
import type { DayNumber } from "./calendar-date.ts";
import { citationsOf, mergeCitations } from "./citations.ts";
import type { CourtCaseStatus } from "./court-case-status.ts";
import type { CurrentStay } from "./current-stay.ts";
import type { CitizenshipEvent, TravelDocumentEvent } from "./person-events.ts";
import { type Grant, isCurrent, PROTECTION_PRECEDENCE } from "./protections.ts";
import type { BenefitType, PrimaryState } from "./vocabulary.ts";

/**
 * The primary state: the furthest stage the person's case has reached, evaluated in the order of
 * docs/lifecycle-semantics.md §2 (the first that applies wins).
 */

export interface PrimaryStateResult {
  readonly primary: PrimaryState;
  readonly detail: string | null;
  readonly sinceDay: DayNumber | null;
  readonly untilDay: DayNumber | null;
  readonly evidence: readonly RecordCitation[];
}

export interface PrimaryStateInputs {
  readonly asOfDay: DayNumber;
  readonly citizenship: readonly CitizenshipEvent[];
  readonly naturalisation: Receipt | null;
  readonly stay: CurrentStay;
  readonly court: CourtCaseStatus | null;
  readonly travelDocument: TravelDocumentEvent | null;
  readonly grants: readonly Grant[];
  readonly receipts: readonly Receipt[];
  readonly admission: AdmissionPeriod | null;
}

/** Which pending application names BENEFIT_PENDING's detail when several are pending. */
const PENDING_PRECEDENCE: readonly BenefitType[] = [
  "ADJUSTMENT",
  "ASYLUM",
  "TPS",
  "T_VISA",
  "U_VISA",
  "VAWA_SIJ",
  "DACA",
  "NATURALIZATION",
];

const result = (
  primary: PrimaryState,
  detail: string | null,
  sinceDay: DayNumber | null,
  untilDay: DayNumber | null,
  evidence: readonly RecordCitation[],
): PrimaryStateResult => ({ primary, detail, sinceDay, untilDay, evidence });

/**
 * The latest status of each travel-document request; the first (by date) that is requested or
 * issued (and, if issued, still valid) on or after the order became final.
 */
export function activeTravelDocument(
  events: readonly TravelDocumentEvent[],
  finalDay: DayNumber,
  asOfDay: DayNumber,
): TravelDocumentEvent | null {
  const latestById = new Map<string, TravelDocumentEvent>();
  for (const event of events) latestById.set(event.travelDocumentId, event);
  let active: TravelDocumentEvent | null = null;
  for (const event of latestById.values()) {
    if (event.day < finalDay) continue;
    const usable =
      event.status === "requested" ||
      (event.status === "issued" && (event.validToDay === null || event.validToDay >= asOfDay));
    if (
      usable &&
      (active === null || event.day < active.day || (event.day === active.day && event.key < active.key))
    ) {
      active = event;
    }
  }
  return active;
}

export interface Citizenship {
  /** The citizenship records that stand: every one but a naturalisation revoked since (INA 340). */
  readonly records: readonly CitizenshipEvent[];
  /** An approved N-400 whose oath (its `valid_from`, else the approval date) is on or before the as-of day. */
  readonly naturalisation: Receipt | null;
}

/**
 * Whether a `naturalized` certificate is one a revocation of record undid (INA 340): the
 * certificate is the product of the latest N-400 approved on or before its effective date, and that
 * receipt was revoked on or after that date. Nothing else ties a revocation to a certificate (the
 * feed gives it no receipt number): a revocation before the certificate (of an approval, before an
 * oath that came later all the same), one of another receipt, or of another basis of citizenship
 * (at birth, derived: no N-400) leaves it standing, as does any ambiguity (two approvals the same day).
 */
function isRevokedNaturalisation(record: CitizenshipEvent, naturalisations: readonly Receipt[]): boolean {
  if (record.basis !== "naturalized") return false;
  let source: Receipt | null = null;
  let sourceDay = Number.NEGATIVE_INFINITY;
  let ambiguous = false;
  for (const receipt of naturalisations) {
    const approvals = receipt.events.filter((event) => event.event === "approved" && event.day <= record.day);
    if (approvals.length === 0) continue;
    const approvedDay = approvals[approvals.length - 1]!.day;
    if (approvedDay === sourceDay) ambiguous = true;
    if (approvedDay > sourceDay) {
      source = receipt;
      sourceDay = approvedDay;
      ambiguous = false;
    }
  }
  return source !== null && !ambiguous && source.status === "revoked" && source.latest.day >= record.day;
}

/**
 * Citizenship on the as-of day (docs/lifecycle-semantics.md §2 item 1). NATURALIZED is entered by
 * the oath (DOMAIN.md §1.1; INA 337): an N-400 approval counts from its `valid_from` when it gives
 * one (§6), and a naturalisation revoked under INA 340 no longer makes the person a citizen. A
 * citizenship record stands unless a revocation of that naturalisation is on record.
 */
export function citizenshipOf(
  records: readonly CitizenshipEvent[],
  receipts: readonly Receipt[],
  asOfDay: DayNumber,
): Citizenship {
  const naturalisations = receipts.filter((receipt) => receipt.formType === "N-400");
  return {
    records: records.filter((record) => !isRevokedNaturalisation(record, naturalisations)),
    naturalisation:
      naturalisations.find((receipt) => receipt.status === "granted" && receipt.validFromDay! <= asOfDay) ??
      null,
  };
}

export function primaryStateOf(inputs: PrimaryStateInputs): PrimaryStateResult {
  const { asOfDay, stay, court, admission } = inputs;
  if (inputs.citizenship.length > 0) {
    return result("USC", null, inputs.citizenship[0]!.day, null, citationsOf(...inputs.citizenship));
  }
  if (inputs.naturalisation !== null) {
    return result(
      "USC",
      null,
      inputs.naturalisation.validFromDay,
      null,
      citationsOf(...inputs.naturalisation.events),
    );
  }
  if (stay.departure !== null) {
    const { tier, record, claim, corroboratedBy } = stay.departure;
    return result("DEPARTED", tier, record.day, null, citationsOf(record, claim, corroboratedBy));
  }
  const stage = court?.stage ?? null;
  if (stage !== null) {
    const evidence = citationsOf(...stage.evidence);
    if (stage.state === "FINAL_ORDER" && inputs.travelDocument !== null) {
      const document = inputs.travelDocument;
      return result(
        "REMOVAL_IN_PROGRESS",
        null,
        document.day,
        null,
        mergeCitations(evidence, citationsOf(document)),
      );
    }
    return result(stage.state, stage.detail, stage.sinceDay, stage.untilDay, evidence);
  }
  const current = inputs.grants.filter((grant) => isCurrent(grant, asOfDay));
  for (const type of PROTECTION_PRECEDENCE) {
    const grant = current.find((candidate) => candidate.type === type);
    if (grant !== undefined)
      return result("PROTECTED_STATUS", type, grant.fromDay, grant.toDay, grant.evidence);
  }
  const pending = inputs.receipts.filter((receipt) => receipt.status === "pending");
  for (const type of PENDING_PRECEDENCE) {
    const receipt = pending.find((candidate) => candidate.benefit === type);
    if (receipt !== undefined) {
      return result("BENEFIT_PENDING", type, filedDayOf(receipt), null, citationsOf(...receipt.events));
    }
  }
  if (admission === null) {
    const entry = stay.latestEntry;
    // Back after a departure by an entry no record shows: the record placing the person here is cited.
    if (entry === null) return result("NO_ENTRY_RECORDED", null, null, null, citationsOf(stay.presence));
    return result("EWI_PRESENT", null, stay.stayBeganDay, null, citationsOf(entry.event));
  }
  const admissionEvidence = citationsOf(admission.entry);
  const extension = admission.timelyPendingExtension;
  if (extension !== null) {
    return result(
      "EOS_COS_PENDING",
      null,
      filedDayOf(extension),
      null,
      mergeCitations(admissionEvidence, citationsOf(...extension.events)),
    );
  }
  const until = admission.authorisedUntilDay;
  const extensions = admission.extensionFilings.flatMap((filing) => filing.receipt.events);
  if (until !== null && asOfDay > until) {
    const endedBy = admission.paroleEndedBy === null ? [] : [admission.paroleEndedBy];
    return result(
      "OVERSTAY_SUSPECTED",
      null,
      until + 1,
      null,
      citationsOf(admission.entry, ...extensions, ...endedBy),
    );
  }
  if (admission.kind === "parole")
    return result("PAROLED", null, admission.entry.day, until, admissionEvidence);
  if (until === null) {
    // D/S from admission, or from an approved change of status with no end date (which it cites).
    const openEndedBy = admission.openEndedBy?.events ?? [];
    return result(
      "ADMITTED_DS",
      null,
      admission.entry.day,
      null,
      citationsOf(admission.entry, ...openEndedBy),
    );
  }
  return result(
    "ADMITTED_FIXED",
    null,
    admission.entry.day,
    until,
    citationsOf(admission.entry, ...extensions),
  );
}
