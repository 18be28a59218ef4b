import { describe, expect, it } from "vitest";
import { isPassageError } from "../errors/passage-error.ts";
import { deriveStatus } from "./derive-status.ts";
import { createLifecycleRules, describeLifecycleRules } from "./lifecycle-rules.ts";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  cite,
  courtRecord,
  departureRecord,
  recordOf,
} from "./testing/lifecycle-records.ts";

/** Valid time (as of a date) against record time (as known at a moment), and bad input. */

const original = admissionRecord(
  "AB123456789",
  "B2",
  "2024-01-10",
  "2024-03-01",
  {},
  { version: 1, recordedAt: "2024-01-11T00:00:00.000Z" },
);
const correction = admissionRecord(
  "AB123456789",
  "B2",
  "2024-01-10",
  "2024-09-01",
  {},
  { version: 2, recordedAt: "2024-05-01T10:00:00.000Z" },
);

describe("bitemporal questions", () => {
  it("known at a moment before a correction gives the old answer, after it the new one", () => {
    const records = [correction, original];
    const before = statusAsOf(records, "2024-04-01", { knownAt: "2024-04-15T00:00:00Z" });
    expect(summaryOf(before).primary).toBe("OVERSTAY_SUSPECTED");
    expect(before.state.evidence).toEqual([cite(original)]);
    expect(before.knownAt).toBe("2024-04-15T00:00:00.000Z");
    const after = statusAsOf(records, "2024-04-01", { knownAt: "2024-05-01T12:00:00+02:00" });
    expect(summaryOf(after)).toMatchObject({ primary: "ADMITTED_FIXED", until: "2024-09-01" });
    expect(after.state.evidence).toEqual([{ feed: "admission", recordKey: "AB123456789", version: 2 }]);
    // 10:00Z is 12:00+02:00: the correction was stored exactly then, so it is known.
    expect(after.knownAt).toBe("2024-05-01T10:00:00.000Z");
    expect(statusAsOf(records, "2024-04-01").state.evidence).toEqual([cite(correction)]);
    expect(statusAsOf(records, "2024-04-01", { knownAt: "2024-01-10T23:59:59Z" }).state.primary).toBe(
      "NO_ENTRY_RECORDED",
    );
  });

  it("a record that arrives late changes the past only once it is known", () => {
    const exit = departureRecord(
      "D-1",
      "2024-06-01",
      "carrier_manifest",
      {},
      { recordedAt: "2024-06-10T08:00:00Z" },
    );
    const records = [correction, exit];
    expect(statusAsOf(records, "2024-06-05", { knownAt: "2024-06-05T00:00:00Z" }).state.primary).toBe(
      "ADMITTED_FIXED",
    );
    expect(statusAsOf(records, "2024-06-05", { knownAt: "2024-06-11T00:00:00Z" }).state).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      since: "2024-06-01",
    });
  });

  it("as of a date, later events do not count", () => {
    const order = courtRecord("C-1", "K-1", "decision", "2024-08-01", { outcome: "removal_ordered" });
    expect(summaryOf(statusAsOf([correction, order], "2024-07-31")).primary).toBe("ADMITTED_FIXED");
    expect(summaryOf(statusAsOf([correction, order], "2024-08-01")).primary).toBe("APPEAL_WINDOW");
  });
});

describe("bad input gets a coded error naming the problem", () => {
  const codeOf = (action: () => unknown): string => {
    try {
      action();
    } catch (error) {
      if (isPassageError(error)) return `${error.code}: ${error.message}`;
      throw error;
    }
    throw new Error("no error thrown");
  };

  it("refuses an as-of date that does not exist and a known-at that is not a timestamp", () => {
    expect(codeOf(() => deriveStatus([], { asOf: "2024-02-30" }))).toBe(
      'PASSAGE_ERR_LIFECYCLE_AS_OF_INVALID: as-of date "2024-02-30" is not an existing calendar date in YYYY-MM-DD form',
    );
    expect(codeOf(() => deriveStatus([], { asOf: "2024-02-01", knownAt: "yesterday" }))).toBe(
      'PASSAGE_ERR_LIFECYCLE_KNOWN_AT_INVALID: known-at "yesterday" is not an ISO 8601 timestamp with an offset (e.g. 2024-05-01T12:00:00Z)',
    );
  });

  it("names the record and the field a malformed record lacks", () => {
    const broken = recordOf("court", {
      court_event_id: "C-9",
      case_id: "K-1",
      case_type: "RMV",
      event_type: "hearing",
    });
    expect(codeOf(() => deriveStatus([broken], { asOf: "2024-02-01" }))).toBe(
      'PASSAGE_ERR_LIFECYCLE_RECORD_INVALID: record court:C-9@v1: field "event_date" is required but missing',
    );
    const wrongEvent = courtRecord("C-9", "K-1", "adjourned", "2024-01-01");
    expect(codeOf(() => deriveStatus([wrongEvent], { asOf: "2024-02-01" }))).toMatch(
      /^PASSAGE_ERR_LIFECYCLE_RECORD_INVALID: record court:C-9@v1: field "event_type" is "adjourned", not one of nta_filed/,
    );
  });

  it("validates rules and claims", () => {
    expect(
      codeOf(() =>
        createLifecycleRules({ appealWindowDays: -1, unlawfulPresenceEarliestDate: "1997-13-01" }),
      ),
    ).toMatch(
      /^PASSAGE_ERR_LIFECYCLE_RULES_INVALID: invalid lifecycle rules: appealWindowDays: .*; unlawfulPresenceEarliestDate: must be a date YYYY-MM-DD$/,
    );
    expect(
      codeOf(() => deriveStatus([], { asOf: "2024-02-01", claims: [{ claimId: "RD-1", openedOn: "soon" }] })),
    ).toBe('PASSAGE_ERR_LIFECYCLE_CLAIM_INVALID: citizenship claim RD-1: openedOn "soon" is not a date');
  });

  it("publishes every rule with its default and description", () => {
    const schema = describeLifecycleRules() as {
      properties: Record<string, { default: unknown; description: string }>;
    };
    expect(schema.properties.corroborationWindowDays).toMatchObject({ default: 30 });
    expect(schema.properties.unlawfulPresenceEarliestDate?.default).toBe("1997-04-01");
    expect(schema.properties.durationOfStatusGraceDays?.default).toEqual({ F1: 60, J1: 30 });
    for (const [name, property] of Object.entries(schema.properties)) {
      expect(property.description, name).toMatch(/\w{3,}/);
      expect(property.default, name).not.toBeUndefined();
    }
  });
});
