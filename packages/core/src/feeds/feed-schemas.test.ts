import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEED_SCHEMAS, FEEDS, isFeed } from "./feed-schemas.ts";

describe("feed schemas", () => {
  it("isFeed accepts exactly the feeds of SOURCES.md", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...FEEDS), fc.string()), (text) => {
        expect(isFeed(text)).toBe((FEEDS as readonly string[]).includes(text));
      }),
    );
    expect(isFeed("constructor")).toBe(false);
  });

  it("gives every feed a required key field, and a required second key field where it has one", () => {
    for (const feed of FEEDS) {
      const schema = FEED_SCHEMAS[feed];
      expect(schema.feed).toBe(feed);
      expect(schema.fieldsByName.get(schema.keyField)?.required).toBe(true);
      if (schema.keySecondField !== undefined) {
        expect(schema.fieldsByName.get(schema.keySecondField)?.required).toBe(true);
      }
      expect(new Set(schema.fields.map((field) => field.name)).size).toBe(schema.fields.length);
    }
  });
});
