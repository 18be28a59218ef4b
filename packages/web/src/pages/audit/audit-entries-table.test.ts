import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../api/audit-api.ts";
import { AuditEntriesTable } from "./audit-entries-table.tsx";

// A page of GET /audit/entries as the server lists it over an altered entry (5, its content
// re-spaced) and an undecodable one (7): see packages/server/src/routes/audit-routes.int.test.ts.
const intact = {
  index: 9,
  time: "2026-11-24T10:50:39.123Z",
  requestId: "req-9",
  actor: "user:auditor",
  purpose: "Oversight",
  action: "audit.read",
  resourceType: "AuditLog",
  resourceId: "audit-log",
  decision: "allow",
  outcome: "success",
  errorCode: null,
  reasons: [],
  details: {},
  leafHash: "a".repeat(64),
} as const;
const PAGE: AuditEntry[] = [
  intact,
  {
    index: 7,
    leafHash: "b".repeat(64),
    tampered: true,
    problem: "entry 7's content does not match the leaf hash recorded when it was written (altered)",
    content: "garbage",
  },
  {
    ...intact,
    index: 5,
    actor: "user:someone-else",
    leafHash: "c".repeat(64),
    tampered: true,
    problem: "entry 5's content does not match the leaf hash recorded when it was written (altered)",
  },
];

function rowOf(html: string, index: number): string {
  const rows = html.match(/<tr>.*?<\/tr>/g) ?? [];
  const row = rows.find((candidate) => candidate.startsWith(`<tr><td>${index}</td>`));
  if (!row) throw new Error(`no row for entry ${index} in ${html}`);
  return row;
}

describe("AuditEntriesTable", () => {
  it("marks a tampered entry with its problem instead of rendering it as a record", () => {
    const html = renderToStaticMarkup(createElement(AuditEntriesTable, { entries: PAGE }));
    expect(rowOf(html, 9)).toContain("user:auditor");
    expect(rowOf(html, 9)).toContain("allowed");
    expect(rowOf(html, 9)).not.toContain("TAMPERED");

    for (const index of [7, 5]) {
      const row = rowOf(html, index);
      expect(row).toContain("TAMPERED");
      expect(row).toContain(`entry ${index}&#x27;s content does not match the leaf hash`);
      expect(row).not.toContain("allowed");
    }
    // The altered row's claims are not shown as the record.
    expect(rowOf(html, 5)).not.toContain("user:someone-else");

    const alert = html.slice(0, html.indexOf("<table"));
    expect(alert).toContain('role="alert"');
    expect(alert).toContain("2 entries on this page tampered with");
    expect(alert).toContain("Entry 7: entry 7&#x27;s content does not match");
    expect(alert).toContain("It now holds: <code>garbage</code>");
    expect(alert).toContain("It now reads (not what was logged): user:someone-else");
  });

  it("shows no tampering alert for a page of intact entries, and a proof button per entry", () => {
    const html = renderToStaticMarkup(
      createElement(AuditEntriesTable, { entries: [intact], onProve: () => undefined }),
    );
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain("TAMPERED");
    expect(html).toContain('aria-label="Prove entry 9"');
  });

  it("shows a write's started entry as started and its finished entry with the outcome", () => {
    const write = { ...intact, action: "policy.write", resourceType: "Policy", resourceId: "v2" } as const;
    const html = renderToStaticMarkup(
      createElement(AuditEntriesTable, {
        entries: [
          { ...write, index: 11, details: { phase: "started" } },
          { ...write, index: 12, details: { phase: "finished" } },
        ],
      }),
    );
    expect(rowOf(html, 11)).toContain("<td>started</td>");
    expect(rowOf(html, 11)).not.toContain("<td>success</td>");
    expect(rowOf(html, 12)).toContain("<td>success</td>");
  });

  it("shows a decision withheld from this reader as withheld, not as a denial", () => {
    const withheld: AuditEntry = {
      ...intact,
      index: 11,
      decision: "withheld",
      errorCode: "withheld",
      reasons: ["withheld"],
      outcome: "failure",
      withheld: ["decision", "errorCode", "reasons"],
    };
    const row = rowOf(renderToStaticMarkup(createElement(AuditEntriesTable, { entries: [withheld] })), 11);
    expect(row).toContain("withheld");
    expect(row).not.toContain("denied");
  });
});
