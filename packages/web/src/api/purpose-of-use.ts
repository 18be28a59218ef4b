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

/** The longest purpose the server accepts (the access layer's MAX_PURPOSE_LENGTH); a longer one fails every request. */
export const MAX_PURPOSE_LENGTH = 200;

/** Why a purpose cannot be stated, or undefined when it can. */
export function purposeProblem(purpose: string): string | undefined {
  if (purpose.length > MAX_PURPOSE_LENGTH) {
    return `A purpose of use may be at most ${MAX_PURPOSE_LENGTH} characters; this one has ${purpose.length}. Shorten it.`;
  }
  return undefined;
}

const STORAGE_KEY = "passage.purpose";

/** The purpose stated for this browser tab; kept per tab so one tab's purpose never leaks into another's. */
export function loadPurpose(): string {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY) ?? "";
    // One stored before the limit was enforced here would fail every request: not reused.
    return purposeProblem(stored) ? "" : stored;
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
