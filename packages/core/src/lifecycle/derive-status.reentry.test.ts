import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  benefitRecord,
  cite,
  courtRecord,
  custodyRecord,
  departureRecord,
  encounterRecord,
} from "./testing/lifecycle-records.ts";

/**
 * DEPARTED is left by re-entry (DOMAIN.md §1.1). A returning resident gets no I-94 and an entrant
 * who evades inspection leaves no entry record, so a record that places the person in the US after a
 * verified departure (a custody book-in or transfer, an interior arrest) shows that they came back:
 * a stay of unknown entry. Court events do not (hearings and orders happen in absentia).
 *
 * A B-2 visitor (2010) adjusted to permanent residence (I-485 approved 2011-06-01) and flew out on
 * 2022-03-01 (carrier manifest); in case K-1 (NTA 2023-01-10) an IJ ordered removal on 2023-06-01,
 * final 2023-07-04 (rule c), and ICE booked the person in on 2023-08-01.
 */

const lpr = [
  admissionRecord("I94-1", "B2", "2010-01-15", "2010-07-14"),
  benefitRecord("IOE-1", "I-485", "filed", "2010-06-01"),
  benefitRecord("IOE-1", "I-485", "approved", "2011-06-01"),
];
const manifest = departureRecord("D-1", "2022-03-01", "carrier_manifest");
const case1 = [
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-03-01"),
  courtRecord("C-3", "K-1", "decision", "2023-06-01", { outcome: "removal_ordered" }),
];
const bookIn = custodyRecord("B-1", "book_in", "2023-08-01");

describe("a record placing the person in the US after a verified departure", () => {
  it("a book-in after the departure ends DEPARTED: the final order drives, the person detained", () => {
    const status = statusAsOf([...lpr, manifest, ...case1, bookIn], "2023-09-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2023-07-04",
      overlays: ["DETAINED"],
      blockers: [],
      finalOrderExecutable: true,
    });
    expect(status.facts.departure).toBeNull();
    expect(status.facts.court?.caseId).toBe("K-1");
  });

  it("before the book-in, court events alone (held in absentia as readily) leave the person departed", () => {
    const status = statusAsOf([...lpr, manifest, ...case1, bookIn], "2023-07-20");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      blockers: ["DEPARTED"],
      finalOrderExecutable: false,
    });
  });

  it("an interior arrest after the departure shows the same; with no case, the person's grant is current", () => {
    const arrest = encounterRecord("E-9", "interior_arrest", "2023-08-01", { entry_without_inspection: "N" });
    const status = statusAsOf([...lpr, manifest, arrest], "2023-09-01");
    expect(summaryOf(status)).toMatchObject({ primary: "PROTECTED_STATUS", detail: "LPR" });
    // The admission of the earlier stay no longer governs: the entry of this stay is unknown.
    expect(status.facts.entry).toBeNull();
    expect(status.facts.admission).toBeNull();
  });

  it("with nothing else on record, the state is no entry recorded, citing the record that places them here", () => {
    const visitor = admissionRecord("I94-2", "B2", "2019-01-15", "2019-07-14");
    const exit = departureRecord("D-2", "2019-03-01", "carrier_manifest");
    const status = statusAsOf([visitor, exit, bookIn], "2023-09-01");
    expect(summaryOf(status)).toMatchObject({ primary: "NO_ENTRY_RECORDED", overlays: ["DETAINED"] });
    expect(status.state.evidence).toEqual([cite(bookIn)]);
    expect(status.facts.overstay).toBeNull();
  });

  it("a border apprehension that records no unlawful entry, or a port encounter, does not", () => {
    for (const type of ["border_apprehension", "inadmissible_at_port"]) {
      const encounter = encounterRecord("E-9", type, "2023-08-01", { entry_without_inspection: "N" });
      const status = statusAsOf([...lpr, manifest, ...case1, encounter], "2023-09-01");
      expect(summaryOf(status)).toMatchObject({ primary: "DEPARTED", detail: "verified" });
    }
  });

  it("a book-in on the departure's own day is read as before it (a removal on the day of the book-in)", () => {
    const sameDay = custodyRecord("B-2", "book_in", "2022-03-01");
    const status = statusAsOf([...lpr, sameDay, manifest], "2023-01-01");
    expect(summaryOf(status)).toMatchObject({ primary: "DEPARTED", detail: "verified", overlays: [] });
  });

  it("a later verified departure ends the stay of unknown entry again", () => {
    const removed = custodyRecord("B-1", "book_out", "2023-08-20", { reason: "removed" });
    const status = statusAsOf([...lpr, manifest, ...case1, bookIn, removed], "2023-09-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      since: "2023-08-20",
      overlays: [],
      finalOrderExecutable: false,
    });
  });

  it("a claimed departure a later book-in contradicts is no departure: the stay goes on", () => {
    const ewi = encounterRecord("E-1", "interior_arrest", "2021-03-01", { entry_without_inspection: "Y" });
    const claim = departureRecord("D-3", "2023-07-10", "self_report");
    const status = statusAsOf([ewi, ...case1, claim, bookIn], "2023-09-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      overlays: ["DETAINED"],
      finalOrderExecutable: true,
    });
    expect(status.facts.entry).toMatchObject({ stayBegan: "2021-03-01" });
    expect(status.facts.unlawfulPresence).toMatchObject({
      accrualStart: "2021-03-01",
      accrualEnd: "2023-09-01",
    });
  });
});
