import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { DryRunResult } from "../../api/policy-api.ts";
import { DryRunView } from "./dry-run-view.tsx";

// An answer of POST /policies/dry-run (packages/policy/src/policy/dry-run.ts) whose proposed
// policy has a rule that errs, mostly out of budget, and whose active one has one that errs once.
const RESULT: DryRunResult = {
  from: { id: "priority", version: "2026.1" },
  to: { id: "priority", version: "2026.2" },
  cases: 1200,
  changed: 40,
  unchanged: 1160,
  transitions: [{ from: 2, to: 3, count: 40 }],
  tierCounts: { from: { "1": 100, "2": 500, "3": 600 }, to: { "1": 100, "2": 460, "3": 640 } },
  ruleErrors: [
    {
      policy: "from",
      ruleId: "recent-entry",
      cases: 1,
      budgetExceeded: 0,
      message: "cannot compare a date with null",
    },
    {
      policy: "to",
      ruleId: "long-residence",
      cases: 1050,
      budgetExceeded: 1049,
      message: "rule long-residence ran out of evaluation budget (2,000,000 steps)",
    },
  ],
};

function rowsOf(html: string, caption: string): string[] {
  const start = html.indexOf(`<caption>${caption}</caption>`);
  if (start < 0) throw new Error(`no table "${caption}" in ${html}`);
  const table = html.slice(start, html.indexOf("</table>", start));
  return (table.match(/<tbody>.*<\/tbody>/)?.[0].match(/<tr>.*?<\/tr>/g) ?? []).map((row) =>
    row.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|"),
  );
}

describe("DryRunView", () => {
  it("shows the rules that raised errors, per policy, with the cases, those out of budget and the first message", () => {
    const html = renderToStaticMarkup(createElement(DryRunView, { result: RESULT }));
    expect(html).toContain(
      "2 rules raised errors: the figures below count those cases as if the rule did not fire",
    );
    expect(rowsOf(html, "Rules that raised errors")).toEqual([
      "|Active: priority 2026.1|recent-entry|1|0|cannot compare a date with null|",
      "|Proposed: priority 2026.2|long-residence|1,050|1,049|rule long-residence ran out of evaluation budget (2,000,000 steps)|",
    ]);
    // Before the figures it qualifies.
    expect(html.indexOf("Rules that raised errors")).toBeLessThan(html.indexOf("Cases per tier"));
  });

  it("shows no warning when no rule raised an error", () => {
    const html = renderToStaticMarkup(createElement(DryRunView, { result: { ...RESULT, ruleErrors: [] } }));
    expect(html).not.toContain("raised errors");
    expect(html).toContain("<strong>40</strong> of 1,200");
  });
});
