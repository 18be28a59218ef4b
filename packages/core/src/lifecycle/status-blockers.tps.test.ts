import { describe, expect, it } from "vitest";
import { createLifecycleRules, describeLifecycleRules } from "./lifecycle-rules.ts";
import { blockerOf, statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { benefitRecord, cite, courtRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * TPS held by the country's designation (DOMAIN.md §1.3: designations, extensions and terminations
 * change by Federal Register notice, keep country-level dates; §1.9: no removal while TPS is in
 * effect). A removal order of 2024-01-15 became final on 2024-02-15; the I-821 grant's own validity
 * ended on 2024-03-01; the status is asked as of 2024-05-01.
 */

const personOf = (nationality: string) => [
  encounterRecord("E-1", "interior_arrest", "2019-03-01", {
    entry_without_inspection: "Y",
    nationality,
  }),
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-06-01"),
  courtRecord("C-3", "K-1", "decision", "2024-01-15", {
    outcome: "removal_ordered",
    destination_country: nationality,
  }),
];
const grant = benefitRecord("EAC0000000002", "I-821", "approved", "2022-09-01", {
  valid_from: "2022-09-10",
  valid_to: "2024-03-01",
});

const designation = {
  country: "SLV",
  designatedOn: "2001-03-09",
  notice: "66 FR 14214",
  periods: [
    { through: "2024-03-09", notice: "87 FR 1 (test)" },
    { through: "2025-09-09", notice: "88 FR 2 (test)" },
  ],
};
const extended = createLifecycleRules({ tpsDesignations: [designation] });

describe("TPS held by the country's designation", () => {
  it("an expired grant holds while an extension of its country's designation is in force", () => {
    const status = statusAsOf([...personOf("SLV"), grant], "2024-05-01", { rules: extended });
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: ["TPS"],
      finalOrderExecutable: false,
    });
    const blocker = blockerOf(status, "TPS");
    expect(blocker.evidence).toEqual([cite(grant)]);
    expect(blocker.detail).toBe(
      "TPS from 2022-09-10 until 2024-03-01, held until 2025-09-09 by the TPS designation of SLV (2001-03-09, 66 FR 14214; through 2025-09-09, 88 FR 2 (test))",
    );
    // Past the end of the designation, nothing holds it.
    expect(
      summaryOf(statusAsOf([...personOf("SLV"), grant], "2025-09-10", { rules: extended })),
    ).toMatchObject({
      blockers: [],
      finalOrderExecutable: true,
    });
  });

  it("a terminated designation extends no grant past its effective date, and never ends one before its own valid_to", () => {
    const rules = createLifecycleRules({
      tpsDesignations: [
        { ...designation, terminated: { effective: "2024-04-01", notice: "89 FR 3 (test)" } },
      ],
    });
    const held = statusAsOf([...personOf("SLV"), grant], "2024-03-31", { rules });
    expect(blockerOf(held, "TPS").detail).toContain("held until 2024-03-31");
    expect(summaryOf(statusAsOf([...personOf("SLV"), grant], "2024-05-01", { rules }))).toMatchObject({
      blockers: [],
      finalOrderExecutable: true,
    });
    // A grant whose own validity runs past the termination holds to its end: the table (a
    // transcription of notices, each [verify]) may leave a person protected, never make one removable.
    const current = benefitRecord("EAC0000000002", "I-821", "approved", "2022-09-01", {
      valid_from: "2022-09-10",
      valid_to: "2024-09-01",
    });
    expect(summaryOf(statusAsOf([...personOf("SLV"), current], "2024-05-01", { rules }))).toMatchObject({
      blockers: ["TPS"],
      finalOrderExecutable: false,
    });
    expect(summaryOf(statusAsOf([...personOf("SLV"), current], "2024-09-02", { rules }))).toMatchObject({
      blockers: [],
      finalOrderExecutable: true,
    });
  });

  it("another country's designation does not hold the grant", () => {
    const status = statusAsOf([...personOf("GTM"), grant], "2024-05-01", { rules: extended });
    expect(summaryOf(status)).toMatchObject({ blockers: [], finalOrderExecutable: true });
  });

  it("the shipped table holds an El Salvador grant, and replaces nothing for a country it does not list", () => {
    expect(summaryOf(statusAsOf([...personOf("SLV"), grant], "2024-05-01")).blockers).toEqual(["TPS"]);
    expect(summaryOf(statusAsOf([...personOf("GTM"), grant], "2024-05-01")).blockers).toEqual([]);
  });

  it("the table is a published, validated rule", () => {
    const published = describeLifecycleRules() as { properties: Record<string, { description?: string }> };
    expect(published.properties.tpsDesignations?.description).toMatch(/Federal Register/);
    expect(() =>
      createLifecycleRules({ tpsDesignations: [{ ...designation, country: "El Salvador" }] }),
    ).toThrow(/tpsDesignations\.0\.country/);
    expect(() => createLifecycleRules({ tpsDesignations: [{ ...designation, periods: [] }] })).toThrow(
      /tpsDesignations\.0\.periods/,
    );
    // A misspelt field stops the process rather than dropping a termination silently.
    expect(() =>
      createLifecycleRules({
        tpsDesignations: [{ ...designation, termination: { effective: "2024-04-01", notice: "x" } }],
      } as never),
    ).toThrow(/termination/);
  });

  it("TPS withdrawn on a later registration ends it: an earlier grant is not held by the designation past the withdrawal", () => {
    const renewal = benefitRecord("EAC0000000003", "I-821", "approved", "2024-02-01", {
      valid_from: "2024-03-02",
      valid_to: "2024-04-15",
    });
    const withdrawn = benefitRecord("EAC0000000003", "I-821", "terminated", "2024-04-20");
    const records = [...personOf("SLV"), grant, renewal, withdrawn];
    expect(summaryOf(statusAsOf(records, "2024-04-19", { rules: extended })).blockers).toEqual(["TPS"]);
    expect(summaryOf(statusAsOf(records, "2024-05-01", { rules: extended }))).toMatchObject({
      blockers: [],
      finalOrderExecutable: true,
    });
    // Without the withdrawal, the designation holds the earlier grant (as in the first test).
    expect(
      summaryOf(statusAsOf([...personOf("SLV"), grant, renewal], "2024-05-01", { rules: extended })).blockers,
    ).toEqual(["TPS"]);
  });
});
