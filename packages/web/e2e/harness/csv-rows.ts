/**
 * Reads RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes) into objects keyed
 * by the header row; empty fields are left out, as a feed file's empty cells are.
 */
export function csvRows(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      record.push(field);
      field = "";
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && text[index + 1] === "\n") index++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += character;
  }
  if (quoted) throw new Error("CSV ends inside a quoted field");
  if (field !== "" || record.length > 0) records.push([...record, field]);
  const [header, ...rows] = records;
  if (!header) return [];
  return rows
    .filter((row) => row.length > 1 || row[0] !== "")
    .map((row) => {
      if (row.length !== header.length)
        throw new Error(`CSV row has ${row.length} fields, header has ${header.length}`);
      const entry: Record<string, string> = {};
      header.forEach((name, column) => {
        if (row[column] !== "") entry[name] = row[column]!;
      });
      return entry;
    });
}
