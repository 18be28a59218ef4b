/**
 * Every case-data request states why it is made (the access layer refuses one without a purpose,
 * and the audit log records it). The header name is the server's contract.
 */
export const PURPOSE_HEADER = "X-Passage-Purpose";

/** Purposes offered in the picker; an officer may also type their own. */
export const PURPOSE_CHOICES = [
  "Case review",
  "Removal planning",
  "Transport planning",
  "Link review (data quality)",
  "Redress review",
  "Legal review",
  "Oversight",
] as const;

const STORAGE_KEY = "passage.purpose";

/** The purpose stated for this browser tab; kept per tab so one tab's purpose never leaks into another's. */
export function loadPurpose(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

export function savePurpose(purpose: string): void {
  try {
    if (purpose) sessionStorage.setItem(STORAGE_KEY, purpose);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled; the purpose then lasts as long as the page.
  }
}
