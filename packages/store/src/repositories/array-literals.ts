/**
 * PostgreSQL array literals written once, as text: for a `$n::int[]` / `$n::text[]` parameter
 * (given the array itself, node-postgres turns every element into a string, quotes and escapes it,
 * one of the linkage handler's larger costs: its batches send arrays of 10-20k block hashes and
 * entity ids) and for a `text[]` column in COPY text.
 */

/** An array of numbers as its literal text (`{1,2,3}`): the number's own text, as node-postgres would send it. */
export function numberArrayLiteral(values: readonly number[]): string {
  return `{${values.join(",")}}`;
}

/**
 * An array of texts (null allowed) as its literal text, every element quoted, so that no value
 * can be read as NULL or split (`{"a","b \\"c\\""}`).
 */
export function textArrayLiteral(values: readonly (string | null | undefined)[]): string {
  let text = "{";
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (index > 0) text += ",";
    if (value === null || value === undefined) text += "NULL";
    else text += `"${ESCAPED_IN_ARRAY.test(value) ? value.replace(ESCAPED_IN_ARRAY_ALL, "\\$&") : value}"`;
  }
  return `${text}}`;
}
const ESCAPED_IN_ARRAY = /["\\]/;
const ESCAPED_IN_ARRAY_ALL = /["\\]/g;
