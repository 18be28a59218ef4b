import { fetchRecords } from "../../api/case-api.ts";
import type { RecordSummary, SourcedValue } from "../../api/case-types.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Alert, ErrorAlert, Loading, TableWrap, useAsync } from "../../design/index.ts";
import { VersionList } from "./citation-list.tsx";

const SOURCED_FIELDS = [
  ["family_name", "Family name"],
  ["given_names", "Given names"],
  ["date_of_birth", "Date of birth"],
  ["sex", "Sex"],
  ["a_number", "A-number"],
  ["i94_number", "I-94 number"],
  ["fin", "FIN"],
  ["passport_number", "Passport"],
  ["nationality", "Nationality"],
  ["country_of_birth", "Country of birth"],
] as const;

const RECORD_LISTS = [
  ["travel_documents", "Travel documents"],
  ["admissions", "Admissions"],
  ["departures", "Departures"],
  ["court_events", "Court events"],
  ["custody_events", "Custody events"],
  ["encounters", "Encounters"],
  ["convictions", "Convictions"],
  ["benefits", "Benefits"],
  ["confidential_benefits", "Confidential matters (8 CFR 208.6, 8 U.S.C. 1367)"],
] as const;

function isSourcedList(value: unknown): value is SourcedValue[] {
  return Array.isArray(value);
}

function display(value: unknown): string {
  if (value && typeof value === "object") {
    const passport = value as { number?: unknown; country?: unknown };
    if ("number" in passport)
      return `${String(passport.number)}${passport.country ? ` (${String(passport.country)})` : ""}`;
    return JSON.stringify(value);
  }
  return String(value);
}

/** Identity values, each with the records that give it (never one merged value), and every source record. */
export function IdentityPanel({
  person,
  hidden,
}: {
  person: Record<string, unknown>;
  hidden: readonly string[];
}) {
  const session = useSession();
  const present = SOURCED_FIELDS.filter(([field]) => isSourcedList(person[field]));
  return (
    <div className="stack">
      <section className="card" aria-labelledby="identity-title">
        <h2 id="identity-title">Identity, as each source gives it</h2>
        {hidden.length > 0 ? (
          <p className="field-hint">Some groups of fields are not part of your role's view.</p>
        ) : null}
        <TableWrap label="Values and the records that give them">
          <table className="table">
            <caption>Values and the records that give them</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
                <th scope="col">Given by</th>
              </tr>
            </thead>
            <tbody>
              {present.flatMap(([field, label]) => {
                const values = person[field] as SourcedValue[];
                if (values.length === 0) {
                  return [
                    <tr key={field}>
                      <th scope="row">{label}</th>
                      <td colSpan={2} className="field-hint">
                        not recorded
                      </td>
                    </tr>,
                  ];
                }
                return values.map((value, index) => (
                  <tr key={`${field}-${display(value.value)}`}>
                    {index === 0 ? (
                      <th scope="row" rowSpan={values.length}>
                        {label}
                        {values.length > 1 ? (
                          <div className="field-hint">{values.length} different values</div>
                        ) : null}
                      </th>
                    ) : null}
                    <td className="mono">{display(value.value)}</td>
                    <td className="mono">{value.sources.join(", ")}</td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <section className="card" aria-labelledby="case-records-title">
        <h2 id="case-records-title">Case records</h2>
        {RECORD_LISTS.filter(
          ([field]) => Array.isArray(person[field]) && (person[field] as unknown[]).length > 0,
        ).map(([field, label]) => (
          <details key={field}>
            <summary>
              {label} ({(person[field] as RecordSummary[]).length})
            </summary>
            <ul>
              {(person[field] as RecordSummary[]).map((record) => (
                <li key={record.record} className="mono">
                  {record.record} v{record.version}, recorded {record.recordedAt}
                </li>
              ))}
            </ul>
          </details>
        ))}
      </section>
      {session.may("record.read") ? <RecordsWithProvenance personId={String(person.person_id)} /> : null}
    </div>
  );
}

function RecordsWithProvenance({ personId }: { personId: string }) {
  const { purpose } = useSession();
  const records = useAsync((signal) => fetchRecords(personId, purpose, signal), [personId, purpose]);
  const byRecord = new Map<string, NonNullable<typeof records.data>>();
  for (const version of records.data ?? []) {
    const reference = `${version.feed}:${version.recordKey}`;
    byRecord.set(reference, [...(byRecord.get(reference) ?? []), version]);
  }
  return (
    <section className="card" aria-labelledby="records-title">
      <h2 id="records-title">Every source record, with provenance</h2>
      {records.loading ? <Loading what="records" /> : null}
      <ErrorAlert error={records.error} />
      {records.data && records.data.length === 0 ? <Alert tone="info">No record you may read.</Alert> : null}
      {[...byRecord.entries()].map(([reference, versions]) => (
        <details key={reference} data-testid="source-record">
          <summary className="mono">
            {reference} ({versions.length} version{versions.length === 1 ? "" : "s"})
          </summary>
          <VersionList versions={versions} />
        </details>
      ))}
    </section>
  );
}
