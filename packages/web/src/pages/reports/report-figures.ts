import type { OversightReport } from "../../api/report-api.ts";

/** Pixels per bar of a report chart: room for its category label without overlap. */
export const CHART_ROW_HEIGHT = 28;
/** The chart's grid margins (top and bottom) around its bars. */
const CHART_MARGINS = 8 + 24;

/**
 * The height of a bar chart of `categories` bars: a fixed height gave 19 legal states 220 px, their
 * labels overlapping; it grows with the number of categories.
 */
export function chartHeight(categories: number): number {
  return CHART_MARGINS + Math.max(categories, 3) * CHART_ROW_HEIGHT;
}

/** One line of the policy versions' table: every version activated, in activation order. */
export interface PolicyVersionRow {
  readonly key: string;
  readonly policy: string;
  readonly version: string;
  readonly activated: string;
  readonly status: "in force" | "replaced";
  readonly reason: string;
  readonly digest: string;
}

/** The report's policy versions as table rows (the digest shortened to 12 characters, as in the HTML page). */
export function policyVersionRows(report: OversightReport): PolicyVersionRow[] {
  return report.policies.map((policy, index) => ({
    key: `${index}:${policy.digest}`,
    policy: policy.policyId,
    version: policy.version,
    activated: `${policy.activatedAt.slice(0, 19).replace("T", " ")} UTC`,
    status: policy.active ? "in force" : "replaced",
    reason: policy.reason,
    digest: policy.digest.slice(0, 12),
  }));
}
