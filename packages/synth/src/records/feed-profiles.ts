import { FEED_SCHEMAS, type Feed } from "@passage/core";

/** Feeds about a person (all but `flight`). */
export type PersonFeed = Exclude<Feed, "flight">;

/** The feeds about a person, in contract order. */
export const PERSON_FEEDS: readonly PersonFeed[] = [
  "visa",
  "admission",
  "departure",
  "benefit",
  "court",
  "custody",
  "encounter",
  "conviction",
  "citizenship",
  "travel_document",
];

/** The person fields of SOURCES.md that a profile can carry. */
export type PersonField =
  | "family_name"
  | "given_names"
  | "date_of_birth"
  | "sex"
  | "country_of_birth"
  | "nationality"
  | "a_number"
  | "passport_number"
  | "passport_country"
  | "i94_number"
  | "fin";

/** How a source system writes a person. */
export interface FeedProfile {
  /** Upper-case ASCII names, as machine-readable travel documents and enforcement systems write them. */
  readonly machineNames: boolean;
  /** Probability that each person field is recorded when the person has it. */
  readonly fields: Readonly<Partial<Record<PersonField, number>>>;
  /** Ways this system writes an A-number (all normalise to the same 9 digits). */
  readonly aNumberStyles: readonly ("A" | "plain" | "dashed" | "spaced" | "padded")[];
}

const ALWAYS = 1;

/**
 * Which person fields each source system records, and how (DOMAIN.md §2.1). Systems differ:
 * CBP travel records carry passports and no A-number; EOIR carries the A-number and little else.
 */
export const FEED_PROFILES: Readonly<Record<PersonFeed, FeedProfile>> = {
  visa: {
    machineNames: true,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: ALWAYS,
      country_of_birth: 0.95,
      nationality: ALWAYS,
      passport_number: ALWAYS,
      passport_country: ALWAYS,
    },
    aNumberStyles: ["A"],
  },
  admission: {
    machineNames: true,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: 0.97,
      country_of_birth: 0.3,
      nationality: ALWAYS,
      passport_number: ALWAYS,
      passport_country: ALWAYS,
      fin: 0.3,
    },
    aNumberStyles: ["A"],
  },
  departure: {
    machineNames: true,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: 0.9,
      nationality: ALWAYS,
      passport_number: 0.95,
      passport_country: 0.95,
      i94_number: 0.55,
      a_number: ALWAYS,
      fin: 0.3,
    },
    aNumberStyles: ["A", "plain"],
  },
  benefit: {
    machineNames: false,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: ALWAYS,
      country_of_birth: 0.9,
      nationality: 0.9,
      a_number: 0.85,
      passport_number: 0.3,
      passport_country: 0.3,
      i94_number: 0.45,
    },
    aNumberStyles: ["A", "dashed", "plain"],
  },
  court: {
    machineNames: true,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: 0.8,
      sex: 0.7,
      nationality: ALWAYS,
      a_number: ALWAYS,
    },
    aNumberStyles: ["A", "plain", "padded"],
  },
  custody: {
    machineNames: true,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: ALWAYS,
      country_of_birth: 0.8,
      nationality: ALWAYS,
      a_number: ALWAYS,
      fin: 0.95,
    },
    aNumberStyles: ["plain", "padded"],
  },
  encounter: {
    machineNames: true,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: 0.95,
      sex: ALWAYS,
      country_of_birth: 0.7,
      nationality: ALWAYS,
      a_number: 0.6,
      passport_number: 0.3,
      passport_country: 0.3,
      fin: 0.9,
    },
    aNumberStyles: ["A", "plain"],
  },
  conviction: {
    machineNames: false,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: ALWAYS,
      nationality: 0.3,
      a_number: 0.15,
      fin: 0.4,
    },
    aNumberStyles: ["spaced", "A"],
  },
  citizenship: {
    machineNames: false,
    fields: {
      family_name: ALWAYS,
      given_names: ALWAYS,
      date_of_birth: ALWAYS,
      sex: ALWAYS,
      country_of_birth: ALWAYS,
      a_number: 0.9,
    },
    aNumberStyles: ["A", "dashed"],
  },
  travel_document: { machineNames: true, fields: {}, aNumberStyles: ["plain", "A"] },
};

/** Whether the feed's contract requires the field (a required field is never dropped as noise). */
export function isRequired(feed: PersonFeed, field: string): boolean {
  return FEED_SCHEMAS[feed].fieldsByName.get(field)?.required ?? false;
}

/** Writes a 9-digit A-number the way a system does (A123456789, A-123-456-789, 123456789, ...). */
export function formatANumber(aNumber: string, style: FeedProfile["aNumberStyles"][number]): string {
  const padded = aNumber.padStart(9, "0");
  switch (style) {
    case "A":
      return "A" + aNumber;
    case "plain":
      return aNumber;
    case "padded":
      return padded;
    case "dashed":
      return `A${padded.slice(0, 3)}-${padded.slice(3, 6)}-${padded.slice(6)}`;
    case "spaced":
      return `A ${padded.slice(0, 3)} ${padded.slice(3, 6)} ${padded.slice(6)}`;
  }
}
