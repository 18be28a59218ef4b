import {
  findCitizenshipClaimsOfPersons,
  findIdentityIssuesOfPersons,
  findPersonsOfUnlinkedRecordsOnly,
} from "@passage/store";
import type { LifecycleSources } from "./derive-person-statuses.ts";
import { CONFIRMED_IDENTITY, type IdentityFacts } from "./policy-inputs.ts";

/**
 * The lifecycle projection's inputs beyond records, read from the database: identity issues that
 * linkage records per person (and the persons made only of records unlinked from another person,
 * read from the unlinks' decisions: any change of a person's records re-derives it, so this is
 * current whenever the status is), and citizenship claims opened through redress.
 */
export const DATABASE_LIFECYCLE_SOURCES: LifecycleSources = {
  async identityFacts(executor, personIds) {
    const [issues, unlinked] = await Promise.all([
      findIdentityIssuesOfPersons(executor, personIds),
      findPersonsOfUnlinkedRecordsOnly(executor, personIds),
    ]);
    const facts = new Map<string, IdentityFacts>();
    for (const [personId, list] of issues) {
      facts.set(personId, {
        reviewBandLinks: list
          .filter((issue) => issue.kind === "review_band_link")
          .map((issue) => ({ matchProbability: issue.matchProbability ?? 0, evidence: issue.evidence })),
        conflictingIdentifiers: list
          .filter((issue) => issue.kind === "conflicting_identifier")
          .map((issue) => ({ identifier: issue.detail, evidence: issue.evidence })),
        unlinkedRecords: [],
      });
    }
    for (const [personId, records] of unlinked) {
      facts.set(personId, { ...(facts.get(personId) ?? CONFIRMED_IDENTITY), unlinkedRecords: records });
    }
    return facts;
  },
  citizenshipClaims: findCitizenshipClaimsOfPersons,
};
