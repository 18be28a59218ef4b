import { FEED_SCHEMAS, FEEDS, type FieldIssue } from "@passage/core";
import { describe, expect, it } from "vitest";
import { dateRuleFieldsOf } from "./implausible-dates.ts";
import { prepareRow, validateRow } from "./prepare-row.ts";

const RECEIVED_AT = "2026-06-15T12:00:00.000Z";

const admission = {
  i94_number: "12345678901",
  class_of_admission: "B2",
  admission_date: "2025-03-01",
  admit_until: "2025-08-31",
};

/** The warnings of a row that must be accepted. */
function warningsOf(feed: (typeof FEEDS)[number], raw: Record<string, unknown>, receivedAt = RECEIVED_AT) {
  const result = validateRow(feed, raw, receivedAt);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.issues)}`);
  return result.warnings;
}

describe("validateRow: impossible dates are stored with a warning, never rejected", () => {
  it("warns of an admission dated after the row was received, naming the field, value and why", () => {
    const result = validateRow(
      "admission",
      { ...admission, admission_date: "2099-03-01", admit_until: "D/S" },
      RECEIVED_AT,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fields.admission_date).toBe("2099-03-01");
    expect(result.warnings).toEqual([
      {
        field: "admission_date",
        reason:
          "2099-03-01 is after the row was received (2026-06-15T12:00:00.000Z): an admission is recorded once it has happened; kept as received",
      },
    ]);
  });

  it("warns of a date of birth in the future (a recent date with day and month swapped), in any person feed", () => {
    const warnings = warningsOf("admission", { ...admission, date_of_birth: "2026-12-06" });
    expect(warnings).toContainEqual({
      field: "date_of_birth",
      reason: expect.stringMatching(
        /^2026-12-06 is after the row was received \(2026-06-15T12:00:00.000Z\): no one is born after/,
      ),
    });
    expect(
      warningsOf("conviction", {
        disposition_id: "D-1",
        date_of_birth: "2030-01-01",
        offense_code: "THEFT",
        offense_level: "misdemeanor",
        disposition: "convicted",
        disposition_date: "2024-01-01",
      }).map((warning) => warning.field),
    ).toEqual(["date_of_birth", "date_of_birth"]);
  });

  it("warns of admit_until before admission_date, but not of D/S or a stay ending the day it began", () => {
    expect(warningsOf("admission", { ...admission, admit_until: "2025-02-27" })).toEqual([
      {
        field: "admit_until",
        reason:
          "2025-02-27 is before admission_date 2025-03-01: an admitted stay ends on or after the day it begins; kept as received",
      },
    ]);
    expect(warningsOf("admission", { ...admission, admit_until: "D/S" })).toEqual([]);
    expect(warningsOf("admission", { ...admission, admit_until: "2025-03-01" })).toEqual([]);
  });

  it("warns of a visa expiring before it was issued, and not of an expiry ahead", () => {
    const visa = { visa_id: "V-1", visa_class: "B1/B2", issue_date: "2024-05-10", expiry_date: "2034-05-09" };
    expect(warningsOf("visa", visa)).toEqual([]);
    expect(warningsOf("visa", { ...visa, expiry_date: "2024-05-01" })).toEqual([
      {
        field: "expiry_date",
        reason:
          "2024-05-01 is before issue_date 2024-05-10: a visa expires after it is issued; kept as received",
      },
    ]);
    expect(warningsOf("visa", { ...visa, issue_date: "2027-01-01" }).map((warning) => warning.field)).toEqual(
      ["issue_date"],
    );
  });

  it("warns of a departure dated in the future (its reported_at in the past would otherwise be rejected)", () => {
    const departure = {
      departure_id: "DEP-1",
      departure_date: "2026-06-16",
      mode: "air",
      evidence: "carrier_manifest",
      reported_at: "2026-06-15T04:00:00Z",
    };
    // the day after the report is within normaliseRow's day of grace, but at 05:00Z (+ 1 h skew) no
    // time zone has reached it: UTC+14 is at 20:00 on the 15th
    expect(warningsOf("departure", departure, "2026-06-15T05:00:00Z")).toEqual([
      {
        field: "departure_date",
        reason:
          "2026-06-16 is after the row was received (2026-06-15T05:00:00Z): a departure is recorded once it has happened; kept as received",
      },
    ]);
    // received late on the 15th (UTC), it is already the 16th in UTC+14: no warning
    expect(warningsOf("departure", departure, "2026-06-15T23:00:00Z")).toEqual([]);
  });

  it("allows the date furthest ahead anywhere, an hour's clock skew included, and warns of the day after", () => {
    const encounter = { encounter_id: "E-1", encounter_type: "interior_arrest" };
    // 09:00Z + 1 h skew + 14 h (UTC+14) is 2026-06-15T24:00, that is 2026-06-16
    expect(
      warningsOf("encounter", { ...encounter, event_date: "2026-06-16" }, "2026-06-15T09:00:00Z"),
    ).toEqual([]);
    expect(
      warningsOf("encounter", { ...encounter, event_date: "2026-06-16" }, "2026-06-15T08:59:59Z").map(
        (warning) => warning.field,
      ),
    ).toEqual(["event_date"]);
  });

  it("does not warn of dates that may lawfully lie ahead: a hearing, a deadline, a validity, an expiry, a flight", () => {
    const court = {
      court_event_id: "C-1",
      a_number: "A123456789",
      case_id: "CASE-1",
      case_type: "RMV",
      event_type: "hearing",
      event_date: "2027-02-01",
      deadline: "2027-03-01",
    };
    expect(warningsOf("court", court)).toEqual([]);
    expect(
      warningsOf("benefit", {
        receipt_number: "EAC1234567890",
        form_type: "I-821",
        event: "approved",
        event_date: "2026-06-01",
        valid_from: "2026-09-10",
        valid_to: "2028-03-09",
      }),
    ).toEqual([]);
    expect(
      warningsOf("travel_document", {
        td_id: "TD-1",
        a_number: "A123456789",
        country: "GTM",
        status: "issued",
        event_date: "2026-06-01",
        valid_to: "2026-12-01",
      }),
    ).toEqual([]);
    expect(
      warningsOf("flight", {
        flight_id: "F-1",
        date: "2027-01-01",
        origin_hub: "AEX",
        destination_country: "GTM",
        seats: 100,
        cost: 5000,
      }),
    ).toEqual([]);
  });

  it("warns of pairs out of order in the other feeds that carry both dates", () => {
    const fieldsOf = (warnings: readonly FieldIssue[]) => warnings.map((warning) => warning.field);
    expect(
      fieldsOf(
        warningsOf("benefit", {
          receipt_number: "EAC1234567890",
          form_type: "I-821",
          event: "approved",
          event_date: "2026-06-01",
          valid_from: "2026-09-10",
          valid_to: "2026-09-09",
        }),
      ),
    ).toEqual(["valid_to"]);
    expect(
      fieldsOf(
        warningsOf("court", {
          court_event_id: "C-1",
          a_number: "A123456789",
          case_id: "CASE-1",
          case_type: "RMV",
          event_type: "decision",
          outcome: "vd_with_alternate_order",
          event_date: "2026-05-01",
          deadline: "2026-04-01",
        }),
      ),
    ).toEqual(["deadline"]);
    expect(
      fieldsOf(
        warningsOf("encounter", {
          encounter_id: "E-1",
          encounter_type: "border_apprehension",
          event_date: "2026-05-01",
          entry_date: "2026-05-03",
          date_of_birth: "2026-05-02",
        }),
      ),
    ).toEqual(["entry_date", "date_of_birth"]);
    const issued = {
      td_id: "TD-1",
      a_number: "A123456789",
      country: "GTM",
      event_date: "2026-06-01",
      valid_to: "2026-05-01",
    };
    expect(fieldsOf(warningsOf("travel_document", { ...issued, status: "issued" }))).toEqual(["valid_to"]);
    // an expired document's status is dated when it expired, after its last valid day
    expect(fieldsOf(warningsOf("travel_document", { ...issued, status: "expired" }))).toEqual([]);
    expect(
      fieldsOf(
        warningsOf("citizenship", {
          certificate_id: "CERT-1",
          date_of_birth: "2001-04-05",
          basis: "birth_abroad",
          effective_date: "2001-04-05",
        }),
      ),
    ).toEqual([]);
  });

  it("keeps a malformed identifier's warning beside the date warnings, and stores them with the record", () => {
    const prepared = prepareRow(
      "admission",
      { ...admission, a_number: "A12", admission_date: "2099-03-01", admit_until: "2099-02-01" },
      3,
      RECEIVED_AT,
    );
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.warnings.map((warning) => warning.field)).toEqual([
      "a_number",
      "admission_date",
      "admit_until",
    ]);
    expect(prepared.staged.copyLine).toContain("2099-02-01 is before admission_date 2099-03-01");
  });

  it("names only date fields of each feed's own contract", () => {
    for (const feed of FEEDS) {
      for (const name of dateRuleFieldsOf(feed)) {
        expect(FEED_SCHEMAS[feed].fieldsByName.get(name)?.type.kind, `${feed}.${name}`).toMatch(
          /^date(_or_ds)?$/,
        );
      }
    }
  });
});
