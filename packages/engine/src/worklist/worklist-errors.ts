import { defineError, registerErrors } from "@passage/core";

/** Errors of policy versions, the worklist and overrides (issue 5). */
export const WorklistErrors = {
  policyFileUnreadable: defineError(
    "PASSAGE_ERR_POLICY_FILE_UNREADABLE",
    "invalid_input",
    "A policy file could not be read",
    (file: string, reason: string) => `cannot read policy file ${file}: ${reason}`,
  ),
  policyFileNotFound: defineError(
    "PASSAGE_ERR_POLICY_FILE_NOT_FOUND",
    "not_found",
    "The policy file named does not exist or is not a file",
    (file: string) => `no policy file ${file}`,
  ),
  policyVersionConflict: defineError(
    "PASSAGE_ERR_POLICY_VERSION_CONFLICT",
    "conflict",
    "A policy with this id and version is stored with other content; a published version is immutable",
    (policyId: string, version: string, storedDigest: string, digest: string) =>
      `policy ${policyId} ${version} is already stored with other content (digest ${storedDigest.slice(0, 12)}, ` +
      `this file ${digest.slice(0, 12)}): give the changed policy a new version`,
  ),
  policyNotFound: defineError(
    "PASSAGE_ERR_POLICY_NOT_FOUND",
    "not_found",
    "No stored policy has this id and version (or digest)",
    (what: string) => `no stored policy ${what}`,
  ),
  noActivePolicy: defineError(
    "PASSAGE_ERR_POLICY_NONE_ACTIVE",
    "unavailable",
    "No policy is active",
    () => "no policy is active: run `passage policy activate FILE`",
  ),
  invalidTier: defineError(
    "PASSAGE_ERR_WORKLIST_TIER_INVALID",
    "invalid_input",
    "A tier is not a positive whole number, or not a tier of the policy",
    (value: string, policy: string, known: readonly number[]) =>
      known.length === 0
        ? `tier "${value}" is not a positive whole number`
        : `tier ${value} is not a tier of policy ${policy} (tiers: ${known.join(", ")})`,
  ),
  invalidPage: defineError(
    "PASSAGE_ERR_WORKLIST_PAGE_INVALID",
    "invalid_input",
    "A page or page size is out of range",
    (what: string) => what,
  ),
  unknownOffice: defineError(
    "PASSAGE_ERR_WORKLIST_OFFICE_UNKNOWN",
    "invalid_input",
    "A worklist is asked for an office no user account works in and no case is assigned to",
    (office: string, known: string) =>
      office === ""
        ? `a worklist's office must be named, or left out for every case the reader may read (known offices: ${known})`
        : `unknown office "${office}": a worklist is an office's a user works in or cases are assigned to (${known})`,
  ),
  notOnWorklist: defineError(
    "PASSAGE_ERR_WORKLIST_PERSON_NOT_LISTED",
    "not_found",
    "The person is not on the worklist (not actionable, gated, or unknown)",
    (personId: string) =>
      `person ${personId} is not on the worklist: only gate-clear actionable cases are, and gates cannot be overridden`,
  ),
  personNotFound: defineError(
    "PASSAGE_ERR_WORKLIST_PERSON_NOT_FOUND",
    "not_found",
    "No person has this id, and none ever had a ranking history (person ids are case-sensitive)",
    (personId: string) =>
      personId === personId.toUpperCase()
        ? `no person ${personId}`
        : `no person ${personId} (person ids are case-sensitive: they are written in capitals)`,
  ),
  policyNotInEffect: defineError(
    "PASSAGE_ERR_POLICY_NOT_IN_EFFECT",
    "invalid_input",
    "The policy's effective dates do not cover today: activating it needs an explicit acknowledgement (--outside-effective-dates)",
    (policy: string, from: string, to: string | null, today: string) => ({
      message: `${policy} is not in effect on ${today} (effective from ${from}${to === null ? "" : ` until ${to}`}): activate it anyway only with --outside-effective-dates (HTTP: outsideEffectiveDates: true), e.g. to compare a past or future policy`,
      details: { policy, from, to, today },
    }),
  ),
  activationReasonRequired: defineError(
    "PASSAGE_ERR_POLICY_REASON_REQUIRED",
    "invalid_input",
    "A policy activation needs a reason: it is recorded with the activation and published in the oversight report",
    () => "a policy activation needs a reason (recorded, and published in the oversight report)",
  ),
  activationReasonNamesCase: defineError(
    "PASSAGE_ERR_POLICY_REASON_NAMES_CASE",
    "invalid_input",
    "A policy activation's reason is published in the oversight report and may not name a person or case",
    (found: string) =>
      `the activation reason is published in the oversight report: it may not name a person or case (found "${found}")`,
  ),
  overrideReasonRequired: defineError(
    "PASSAGE_ERR_WORKLIST_OVERRIDE_REASON_REQUIRED",
    "invalid_input",
    "An override of a policy outcome needs a reason",
    () => "an override needs a reason (it is recorded with the override and in the audit log)",
  ),
  overrideUnchanged: defineError(
    "PASSAGE_ERR_WORKLIST_OVERRIDE_UNCHANGED",
    "invalid_input",
    "An override must name a tier different from the policy's",
    (tier: number) => `the policy already gives tier ${tier}; an override must change it`,
  ),
  overrideStale: defineError(
    "PASSAGE_ERR_WORKLIST_OVERRIDE_STALE",
    "conflict",
    "The entry was re-evaluated since the caller read it (policy or tier changed)",
    (personId: string, expected: string, actual: string) =>
      `the worklist entry of ${personId} changed (expected ${expected}, now ${actual}); read it again`,
  ),
};
registerErrors("@passage/engine/worklist", WorklistErrors);
