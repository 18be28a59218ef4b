import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLines, jsonLinesOf } from "./json-lines.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function roundTrip(values: readonly unknown[]): Promise<unknown[]> {
  const result = await database.pool.query<{ line: unknown; ordinal: string }>(
    `SELECT line, ordinal FROM ${jsonLinesOf("$1")} AS e(line, ordinal) ORDER BY ordinal`,
    [jsonLines(values)],
  );
  expect(result.rows.map((row) => Number(row.ordinal))).toEqual(values.map((_, index) => index + 1));
  return result.rows.map((row) => row.line);
}

// jsonb refuses the NUL character and lone surrogates (Passage refuses them at its edges).
const storable = (value: unknown) => !/\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value));

describe("JSON lines", () => {
  it("gives back every value in order, line breaks and separators inside strings included", async () => {
    const values = [
      { note: "two\nlines\r\nand a tab\t", separator: "\u2028\u2029", quote: '"\\' },
      ["a", 1, null, true],
      "a string",
      { nested: { deeper: [{ empty: {} }, []] } },
    ];
    expect(await roundTrip(values)).toEqual(values);
  });

  it("round-trips arbitrary JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue().filter(storable), { minLength: 1, maxLength: 8 }),
        async (values) => {
          expect(await roundTrip(values)).toEqual(JSON.parse(JSON.stringify(values)));
        },
      ),
      { numRuns: 100 },
    );
  });
});
