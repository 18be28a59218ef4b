import { deriveStatus } from "@passage/core";
import { compactGateEvaluation, evaluateGates } from "@passage/policy";
import { describe, expect, it } from "vitest";
import {
  admissionRecord,
  courtRecord,
  custodyRecord,
  departureRecord,
} from "../../../core/src/lifecycle/testing/lifecycle-records.ts";
import { CONFIRMED_IDENTITY, gateInputOf } from "../lifecycle/policy-inputs.ts";
import { transportCaseOf } from "./transport-cases.ts";

const AS_OF = "2025-03-01";
const HUBS = { version: "test", description: "test", hubs: new Map([["FAC-1", "HUB-1"]]) };

const detainedUnderOrder = [
  admissionRecord("AB123456789", "B2", "2020-01-10", "2020-07-09", { nationality: "MEX" }),
  courtRecord("C-1", "K-1", "nta_filed", "2024-02-01"),
  courtRecord("C-2", "K-1", "decision", "2024-06-03", {
    outcome: "removal_ordered",
    destination_country: "MEX",
  }),
  custodyRecord("B-1", "book_in", "2025-01-15", { facility_code: "FAC-1" }),
];

function transportCase(records: Parameters<typeof deriveStatus>[0]) {
  const status = deriveStatus(records, { asOf: AS_OF });
  const gates = compactGateEvaluation(evaluateGates(gateInputOf("P1", status, CONFIRMED_IDENTITY)));
  const stored = {
    personId: "P1",
    actionable: status.finalOrderExecutable && gates.clear,
    primaryState: status.state.primary,
    status,
    gates,
  };
  const planned = transportCaseOf(stored, HUBS);
  if (!("case" in planned)) throw new Error(`excluded: ${planned.excluded}`);
  return { status, planned: planned.case };
}

describe("transportCaseOf under a claimed departure", () => {
  it("plans a detained person's final order as without the self-report: no gate, the order final", () => {
    const { status, planned } = transportCase([
      ...detainedUnderOrder,
      departureRecord("D-1", "2024-12-20", "self_report"),
    ]);
    // The book-in after the claimed departure places the person here: the claim was no departure
    // (lifecycle-semantics 56), so the order stands as if it had never been made.
    expect(status.state).toMatchObject({ primary: "FINAL_ORDER" });
    expect(planned).toMatchObject({ finalOrder: true, inCustody: true, hub: "HUB-1" });
    expect(planned.gateCheck.clear).toBe(true);
  });

  it("plans no order after a verified departure", () => {
    const { planned } = transportCase([
      ...detainedUnderOrder,
      departureRecord("D-1", "2024-12-20", "carrier_manifest"),
    ]);
    expect(planned.finalOrder).toBe(false);
    expect(planned.gateCheck.clear).toBe(false);
  });
});
