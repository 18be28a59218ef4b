import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RedressTimesView } from "./reports-page.tsx";

describe("RedressTimesView", () => {
  it("says so when no redress request has been resolved, instead of an empty grid", () => {
    const html = renderToStaticMarkup(createElement(RedressTimesView, { redressTimes: [] }));
    expect(html).toContain("Time to resolve redress requests");
    expect(html).toContain("No redress request resolved yet.");
    expect(html).not.toContain("<table");
  });

  it("lists each kind's median and 90th percentile, withheld ones as withheld", () => {
    const html = renderToStaticMarkup(
      createElement(RedressTimesView, {
        redressTimes: [
          { kind: "DATA_CORRECTION", withheld: false, medianDays: 4, p90Days: 9 },
          { kind: "ACCESS_REQUEST", withheld: true, medianDays: null, p90Days: null },
        ],
      }),
    );
    expect(html).not.toContain("No redress request resolved yet.");
    expect(html).toContain('<th scope="row">data correction</th><td>4</td><td>9</td>');
    expect(html).toContain('<th scope="row">access request</th><td>withheld</td><td>withheld</td>');
  });
});
