import { api } from "./api-client.ts";
import type { PersonAnswer, RecordVersion, StatusDocument } from "./case-types.ts";

/** Bitemporal coordinates of a status: valid time (`as-of`, a date) and record time (`known-at`). */
export interface StatusTime {
  readonly asOf?: string | undefined;
  readonly knownAt?: string | undefined;
}

const person = (personId: string) => `/persons/${encodeURIComponent(personId)}`;

/** The person view (`person.read`), with the field groups the reader may not see left out. */
export function fetchPerson(personId: string, purpose: string, signal?: AbortSignal): Promise<PersonAnswer> {
  return api.get(person(personId), { purpose, ...(signal ? { signal } : {}) });
}

/** The person's status with evidence, as of a date and as known at a time. */
export function fetchStatus(personId: string, time: StatusTime, purpose: string, signal?: AbortSignal) {
  return api.get<StatusDocument>(`${person(personId)}/status`, {
    purpose,
    query: { "as-of": time.asOf, "known-at": time.knownAt },
    ...(signal ? { signal } : {}),
  });
}

/** Every version of every record of the person the reader may read, with provenance. */
export async function fetchRecords(
  personId: string,
  purpose: string,
  signal?: AbortSignal,
): Promise<RecordVersion[]> {
  const answer = await api.get<{ records: RecordVersion[] }>(`${person(personId)}/records`, {
    purpose,
    ...(signal ? { signal } : {}),
  });
  return answer.records;
}

/** Which person a record (FEED:KEY) belongs to, through its provenance view. */
export async function fetchRecord(reference: string, purpose: string) {
  const separator = reference.indexOf(":");
  if (separator <= 0)
    throw new Error(`A record reference looks like FEED:KEY, e.g. visa:V123; got "${reference}".`);
  const feed = reference.slice(0, separator).trim();
  const key = reference.slice(separator + 1).trim();
  return api.get<{ record: string; personId: string | null; versions: RecordVersion[] }>(
    `/records/${encodeURIComponent(feed)}/${encodeURIComponent(key)}`,
    { purpose },
  );
}
