import { describe, expect, it } from "vitest";
import type { RecordCitation } from "../records/source-record.ts";
import { statusAsOf } from "./testing/derive-helpers.ts";
import { cite, encounterRecord, recordOf } from "./testing/lifecycle-records.ts";

/** Every citation in a value's `evidence` lists, at any depth. */
function citationsIn(value: unknown): RecordCitation[] {
  if (Array.isArray(value)) return value.flatMap(citationsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === "evidence" && Array.isArray(item) ? (item as RecordCitation[]) : citationsIn(item),
  );
}

describe("the status's evidence list", () => {
  it("names every record a fact cites, nested ones too (a tolling interval's)", () => {
    // The date of birth, and so the under-18 tolling, comes from the conviction record alone.
    const entry = encounterRecord("E-1", "interior_arrest", "2021-09-01", {
      entry_without_inspection: "Y",
      entry_date: "2018-01-01",
    });
    const conviction = recordOf("conviction", {
      disposition_id: "D-1",
      date_of_birth: "2001-06-01",
      offense_code: "TRAFFIC",
      offense_level: "infraction",
      disposition: "dismissed",
      disposition_date: "2020-01-01",
    });
    const status = statusAsOf([entry, conviction], "2022-01-01");
    expect(status.facts.unlawfulPresence?.tolling[0]).toMatchObject({
      reason: "under_18",
      evidence: [cite(conviction)],
    });
    const listed = status.evidence.map(({ feed, recordKey, version }) => ({ feed, recordKey, version }));
    for (const citation of citationsIn(status.facts)) expect(listed).toContainEqual(citation);
    expect(status.evidence.find((entry) => entry.recordKey === "D-1")?.supports).toContain(
      "facts.unlawfulPresence",
    );
    // One entry per record version, however many objects cite it.
    expect(new Set(listed.map((c) => `${c.feed}:${c.recordKey}:${c.version}`)).size).toBe(listed.length);
  });
});
