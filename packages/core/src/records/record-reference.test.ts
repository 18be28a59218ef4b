import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPassageError } from "../errors/passage-error.ts";
import { FEED_SCHEMAS, FEEDS } from "../feeds/feed-schemas.ts";
import { normaliseField } from "../feeds/normalise-field.ts";
import { parseRecordReferenceOrThrow } from "./record-reference.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 10_000 : 300 };

describe("parseRecordReferenceOrThrow (property)", () => {
  it("throws nothing but a coded invalid-input error, whatever the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string().map((text) => `visa:${text}`),
        ),
        (text) => {
          try {
            const reference = parseRecordReferenceOrThrow(text);
            expect(FEEDS).toContain(reference.feed);
          } catch (error) {
            expect(isPassageError(error)).toBe(true);
            if (isPassageError(error)) expect(error.kind).toBe("invalid_input");
          }
        },
      ),
      options,
    );
  });

  it("round-trips FEED:KEY to the key ingest stores, ignoring the |second component of a composite key", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FEEDS),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 -]{0,20}$/),
        fc.option(fc.stringMatching(/^[a-z_]{1,10}$/), { nil: undefined }),
        (feed, key, second) => {
          const schema = FEED_SCHEMAS[feed];
          const stored = normaliseField(schema.fieldsByName.get(schema.keyField)!.type, key);
          const composite = FEED_SCHEMAS[feed].keySecondField !== undefined;
          const text = `${feed}:${key}${second === undefined || !composite ? "" : `|${second}`}`;
          if (!stored.ok) {
            expect(() => parseRecordReferenceOrThrow(text)).toThrow();
            return;
          }
          const reference = parseRecordReferenceOrThrow(text);
          expect(reference).toEqual({ feed, keyValue: String(stored.value) });
          expect(parseRecordReferenceOrThrow(`${feed}:${reference.keyValue}`)).toEqual(reference);
        },
      ),
      options,
    );
  });

  it("refuses what follows '|' on a feed with a one-part key, a second '|', and an empty second part", () => {
    expect(() => parseRecordReferenceOrThrow("admission:36133660575|xyz")).toThrow(
      /"admission:36133660575\|xyz" is not a valid record reference: admission's key \(i94_number\) has one part: nothing may follow "\|"/,
    );
    expect(() => parseRecordReferenceOrThrow("court:CE-1|a|b")).toThrow(
      /court's key \(court_event_id\) has one part/,
    );
    expect(() => parseRecordReferenceOrThrow("benefit:EAC1234567890|filed|x")).toThrow(
      /benefit's key has two parts \(receipt_number\|event\): one "\|" at most/,
    );
    expect(() => parseRecordReferenceOrThrow("custody:B-1|")).toThrow(
      /second part of custody's key \(event\) after "\|" is empty/,
    );
    for (const feed of FEEDS.filter((name) => FEED_SCHEMAS[name].keySecondField === undefined)) {
      expect(() => parseRecordReferenceOrThrow(`${feed}:K1|x`)).toThrow(/has one part/);
    }
    expect(parseRecordReferenceOrThrow("benefit:EAC1234567890|filed")).toEqual({
      feed: "benefit",
      keyValue: "EAC1234567890",
    });
  });

  it("says what is wrong with a key its feed's key field refuses, not that the form is wrong", () => {
    expect(() => parseRecordReferenceOrThrow("admission:ZZZ")).toThrow(
      `"admission:ZZZ" is not a valid record reference: the key is not admission's i94_number: "ZZZ" is not an I-94 number (11 letters or digits)`,
    );
    expect(() => parseRecordReferenceOrThrow("admission:")).toThrow(
      `"admission:" is not a record reference of the form FEED:KEY`,
    );
  });

  it("rejects an unknown feed and a missing key", () => {
    expect(() => parseRecordReferenceOrThrow("passport:123")).toThrow(/unknown feed/);
    fc.assert(
      fc.property(fc.constantFrom(...FEEDS), (feed) => {
        expect(() => parseRecordReferenceOrThrow(`${feed}:`)).toThrow(/FEED:KEY/);
        expect(() => parseRecordReferenceOrThrow(feed)).toThrow(/FEED:KEY/);
      }),
      options,
    );
  });
});
