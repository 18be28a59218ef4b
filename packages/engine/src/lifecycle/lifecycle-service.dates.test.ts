import { describe, expect, it } from "vitest";
import { validAsOf, validKnownAt } from "./lifecycle-service.ts";

describe("the status read's as-of date and known-at instant", () => {
  it("refuses an as-of date with the parser's reason", () => {
    expect(() => validAsOf("9999-12-31")).toThrow(
      expect.objectContaining({
        code: "PASSAGE_ERR_STATUS_DATE_INVALID",
        message: expect.stringContaining(
          'as-of date "9999-12-31" is not valid: year 9999 is out of range (1850-2200)',
        ),
      }),
    );
    expect(() => validAsOf("2026-02-30")).toThrow(/is not valid: 2026-02-30 does not exist/);
    expect(() => validAsOf("yesterday")).toThrow(/a date is YYYY-MM-DD, e\.g\. 2025-06-30/);
    expect(validAsOf("2025-01-01")).toBe("2025-01-01");
  });

  it("refuses a known-at timestamp with the parser's reason", () => {
    expect(() => validKnownAt("9999-12-31T00:00:00Z")).toThrow(
      /known-at timestamp "9999-12-31T00:00:00Z" is not valid: year 9999 is out of range \(1850-2200\)/,
    );
    expect(() => validKnownAt("2020-01-01")).toThrow(
      /a timestamp is ISO 8601 with an offset, e\.g\. 2025-06-30T12:00:00Z/,
    );
  });
});
