/**
 * "As known at" is an instant. The form's datetime-local field holds the reader's local wall-clock
 * time; the address (`?knownAt=`) holds the instant itself, in UTC with its `Z`, so a link means
 * the same moment in every time zone.
 */

/** A datetime-local value (`2026-03-01T14:30`, the browser's own time zone) as a UTC instant, or undefined when empty or invalid. */
export function instantFromLocalTime(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(local)) return undefined;
  // A date-time without an offset is local time (ECMAScript Date.parse).
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** A UTC instant as the datetime-local value of the same moment in the browser's time zone. */
export function localTimeOfInstant(instant: string): string {
  const time = new Date(instant);
  if (Number.isNaN(time.getTime())) return "";
  const seconds = time.getSeconds() === 0 ? "" : `:${pad(time.getSeconds())}`;
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}${seconds}`;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The `knownAt` of an address: the instant, or the sentence that says why it is not one (a link
 * typed or cut short by hand must not crash the page).
 */
export function parseKnownAt(text: string): { readonly instant?: string; readonly problem?: string } {
  if (text === "") return {};
  const time = INSTANT.test(text) ? new Date(text) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    return {
      problem: `"As known at" in the address (knownAt=${text}) is not an instant with its time zone, such as 2026-03-01T14:30:00Z. Choose a time in the form instead.`,
    };
  }
  return { instant: time.toISOString() };
}

/** The browser's time zone as the form names it: `Europe/Berlin (UTC+01:00)`. */
export function localTimeZoneLabel(at: Date = new Date()): string {
  const offsetMinutes = -at.getTimezoneOffset();
  const sign = offsetMinutes < 0 ? "−" : "+";
  const absolute = Math.abs(offsetMinutes);
  const offset = `UTC${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone ? `${zone} (${offset})` : offset;
}
