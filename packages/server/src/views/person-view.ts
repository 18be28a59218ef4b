import type { FieldGroup } from "@passage/access";
import type { Feed } from "@passage/core";
import { expandGateEvaluation, type StoredGateEvaluation } from "@passage/policy";
import type { PersonCaseRecord, PersonCaseRow } from "@passage/store";

/** A value one or more records give, with the records that give it: never a merged "golden" value. */
export interface SourcedValue {
  readonly value: unknown;
  readonly sources: readonly string[];
}

/** A record as the person view lists it: reference, version, when recorded, its fields. */
export interface RecordSummary {
  readonly record: string;
  readonly version: number;
  readonly recordedAt: string;
  readonly fields: Record<string, unknown>;
}

const IDENTITY_FIELDS = ["family_name", "given_names", "date_of_birth", "sex"] as const;
const DOCUMENT_FIELDS = ["a_number", "i94_number", "fin"] as const;
const NATIONALITY_FIELDS = ["nationality", "country_of_birth"] as const;
const CONFIDENTIAL_OVERLAYS = new Set(["CONFIDENTIAL_ASYLUM", "CONFIDENTIAL_1367"]);

/**
 * The field group a record of each feed is shown under (the view field that lists it): a reader
 * who may not see that group may not see the record cited anywhere either, not as a value's
 * source, not in the evidence of a state, blocker or gate. A flagged record (asylum, 1367) is the
 * `confidential` group's whatever its feed.
 */
export const FEED_FIELD_GROUPS: Readonly<Record<Feed, FieldGroup>> = {
  visa: "case",
  admission: "case",
  departure: "case",
  benefit: "benefits",
  court: "case",
  custody: "case",
  encounter: "case",
  conviction: "criminal",
  citizenship: "case",
  travel_document: "documents",
  flight: "case",
};

/** The field group a record is shown under (see FEED_FIELD_GROUPS); unknown feeds are confidential. */
export function recordFieldGroup(record: Pick<PersonCaseRecord, "feed" | "confidentiality">): FieldGroup {
  if (record.confidentiality.length > 0) return "confidential";
  return FEED_FIELD_GROUPS[record.feed as Feed] ?? "confidential";
}

/**
 * A person as the API shows them (ARCHITECTURE.md "Safety by construction": identity values cite
 * the records that give them, each value listed with its sources). Every field belongs to a field
 * group of PERSON_FIELD_GROUPS, so the access layer can drop whole groups the reader may not see;
 * records flagged asylum or 1367 appear only under `confidential_benefits`, and confidentiality
 * overlays only under `confidential_overlays`. `latest` is the latest version of each record.
 */
export function buildPersonView(
  personId: string,
  latest: readonly PersonCaseRecord[],
  status: PersonCaseRow["status"],
  options: { readonly visible: readonly FieldGroup[] },
): Record<string, unknown> {
  // A reader may not learn of a record of a group hidden from them, even as a source: not that a
  // protected record exists (asylum, 1367), not that a conviction or a benefit is on file.
  const citable = latest.filter((record) => options.visible.includes(recordFieldGroup(record)));
  // Flagged records' citations are left to `withoutConfidentialMatters`, which the reader without
  // the need is shown the view through: what rests on them is withheld by them, not just uncited.
  const uncitable = new Set(
    latest
      .filter((record) => {
        const group = recordFieldGroup(record);
        return group !== "confidential" && !options.visible.includes(group);
      })
      .map((record) => `${record.feed}:${record.recordKey}`),
  );
  const sourced = (field: string): SourcedValue[] => {
    const byValue = new Map<string, SourcedValue & { sources: string[] }>();
    for (const record of citable) {
      const value = record.fields[field];
      if (value === undefined || value === null || value === "") continue;
      const key = JSON.stringify(value);
      const entry = byValue.get(key) ?? { value, sources: [] };
      entry.sources.push(`${record.feed}:${record.recordKey}`);
      byValue.set(key, entry);
    }
    return [...byValue.values()];
  };
  const summaries = (feed: string, confidential: boolean): RecordSummary[] =>
    latest
      .filter((record) => record.feed === feed && record.confidentiality.length > 0 === confidential)
      .map((record) => ({
        record: `${record.feed}:${record.recordKey}`,
        version: record.version,
        recordedAt: record.recordedAt,
        fields: record.fields,
      }));
  const passports = citable
    .filter((record) => typeof record.fields.passport_number === "string")
    .map((record) => ({
      value: { number: record.fields.passport_number, country: record.fields.passport_country ?? null },
      sources: [`${record.feed}:${record.recordKey}`],
    }));
  const view: Record<string, unknown> = { person_id: personId };
  for (const field of [...IDENTITY_FIELDS, ...DOCUMENT_FIELDS, ...NATIONALITY_FIELDS])
    view[field] = sourced(field);
  view.passport_number = passports;
  view.travel_documents = summaries("travel_document", false);
  view.admissions = summaries("admission", false);
  view.departures = summaries("departure", false);
  view.court_events = summaries("court", false);
  view.custody_events = summaries("custody", false);
  view.encounters = summaries("encounter", false);
  view.convictions = summaries("conviction", false);
  view.benefits = summaries("benefit", false);
  view.confidential_benefits = [...summaries("benefit", true), ...summaries("court", true)];
  const derived = status?.status as
    | { state?: unknown; overlays?: { overlay: string }[]; blockers?: unknown; evidence?: unknown }
    | undefined;
  const overlays = derived?.overlays ?? [];
  view.state = derived?.state ?? null;
  view.overlays = overlays.filter((overlay) => !CONFIDENTIAL_OVERLAYS.has(overlay.overlay));
  view.confidential_overlays = overlays.filter((overlay) => CONFIDENTIAL_OVERLAYS.has(overlay.overlay));
  view.blockers = derived?.blockers ?? [];
  view.gates = status
    ? {
        asOf: status.asOf,
        holding: status.gatesHolding,
        evaluation: status.gates ? expandGateEvaluation(status.gates as StoredGateEvaluation) : null,
      }
    : null;
  view.actionable = status?.actionable ?? false;
  view.evidence = derived?.evidence ?? [];
  return uncitable.size === 0 ? view : withoutCitationsOf(view, uncitable);
}

/** Every `evidence` list, at any depth, without the citations of these records (`feed:recordKey`). */
function withoutCitationsOf(
  value: Record<string, unknown>,
  records: ReadonlySet<string>,
): Record<string, unknown> {
  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== "object") return item;
    const copy: Record<string, unknown> = {};
    for (const [key, part] of Object.entries(item)) {
      copy[key] =
        key === "evidence" && Array.isArray(part)
          ? (part as { feed?: unknown; recordKey?: unknown }[]).filter(
              (citation) => !records.has(`${String(citation?.feed)}:${String(citation?.recordKey)}`),
            )
          : walk(part);
    }
    return copy;
  };
  return walk(value) as Record<string, unknown>;
}
