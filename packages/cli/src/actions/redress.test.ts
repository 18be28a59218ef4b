import type { RedressCase } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { isTerminalControl, redressCaseLines, terminalSafe } from "./redress.ts";

const resolved: RedressCase = {
  request: {
    requestId: "RR-20260101-0000abcd",
    personId: "P-1",
    kind: "not_my_record",
    statement: "Not mine.\n  2026-01-01T00:00:00.000Z user:steward resolved",
    departureDate: null,
    disputedRecords: ["court:CE-1"],
    documents: [{ type: "passport", number: "X123\u202e", issuer: "GTM" }],
    status: "resolved",
    filedBy: "user:officer",
    filedAt: "2026-01-01T00:00:00.000Z",
    reviewer: "user:steward",
    reviewStartedAt: "2026-01-02T00:00:00.000Z",
    outcome: "granted",
    outcomeReason: "checked \u001b[2J\u001b[31mcleared\u001b[0m",
    resolvedBy: "user:steward",
    resolvedAt: "2026-01-02T00:00:00.000Z",
    claimId: null,
    corrections: [
      { record: "court:CE-1", outcome: "unlinked" },
      { record: "court:CE-2", outcome: "corrected", version: 2 },
    ],
    office: "HQ",
    assignees: [],
    confidentiality: [],
    resolvingBy: null,
    resolvingSince: null,
  },
  events: [
    {
      sequence: "1",
      requestId: "RR-20260101-0000abcd",
      at: "2026-01-01T00:00:00.000Z",
      actor: "user:officer",
      step: "filed",
      details: {},
    },
  ],
  daysToResolution: 1,
};

describe("passage redress show (text)", () => {
  it("escapes control and bidirectional characters so typed text cannot forge lines or restyle the terminal", () => {
    const lines = redressCaseLines(resolved);
    for (const line of lines) {
      expect([...line].filter((character) => isTerminalControl(character.codePointAt(0)!))).toEqual([]);
    }
    // One line per value: the newline in the statement did not start a history line.
    expect(lines.filter((line) => line.includes("user:steward resolved"))).toEqual([
      "  statement: Not mine.\\n  2026-01-01T00:00:00.000Z user:steward resolved",
    ]);
    expect(lines).toContain("  outcome: granted (checked \\u{1b}[2J\\u{1b}[31mcleared\\u{1b}[0m)");
  });

  it("shows the statement, the documents (type, number, issuer), the disputed records and the corrections", () => {
    const lines = redressCaseLines(resolved);
    expect(lines).toEqual(
      expect.arrayContaining([
        "  disputed record: court:CE-1",
        "  document: passport, number X123\\u{202e}, issued by GTM",
        "  correction: court:CE-1 unlinked",
        "  correction: court:CE-2 corrected (version 2)",
      ]),
    );
    expect(lines.some((line) => line.startsWith("  statement: Not mine."))).toBe(true);
  });

  it("doubles a backslash, so an escape in the text cannot pass for one it made", () => {
    expect(terminalSafe("a\\u{1b}b\u001b")).toBe("a\\\\u{1b}b\\u{1b}");
  });
});
