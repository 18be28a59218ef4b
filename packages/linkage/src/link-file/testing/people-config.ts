/**
 * A link-file configuration of people with a strong national identifier, as the tests give it
 * (`id` names the row id column; `COLUMNS` are a CSV's columns for it).
 */
export const PEOPLE_CONFIG = {
  id: "ref",
  fields: [
    { column: "first", kind: "given_name" },
    { column: "last", kind: "family_name" },
    { column: "dob", kind: "date", format: "YYYY-MM-DD" },
    { column: "nid", kind: "identifier", strong: true },
  ],
} as const;

export const PEOPLE_COLUMNS = ["ref", "first", "last", "dob", "nid"];
