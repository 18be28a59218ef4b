import type { StatusDocument } from "../../api/case-types.ts";

/**
 * What the status panel says of the next change. An answer for a past date names none (it could
 * be the date of a record dated after that day), which is not the same as none being scheduled.
 */
export function nextChangeLabel(
  status: Pick<StatusDocument, "as_of" | "next_change_on">,
  today: string = new Date().toISOString().slice(0, 10),
): string {
  if (status.next_change_on !== null) return status.next_change_on;
  return status.as_of < today ? "not given for a past date" : "none scheduled";
}
