import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PersonLink, PersonLinks } from "../../api/linkage-api.ts";
import { LinksSummary } from "./links-panel.tsx";

const LINK: PersonLink = {
  leftRecord: "eoir:1",
  rightRecord: "ice:2",
  weight: 21.5,
  probability: 0.99,
  kind: "auto_link",
};

function linksOf(records: number, links: number, supportingLinks: number): PersonLinks {
  return {
    personId: "P-1",
    records: Array.from({ length: records }, (_, index) => ({
      record: `feed:${index}`,
      personId: "P-1",
      values: {},
      hiddenFieldGroups: [],
    })),
    links: Array.from({ length: links }, () => LINK),
    weakestLink: LINK,
    supportingLinks,
    decisions: [],
    identityIssues: [],
    openReviews: [],
    decisionsWithheld: 0,
    openReviewsWithheld: 0,
    identityIssuesWithheld: 0,
  };
}

const said = (links: PersonLinks) =>
  renderToStaticMarkup(createElement(LinksSummary, { links })).replace(/<[^>]+>/g, "");

describe("the links summary", () => {
  it("counts one link, one agreeing pair, in the singular", () => {
    expect(said(linksOf(2, 1, 1))).toMatch(
      /^2 records held together by 1 link \(and 1 further agreeing pair\)\. The weakest link is where/,
    );
    expect(said(linksOf(3, 2, 0))).toMatch(/^3 records held together by 2 links\. The weakest link/);
  });
});
