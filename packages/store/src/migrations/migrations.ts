import type { Migration } from "kysely";
import * as records from "./0001-records.ts";

/**
 * Every migration, in order. Names sort in application order; a new migration takes the next
 * number and is never edited once it has landed.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-records": records,
};
