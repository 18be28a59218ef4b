import { BLOCKERS, type BlockerCode, type RecordCitation } from "@passage/core";
import { describe, expect, it } from "vitest";
import type { GateInput } from "../gate-input.ts";
import { evaluateGates, holdingGates } from "./evaluate-gates.ts";
import { GATE_CODES } from "./gate-definitions.ts";

const cite = (feed: RecordCitation["feed"], recordKey: string): RecordCitation => ({
  feed,
  recordKey,
  version: 2,
});
const ORDER_RECORD = cite("court", "CE-1");

function clearInput(): GateInput {
  return {
    personId: "person-1",
    asOf: "2025-06-01",
    status: { primaryState: "FINAL_ORDER", evidence: [ORDER_RECORD] },
    blockers: [],
    identity: { reviewBandLinks: [], conflictingIdentifiers: [], unlinkedRecords: [], outdatedMustLinks: [] },
    order: { inAbsentia: false, noticeServed: "Y", destinationCountry: "GTM", evidence: [ORDER_RECORD] },
    withholdingCountries: [],
  };
}

const holding = (input: GateInput) => holdingGates(evaluateGates(input));

describe("evaluateGates", () => {
  it("clears a final order with nothing in the way, and lists every gate considered", () => {
    const evaluation = evaluateGates(clearInput());
    expect(evaluation.clear).toBe(true);
    expect(evaluation.results.map((result) => result.gate)).toEqual(GATE_CODES);
    expect(evaluation.results.every((result) => !result.holds && result.basis.length > 0)).toBe(true);
  });

  const blockerCodes = Object.keys(BLOCKERS) as BlockerCode[];

  it.each(blockerCodes)(
    "holds for the blocker %s the status carries, citing its evidence and basis",
    (code) => {
      const evidence = [cite("court", `record-for-${code}`)];
      const binding = BLOCKERS[code].binding;
      const results = holding({ ...clearInput(), blockers: [{ code, binding, evidence }] });
      expect(results.map((result) => result.gate)).toEqual([code]);
      expect(results[0]!.evidence).toEqual(evidence);
      expect(results[0]!.basis).toBe(BLOCKERS[code].basis);
    },
  );

  it("covers every blocker of DOMAIN.md §1.9, the policy-dependent ones included", () => {
    for (const code of blockerCodes) expect(GATE_CODES).toContain(code);
    expect(GATE_CODES).toContain("VICTIM_PROTECTION");
    expect(GATE_CODES).toContain("DEFERRED_ACTION");
  });

  it("fails closed on a blocker it does not know", () => {
    const evidence = [cite("court", "new-bar")];
    const results = holding({
      ...clearInput(),
      blockers: [{ code: "NEW_STATUTE_BAR", binding: "law", evidence }],
    });
    expect(results.map((result) => result.gate)).toEqual(["UNRECOGNISED_LEGAL_BLOCKER"]);
    expect(results[0]!.evidence).toEqual(evidence);
  });

  it.each(["APPEAL_WINDOW", "BIA_PENDING", "IN_PROCEEDINGS", "VD_PERIOD", "OVERSTAY_SUSPECTED", "DEPARTED"])(
    "holds NO_EXECUTABLE_ORDER in state %s, citing the status records",
    (primaryState) => {
      const results = holding({ ...clearInput(), status: { primaryState, evidence: [ORDER_RECORD] } });
      expect(results.map((result) => result.gate)).toEqual(["NO_EXECUTABLE_ORDER"]);
      expect(results[0]!.evidence).toEqual([ORDER_RECORD]);
    },
  );

  it("clears REMOVAL_IN_PROGRESS as an executable order", () => {
    expect(
      evaluateGates({ ...clearInput(), status: { primaryState: "REMOVAL_IN_PROGRESS", evidence: [] } }).clear,
    ).toBe(true);
  });

  it("holds IDENTITY_NOT_CONFIRMED for a review-band link, citing both records", () => {
    const evidence = [cite("admission", "I94A"), cite("court", "CE-1")];
    const results = holding({
      ...clearInput(),
      identity: {
        reviewBandLinks: [{ matchProbability: 0.62, evidence }],
        conflictingIdentifiers: [],
        unlinkedRecords: [],
        outdatedMustLinks: [],
      },
    });
    expect(results.map((result) => result.gate)).toEqual(["IDENTITY_NOT_CONFIRMED"]);
    expect(results[0]!.evidence).toEqual(evidence);
  });

  it("holds IDENTITY_NOT_CONFIRMED for a person made only of records unlinked from another, citing them", () => {
    const evidence = [cite("court", "CE-9")];
    const results = holding({
      ...clearInput(),
      identity: {
        reviewBandLinks: [],
        conflictingIdentifiers: [],
        unlinkedRecords: [{ record: "court:CE-9", evidence }],
        outdatedMustLinks: [],
      },
    });
    expect(results.map((result) => result.gate)).toEqual(["IDENTITY_NOT_CONFIRMED"]);
    expect(results[0]!.evidence).toEqual(evidence);
  });

  it("holds IDENTITY_NOT_CONFIRMED for a must-link decided on a record's former content, citing the person's record", () => {
    const evidence = [cite("encounter", "EN-1")];
    const results = holding({
      ...clearInput(),
      identity: {
        reviewBandLinks: [],
        conflictingIdentifiers: [],
        unlinkedRecords: [],
        outdatedMustLinks: [{ decisionId: "12", record: "encounter:EN-1", evidence }],
      },
    });
    expect(results.map((result) => result.gate)).toEqual(["IDENTITY_NOT_CONFIRMED"]);
    expect(results[0]!.evidence).toEqual(evidence);
  });

  it("cites a record once when a review-band link and a conflict both rest on it", () => {
    const shared = cite("visa", "V-1");
    const results = holding({
      ...clearInput(),
      identity: {
        reviewBandLinks: [{ matchProbability: 0.7, evidence: [shared, cite("departure", "D-1")] }],
        conflictingIdentifiers: [{ identifier: "passport", evidence: [cite("admission", "I94B"), shared] }],
        unlinkedRecords: [],
        outdatedMustLinks: [],
      },
    });
    expect(results[0]!.evidence).toEqual([shared, cite("departure", "D-1"), cite("admission", "I94B")]);
  });

  it("holds IDENTITY_NOT_CONFIRMED for conflicting identifiers in the cluster", () => {
    const evidence = [cite("custody", "B1"), cite("court", "CE-9")];
    const results = holding({
      ...clearInput(),
      identity: {
        reviewBandLinks: [],
        conflictingIdentifiers: [{ identifier: "a_number", evidence }],
        unlinkedRecords: [],
        outdatedMustLinks: [],
      },
    });
    expect(results.map((result) => result.gate)).toEqual(["IDENTITY_NOT_CONFIRMED"]);
    expect(results[0]!.evidence).toEqual(evidence);
  });

  it.each([["N"], ["U"], [null]] as const)(
    "holds IN_ABSENTIA_NOTICE_NOT_SERVED when notice_served is %s",
    (notice) => {
      const results = holding({
        ...clearInput(),
        order: {
          inAbsentia: true,
          noticeServed: notice,
          destinationCountry: "GTM",
          evidence: [ORDER_RECORD],
        },
      });
      expect(results.map((result) => result.gate)).toEqual(["IN_ABSENTIA_NOTICE_NOT_SERVED"]);
      expect(results[0]!.evidence).toEqual([ORDER_RECORD]);
    },
  );

  it("clears an in absentia order whose notice was served", () => {
    expect(
      evaluateGates({
        ...clearInput(),
        order: { inAbsentia: true, noticeServed: "Y", destinationCountry: "GTM", evidence: [ORDER_RECORD] },
      }).clear,
    ).toBe(true);
  });

  it("holds WITHHOLDING_COUNTRY_DESTINATION when the destination is the protected country", () => {
    const relief = cite("court", "CE-relief");
    const results = holding({
      ...clearInput(),
      withholdingCountries: [{ country: "GTM", evidence: [relief] }],
    });
    expect(results.map((result) => result.gate)).toEqual(["WITHHOLDING_COUNTRY_DESTINATION"]);
    expect(results[0]!.evidence).toEqual([relief, ORDER_RECORD]);
  });

  it("holds WITHHOLDING_COUNTRY_DESTINATION when no destination rules the protected country out", () => {
    const results = holding({
      ...clearInput(),
      order: { inAbsentia: false, noticeServed: "Y", destinationCountry: null, evidence: [ORDER_RECORD] },
      withholdingCountries: [{ country: "SLV", evidence: [cite("court", "CE-relief")] }],
    });
    expect(results.map((result) => result.gate)).toEqual(["WITHHOLDING_COUNTRY_DESTINATION"]);
  });

  it("holds WITHHOLDING_COUNTRY_DESTINATION for any destination when the protected country is not recorded", () => {
    const results = holding({
      ...clearInput(),
      withholdingCountries: [{ country: null, evidence: [cite("court", "CE-relief")] }],
    });
    expect(results.map((result) => result.gate)).toEqual(["WITHHOLDING_COUNTRY_DESTINATION"]);
  });

  it("clears withholding for another country than the destination", () => {
    const input = {
      ...clearInput(),
      withholdingCountries: [{ country: "SLV", evidence: [cite("court", "CE-relief")] }],
    };
    expect(evaluateGates(input).clear).toBe(true);
  });

  it("holds no gate for a self-reported departure alone: the order stands where it would without the claim", () => {
    const report = cite("departure", "DEP-7");
    // DEPARTED(claimed) over a final order: the order is executable, and no gate names the claim.
    const claimed = {
      ...clearInput(),
      status: { primaryState: "DEPARTED", orderState: "FINAL_ORDER", evidence: [report] },
    };
    expect(evaluateGates(claimed).clear).toBe(true);
    expect(GATE_CODES).not.toContain("CLAIMED_DEPARTURE_PENDING");
    // Over a case in its appeal window: no executable order, as without the claim.
    const inWindow = { ...claimed, status: { ...claimed.status, orderState: "APPEAL_WINDOW" } };
    expect(holding(inWindow).map((result) => result.gate)).toEqual(["NO_EXECUTABLE_ORDER"]);
    // A departure with no order state given (a verified one) has no executable order.
    const departed = { ...clearInput(), status: { primaryState: "DEPARTED", evidence: [report] } };
    expect(holding(departed).map((result) => result.gate)).toEqual(["NO_EXECUTABLE_ORDER"]);
  });

  it("refuses an incomplete input instead of reading it as clear", () => {
    const { identity: _identity, ...withoutIdentity } = clearInput();
    expect(() => evaluateGates(withoutIdentity as GateInput)).toThrow(
      /identity.reviewBandLinks must be a list/,
    );
    const { unlinkedRecords: _unlinked, ...identityWithoutUnlinked } = clearInput().identity;
    expect(() =>
      evaluateGates({ ...clearInput(), identity: identityWithoutUnlinked } as unknown as GateInput),
    ).toThrow(/identity.unlinkedRecords must be a list/);
    const { outdatedMustLinks: _outdated, ...identityWithoutOutdated } = clearInput().identity;
    expect(() =>
      evaluateGates({ ...clearInput(), identity: identityWithoutOutdated } as unknown as GateInput),
    ).toThrow(/identity.outdatedMustLinks must be a list/);
    const { order: _order, ...withoutOrder } = clearInput();
    expect(() => evaluateGates(withoutOrder as GateInput)).toThrow(/order must be given/);
    expect(() =>
      evaluateGates({
        ...clearInput(),
        blockers: [{ code: "STAY_GRANTED", binding: "maybe" as "law", evidence: [] }],
      }),
    ).toThrow(/binding maybe/);
  });
});
