import {
  findCitizenshipClaimsOfPersons,
  findIdentityIssuesOfPersons,
  findOutdatedMustLinksOfPersons,
  findPersonsOfUnlinkedRecordsOnly,
} from "@passage/store";
import type { LifecycleSources } from "./derive-person-statuses.ts";
import { CONFIRMED_IDENTITY, type IdentityFacts } from "./policy-inputs.ts";

/**
 * The lifecycle projection's inputs beyond records, read from the database: identity issues that
 * linkage records per person (and the persons made only of records unlinked from another person,
 * read from the unlinks' decisions; and the must-links decided on a record's former content, read
 * from their marks: any change of a person's records, and linkage's marking a must-link outdated,
 * re-derives it, so these are current whenever the status is), and citizenship claims opened
 * through redress.
 */
export const DATABASE_LIFECYCLE_SOURCES: LifecycleSources = {
  async identityFacts(executor, personIds) {
    const [issues, unlinked, outdated] = await Promise.all([
      findIdentityIssuesOfPersons(executor, personIds),
      findPersonsOfUnlinkedRecordsOnly(executor, personIds),
      findOutdatedMustLinksOfPersons(executor, personIds),
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
        outdatedMustLinks: [],
      });
    }
    for (const [personId, records] of unlinked) {
      facts.set(personId, { ...(facts.get(personId) ?? CONFIRMED_IDENTITY), unlinkedRecords: records });
    }
    for (const [personId, records] of outdated) {
      facts.set(personId, { ...(facts.get(personId) ?? CONFIRMED_IDENTITY), outdatedMustLinks: records });
    }
    return facts;
  },
  citizenshipClaims: findCitizenshipClaimsOfPersons,
};
