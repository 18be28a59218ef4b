import { AccessErrors } from "../access-errors.ts";

/** The access decision recorded with an entry. */
export const AUDIT_DECISIONS = ["allow", "deny"] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** Whether the action completed. A denied action is always a failure. */
export const AUDIT_OUTCOMES = ["success", "failure"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export type AuditDetailValue =
  | string
  | number
  | boolean
  | null
  | readonly (string | number | boolean | null)[];

/** What a caller records; the log adds the index. */
export interface AuditEvent {
  /** ISO 8601 UTC time of the action. */
  readonly time: string;
  /** The request or correlation id that ties the entry to a request, job or command. */
  readonly requestId: string;
  /** Who acted, as `user:NAME` or `system:NAME`. */
  readonly actor: string;
  /** The stated purpose of use (FIPPs purpose specification), e.g. `cli`, `case_review`. */
  readonly purpose: string;
  /** The action, in the access vocabulary (`person.read`, `record.write`, ...). */
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly decision: AuditDecision;
  readonly outcome: AuditOutcome;
  /** The error code of a failure (`PASSAGE_ERR_...`), null on success. */
  readonly errorCode: string | null;
  /** The ids of the policies that determined the decision. */
  readonly reasons: readonly string[];
  /** Small, non-identifying facts about the action (a count, the fields hidden, a policy version). */
  readonly details: Readonly<Record<string, AuditDetailValue>>;
}

/** An entry of the log: an event and its position. */
export interface AuditEntry extends AuditEvent {
  readonly index: number;
}

const FORMAT_VERSION = 1;
/** Every canonical entry starts with these bytes, then the index: the verifier reads it without parsing JSON. */
export const ENTRY_PREFIX = Buffer.from(`{"v":${FORMAT_VERSION},"index":`);
const MAX_TEXT = 512;
const MAX_DETAILS = 32;

/**
 * The canonical bytes of an entry — the leaf hashed into the Merkle tree. One fixed key order,
 * `details` keys sorted, no whitespace, JSON string escaping; `decodeAuditEntryOrThrow` accepts
 * only this form, so every entry has exactly one encoding.
 */
export function encodeAuditEntry(entry: AuditEntry): Buffer {
  checkEntryOrThrow(entry);
  const details = Object.keys(entry.details)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(entry.details[key])}`)
    .join(",");
  const text =
    `{"v":${FORMAT_VERSION},"index":${entry.index},"time":${JSON.stringify(entry.time)}` +
    `,"requestId":${JSON.stringify(entry.requestId)},"actor":${JSON.stringify(entry.actor)}` +
    `,"purpose":${JSON.stringify(entry.purpose)},"action":${JSON.stringify(entry.action)}` +
    `,"resourceType":${JSON.stringify(entry.resourceType)},"resourceId":${JSON.stringify(entry.resourceId)}` +
    `,"decision":${JSON.stringify(entry.decision)},"outcome":${JSON.stringify(entry.outcome)}` +
    `,"errorCode":${JSON.stringify(entry.errorCode)},"reasons":${JSON.stringify(entry.reasons)}` +
    `,"details":{${details}}}`;
  return Buffer.from(text, "utf8");
}

/** Parses canonical entry bytes; throws unless they are exactly the canonical encoding of a valid entry. */
export function decodeAuditEntryOrThrow(bytes: Uint8Array): AuditEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw AccessErrors.auditEntryInvalid.create("not JSON");
  }
  if (!parsed || typeof parsed !== "object" || (parsed as { v?: unknown }).v !== FORMAT_VERSION) {
    throw AccessErrors.auditEntryInvalid.create(`not a version ${FORMAT_VERSION} entry`);
  }
  const { v: _version, ...entry } = parsed as AuditEntry & { v: number };
  checkEntryOrThrow(entry);
  if (!encodeAuditEntry(entry).equals(Buffer.from(bytes))) {
    throw AccessErrors.auditEntryInvalid.create("not in canonical form");
  }
  return entry;
}

/** The index written in canonical entry bytes, or undefined when they do not start like an entry. */
export function readEntryIndex(bytes: Uint8Array): number | undefined {
  if (bytes.length <= ENTRY_PREFIX.length) return undefined;
  for (let position = 0; position < ENTRY_PREFIX.length; position++) {
    if (bytes[position] !== ENTRY_PREFIX[position]) return undefined;
  }
  let value = 0;
  let position = ENTRY_PREFIX.length;
  for (; position < bytes.length && position < ENTRY_PREFIX.length + 16; position++) {
    const byte = bytes[position]!;
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
  }
  const digits = position - ENTRY_PREFIX.length;
  if (digits === 0 || bytes[position] !== 0x2c) return undefined;
  if (digits > 1 && bytes[ENTRY_PREFIX.length] === 0x30) return undefined;
  return value;
}

function checkEntryOrThrow(entry: AuditEntry): void {
  const fail = (problem: string) => {
    throw AccessErrors.auditEntryInvalid.create(problem);
  };
  if (!Number.isSafeInteger(entry.index) || entry.index < 0) fail(`index ${String(entry.index)}`);
  if (typeof entry.time !== "string" || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(entry.time)) {
    fail(`time must be ISO 8601 UTC, got ${JSON.stringify(entry.time)}`);
  }
  for (const field of ["requestId", "actor", "purpose", "action", "resourceType", "resourceId"] as const) {
    const value = entry[field];
    if (typeof value !== "string" || value.length === 0 || value.length > MAX_TEXT) {
      fail(`${field} must be a non-empty string of at most ${MAX_TEXT} characters`);
    }
  }
  if (!AUDIT_DECISIONS.includes(entry.decision)) fail(`decision ${JSON.stringify(entry.decision)}`);
  if (!AUDIT_OUTCOMES.includes(entry.outcome)) fail(`outcome ${JSON.stringify(entry.outcome)}`);
  if (
    entry.errorCode !== null &&
    (typeof entry.errorCode !== "string" || !/^[A-Z0-9_]{1,100}$/.test(entry.errorCode))
  ) {
    fail(`errorCode ${JSON.stringify(entry.errorCode)}`);
  }
  if (entry.outcome === "success" && entry.errorCode !== null) fail("a success carries no error code");
  if (entry.decision === "deny" && entry.outcome !== "failure") fail("a denied action cannot succeed");
  if (
    !Array.isArray(entry.reasons) ||
    !entry.reasons.every((reason) => typeof reason === "string" && reason.length <= MAX_TEXT)
  ) {
    fail("reasons must be a list of policy ids");
  }
  if (!entry.details || typeof entry.details !== "object" || Array.isArray(entry.details))
    fail("details must be an object");
  const keys = Object.keys(entry.details);
  if (keys.length > MAX_DETAILS) fail(`at most ${MAX_DETAILS} details`);
  for (const key of keys) {
    const value = entry.details[key];
    const values = Array.isArray(value) ? value : [value];
    if (!values.every(isScalar)) fail(`detail ${key} must be a scalar or a list of scalars`);
  }
}

function isScalar(value: unknown): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && value.length <= MAX_TEXT * 4;
}
