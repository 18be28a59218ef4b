import { FEED_SCHEMAS, linkageEntityId, type NormalisedFields, type SourceRecord } from "@passage/core";
import {
  type BlockingRule,
  DEFAULT_MAXIMUM_TERM_FREQUENCY_BONUS,
  type LinkageSettings,
} from "../model/linkage-settings.ts";
import type { LinkageRecord } from "../model/prepared-record.ts";
import type { ClassPairs } from "../model/record-classes.ts";

/** Largest block the feeds' rules compare whole (larger ones are refined). */
export const FEED_BLOCK_SIZE_CAP = 150;

/** Name values that mean "unknown" (first / last name unknown, not recorded). */
export const NAME_PLACEHOLDERS: readonly string[] = ["FNU", "LNU", "UNK", "UNKNOWN", "NFN", "NLN", "XXX"];

/**
 * The fields of SOURCES.md that linkage reads: the person fields, and a court record's case
 * number (every event of one case is about its one respondent).
 */
export const LINKAGE_PERSON_FIELDS = [
  "family_name",
  "given_names",
  "date_of_birth",
  "sex",
  "country_of_birth",
  "nationality",
  "a_number",
  "passport_number",
  "passport_country",
  "i94_number",
  "fin",
  "case_id",
] as const;

/**
 * Passage's linkage settings for its feeds. Evidence beyond name and date of birth (the
 * corroboration safeguard) is an identifier, or agreement on sex, nationality and country of
 * birth worth `minimumCorroboratingWeight` bits; those three follow the name, so their u is
 * measured among namesakes (`dependsOnFamilyName`), they fall under the namesake cap
 * (`followsName`) and they corroborate nothing when a birth date is missing. A-number and passport (scoped by its issuing
 * country) are strong identifiers: two different values never auto-merge. An I-94 number is
 * per admission, so a person holds many and a difference is no conflict; a FIN is an opaque
 * cross-reference, compared exactly and never read. A court case number (court records only) is
 * compared exactly too: a shared one is strong evidence, a different one none (a person may have
 * many cases).
 */
/**
 * A class-limited rule keyed on the given name's sound, the joined family name's sound and the
 * nationality, pairing only the classes listed, in blocks of 40: for records that hold neither a
 * birth date nor a number in common with the record they should meet.
 */
function namesAndNationality(against: string, classPairs: ClassPairs): BlockingRule {
  return {
    name: `names + nationality, ${against}`,
    parts: [
      { transform: "phonetic", comparisons: ["given_names"] },
      { transform: "joined_phonetic", comparisons: ["family_name"] },
      { transform: "value", comparisons: ["nationality"] },
    ],
    refinements: [],
    blockSizeCap: 40,
    classPairs,
  };
}

