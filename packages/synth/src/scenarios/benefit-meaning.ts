import type { ProtectedStatusType } from "@passage/core";
import type { DayNumber } from "../calendar/day-number.ts";
import type { TruthBuilder } from "../truth/truth-builder.ts";

/** The current stay, as far as an approved extension changes it. */
export interface ExtendableStay {
  admitUntil: DayNumber | "D/S" | null;
}

/**
 * What the latest event of a benefit application means for the truth (lifecycle-semantics §6):
 * pending forms, grants with their validity, confidentiality overlays (8 CFR 208.6, 8 U.S.C.
 * 1367), DHS stays (I-246) and extensions of stay (I-539).
 */
export function recordBenefitMeaning(
  truth: TruthBuilder,
  stay: ExtendableStay | null,
  asOf: DayNumber,
  form: string,
  latest: { event: string; day: DayNumber; validFrom?: DayNumber; validTo?: DayNumber },
): void {
  if (form === "I-589") truth.overlays.add("CONFIDENTIAL_ASYLUM");
  if (form === "I-914" || form === "I-918" || form === "I-360") truth.overlays.add("CONFIDENTIAL_1367");
  const pending = latest.event === "filed";
  const approved = latest.event === "approved";
  const from = latest.validFrom ?? latest.day;
  const to = latest.validTo ?? null;
  const current = approved && from <= asOf && (to === null || to >= asOf);
  const grant = (type: ProtectedStatusType) => truth.grants.push({ type, from, to, country: null });
  switch (form) {
    case "I-589":
      if (approved) grant("ASYLEE");
      break;
    case "I-485":
      if (approved) grant("LPR");
      break;
    case "I-821":
      if (pending) truth.tpsPending = true;
      if (approved) grant("TPS");
      break;
    case "I-821D":
      if (approved) grant("DACA");
      break;
    case "I-914":
    case "I-918":
    case "I-360":
      if (pending || current) truth.victimCase = true;
      if (approved) grant(form === "I-914" ? "T_STATUS" : form === "I-918" ? "U_STATUS" : "VAWA");
      break;
    case "I-246":
      if (current) truth.stayInEffect = true;
      break;
    case "I-539":
      if (approved && stay !== null && latest.validTo !== undefined) stay.admitUntil = latest.validTo;
      break;
    case "N-400":
      if (approved) truth.citizen = true;
      break;
  }
}
