import type { AuditEvent } from "../audit/audit-entry.ts";

/**
 * An officer's allowed person read, numbered: request `request-N` on `person-N` at second N % 60 of
 * a fixed minute, for tests that fill an audit log (`overrides` changes any field).
 */
export function sampleAuditEvent(number: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: new Date(Date.UTC(2025, 5, 1, 12, 0, number % 60)).toISOString(),
    requestId: `request-${number}`,
    actor: "user:officer1",
    purpose: "case_review",
    action: "person.read",
    resourceType: "Person",
    resourceId: `person-${number}`,
    decision: "allow",
    outcome: "success",
    errorCode: null,
    reasons: ["officer-reads-own-office"],
    details: {},
    ...overrides,
  };
}
