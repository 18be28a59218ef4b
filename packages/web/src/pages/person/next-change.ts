import type { StatusDocument } from "../../api/case-types.ts";

/**
 * What the status panel says of the next change. An answer for a past date names none (it could
 * be the date of a record dated after that day), which is not the same as none being scheduled;
 * nor is a date withheld from a reader without the need to know asylum and 1367 matters (the
 * server then withholds the raw facts too, on every case alike).
 */
export function nextChangeLabel(
  status: Pick<StatusDocument, "as_of" | "next_change_on" | "facts">,
  today: string = new Date().toISOString().slice(0, 10),
): string {
  if (status.next_change_on !== null) return status.next_change_on;
  if (status.facts === null) return "withheld (needs access to asylum and 1367 matters)";
  return status.as_of < today ? "not given for a past date" : "none scheduled";
}
