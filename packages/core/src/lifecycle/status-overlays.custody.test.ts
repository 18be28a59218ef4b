import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  cite,
  courtRecord,
  custodyRecord,
  departureRecord,
  encounterRecord,
  ewiInProceedings,
} from "./testing/lifecycle-records.ts";

/**
 * DETAINED is read booking by booking (lifecycle-semantics §7): detained while any booking of the
 * current stay is open (a book-in or transfer with no later book-out of the same booking); a
 * departure ends the detention of the stay it ends.
 */

describe("custody booking by booking", () => {
  it("a release from one booking and a book-in to another on the same day: detained by the second", () => {
    const released = custodyRecord("B-1", "book_out", "2023-05-01", { reason: "released" });
    const bookIn = custodyRecord("B-2", "book_in", "2023-05-01", { facility_code: "FAC-02" });
    const records = [...ewiInProceedings(), custodyRecord("B-1", "book_in", "2023-03-01"), released, bookIn];
    const status = statusAsOf(records, "2023-06-01");
    expect(summaryOf(status).overlays).toContain("DETAINED");
    expect(status.facts.custody).toMatchObject({
      detained: true,
      since: "2023-05-01",
      facilityCode: "FAC-02",
      lastEvent: "book_in",
      lastEventOn: "2023-05-01",
      evidence: [cite(bookIn)],
    });
  });

  it("a booking never closed ends with the departure of its stay; a new stay is not detained by it", () => {
    const records = [
      encounterRecord("E-0", "border_apprehension", "2015-02-27", { entry_without_inspection: "Y" }),
      custodyRecord("B-0", "book_in", "2015-03-01"),
      departureRecord("D-1", "2016-05-01", "carrier_manifest"),
      encounterRecord("E-1", "border_apprehension", "2021-03-01", { entry_without_inspection: "Y" }),
    ];
    const status = statusAsOf(records, "2023-01-01");
    expect(summaryOf(status)).toMatchObject({ primary: "EWI_PRESENT", overlays: [] });
    expect(status.facts.custody).toMatchObject({ detained: false, since: null });
    // Departed, before the new entry: not detained either.
    expect(summaryOf(statusAsOf(records, "2017-01-01"))).toMatchObject({ primary: "DEPARTED", overlays: [] });
  });

  it("a claimed departure ends no booking: a person in custody has not departed", () => {
    const records = [
      ...ewiInProceedings(),
      custodyRecord("B-1", "book_in", "2023-03-01"),
      departureRecord("D-1", "2023-04-01", "self_report"),
    ];
    const status = statusAsOf(records, "2023-06-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "claimed",
      overlays: ["DETAINED"],
    });
  });

  it("a transfer between bookings keeps custody continuous from the first book-in", () => {
    const records = [
      ...ewiInProceedings(),
      custodyRecord("B-1", "book_in", "2023-03-01"),
      custodyRecord("B-1", "book_out", "2023-04-01", { reason: "transferred" }),
      custodyRecord("B-2", "book_in", "2023-04-01", { facility_code: "FAC-02" }),
    ];
    expect(statusAsOf(records, "2023-06-01").facts.custody).toMatchObject({
      detained: true,
      since: "2023-03-01",
      facilityCode: "FAC-02",
    });
    const released = custodyRecord("B-2", "book_out", "2023-05-01", { reason: "released" });
    expect(statusAsOf([...records, released], "2023-06-01").facts.custody).toMatchObject({ detained: false });
    // Handed on with no booking to take the person over: still in custody.
    expect(statusAsOf(records.slice(0, -1), "2023-06-01").facts.custody).toMatchObject({
      detained: true,
      since: "2023-03-01",
    });
  });

  it("an OSUP release is no OSUP while a later booking holds the person", () => {
    const order = courtRecord("C-3", "K-1", "decision", "2023-06-15", {
      outcome: "removal_ordered",
      appeal_waived: "Y",
    });
    const records = [
      ...ewiInProceedings(),
      order,
      custodyRecord("B-1", "book_in", "2023-07-01"),
      custodyRecord("B-1", "book_out", "2023-09-01", { reason: "osup" }),
      custodyRecord("B-2", "book_in", "2023-09-01"),
    ];
    expect(summaryOf(statusAsOf(records, "2023-10-01")).overlays).toEqual(["DETAINED"]);
  });
});
