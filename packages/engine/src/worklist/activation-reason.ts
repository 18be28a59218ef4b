/**
 * What names a person or case in free text that will be published (an activation's reason goes
 * to the oversight report), in any case and however it is punctuated:
 * - a Passage person id (`P-` and 12 letters or digits);
 * - a USCIS receipt number: 3 letters and 10 digits, the digits whole or in groups
 *   ("EAC2190012345", "EAC 123 456 7890", "EAC-21-900-12345", "EAC 12 345 678 90");
 * - an A-number: "A" and 7 to 9 digits, whole or in groups ("A-123-456-789", "A 12345 6789",
 *   "A 12 34 56 789"), as SOURCES.md normalises them; two groups that are years are a range of
 *   years ("a 2021-2025 transition"), not an A-number;
 * - three or more groups of 9 or 10 digits in all without a prefix ("123 456 789", "12 345 67 89");
 * - any run of 7 or more digits (a bare A-number, receipt or other case number).
 * Years, dates, versions and counts ("2025-01-20", "1.10", "1,234") are not. The text is read in
 * Unicode compatibility form, so fullwidth digits count as digits.
 */
const SEPARATOR = String.raw`[\s.,/_()\u2010-\u2015-]{1,2}`;
/** One to six digit groups, not followed by a further group (a longer number is not cut short). */
const DIGIT_GROUPS = String.raw`\d+(?:${SEPARATOR}\d+){0,5}(?!\d|${SEPARATOR}\d)`;
const CANDIDATE = new RegExp(
  [
    String.raw`\bP-[0-9A-Z]{12}\b`,
    String.raw`\b(?<prefix>[A-Z]{3}|A)[\s#.:/_()\u2010-\u2015-]{0,3}(?<prefixed>${DIGIT_GROUPS})`,
    String.raw`\b(?<bare>${DIGIT_GROUPS})`,
    String.raw`\d{7,}`,
  ].join("|"),
  "gi",
);

const ISO_DATE = /(?:19|20)\d{2}[-/.](?:0[1-9]|1[0-2])[-/.](?:0[1-9]|[12]\d|3[01])/;

/** The first person or case identifier the text names, if any. */
export function caseIdentifierIn(text: string): string | undefined {
  for (const match of text.normalize("NFKC").matchAll(CANDIDATE)) {
    const { prefix, prefixed, bare } = match.groups ?? {};
    const digits = prefixed ?? bare;
    if (digits === undefined) return match[0];
    // A date and what follows it ("per 2025-01-20 12:00") are a date, not a grouped number; a
    // run of 7 or more digits among them still names a case.
    const dated = ISO_DATE.test(digits);
    const groups = digitGroupLengths(digits);
    if (!dated && prefix !== undefined && namedWithPrefix(prefix, digits, groups)) return match[0];
    // Without its prefix ("see 123 456 789"), the digits may still name a case by themselves.
    const run = /\d{7,}/.exec(digits);
    if (run) return run[0];
    if (!dated && namedByDigits(groups)) return digits;
  }
  return undefined;
}

function digitGroupLengths(digits: string): number[] {
  return digits.split(/\D+/).map((group) => group.length);
}

/** A receipt number (3 letters, 10 digits) or an A-number ("A", 7 to 9 digits, not a range of years). */
function namedWithPrefix(prefix: string, digits: string, groups: readonly number[]): boolean {
  const total = groups.reduce((sum, length) => sum + length, 0);
  if (prefix.length === 3) return total === 10;
  return total >= 7 && total <= 9 && !isRangeOfYears(digits);
}

/** Two years ("2021-2025", "1999/2000"): what "a 2021-2025 transition" holds, not an A-number. */
function isRangeOfYears(digits: string): boolean {
  return /^(?:19|20)\d{2}\D+(?:19|20)\d{2}$/.test(digits);
}

/** Three or more groups of 9 or 10 digits: an A-number's or a receipt's digits. */
function namedByDigits(groups: readonly number[]): boolean {
  const total = groups.reduce((sum, length) => sum + length, 0);
  return groups.length >= 3 && (total === 9 || total === 10);
}
