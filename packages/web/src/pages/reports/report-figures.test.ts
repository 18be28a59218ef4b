import { describe, expect, it } from "vitest";
import type { OversightReport } from "../../api/report-api.ts";
import { CHART_ROW_HEIGHT, chartHeight, policyVersionRows } from "./report-figures.ts";

describe("report figures", () => {
  it("gives each category of a chart a row of its own (19 legal states had 220 px)", () => {
    expect(chartHeight(19)).toBeGreaterThanOrEqual(19 * CHART_ROW_HEIGHT);
    expect(chartHeight(19)).toBeGreaterThan(chartHeight(5));
    expect(chartHeight(1)).toBe(chartHeight(3));
  });

  it("lists every policy version activated, in order, with its status and reason", () => {
    const report = {
      policies: [
        {
          policyId: "priority",
          version: "1.0.0",
          digest: "sha256:aaaaaaaaaaaaaaaa",
          activatedAt: "2026-04-01T09:30:00.000Z",
          active: false,
          reason: "initial rollout",
        },
        {
          policyId: "priority",
          version: "1.1.0",
          digest: "sha256:bbbbbbbbbbbbbbbb",
          activatedAt: "2026-05-01T09:30:00.000Z",
          active: true,
          reason: "memo",
        },
      ],
    } as unknown as OversightReport;
    expect(policyVersionRows(report)).toEqual([
      {
        key: "0:sha256:aaaaaaaaaaaaaaaa",
        policy: "priority",
        version: "1.0.0",
        activated: "2026-04-01 09:30:00 UTC",
        status: "replaced",
        reason: "initial rollout",
        digest: "sha256:aaaaa",
      },
      {
        key: "1:sha256:bbbbbbbbbbbbbbbb",
        policy: "priority",
        version: "1.1.0",
        activated: "2026-05-01 09:30:00 UTC",
        status: "in force",
        reason: "memo",
        digest: "sha256:bbbbb",
      },
    ]);
  });
});
