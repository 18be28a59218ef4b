/** Date layouts a link-file column may declare; Passage feeds use `YYYY-MM-DD`. */
export const DATE_FORMATS = [
  "YYYY-MM-DD",
  "YYYYMMDD",
  "YYYY/MM/DD",
  "DD/MM/YYYY",
  "MM/DD/YYYY",
  "DD-MM-YYYY",
  "MM-DD-YYYY",
  "DD.MM.YYYY",
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** A date ready for comparison. */
export interface StandardDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Days since 1970-01-01. */
  readonly dayNumber: number;
  /** `YYYYMMDD`, for digit-level typo distance. */
  readonly digits: string;
  /**
   * A placeholder a system writes when the true date is unknown (1 January, or 1900-01-01 and
   * earlier sentinels): agreement on it is weak evidence (DOMAIN.md §2.2).
   */
  readonly placeholder: boolean;
}

interface Layout {
  readonly pattern: RegExp;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const LAYOUTS: Readonly<Record<DateFormat, Layout>> = {
  "YYYY-MM-DD": { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, year: 1, month: 2, day: 3 },
  YYYYMMDD: { pattern: /^(\d{4})(\d{2})(\d{2})$/, year: 1, month: 2, day: 3 },
  "YYYY/MM/DD": { pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, year: 1, month: 2, day: 3 },
  "DD/MM/YYYY": { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, year: 3, month: 2, day: 1 },
  "MM/DD/YYYY": { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, year: 3, month: 1, day: 2 },
  "DD-MM-YYYY": { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, year: 3, month: 2, day: 1 },
  "MM-DD-YYYY": { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, year: 3, month: 1, day: 2 },
  "DD.MM.YYYY": { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, year: 3, month: 2, day: 1 },
};

export function isDateFormat(value: string): value is DateFormat {
  return (DATE_FORMATS as readonly string[]).includes(value);
}

/**
 * Parses a date written in `format`. A month above 12 with a day of 12 or less is read as a
 * day/month swap rather than dropped, because swaps are the commonest date error in the
 * sources. Returns undefined for text that is no date (the value then counts as missing).
 */
export function standardiseDate(text: string, format: DateFormat): StandardDate | undefined {
  const match = LAYOUTS[format].pattern.exec(text.trim());
  if (!match) return undefined;
  const layout = LAYOUTS[format];
  const year = Number(match[layout.year]);
  let month = Number(match[layout.month]);
  let day = Number(match[layout.day]);
  if (month > 12 && day <= 12) [month, day] = [day, month];
  return makeDate(year, month, day);
}

/** A StandardDate from its parts, or undefined when no such calendar day exists. */
export function makeDate(year: number, month: number, day: number): StandardDate | undefined {
  if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  const dayNumber = Date.UTC(year, month - 1, day) / 86_400_000;
  if (new Date(dayNumber * 86_400_000).getUTCDate() !== day) return undefined;
  const digits = `${year}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}`;
  return { year, month, day, dayNumber, digits, placeholder: isPlaceholderDate(year, month, day) };
}

/** 1 January of any year, or any date in 1900 or before: what systems write for "unknown". */
export function isPlaceholderDate(year: number, month: number, day: number): boolean {
  return (month === 1 && day === 1) || year <= 1900;
}

/** A memoising date standardiser for one format. */
export function createDateStandardiser(format: DateFormat): (raw: string) => StandardDate | undefined {
  const cache = new Map<string, StandardDate | undefined>();
  return (raw) => {
    let standard = cache.get(raw);
    if (standard === undefined && !cache.has(raw)) {
      standard = standardiseDate(raw, format);
      cache.set(raw, standard);
    }
    return standard;
  };
}
