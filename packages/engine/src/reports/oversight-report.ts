import {
  type CountRow,
  countCasesByState,
  countGatesHolding,
  countLinkReviewOutcomes,
  countManifestStrikes,
  countOverrides,
  countRedressOutcomes,
  findPolicyActivations,
  findRedressResolutionDays,
  type PersonCounts,
  type SqlExecutor,
} from "@passage/store";
import { type PublishedTable, SMALL_CELL_THRESHOLD, suppressSmallCells } from "./small-cell-suppression.ts";

/** One table of the report: what it counts, and its cells after suppression. */
export interface ReportTable extends PublishedTable {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

/**
 * Time to resolution of redress requests of one kind, withheld when fewer than the threshold were
 * resolved. No count is published here: it would let the outcome table's withheld cells be recovered.
 */
export interface RedressTimes {
  readonly kind: string;
  readonly withheld: boolean;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
}

/** The oversight report (issue 6): aggregate figures safe to publish, nothing about any one person. */
export interface OversightReport {
  readonly generatedAt: string;
  readonly threshold: number;
  readonly tables: readonly ReportTable[];
  readonly redressTimes: readonly RedressTimes[];
  readonly policies: readonly {
    policyId: string;
    version: string;
    digest: string;
    activatedAt: string;
    active: boolean;
    reason: string;
  }[];
  readonly notes: readonly string[];
}

/**
 * Builds the report from the projections and append-only tables, with small-cell suppression
 * (counts from 1 to 10 withheld, and the total of any table with a withheld count, so none can be narrowed
 * down from a total).
 */
export async function buildOversightReport(
  executor: SqlExecutor,
  options: { now?: Date } = {},
): Promise<OversightReport> {
  const [states, gates, strikes, overrides, redress, days, policies, reviews] = await Promise.all([
    countCasesByState(executor),
    countGatesHolding(executor),
    countManifestStrikes(executor),
    countOverrides(executor),
    countRedressOutcomes(executor),
    findRedressResolutionDays(executor),
    findPolicyActivations(executor),
    countLinkReviewOutcomes(executor),
  ]);
  const table = (
    id: string,
    title: string,
    description: string,
    counted: CountRow[] | PersonCounts,
  ): ReportTable => ({
    id,
    title,
    description,
    ...(Array.isArray(counted)
      ? suppressSmallCells(counted)
      : suppressSmallCells(counted.rows, { total: counted.persons })),
  });
  const tables = [
    table(
      "cases_by_state",
      "Cases by legal state",
      "Persons by primary lifecycle state (DOMAIN.md §1.1).",
      states,
    ),
    table(
      "gates_holding",
      "Actions prevented by due-process gates",
      "Persons with a removal order whom a gate or blocker (stay, TPS, pending motion, protection...) keeps off every actionable list, by gate; a person held by several counts under each, and once in the total of persons.",
      gates,
    ),
    table(
      "manifest_strikes",
      "Persons struck from frozen transport manifests",
      "By reason: the person stopped qualifying after the manifest was planned or frozen; a person struck from several manifests counts once under each reason, and once in the total of persons.",
      strikes,
    ),
    table(
      "overrides",
      "Supervisor overrides of policy outcomes",
      "Overrides of a priority tier (never of a gate), by direction.",
      overrides,
    ),
    table(
      "redress_outcomes",
      "Redress requests by kind and outcome",
      "kind:outcome; `open` while the request is unresolved.",
      redress,
    ),
  ];
  tables.push(
    table(
      "link_reviews",
      "Link review outcomes",
      "Uncertain record pairs sent to human review: accept (one person), reject (never linked), unsure (escalated), open, superseded.",
      reviews,
    ),
  );
  const redressTimes = [...days.entries()].map(([kind, list]) =>
    list.length < SMALL_CELL_THRESHOLD
      ? { kind, withheld: true, medianDays: null, p90Days: null }
      : {
          kind,
          withheld: false,
          medianDays: round(quantile(list, 0.5)),
          p90Days: round(quantile(list, 0.9)),
        },
  );
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    threshold: SMALL_CELL_THRESHOLD,
    tables,
    redressTimes,
    policies,
    notes: [
      `Counts from 1 to ${SMALL_CELL_THRESHOLD - 1} are withheld, and a table with a withheld count has its total withheld too: with the total, a reader who knows the rule could narrow the withheld counts down, and without it a withheld count could be anything from 1 to ${SMALL_CELL_THRESHOLD - 1}. The totals of gates and of manifest strikes count persons once each, though a person may be in several of their cells.`,
      "Policies are published in full; the report names every version activated and why.",
    ],
  };
}

/** The q-quantile of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
