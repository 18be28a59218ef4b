import { api } from "./api-client.ts";

/** One count of a published table; `count` is null when the cell is withheld (small-cell suppression). */
export interface ReportCell {
  readonly key: string;
  readonly count: number | null;
  readonly suppressed: boolean;
}

export interface OversightReport {
  readonly generatedAt: string;
  /** Counts below this are withheld. */
  readonly threshold: number;
  readonly tables: readonly {
    readonly id: string;
    readonly title: string;
    readonly description: string;
    readonly cells: readonly ReportCell[];
    readonly total: number | null;
  }[];
  readonly redressTimes: readonly {
    readonly kind: string;
    readonly withheld: boolean;
    readonly medianDays: number | null;
    readonly p90Days: number | null;
  }[];
  /** Every policy version activated, in order, and why; `active` for the one in force. */
  readonly policies: readonly {
    readonly policyId: string;
    readonly version: string;
    readonly digest: string;
    readonly activatedAt: string;
    readonly active: boolean;
    readonly reason: string;
  }[];
  readonly notes: readonly string[];
}

/** The published oversight aggregates (public: no purpose of use, no case data). */
export function fetchOversightReport(signal?: AbortSignal): Promise<OversightReport> {
  return api.get("/reports", signal ? { signal } : {});
}

/** Where the same report is published as CSV and as a standalone HTML page. */
export const REPORT_DOWNLOADS = {
  csv: "/api/v1/reports/oversight.csv",
  html: "/api/v1/reports/oversight.html",
} as const;
