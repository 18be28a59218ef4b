import type { AuditEntry } from "../audit/audit-entry.ts";
import type { Actor } from "../authorization/actor.ts";
import {
  CASE_RESOURCE_TYPES,
  CONFIDENTIALITY_FLAGS,
  type ConfidentialityFlag,
} from "../authorization/vocabulary.ts";

/** What a withheld field of an audit entry shows instead of its value. */
export const WITHHELD = "withheld";

/**
 * The safeguards (policies/safeguards.cedar) whose id, recorded as an entry's reason, says that the
 * resource holds a confidential matter, with the needs a reader must hold to be told so. A test
 * checks that every safeguard conditioned on a resource's confidentiality is listed.
 */
export const REASONS_NAMING_CONFIDENTIALITY: Readonly<Record<string, readonly ConfidentialityFlag[]>> = {
  "asylum-need-to-know": ["asylum"],
  "vawa-1367-need-to-know": ["vawa1367"],
  // Says that some confidential matter exists, if not which: only a reader of every one may know.
  "confidential-never-exported": CONFIDENTIALITY_FLAGS,
};

/** An audit entry as listed to one reader: fields that would reveal a confidential matter withheld. */
export type AuditEntryView = Omit<AuditEntry, "decision" | "errorCode" | "reasons"> & {
  readonly decision: AuditEntry["decision"] | typeof WITHHELD;
  readonly errorCode: string | null;
  readonly reasons: readonly string[];
  /** The fields shown as `withheld`: the entry's leaf hash is of the stored entry, not of this view. */
  readonly withheld?: readonly string[];
};

const CASE_TYPES: ReadonlySet<string> = new Set(CASE_RESOURCE_TYPES);

/**
 * The entry as `reader` may see it. 8 CFR 208.6 and 8 U.S.C. 1367 bar disclosing even that a case
 * exists to anyone without the need: a refusal recorded with "vawa-1367-need-to-know" beside one
 * recorded with "default-deny" (out of scope, or no such record) or an allowed read that found
 * nothing would tell an auditor which record keys are 1367 or asylum cases. So, for a reader
 * without every need, a failed action on a case resource that such a matter caused, or that it
 * could be told apart from (a default denial, a not-found), shows its decision, error code and
 * reasons as `withheld`, all alike; its outcome (failure) and the rest stay. Only the listing is
 * redacted: the stored entry, which verification and proofs hash, is never changed.
 */
export function auditEntryViewFor(entry: AuditEntry, reader: Actor): AuditEntryView {
  if (!mayRevealConfidentiality(entry, reader.confidentialityNeeds)) return entry;
  return {
    ...entry,
    decision: WITHHELD,
    errorCode: WITHHELD,
    reasons: [WITHHELD],
    withheld: ["decision", "errorCode", "reasons"],
  };
}

function mayRevealConfidentiality(entry: AuditEntry, needs: readonly ConfidentialityFlag[]): boolean {
  if (CONFIDENTIALITY_FLAGS.every((flag) => needs.includes(flag))) return false;
  const namesUnneededMatter = entry.reasons.some((reason) =>
    (REASONS_NAMING_CONFIDENTIALITY[reason] ?? []).some((flag) => !needs.includes(flag)),
  );
  if (namesUnneededMatter) return true;
  if (!CASE_TYPES.has(entry.resourceType) || entry.outcome !== "failure") return false;
  return entry.reasons.includes("default-deny") || (entry.errorCode?.endsWith("_NOT_FOUND") ?? false);
}

/**
 * The raw content of an entry that no longer decodes, as `reader` may see it: withheld when it
 * names a confidential matter the reader has no need for (it is listed as tampered all the same).
 */
export function rawAuditContentViewFor(content: string, reader: Actor): string {
  const names = Object.entries(REASONS_NAMING_CONFIDENTIALITY).some(
    ([reason, flags]) =>
      content.includes(reason) && flags.some((flag) => !reader.confidentialityNeeds.includes(flag)),
  );
  return names ? WITHHELD : content;
}
