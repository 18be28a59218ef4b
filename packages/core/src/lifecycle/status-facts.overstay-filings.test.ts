import { describe, expect, it } from "vitest";
import { statusAsOf } from "./testing/derive-helpers.ts";
import { admissionRecord, benefitRecord, cite, departureRecord } from "./testing/lifecycle-records.ts";

/**
 * "Timely extension/change/adjustment filings remove a person from the count" (DOMAIN.md §1.2):
 * the overstay fact leaves out a person whose timely I-539 or I-485 is pending on the day counted,
 * and counts one who filed late, as unlawful presence reads the same filings' timeliness.
 */

const visitor = admissionRecord("11111111111", "B2", "2024-01-10", "2024-07-09");
const extension = (date: string) => benefitRecord("EAC2400000001", "I-539", "filed", date);
const adjustment = (date: string) => benefitRecord("MSC2400000001", "I-485", "filed", date);
const exit = (date: string) => departureRecord("D-1", date, "carrier_manifest");

describe("the overstay count and timely filings", () => {
  it("a timely I-539 pending when the person left: no out-of-country overstay", () => {
    const status = statusAsOf([visitor, extension("2024-07-01"), exit("2025-03-01")], "2025-04-01");
    expect(status.state).toMatchObject({ primary: "DEPARTED", detail: "verified" });
    expect(status.facts.overstay).toBeNull();
    // Unlawful presence reads the filing as timely too: tolled for its first 120 days.
    expect(status.facts.unlawfulPresence?.tolling).toMatchObject([{ reason: "extension_pending" }]);
  });

  it("a timely I-485 pending when the person left: no out-of-country overstay", () => {
    const status = statusAsOf([visitor, adjustment("2024-07-01"), exit("2024-10-01")], "2025-04-01");
    expect(status.facts.overstay).toBeNull();
  });

  it("a timely filing decided before the departure no longer removes the person", () => {
    const denied = benefitRecord("EAC2400000001", "I-539", "denied", "2024-09-01");
    const status = statusAsOf([visitor, extension("2024-07-01"), denied, exit("2025-03-01")], "2025-04-01");
    expect(status.facts.overstay).toMatchObject({ kind: "out_of_country", days: 235 });
  });

  it("a late I-485 pending leaves the person counted in the country", () => {
    const late = adjustment("2025-06-01");
    const status = statusAsOf([visitor, late], "2025-07-01");
    expect(status.state).toMatchObject({ primary: "BENEFIT_PENDING", detail: "ADJUSTMENT" });
    expect(status.facts.overstay).toMatchObject({
      kind: "in_country",
      days: 357,
      authorisedUntil: "2024-07-09",
      departureDate: null,
    });
    expect(status.facts.overstay?.evidence).toEqual([cite(visitor), cite(late)]);
    // The same as unlawful presence: 2024-07-10..2025-05-31 accrued before the filing stopped it.
    expect(status.facts.unlawfulPresence).toMatchObject({ days: 326, bar: "three_year" });
  });

  it("a timely I-485 pending in the country: no overstay", () => {
    const status = statusAsOf([visitor, adjustment("2024-07-09")], "2025-07-01");
    expect(status.state).toMatchObject({ primary: "BENEFIT_PENDING", detail: "ADJUSTMENT" });
    expect(status.facts.overstay).toBeNull();
  });

  it("a late filer who left is counted out of the country", () => {
    const status = statusAsOf([visitor, adjustment("2024-08-01"), exit("2024-10-01")], "2025-04-01");
    expect(status.facts.overstay).toMatchObject({ kind: "out_of_country", days: 84 });
  });

  it("a timely filing pending under a claimed departure: no overstay", () => {
    const claim = departureRecord("D-2", "2024-10-01", "self_report");
    const status = statusAsOf([visitor, adjustment("2024-07-01"), claim], "2025-04-01");
    expect(status.state).toMatchObject({ primary: "DEPARTED", detail: "claimed" });
    expect(status.facts.overstay).toBeNull();
  });
});
