import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  benefitRecord,
  citizenshipRecord,
  courtRecord,
  ewiInProceedings,
} from "./testing/lifecycle-records.ts";

/**
 * NATURALIZED is entered by the N-400 oath (DOMAIN.md §1.1; INA 337: no citizenship before the
 * oath), which an approval's `valid_from` records (lifecycle-semantics §6); a revocation under INA
 * 340 ends it. A certificate stands unless a revocation of that naturalisation is on record: the
 * certificate is tied to the latest N-400 approved on or before its effective date, revoked on or
 * after it.
 */

const lpr = [
  admissionRecord("I94-1", "B2", "2010-01-15", "2010-07-14"),
  benefitRecord("IOE-1", "I-485", "filed", "2010-06-01"),
  benefitRecord("IOE-1", "I-485", "approved", "2011-06-01"),
];
const filed = benefitRecord("IOE-9", "N-400", "filed", "2016-06-01");
const approved = benefitRecord("IOE-9", "N-400", "approved", "2017-01-10");
const certificate = citizenshipRecord("CERT-1", "naturalized", "2017-03-01");
const revoked = benefitRecord("IOE-9", "N-400", "revoked", "2020-01-10");

describe("naturalisation: the oath makes a citizen, a revocation unmakes one", () => {
  it("a naturalisation revoked after its certificate is no citizenship (INA 340)", () => {
    const status = statusAsOf([...lpr, filed, approved, certificate, revoked], "2020-02-01");
    expect(summaryOf(status)).toMatchObject({ primary: "PROTECTED_STATUS", detail: "LPR" });
    expect(status.facts.citizenship).toBeNull();
    expect(status.blockers.map((blocker) => blocker.code)).not.toContain("USC");
  });

  it("before the revocation the certificate holds", () => {
    const status = statusAsOf([...lpr, filed, approved, certificate, revoked], "2020-01-09");
    expect(summaryOf(status)).toMatchObject({ primary: "USC", since: "2017-03-01" });
  });

  it("a denaturalised person with an order accrues unlawful presence again and is actionable", () => {
    const ewi = ewiInProceedings();
    const order = courtRecord("C-3", "K-1", "decision", "2023-09-01", { outcome: "removal_ordered" });
    const n400 = [
      benefitRecord("IOE-8", "N-400", "approved", "2021-06-01"),
      citizenshipRecord("CERT-2", "naturalized", "2021-07-01"),
      benefitRecord("IOE-8", "N-400", "revoked", "2022-06-01"),
    ];
    const status = statusAsOf([...ewi, ...n400, order], "2024-01-01");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", finalOrderExecutable: true });
    expect(status.facts.unlawfulPresence).not.toBeNull();
  });

  it("a revocation before the certificate, or of an earlier receipt, leaves the certificate standing", () => {
    const earlier = [
      benefitRecord("IOE-7", "N-400", "approved", "2015-01-10"),
      benefitRecord("IOE-7", "N-400", "revoked", "2015-06-01"),
    ];
    // Revoked before the oath, then naturalised all the same (a later receipt not on file).
    expect(statusAsOf([...lpr, ...earlier, certificate], "2020-02-01").state.primary).toBe("USC");
    // Revoked after the certificate, but the certificate is the product of a later approval.
    const lateRevocation = benefitRecord("IOE-7", "N-400", "revoked", "2018-06-01");
    const records = [...lpr, earlier[0]!, lateRevocation, filed, approved, certificate];
    expect(statusAsOf(records, "2020-02-01").state.primary).toBe("USC");
  });

  it("a revocation unmakes no citizenship of another basis (at birth, derived)", () => {
    for (const basis of ["derived", "acquired", "birth_abroad", "verified_claim"]) {
      const record = citizenshipRecord("CERT-1", basis, "2017-03-01");
      const status = statusAsOf([...lpr, filed, approved, record, revoked], "2020-02-01");
      expect(status.state.primary).toBe("USC");
    }
  });

  it("an N-400 approval counts from its valid_from (the oath), not the approval date", () => {
    const withOath = benefitRecord("IOE-9", "N-400", "approved", "2017-01-10", { valid_from: "2017-03-01" });
    const before = statusAsOf([...lpr, filed, withOath], "2017-02-01");
    expect(summaryOf(before)).toMatchObject({ primary: "PROTECTED_STATUS", detail: "LPR" });
    expect(before.facts.citizenship).toBeNull();
    expect(before.nextChangeOn).toBe("2017-03-01");
    const sworn = statusAsOf([...lpr, filed, withOath], "2017-03-01");
    expect(summaryOf(sworn)).toMatchObject({ primary: "USC", since: "2017-03-01" });
    // The citizenship fact dates it from the oath as the state does.
    expect(sworn.facts.citizenship).toMatchObject({ basis: "naturalized", effectiveDate: "2017-03-01" });
  });

  it("an approval with no valid_from counts from its date, as before", () => {
    expect(summaryOf(statusAsOf([...lpr, filed, approved], "2017-02-01"))).toMatchObject({
      primary: "USC",
      since: "2017-01-10",
    });
  });
});
