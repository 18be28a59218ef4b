/**
 * What names a person or case in free text that will be published (an activation's reason goes
 * to the oversight report), in any case and however it is punctuated: a Passage person id
 * (`P-` and 12 letters or digits), an A-number ("A" and 7 to 9 digits, or groups of up to 3-3-3
 * digits, with any spaces or punctuation between, as SOURCES.md normalises them; the groups also
 * without the "A"), a USCIS receipt number (3 letters, 10 digits), and any run of 7 or more digits
 * (a bare A-number, receipt or other case number). Years and ranges of years ("2021-2025") are not.
 */
const CASE_IDENTIFIER = new RegExp(
  [
    String.raw`\bP-[0-9A-Z]{12}\b`,
    String.raw`\bA[\s#.:/_-]{0,3}(?:\d{7,9}|\d{1,3}[\s.,/_-]{1,2}\d{3}[\s.,/_-]{1,2}\d{3})(?!\d)`,
    String.raw`\b\d{3}[\s.,/_-]{1,2}\d{3}[\s.,/_-]{1,2}\d{3}(?!\d)`,
    String.raw`\b[A-Z]{3}[\s-]?\d{10}\b`,
    String.raw`\d{7,}`,
  ].join("|"),
  "i",
);

/** The first person or case identifier the text names, if any. */
export function caseIdentifierIn(text: string): string | undefined {
  return CASE_IDENTIFIER.exec(text)?.[0];
}
