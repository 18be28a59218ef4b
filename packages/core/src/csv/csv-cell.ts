/**
 * Text a spreadsheet reads as a formula: its first character is a tab or a carriage return, or
 * its first character that is not whitespace, a control or an invisible format character (a
 * zero-width space, a byte-order mark) is =, +, -, @. Spreadsheets trim such leading characters
 * before they look for a formula, so " =1+1" or "\n=1+1" is as much a formula as "=1+1".
 */
const FORMULA_START = /^[\t\r]|^[\s\p{Cc}\p{Cf}]*[=+\-@]/u;
/**
 * A plain decimal number ("-1.5", "+2", "3e-4"), with spaces around it at most: a spreadsheet
 * reads it as that number, nothing more (it trims the spaces of a number, and has nothing to run).
 * Any other leading character (a tab, a line feed, a no-break space) makes it text that is quoted.
 */
const PLAIN_NUMBER = /^ *[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)? *$/;
const NEEDS_QUOTING = /[",\r\n]/;

/**
 * One CSV cell (RFC 4180) that a spreadsheet opens as data, never as a formula. Text that starts
 * as a formula would (=, +, -, @, tab, carriage return), also after leading whitespace, control
 * or invisible characters that a spreadsheet trims, is prefixed with a single quote, as OWASP
 * advises against CSV injection: a record's or a user's text (an override reason, a name) could
 * otherwise run `=HYPERLINK(...)` in the reader's spreadsheet. Numbers, and text that is a plain
 * number (spaces around it allowed), are written as they are, so a negative score stays a number.
 * Quoted, with quotes doubled, when it holds a comma, a quote or a line break; null and undefined
 * are empty cells.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const neutralised =
    typeof value === "string" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return NEEDS_QUOTING.test(neutralised) ? `"${neutralised.replaceAll('"', '""')}"` : neutralised;
}
