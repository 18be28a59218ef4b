import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../audit/audit-entry.ts";
import type { Actor } from "../authorization/actor.ts";
import type { ConfidentialityFlag } from "../authorization/vocabulary.ts";
import { sampleAuditEvent } from "../testing/audit-events.ts";
import { auditEntryViewFor, REASONS_NAMING_CONFIDENTIALITY } from "./audit-entry-view.ts";

const reader = (confidentialityNeeds: ConfidentialityFlag[]): Actor => ({
  kind: "user",
  id: "reader",
  roles: ["auditor"],
  office: "HQ",
  confidentialityNeeds,
  country: "",
});
const auditor = reader([]);

/** A record read by an officer, as the record route records it. */
const recordRead = (overrides: Partial<AuditEntry>): AuditEntry => ({
  ...sampleAuditEvent(1, {
    action: "record.read",
    resourceType: "Record",
    resourceId: "benefit:EAC0000000001",
    ...overrides,
  }),
  index: 1,
});
const refused = (reasons: string[]) =>
  recordRead({ decision: "deny", outcome: "failure", errorCode: "PASSAGE_ERR_ACCESS_DENIED", reasons });

describe("audit entries as a reader without confidentiality needs sees them", () => {
  it("a 1367 or asylum refusal, a default denial and a read that found nothing look alike", () => {
    const views = [
      refused(["vawa-1367-need-to-know"]),
      refused(["asylum-need-to-know"]),
      refused(["asylum-need-to-know", "vawa-1367-need-to-know"]),
      refused(["default-deny"]),
      recordRead({ outcome: "failure", errorCode: "PASSAGE_ERR_SERVER_RECORD_NOT_FOUND" }),
    ].map((entry) => auditEntryViewFor(entry, auditor));
    for (const view of views) {
      expect(view).toMatchObject({
        resourceId: "benefit:EAC0000000001",
        outcome: "failure",
        decision: "withheld",
        errorCode: "withheld",
        reasons: ["withheld"],
        withheld: ["decision", "errorCode", "reasons"],
      });
    }
    expect(new Set(views.map((view) => JSON.stringify(view))).size).toBe(1);
  });

  it("a refusal that names no confidential matter, a success, or a non-case resource stays as recorded", () => {
    const kept = [
      refused(["purpose-of-use-required"]),
      recordRead({}),
      sampleAuditEvent(2, {
        resourceType: "Worklist",
        decision: "deny",
        outcome: "failure",
        reasons: ["default-deny"],
      }),
    ].map((entry) => ({ ...entry, index: 1 }));
    for (const entry of kept) expect(auditEntryViewFor(entry, auditor)).toBe(entry);
  });

  it("is withheld only from readers without the matching need", () => {
    const vawa = refused(["vawa-1367-need-to-know"]);
    const asylum = refused(["asylum-need-to-know"]);
    const both = reader(["asylum", "vawa1367"]);
    expect(auditEntryViewFor(vawa, both)).toBe(vawa);
    expect(auditEntryViewFor(refused(["default-deny"]), both).reasons).toEqual(["default-deny"]);
    const asylumOnly = reader(["asylum"]);
    expect(auditEntryViewFor(asylum, asylumOnly)).toBe(asylum);
    expect(auditEntryViewFor(vawa, asylumOnly).reasons).toEqual(["withheld"]);
    // Else "withheld" would single out the 1367 refusals for a reader of asylum cases.
    expect(auditEntryViewFor(refused(["default-deny"]), asylumOnly).reasons).toEqual(["withheld"]);
  });

  it("knows every safeguard conditioned on a resource's confidentiality", () => {
    const policies = fs.readFileSync(
      path.resolve(import.meta.dirname, "../../policies/safeguards.cedar"),
      "utf8",
    );
    const conditioned = policies
      .split(/(?=@id\()/)
      .filter((policy) => /resource\.confidentiality/.test(policy))
      .map((policy) => /@id\("([^"]+)"\)/.exec(policy)![1]);
    expect(conditioned.length).toBeGreaterThan(0);
    expect(Object.keys(REASONS_NAMING_CONFIDENTIALITY).sort()).toEqual(conditioned.sort());
  });
});
