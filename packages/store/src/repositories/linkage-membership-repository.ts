import type { EntityKey } from "./linkage-entity-repository.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";
import type { IdentityIssue } from "./person-repository.ts";

/**
 * Linkage's writes of the person aggregate (migration 0020): persons, their members, retired
 * persons, and the identity issues the IDENTITY_NOT_CONFIRMED gate reads. Always inside the
 * caller's transaction, under the linkage lock.
 */

/** The person of each of these records (`feed:keyValue`), where linked. */
export async function findPersonsOfEntities(
  executor: SqlExecutor,
  keys: readonly EntityKey[],
): Promise<Map<string, string>> {
  const persons = new Map<string, string>();
  if (keys.length === 0) return persons;
  const rows = await executeSql<{ feed: string; key_value: string; person_id: string }>(
    executor,
    `SELECT m.feed, m.key_value, m.person_id
     FROM unnest($1::text[], $2::text[]) AS k(feed, key_value)
     JOIN person_member m ON m.feed = k.feed AND m.key_value = k.key_value`,
    [keys.map((key) => key.feed), keys.map((key) => key.keyValue)],
  );
  for (const row of rows) persons.set(`${row.feed}:${row.key_value}`, row.person_id);
  return persons;
}

/** Members of these persons as `feed:keyValue`, linkage-indexed or not, grouped by person. */
export async function findMembersOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  if (personIds.length === 0) return members;
  const rows = await executeSql<{ person_id: string; feed: string; key_value: string }>(
    executor,
    `SELECT person_id, feed, key_value FROM person_member WHERE person_id = ANY($1::text[])
     ORDER BY person_id, feed, key_value`,
    [[...personIds]],
  );
  for (const row of rows) {
    const list = members.get(row.person_id);
    const record = `${row.feed}:${row.key_value}`;
    if (list) list.push(record);
    else members.set(row.person_id, [record]);
  }
  return members;
}

/** Which of these persons exist. */
export async function findExistingPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await executeSql<{ person_id: string }>(
    executor,
    "SELECT person_id FROM person WHERE person_id = ANY($1::text[])",
    [[...personIds]],
  );
  return new Set(rows.map((row) => row.person_id));
}

/** Creates persons (ids already minted); existing ones are left alone. */
export async function insertPersons(executor: SqlExecutor, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await executeSql(
    executor,
    "INSERT INTO person (person_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
    [[...personIds]],
  );
}

/** Puts records in persons (moving them if they were elsewhere); touched persons' `updated_at` moves. */
export async function assignMembers(
  executor: SqlExecutor,
  members: readonly { readonly feed: string; readonly keyValue: string; readonly personId: string }[],
): Promise<void> {
  if (members.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO person_member (feed, key_value, person_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (feed, key_value) DO UPDATE SET person_id = EXCLUDED.person_id, linked_at = now()
     WHERE person_member.person_id <> EXCLUDED.person_id`,
    [
      members.map((member) => member.feed),
      members.map((member) => member.keyValue),
      members.map((member) => member.personId),
    ],
  );
  await executeSql(executor, "UPDATE person SET updated_at = now() WHERE person_id = ANY($1::text[])", [
    [...new Set(members.map((member) => member.personId))],
  ]);
}

/** Takes records out of whatever person holds them (before they are linked again). */
export async function removeMembers(executor: SqlExecutor, keys: readonly EntityKey[]): Promise<void> {
  if (keys.length === 0) return;
  await executeSql(
    executor,
    `DELETE FROM person_member m USING unnest($1::text[], $2::text[]) AS k(feed, key_value)
     WHERE m.feed = k.feed AND m.key_value = k.key_value`,
    [keys.map((key) => key.feed), keys.map((key) => key.keyValue)],
  );
}

/** A person that ceases to exist, and the person that took most of its records (if any). */
export interface PersonRetirement {
  readonly personId: string;
  readonly successorPersonId: string | null;
  readonly reason: string;
}

/**
 * Retires persons that no longer have members: their rows go (identity issues with them) and
 * the retirement is kept, so a caller holding an old id learns where its records went.
 */
export async function retirePersons(
  executor: SqlExecutor,
  retirements: readonly PersonRetirement[],
): Promise<void> {
  if (retirements.length === 0) return;
  const ids = retirements.map((retirement) => retirement.personId);
  await executeSql(
    executor,
    `DELETE FROM person p WHERE p.person_id = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM person_member m WHERE m.person_id = p.person_id)`,
    [ids],
  );
  await executeSql(
    executor,
    `INSERT INTO linkage_person_retirement (person_id, successor_person_id, reason)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (person_id) DO UPDATE SET successor_person_id = EXCLUDED.successor_person_id,
       reason = EXCLUDED.reason, retired_at = clock_timestamp()`,
    [
      ids,
      retirements.map((retirement) => retirement.successorPersonId),
      retirements.map((retirement) => retirement.reason),
    ],
  );
}

/** Where a retired person's records went, if the id was retired. */
export async function findPersonRetirement(
  executor: SqlExecutor,
  personId: string,
): Promise<PersonRetirement | undefined> {
  const rows = await executeSql<{ person_id: string; successor_person_id: string | null; reason: string }>(
    executor,
    "SELECT person_id, successor_person_id, reason FROM linkage_person_retirement WHERE person_id = $1",
    [personId],
  );
  const row = rows[0];
  return row
    ? { personId: row.person_id, successorPersonId: row.successor_person_id, reason: row.reason }
    : undefined;
}

/** Replaces the identity issues of these persons (persons that no longer exist are skipped). */
export async function replaceIdentityIssues(
  executor: SqlExecutor,
  personIds: readonly string[],
  issues: readonly (IdentityIssue & { readonly personId: string })[],
): Promise<void> {
  if (personIds.length === 0) return;
  await executeSql(executor, "DELETE FROM person_identity_issue WHERE person_id = ANY($1::text[])", [
    [...personIds],
  ]);
  if (issues.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO person_identity_issue (person_id, kind, detail, match_probability, evidence)
     SELECT i.person_id, i.kind, i.detail, i.match_probability, i.evidence
     FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::jsonb[])
       AS i(person_id, kind, detail, match_probability, evidence)
     JOIN person p ON p.person_id = i.person_id`,
    [
      issues.map((issue) => issue.personId),
      issues.map((issue) => issue.kind),
      issues.map((issue) => issue.detail),
      issues.map((issue) => issue.matchProbability),
      issues.map((issue) => JSON.stringify(issue.evidence)),
    ],
  );
}
