import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEED_SCHEMAS, FEEDS } from "./feed-schemas.ts";
import { wellFormedForDisplay } from "./normalise-field.ts";
import { normaliseRow } from "./normalise-row.ts";

const runs = process.env.PASSAGE_SOAK === "1" ? 10_000 : 200;
const options = { numRuns: runs };

const anyCell = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

/** A raw row for a feed: each schema field absent, arbitrary, or plausibly valid; plus unknown columns. */
const rawRow = (feed: (typeof FEEDS)[number]) =>
  fc.record(Object.fromEntries(FEED_SCHEMAS[feed].fields.map((field) => [field.name, anyCell])), {
    requiredKeys: [],
  });

describe("normaliseRow (property)", () => {
  it("never throws, and either accepts with contract fields only or rejects with reasons", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FEEDS).chain((feed) => fc.tuple(fc.constant(feed), rawRow(feed))),
        fc.dictionary(fc.string(), anyCell, { maxKeys: 3 }),
        ([feed, row], extra) => {
          const result = normaliseRow(feed, { ...extra, ...row });
          const schema = FEED_SCHEMAS[feed];
          if (result.ok) {
            for (const name of Object.keys(result.fields)) expect(schema.fieldsByName.has(name)).toBe(true);
            for (const field of schema.fields)
              if (field.required) expect(result.fields[field.name]).toBeDefined();
            expect(result.keyValue).toBe(String(result.fields[schema.keyField]));
          } else {
            expect(result.issues.length).toBeGreaterThan(0);
            // an issue names a contract field, or an unknown column kept as raw provenance
            const unknownColumns = Object.keys(extra).map(wellFormedForDisplay);
            for (const issue of result.issues)
              expect(schema.fieldsByName.has(issue.field) || unknownColumns.includes(issue.field)).toBe(true);
          }
        },
      ),
      options,
    );
  });

  it("is idempotent: re-normalising an accepted row's fields gives the same fields and key", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FEEDS).chain((feed) => fc.tuple(fc.constant(feed), rawRow(feed))),
        ([feed, row]) => {
          const first = normaliseRow(feed, row);
          if (!first.ok) return;
          const again = normaliseRow(feed, first.fields);
          expect(again).toEqual({ ...first, warnings: [] });
        },
      ),
      options,
    );
  });

  it("rejects a row missing any required field, naming it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FEEDS), fc.nat(), (feed, pick) => {
        const required = FEED_SCHEMAS[feed].fields.filter((field) => field.required);
        const missing = required[pick % required.length]!;
        const result = normaliseRow(feed, { [missing.name]: " " });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.issues).toContainEqual({ field: missing.name, reason: "required field is missing" });
        }
      }),
      options,
    );
  });

  it("derives a composite record key for feeds with one row per event", () => {
    const row = {
      receipt_number: "eac 1234567890",
      form_type: "i-589",
      event: "Filed",
      event_date: "2020-01-01",
    };
    expect(normaliseRow("benefit", row)).toMatchObject({
      ok: true,
      keyValue: "EAC1234567890",
      recordKey: "EAC1234567890|filed",
    });
  });

  it("refuses a departure dated after the day it was reported (a day's grace for a local date)", () => {
    const departure = (departureDate: string, reportedAt: string) =>
      normaliseRow("departure", {
        departure_id: "D-1",
        departure_date: departureDate,
        mode: "air",
        evidence: "carrier_manifest",
        reported_at: reportedAt,
      });
    expect(departure("2026-11-20", "2026-11-20T12:00:00Z").ok).toBe(true);
    expect(departure("2026-11-21", "2026-11-20T23:30:00-05:00").ok).toBe(true);
    expect(departure("2026-11-21", "2026-11-20T00:00:00Z").ok).toBe(true);
    expect(departure("2026-11-22", "2026-11-20T23:59:59Z")).toEqual({
      ok: false,
      issues: [
        {
          field: "departure_date",
          reason:
            "2026-11-22 is after reported_at 2026-11-20T23:59:59.000Z: a departure is reported once it has happened",
        },
      ],
    });
    expect(departure("2126-02-01", "2026-11-20T12:00:00Z").ok).toBe(false);
  });

  const visa = {
    visa_id: "V-1",
    family_name: "Doe",
    visa_class: "B1/B2",
    issue_date: "2020-01-01",
    expiry_date: "2030-01-01",
  };

  it("rejects a value that is not well-formed Unicode (a lone surrogate), naming the field", () => {
    for (const text of ["A\ud800B", "A\udc00", "\ud800"]) {
      const result = normaliseRow("visa", { ...visa, family_name: text });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.issues).toHaveLength(1);
        expect(result.issues[0]!.field).toBe("family_name");
        expect(result.issues[0]!.reason).toMatch(/not well-formed Unicode: a lone UTF-16 surrogate/);
      }
    }
    expect(normaliseRow("visa", { ...visa, family_name: "Doe \u{1F600}" }).ok).toBe(true);
  });

  it("rejects U+FFFD, a byte that was not UTF-8, naming the field and the likely cause", () => {
    const result = normaliseRow("visa", { ...visa, family_name: "M\ufffdller" });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: "family_name",
          reason:
            "contains U+FFFD, the replacement character: the source is not valid UTF-8 or was mis-decoded upstream",
        },
      ],
    });
  });

  it("rejects an unknown column whose name, keys or values are not well-formed or hold U+FFFD", () => {
    const rejected = (extra: Record<string, unknown>) => {
      const result = normaliseRow("visa", { ...visa, ...extra });
      return result.ok ? [] : result.issues;
    };
    expect(rejected({ note: "\udc00" })).toEqual([
      { field: "note", reason: expect.stringMatching(/lone UTF-16 surrogate \\udc00/) },
    ]);
    expect(rejected({ note: "x\u0000y\ud800" })).toEqual([
      { field: "note", reason: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
    expect(rejected({ note: "M\ufffdller" })).toEqual([
      { field: "note", reason: expect.stringMatching(/not valid UTF-8/) },
    ]);
    expect(rejected({ extra: { deeper: ["ok", { x: "\ud800" }] } })).toEqual([
      { field: "extra", reason: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
    expect(rejected({ extra: { "k\ud800": 1 } })).toEqual([
      { field: "extra", reason: expect.stringMatching(/^the key "k\ufffd" is not well-formed Unicode/) },
    ]);
    expect(rejected({ "n\ud800": "x" })).toEqual([
      { field: "n\ufffd", reason: expect.stringMatching(/^the column name is not well-formed Unicode/) },
    ]);
    // control characters in provenance are kept as before; well-formed text of any script too
    expect(rejected({ note: "x\u0000y", other: { 名: "Ñandú \u{1F600}" } })).toEqual([]);
  });

  it("takes a JSON boolean only in a Y/N field, and rejects it in any other, naming the field", () => {
    const result = normaliseRow("visa", { ...visa, family_name: true, given_names: false });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: "family_name",
          reason: "expected text, got the boolean true: only a Y/N field takes a JSON boolean",
        },
        {
          field: "given_names",
          reason: "expected text, got the boolean false: only a Y/N field takes a JSON boolean",
        },
      ],
    });
    expect(normaliseRow("visa", { ...visa, visa_id: true }).ok).toBe(false);
    expect(normaliseRow("visa", { ...visa, issue_date: false }).ok).toBe(false);
    const conviction = normaliseRow("conviction", {
      disposition_id: "C-1",
      date_of_birth: "1980-01-01",
      offense_code: "THEFT",
      offense_level: "felony",
      disposition: "convicted",
      disposition_date: "2020-01-01",
      aggravated_felony: true,
    });
    expect(conviction).toMatchObject({ ok: true, fields: { aggravated_felony: "Y" } });
  });
});
