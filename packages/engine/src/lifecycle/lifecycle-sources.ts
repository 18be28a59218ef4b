import { findCitizenshipClaimsOfPersons, findIdentityIssuesOfPersons } from "@passage/store";
import type { LifecycleSources } from "./derive-person-statuses.ts";
import type { IdentityFacts } from "./policy-inputs.ts";

/**
 * The lifecycle projection's inputs beyond records, read from the database: identity issues that
 * linkage records per person, and citizenship claims opened through redress.
 */
export const DATABASE_LIFECYCLE_SOURCES: LifecycleSources = {
  async identityFacts(executor, personIds) {
    const issues = await findIdentityIssuesOfPersons(executor, personIds);
    const facts = new Map<string, IdentityFacts>();
    for (const [personId, list] of issues) {
      facts.set(personId, {
        reviewBandLinks: list
          .filter((issue) => issue.kind === "review_band_link")
          .map((issue) => ({ matchProbability: issue.matchProbability ?? 0, evidence: issue.evidence })),
        conflictingIdentifiers: list
          .filter((issue) => issue.kind === "conflicting_identifier")
          .map((issue) => ({ identifier: issue.detail, evidence: issue.evidence })),
      });
    }
    return facts;
  },
  citizenshipClaims: findCitizenshipClaimsOfPersons,
};
