/**
 * Many rows as one text parameter of JSON lines, one value per line, which a statement reads
 * back with `jsonLinesOf("$1")`: each line is parsed as jsonb on its own.
 *
 * Not array parameters: node-postgres escapes every character of every element into an array
 * literal, and PostgreSQL parses it back. Not one JSON document (`jsonb_to_recordset($1::jsonb)`)
 * either: PostgreSQL builds a document of thousands of person statuses several times more slowly
 * than the same statuses one by one (16 MB: 1.25 s against 0.4 s of its CPU, split included). JSON
 * text holds no raw line break (JSON.stringify escapes it inside strings), so a line is a value.
 */
export function jsonLines(values: readonly unknown[]): string {
  let text = "";
  for (let index = 0; index < values.length; index++) {
    text += index === 0 ? JSON.stringify(values[index]) : `\n${JSON.stringify(values[index])}`;
  }
  return text;
}

/**
 * The rows of a `jsonLines` parameter, in order, as `line jsonb` and `ordinal bigint` (e.g.
 * `FROM ${jsonLinesOf("$1")} AS e(line, ordinal)`).
 */
export function jsonLinesOf(parameter: `$${number}`): string {
  return `(SELECT line::jsonb, ordinal FROM string_to_table(${parameter}::text, E'\\n') WITH ORDINALITY AS lines(line, ordinal))`;
}
