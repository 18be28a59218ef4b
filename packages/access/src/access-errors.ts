import { defineError, registerErrors } from "@passage/core";

/** Errors raised by authentication, authorization and the audit log. */
export const AccessErrors = {
  denied: defineError(
    "PASSAGE_ERR_ACCESS_DENIED",
    "forbidden",
    "The access policies do not allow this action on this resource",
    (actor: string, action: string, resource: string) => ({
      message: `${actor} may not ${action} ${resource}`,
      details: { actor, action, resource },
    }),
  ),
  purposeRequired: defineError(
    "PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED",
    "invalid_input",
    "Reading a person's data needs a stated purpose of use",
    (action: string) => `${action} needs a purpose of use (FIPPs purpose specification); none was given`,
  ),
  policyInvalid: defineError(
    "PASSAGE_ERR_ACCESS_POLICY_INVALID",
    "internal",
    "The Cedar schema or policies do not parse or validate",
    (problem: string) => `the access policies are invalid: ${problem}`,
  ),
  requestInvalid: defineError(
    "PASSAGE_ERR_ACCESS_REQUEST_INVALID",
    "invalid_input",
    "An authorization request names an unknown action, resource type or attribute",
    (problem: string) => `invalid authorization request: ${problem}`,
  ),
  filterUntranslatable: defineError(
    "PASSAGE_ERR_ACCESS_FILTER_UNTRANSLATABLE",
    "internal",
    "A policy residual uses a construct the SQL translator does not support",
    (problem: string) => `cannot translate the access policy into SQL: ${problem}`,
  ),
  invalidCredentials: defineError(
    "PASSAGE_ERR_AUTH_INVALID_CREDENTIALS",
    "unauthenticated",
    "The username, password, session or token is not valid",
    () => "invalid credentials",
  ),
  userInvalid: defineError(
    "PASSAGE_ERR_AUTH_USER_INVALID",
    "invalid_input",
    "A user account has an invalid username, role, office or attribute",
    (problem: string) => `invalid user: ${problem}`,
  ),
  userExists: defineError(
    "PASSAGE_ERR_AUTH_USER_EXISTS",
    "conflict",
    "A user with this username already exists",
    (username: string) => `user "${username}" already exists`,
  ),
  userNotFound: defineError(
    "PASSAGE_ERR_AUTH_USER_NOT_FOUND",
    "not_found",
    "No user has this username",
    (username: string) => `no user "${username}"`,
  ),
  userDisabled: defineError(
    "PASSAGE_ERR_AUTH_USER_DISABLED",
    "unauthenticated",
    "The user account is disabled: it may not act until an administrator enables it",
    (username: string) =>
      `user "${username}" is disabled; an administrator can enable it (passage users enable ${username})`,
  ),
  auditEntryInvalid: defineError(
    "PASSAGE_ERR_AUDIT_ENTRY_INVALID",
    "invalid_input",
    "An audit entry is missing a field or has a value of the wrong form",
    (problem: string) => `invalid audit entry: ${problem}`,
  ),
  auditEntryNotFound: defineError(
    "PASSAGE_ERR_AUDIT_ENTRY_NOT_FOUND",
    "not_found",
    "The audit log has no entry with this index",
    (index: string, size: number) =>
      size === 0
        ? `the audit log has no entry ${index} (it is empty)`
        : `the audit log has no entry ${index} (it holds entries 0..${size - 1})`,
  ),
  checkpointDirectoryNotFound: defineError(
    "PASSAGE_ERR_AUDIT_CHECKPOINTS_NOT_FOUND",
    "not_found",
    "The directory of checkpoint files named for verification does not exist",
    (directory: string) =>
      `no checkpoint directory ${directory}: a verification against checkpoints kept elsewhere needs them`,
  ),
  noCheckpoint: defineError(
    "PASSAGE_ERR_AUDIT_NO_CHECKPOINT",
    "not_found",
    "No signed checkpoint covers the entry yet",
    (index: number) =>
      `no signed checkpoint covers entry ${index} yet; write one with "passage audit checkpoint"`,
  ),
  tampered: defineError(
    "PASSAGE_ERR_AUDIT_TAMPERED",
    "refused",
    "The audit log does not verify: an entry or checkpoint was altered, removed or forged",
    (problem: string) => `audit log verification failed: ${problem}`,
  ),
  signingKeyInvalid: defineError(
    "PASSAGE_ERR_AUDIT_KEY_INVALID",
    "invalid_input",
    "The checkpoint signing or verification key cannot be read",
    (file: string, reason: string) => `cannot use the audit key ${file}: ${reason}`,
  ),
  auditKeyMissing: defineError(
    "PASSAGE_ERR_AUDIT_KEY_MISSING",
    "not_found",
    "The audit signing key or public key file is missing (a setup problem, not tampering)",
    (file: string, remedy: string) => `the audit key ${file} is missing: ${remedy}`,
  ),
  checkpointInvalid: defineError(
    "PASSAGE_ERR_AUDIT_CHECKPOINT_INVALID",
    "invalid_input",
    "A checkpoint file is not a Passage audit checkpoint",
    (source: string, reason: string) => `${source} is not a valid audit checkpoint: ${reason}`,
  ),
};
registerErrors("@passage/access", AccessErrors);
