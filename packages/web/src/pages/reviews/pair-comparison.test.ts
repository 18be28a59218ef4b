import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { LinkedRecord } from "../../api/linkage-api.ts";
import { PairComparison } from "./pair-comparison.tsx";

function recordOf(record: string, values: Record<string, string>): LinkedRecord {
  return { record, personId: null, values, hiddenFieldGroups: [] };
}

const LEFT = recordOf("eoir:1", { given_names: "María Rosa", family_name: "Núñez", birth_place: "Bogotá" });
const RIGHT = recordOf("ice:2", { given_names: "MARIA ROSA", family_name: "Nunes", birth_place: "BOGOTA" });

/** Each field's row: its name and what the last column says. */
function agreementOf(html: string): Record<string, string> {
  const rows = [...html.matchAll(/<tr[^>]*><th scope="row">([^<]+)<\/th>.*?<\/tr>/g)];
  return Object.fromEntries(
    rows.map((row) => {
      const cells = [...row[0].matchAll(/<td[^>]*>(.*?)<\/td>/g)];
      return [
        row[1],
        (cells.at(-1)?.[1] ?? "")
          .replace(/<span aria-hidden="true">.<\/span>/g, "")
          .replace(/<[^>]+>/g, "")
          .trim(),
      ];
    }),
  );
}

describe("the pair comparison", () => {
  it("marks a field as the pair's comparison level says: accents and case are no difference", () => {
    const html = renderToStaticMarkup(
      createElement(PairComparison, {
        left: LEFT,
        right: RIGHT,
        fields: [
          { comparison: "given_names", label: "exact", weight: 8.42, termFrequencyAdjustment: 0 },
          { comparison: "family_name", label: "variant", weight: 3.1, termFrequencyAdjustment: 0 },
        ],
      }),
    );
    expect(agreementOf(html)).toEqual({
      "given names": "same",
      "family name": "differs variant",
      // Not compared by the model: accents and case folded.
      "birth place": "same",
    });
  });

  it("folds accents and case where the API gives no levels", () => {
    const html = renderToStaticMarkup(createElement(PairComparison, { left: LEFT, right: RIGHT }));
    expect(agreementOf(html)).toEqual({
      "given names": "same",
      "family name": "differs",
      "birth place": "same",
    });
  });
});