export const FEED_LINKAGE_SETTINGS: LinkageSettings = {
  linkType: "dedupe",
  comparisons: [
    // FNU / LNU: "first (last) name unknown", what enforcement systems write for a person with
    // one name; as a name it would make strangers agree.
    { name: "given_names", kind: "given_name", column: "given_names", missingValues: NAME_PLACEHOLDERS },
    { name: "family_name", kind: "family_name", column: "family_name", missingValues: NAME_PLACEHOLDERS },
    { name: "date_of_birth", kind: "date", column: "date_of_birth", format: "YYYY-MM-DD" },
    { name: "sex", kind: "exact", column: "sex", missingValues: ["U"], followsName: true },
    {
      name: "country_of_birth",
      kind: "exact",
      column: "country_of_birth",
      dependsOnFamilyName: true,
      followsName: true,
    },
    {
      name: "nationality",
      kind: "exact",
      column: "nationality",
      dependsOnFamilyName: true,
      followsName: true,
    },
    { name: "a_number", kind: "identifier", column: "a_number", scheme: "a_number", strong: true },
    {
      name: "passport",
      kind: "identifier",
      column: "passport_number",
      scheme: "passport",
      scopeColumn: "passport_country",
      strong: true,
    },
    { name: "i94_number", kind: "identifier", column: "i94_number", scheme: "i94" },
    { name: "fin", kind: "identifier", column: "fin", scheme: "opaque" },
    // The events of one court case concern its respondent, however each names them: a decision
    // listing only the surname and a second A-number still belongs with the case's hearings.
    { name: "case_id", kind: "identifier", column: "case_id", scheme: "opaque", manyPerPerson: true },
  ],
  blockingRules: [
    { name: "a_number", parts: [{ transform: "value", comparisons: ["a_number"] }], refinements: [] },
    { name: "passport", parts: [{ transform: "value", comparisons: ["passport"] }], refinements: [] },
    { name: "i94_number", parts: [{ transform: "value", comparisons: ["i94_number"] }], refinements: [] },
    { name: "fin", parts: [{ transform: "value", comparisons: ["fin"] }], refinements: [] },
    { name: "case_id", parts: [{ transform: "value", comparisons: ["case_id"] }], refinements: [] },
    {
      name: "family sound + birth year + given sound",
      parts: [
        { transform: "phonetic", comparisons: ["family_name"] },
        { transform: "year", comparisons: ["date_of_birth"] },
        { transform: "phonetic", comparisons: ["given_names"] },
      ],
      refinements: [{ transform: "month_day", comparisons: ["date_of_birth"] }],
    },
    {
      name: "name sounds in either order + birth year",
      parts: [
        { transform: "phonetic_pair", comparisons: ["given_names", "family_name"] },
        { transform: "year", comparisons: ["date_of_birth"] },
      ],
      refinements: [{ transform: "month_day", comparisons: ["date_of_birth"] }],
    },
    {
      name: "given sound + date of birth",
      parts: [
        { transform: "phonetic", comparisons: ["given_names"] },
        { transform: "value", comparisons: ["date_of_birth"] },
      ],
      refinements: [{ transform: "initial", comparisons: ["family_name"] }],
    },
    {
      // A record without a given name (a conviction or departure listing only the surname). Day
      // and month sorted, so a departure record with the two swapped still meets its person.
      name: "family sound + date of birth",
      parts: [
        { transform: "phonetic", comparisons: ["family_name"] },
        { transform: "year", comparisons: ["date_of_birth"] },
        { transform: "month_day", comparisons: ["date_of_birth"] },
      ],
      refinements: [{ transform: "value", comparisons: ["sex"] }],
    },
    {
      // A renewed passport: a record holding the new number, often without a date of birth
      // (visa and admission records), scored against none of its holder's records, since every
      // other name rule needs the date and the numbers differ. Met here, the pair goes to review
      // for its conflicting passports instead of the record standing alone as another person.
      // The family name with its particles glued ("Von Berg" and "Vonberg" alike): keyed on the
      // given name and country alone, the blocks held more pairs than every other rule together.
      name: "names + passport country",
      parts: [
        { transform: "phonetic", comparisons: ["given_names"] },
        { transform: "joined_phonetic", comparisons: ["family_name"] },
        { transform: "scope", comparisons: ["passport"] },
      ],
      refinements: [],
      // A name shared by more holders of one country's passports is no evidence of a renewal;
      // uncapped at 150, common names gave this rule 2.4M of 7.8M candidate pairs at 1M records.
      blockSizeCap: 12,
    },
    {
      // A birth year mistyped or a year off: the rest of the date and both names' sounds agree.
      name: "family sound + birth day and month + given sound",
      parts: [
        { transform: "phonetic", comparisons: ["family_name"] },
        { transform: "month_day", comparisons: ["date_of_birth"] },
        { transform: "phonetic", comparisons: ["given_names"] },
      ],
      refinements: [],
    },
    {
      // A departure or citizenship record listing a name and nationality but no birth date or
      // document meets no record under the rules above. Against a court record (the order it
      // could bar) it is compared anyway: scored, the pair goes to review from 1 in 20 instead of
      // the order being acted on while the record stands apart. Court against court or benefit
      // records this way cost over 2,000 review items per 20,000 persons for 8 true pairs.
      ...namesAndNationality("court against departure or citizenship", [
        ["court", "departure"],
        ["court", "citizenship"],
      ]),
    },
    {
      // A border encounter often holds names, nationality and a FIN but no birth date or A-number;
      // the court case or benefit filing that followed holds the A-number. No other rule pairs
      // them, so the person stood as two, each with half a status (an entry without inspection
      // apart from its asylum application or proceedings). Names, sex, nationality and country of
      // birth put such a pair at 0.99 and above: in review, as names and nationality are no
      // identifier, unless the safeguards find corroboration as for any pair. On the truth trial's
      // 20,000 persons: 378 review items more (149 true pairs, 229 to reject), 9 more true
      // auto-links and no false one; match after review 99.315% -> 99.58% (BENCHMARKS.md).
      ...namesAndNationality("encounter against court or benefit", [
        ["encounter", "court"],
        ["encounter", "benefit"],
      ]),
    },
  ],
  // Feeds: 150 records (11,175 pairs) at most. The synthetic population's commonest names put
  // up to 350 persons born in one year in one sound block; refined by day and month such a
  // block keeps its matches (a swapped date keys alike) at a tenth of the pairs. Measured on
  // 1M records: 11.7M candidate pairs at 400, see bench/linkage/BENCHMARKS.md.
  blockSizeCap: FEED_BLOCK_SIZE_CAP,
  thresholds: {
    autoLinkProbability: 0.995,
    reviewProbability: 0.5,
    // A court record holds the removal order that grounds an action; a departure, a citizenship
    // record, a benefit filing or another court record (a stay, an appeal, a termination) can
    // bar it (DOMAIN.md §1.9). Left apart unasked, such a pair puts a person who left, a
    // citizen or a protected applicant on a worklist, so it is reviewed from 1 in 20: on the
    // synthetic population about one review item more per 100 persons (bench/linkage/BENCHMARKS.md).
    cautiousReview: {
      reviewProbability: 0.05,
      classPairs: [
        ["court", "departure"],
        ["court", "citizenship"],
        ["court", "benefit"],
        ["court", "court"],
      ],
    },
  },
  // Two bits beyond names and dates: an identifier always suffices, sex alone (one bit) never,
  // nationality with country of birth (measured against same-surname pairs) usually does.
  safeguards: { requireCorroboration: true, minimumCorroboratingWeight: 2 },
  maximumTermFrequencyBonus: DEFAULT_MAXIMUM_TERM_FREQUENCY_BONUS,
};

