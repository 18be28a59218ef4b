/** Text a spreadsheet reads as a formula: its first character is =, +, -, @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number ("-1.5", "+2", "3e-4"): a spreadsheet reads it as that number, nothing more. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTING = /[",\r\n]/;

/**
 * One CSV cell (RFC 4180) that a spreadsheet opens as data, never as a formula. Text that starts
 * as a formula would (=, +, -, @, tab, carriage return) is prefixed with a single quote, as OWASP
 * advises against CSV injection: a record's or a user's text (an override reason, a name) could
 * otherwise run `=HYPERLINK(...)` in the reader's spreadsheet. Numbers, and text that is a plain
 * number, are written as they are, so a negative score stays a number. Quoted, with quotes doubled,
 * when it holds a comma, a quote or a line break; null and undefined are empty cells.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const neutralised =
    typeof value === "string" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return NEEDS_QUOTING.test(neutralised) ? `"${neutralised.replaceAll('"', '""')}"` : neutralised;
}
