import type { OversightReport } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { OVERSIGHT_CSV_HEADER, oversightReportCsv } from "./report-csv.ts";

describe("the oversight report's CSV", () => {
  it("writes a policy activation reason (a user's text) as data a spreadsheet will not run", () => {
    const report = {
      tables: [],
      redressTimes: [],
      policies: [
        {
          policyId: "posture-2025",
          version: "1.0.0",
          activatedAt: "2026-11-24T10:00:00Z",
          active: true,
          reason: '=HYPERLINK("http://x","a")',
          digest: "abc",
        },
      ],
    } as unknown as OversightReport;
    const lines = oversightReportCsv(report).split("\r\n");
    expect(lines[0]).toBe(OVERSIGHT_CSV_HEADER);
    expect(lines.find((line) => line.startsWith("policy_versions"))).toContain(
      `"'=HYPERLINK(""http://x"",""a"")"`,
    );
  });
});