/** A linkage record from normalised feed fields: the person fields as text, keyed by field name. */
export function linkageRecordOfFields(id: string, fields: NormalisedFields): LinkageRecord {
  const values: Record<string, string> = {};
  for (const name of LINKAGE_PERSON_FIELDS) {
    const value = fields[name];
    if (value !== undefined && value !== "") values[name] = String(value);
  }
  return { id, source: 0, values };
}

/**
 * The linkage unit of one `feed:keyValue` (`linkageEntityId`): every row and version sharing a
 * feed and key value is one entity. Each person field takes its value from the most recently
 * recorded row that has it, so a correction replaces what it corrects.
 */
export function linkageRecordOfSourceRecords(rows: readonly SourceRecord[]): LinkageRecord {
  const first = rows[0];
  if (first === undefined) throw new Error("linkageRecordOfSourceRecords needs at least one row");
  if (!FEED_SCHEMAS[first.feed].aboutPerson) throw new Error(`feed ${first.feed} does not describe a person`);
  const newestFirst = [...rows].sort((a, b) =>
    a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : b.version - a.version,
  );
  const merged: Record<string, string | number> = {};
  for (const row of newestFirst) {
    if (row.feed !== first.feed || row.keyValue !== first.keyValue) {
      throw new Error(`rows of ${row.feed}:${row.keyValue} mixed with ${first.feed}:${first.keyValue}`);
    }
    for (const name of LINKAGE_PERSON_FIELDS) {
      const value = row.fields[name];
      if (merged[name] === undefined && value !== undefined && value !== "") merged[name] = value;
    }
  }
  return linkageRecordOfFields(linkageEntityId(first.feed, first.keyValue), merged);
}
