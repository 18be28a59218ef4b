import { describe, expect, it } from "vitest";
import { statusAsOf } from "./testing/derive-helpers.ts";
import { admissionRecord, cite, courtRecord, departureRecord } from "./testing/lifecycle-records.ts";

/**
 * Serving a notice to appear on a parolee terminates the parole (8 CFR 212.5(e)(2)(i): service of
 * a charging document is written notice of termination; DOMAIN.md §1.1: PAROLED is left by an NTA),
 * so unlawful presence accrues from the day after the NTA, not from the day after the parole's date.
 */

const parole = admissionRecord("11111111111", "PAROLE", "2023-01-10", "2026-01-09");
const nta = courtRecord("C-1", "K-1", "nta_filed", "2023-06-01");
const order = courtRecord("C-2", "K-1", "decision", "2024-06-01", { outcome: "removal_ordered" });

describe("a parole ended by a notice to appear", () => {
  it("accrues from the day after the NTA under a final order", () => {
    const status = statusAsOf([parole, nta, order], "2025-12-01");
    expect(status.state.primary).toBe("FINAL_ORDER");
    expect(status.finalOrderExecutable).toBe(true);
    // 2023-06-02..2025-12-01: 366 + 365 + 183 days.
    expect(status.facts.unlawfulPresence).toMatchObject({
      basis: "parole_ended",
      accrualStart: "2023-06-02",
      accrualEnd: "2025-12-01",
      days: 914,
      bar: "ten_year",
      barAttached: false,
    });
    expect(status.facts.unlawfulPresence?.evidence).toEqual(
      expect.arrayContaining([cite(parole), cite(nta)]),
    );
    expect(status.facts.unlawfulPresence?.tolling).toEqual([]);
  });

  it("the parole stays authorised stay up to the NTA's day, and the count is the same after a termination", () => {
    const terminated = courtRecord("C-2", "K-1", "decision", "2024-06-01", { outcome: "terminated" });
    const presence = statusAsOf([parole, nta, terminated], "2025-12-01").facts.unlawfulPresence;
    expect(presence).toMatchObject({ basis: "parole_ended", accrualStart: "2023-06-02", days: 914 });
  });

  it("ends the accrual at a verified departure, which attaches the ten-year bar", () => {
    const departure = departureRecord("D-1", "2024-08-01", "carrier_manifest");
    const presence = statusAsOf([parole, nta, departure], "2024-09-01").facts.unlawfulPresence;
    // 2023-06-02..2024-08-01.
    expect(presence).toMatchObject({
      accrualStart: "2023-06-02",
      days: 427,
      bar: "ten_year",
      barAttached: true,
    });
  });

  it("an NTA before the parole, or on its day, does not end it", () => {
    const earlier = courtRecord("C-1", "K-1", "nta_filed", "2023-01-05");
    const sameDay = courtRecord("C-1", "K-1", "nta_filed", "2023-01-10");
    for (const served of [earlier, sameDay]) {
      expect(statusAsOf([parole, served], "2025-12-01").facts.unlawfulPresence).toBeNull();
    }
  });

  it("an NTA after the parole's date changes nothing: the parole had already ended", () => {
    const shortParole = admissionRecord("11111111111", "PAROLE", "2023-01-10", "2023-12-31");
    const late = courtRecord("C-1", "K-1", "nta_filed", "2024-03-01");
    expect(statusAsOf([shortParole, late], "2024-06-01").facts.unlawfulPresence).toMatchObject({
      accrualStart: "2024-01-01",
      days: 153,
    });
  });

  it("a custody matter serves no charging document", () => {
    const review = courtRecord("C-1", "K-9", "nta_filed", "2023-06-01", { case_type: "CDR" });
    expect(statusAsOf([parole, review], "2025-12-01").facts.unlawfulPresence).toBeNull();
  });
});

describe("the state of a parole ended by a notice to appear", () => {
  it("is no longer PAROLED once the case stops driving: the parole ended on the NTA's day, which is cited", () => {
    const terminated = courtRecord("C-2", "K-1", "decision", "2024-06-01", { outcome: "terminated" });
    const status = statusAsOf([parole, nta, terminated], "2025-12-01");
    expect(status.state).toMatchObject({ primary: "OVERSTAY_SUSPECTED", since: "2023-06-02" });
    expect(status.state.evidence).toEqual(expect.arrayContaining([cite(parole), cite(nta)]));
    expect(status.facts.admission?.authorisedUntil).toBe("2023-06-01");
    // Nothing changes on the parole's own date any more.
    expect(status.nextChangeOn).not.toBe("2026-01-10");
  });

  it("is PAROLED before the NTA, to the parole's own date", () => {
    const status = statusAsOf([parole, nta], "2023-05-01");
    expect(status.state).toMatchObject({ primary: "PAROLED", until: "2026-01-09" });
  });
});
