import type { AuditedAccess, FieldGroup } from "@passage/access";
import {
  type Database,
  findIndexedEntities,
  type PersonSearchHit,
  searchPersonsByDocument,
  searchPersonsByName,
} from "@passage/store";
import type { Kysely } from "kysely";
import { splitEntityKey } from "./entity-records.ts";
import { caseAttributesOf, redactValues, visibleGroupsOf } from "./linkage-access.ts";
import { LinkageServiceErrors } from "./linkage-errors.ts";
import { documentCandidatesOfQuery, searchNamesOfQuery } from "./search-terms.ts";

/** A person search: a name (any order, misspelled, transliterated) or a document number. */
export interface PersonSearchQuery {
  readonly text: string;
  /** At most this many persons (default 20, at most 100). */
  readonly limit?: number | undefined;
  /** Trigram similarity a name must reach (default 0.3). */
  readonly minimumSimilarity?: number | undefined;
}

/** One person found, why, and the matching record's identity as the reader may see it. */
export interface PersonSearchResult {
  readonly personId: string;
  readonly record: string;
  readonly matchedOn: PersonSearchHit["matchedOn"];
  readonly score: number;
  /** The match reason in words. */
  readonly reason: string;
  readonly values: Readonly<Record<string, string>>;
  readonly hiddenFieldGroups: readonly FieldGroup[];
}

const DOCUMENT_NAMES: Readonly<Record<string, string>> = {
  a_number: "A-number",
  passport: "passport number",
  i94: "I-94 number",
  receipt: "receipt number",
};

const MAX_QUERY = 200;

/**
 * Finds persons by name or document number, through the access layer: one `person.read` list
 * entry records the query and how many persons it returned, and only persons the actor may read
 * are searched; a flagged record (asylum, 1367) is searched only where the actor may see the
 * person's confidential matters. Names are compared token by token (order-free) after folding case, diacritics and
 * scripts and mapping transliteration variants to one spelling, by trigram similarity (so a
 * misspelling still matches); document numbers exactly in their standard form.
 */
export async function searchPersons(
  db: Kysely<Database>,
  access: AuditedAccess,
  query: PersonSearchQuery,
): Promise<PersonSearchResult[]> {
  const text = query.text.trim();
  if (text.length === 0) throw LinkageServiceErrors.searchInvalid.create("the query is empty");
  if (text.length > MAX_QUERY)
    throw LinkageServiceErrors.searchInvalid.create(`the query is longer than ${MAX_QUERY} characters`);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 20), 1), 100);
  const minimumSimilarity = query.minimumSimilarity ?? 0.3;
  if (!(minimumSimilarity > 0 && minimumSimilarity <= 1)) {
    throw LinkageServiceErrors.searchInvalid.create("the minimum similarity must be in (0, 1]");
  }
  const documents = documentCandidatesOfQuery(text);
  const nameWords = text.split(/\s+/).filter((word) => !/\d/.test(word));
  const names = nameWords.length > 0 ? searchNamesOfQuery(nameWords.join(" ")) : undefined;
  if (documents.length === 0 && names === undefined) {
    throw LinkageServiceErrors.searchInvalid.create("the query holds neither a name nor a document number");
  }
  // A hit on a flagged record (asylum, 1367) counts only for a reader with the need to know the
  // person's confidential matters, as the person view shows such a record only to that reader.
  const confidential = access.listFilter("person.field.confidential");
  const hits = await access.list("person.read", `search:${text}`, async (filter) => {
    const toSql = (columns: Parameters<typeof filter.toSql>[0]) => filter.toSql(columns);
    const withNeed = (columns: Parameters<typeof confidential.toSql>[0]) => confidential.toSql(columns);
    const byDocument = await searchPersonsByDocument(db, { documents, limit }, toSql, withNeed);
    const byName =
      names === undefined
        ? []
        : await searchPersonsByName(db, { names, limit, minimumSimilarity }, toSql, withNeed);
    const best = new Map<string, PersonSearchHit>();
    for (const hit of [...byDocument, ...byName]) {
      const held = best.get(hit.personId);
      if (!held || hit.score > held.score) best.set(hit.personId, hit);
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score || a.personId.localeCompare(b.personId))
      .slice(0, limit);
  });
  const attributes = await caseAttributesOf(
    db,
    hits.map((hit) => hit.personId),
  );
  const entities = new Map(
    (
      await findIndexedEntities(
        db,
        hits.map((hit) => splitEntityKey(hit.record)),
      )
    ).map((entity) => [`${entity.feed}:${entity.keyValue}`, entity]),
  );
  return hits.map((hit) => {
    const visible = visibleGroupsOf(access, hit.personId, attributes.get(hit.personId));
    const values = entities.get(hit.record)?.personValues ?? {};
    const shown = redactValues(
      {
        family_name: values.family_name,
        given_names: values.given_names,
        date_of_birth: values.date_of_birth,
      },
      visible,
    );
    const reason =
      hit.matchedOn === "name"
        ? `name similarity ${hit.score.toFixed(2)} (token order, case, diacritics and transliteration variants ignored)`
        : `${DOCUMENT_NAMES[hit.matchedOn] ?? hit.matchedOn} matches exactly`;
    return {
      personId: hit.personId,
      record: hit.record,
      matchedOn: hit.matchedOn,
      score: hit.score,
      reason,
      values: shown.values,
      hiddenFieldGroups: shown.hiddenFieldGroups,
    };
  });
}
