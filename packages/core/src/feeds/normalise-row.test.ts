import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEED_SCHEMAS, FEEDS } from "./feed-schemas.ts";
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
            for (const issue of result.issues) expect(schema.fieldsByName.has(issue.field)).toBe(true);
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
});
