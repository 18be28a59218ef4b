import { describe, expect, it } from "vitest";
import { createLifecycleRules } from "./lifecycle-rules.ts";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { benefitRecord, courtRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * The next change (docs/lifecycle-semantics.md, "Next change", §8): the projection re-derives a
 * person on it, so a blocker that ends with no new record must name the day it ends.
 */

const personOf = (nationality: string) => [
  encounterRecord("E-1", "interior_arrest", "2019-03-01", { entry_without_inspection: "Y", nationality }),
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "decision", "2024-01-15", {
    outcome: "removal_ordered",
    destination_country: nationality,
  }),
];
const grant = benefitRecord("EAC0000000002", "I-821", "approved", "2022-09-01", {
  valid_from: "2022-09-10",
  valid_to: "2024-03-01",
});
const rules = createLifecycleRules({
  tpsDesignations: [
    {
      country: "SLV",
      designatedOn: "2001-03-09",
      notice: "66 FR 14214",
      periods: [{ through: "2025-09-09", notice: "88 FR 2 (test)" }],
    },
  ],
});

describe("next change of a TPS grant held by its country's designation", () => {
  it("is the day after the designation ends, once the grant's own validity has passed", () => {
    const status = statusAsOf([...personOf("SLV"), grant], "2024-05-01", { rules });
    expect(summaryOf(status).blockers).toEqual(["TPS"]);
    expect(status.nextChangeOn).toBe("2025-09-10");
    // On that day the blocker is gone: the re-derivation it plans is the one that changes the answer.
    expect(summaryOf(statusAsOf([...personOf("SLV"), grant], "2025-09-10", { rules })).blockers).toEqual([]);
  });

  it("is the day after valid_to while the grant's own validity runs, and names nothing for another country", () => {
    expect(statusAsOf([...personOf("SLV"), grant], "2024-02-20", { rules }).nextChangeOn).toBe("2024-03-02");
    expect(statusAsOf([...personOf("GTM"), grant], "2024-05-01", { rules }).nextChangeOn).toBeNull();
  });
});
