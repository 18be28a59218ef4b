import { describe, expect, it } from "vitest";
import { caseIdentifierIn } from "./activation-reason.ts";

describe("caseIdentifierIn", () => {
  it("finds person ids, A-numbers, receipt numbers and long digit runs however written", () => {
    for (const [text, found] of [
      ["after the case of P-91D005ZVMBM0", "P-91D005ZVMBM0"],
      ["after the case of p-r1bwm5egvvg8", "p-r1bwm5egvvg8"],
      ["see A-123-456-789", "A-123-456-789"],
      ["see A 123 456 789", "A 123 456 789"],
      ["see a123456789 and more", "a123456789"],
      ["see A#12.345.678", "A#12.345.678"],
      ["see A. 1234567", "A. 1234567"],
      ["see 123 456 789", "123 456 789"],
      ["EAC2190012345 showed it", "EAC2190012345"],
      ["eac 2190012345 showed it", "eac 2190012345"],
      ["case number 20231234567", "20231234567"],
      // Receipt numbers and A-numbers written with spaces or hyphens inside the digits.
      ["receipt EAC 123 456 7890", "EAC 123 456 7890"],
      ["receipt EAC-123-456-7890 showed it", "EAC-123-456-7890"],
      ["see eac 21 900 12345", "eac 21 900 12345"],
      ["see ZLA 12345 00001", "ZLA 12345 00001"],
      ["see A 12345 6789", "A 12345 6789"],
      ["see A-12-345-678", "A-12-345-678"],
      ["see A\u2013123\u2013456\u2013789", "A\u2013123\u2013456\u2013789"],
      ["call 123-456-7890", "123-456-7890"],
      ["version 1.2345678 of it", "2345678"],
      // Four or more groups, parentheses, fullwidth digits, and an 8-digit A-number split 4+4.
      ["after appeal EAC 12 345 678 90 and more", "EAC 12 345 678 90"],
      ["and A 12 34 56 789 too", "A 12 34 56 789"],
      ["see EAC 21 90 01 2345", "EAC 21 90 01 2345"],
      ["see 12 345 67 89", "12 345 67 89"],
      ["see EAC(21)900-12345", "EAC(21)900-12345"],
      ["see A1234-5678", "A1234-5678"],
      ["per 2025-01-20 1234567890", "1234567890"],
      ["see EAC\uFF12\uFF11\uFF19\uFF10\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15", "EAC2190012345"],
    ] as const) {
      expect(caseIdentifierIn(text), text).toBe(found);
    }
  });

  it("lets a reason about dates, versions and counts through", () => {
    for (const text of [
      "EO 14159 revoked the 2021 guidelines (effective 2025-01-20)",
      "a 2021-2025 transition, version 1.10, 12 rules",
      "A 2021 review found 1,234 cases",
      "replaces posture-2025 per memo of 2025-01-20",
      "the 2021 2022 2023 reviews, per 2025-01-20 12:00 memo, for 2021-2025",
      "a 1999-2000 study of 12,345 cases, EO 14159 sec. 2",
    ]) {
      expect(caseIdentifierIn(text), text).toBeUndefined();
    }
  });
});
