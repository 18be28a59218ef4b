import { createLifecycleRules, type Feed, normaliseRow } from "@passage/core";
import { NO_NOISE } from "@passage/synth";
import { generatePopulation } from "@passage/synth/testing";
import { describe, expect, it } from "vitest";
import { evaluatePerson } from "../lifecycle/derive-person-statuses.ts";
import { CONFIRMED_IDENTITY } from "../lifecycle/policy-inputs.ts";
import { classifyMismatch, compareWithTruth } from "./lifecycle-truth.ts";

const rules = createLifecycleRules({});

describe("comparison with the synthetic ground truth", () => {
  const { persons } = generatePopulation({ persons: 300, seed: "11", noise: NO_NOISE });

  it("finds no mismatch for a correctly derived person, and names the field when one is altered", () => {
    const person = persons.find((candidate) => candidate.truth.scenario === "tourist_departed")!;
    const records = recordsOf(person);
    const evaluated = evaluatePerson(person.personId, records, {
      asOf: person.truth.as_of,
      rules,
      identity: CONFIRMED_IDENTITY,
      claims: [],
    });
    expect(compareWithTruth(person.truth, evaluated)).toEqual([]);
    const altered = { ...person.truth, state: "FINAL_ORDER" as const, actionable: true };
    expect(compareWithTruth(altered, evaluated).map((mismatch) => mismatch.field)).toEqual([
      "state",
      "actionable",
    ]);
  });

  it("classifies: ambiguous records first, then linkage errors, then engine disagreements", () => {
    const truth = persons[0]!.truth;
    const exact = { enginePersons: 1, foreignRecords: 0, unlinkedRecords: 0 };
    expect(
      classifyMismatch({ ...truth, ambiguous: "conflicting_a_numbers" }, { ...exact, enginePersons: 2 }),
    ).toBe("ambiguous_record");
    expect(classifyMismatch({ ...truth, ambiguous: null }, { ...exact, foreignRecords: 1 })).toBe(
      "linkage_error",
    );
    expect(classifyMismatch({ ...truth, ambiguous: null }, { ...exact, unlinkedRecords: 1 })).toBe(
      "linkage_error",
    );
    expect(classifyMismatch({ ...truth, ambiguous: null }, exact)).toBe("engine_disagreement");
    // Exact records, but an open review pair with another person's record: the identity gate.
    const gated = [
      { field: "gates", truth: "", derived: "IDENTITY_NOT_CONFIRMED" },
      { field: "actionable", truth: true, derived: false },
    ];
    const reviewed = { ...exact, openReviewLinks: 1 };
    expect(classifyMismatch({ ...truth, ambiguous: null }, reviewed, gated)).toBe("linkage_error");
    expect(classifyMismatch({ ...truth, ambiguous: null }, exact, gated)).toBe("engine_disagreement");
    const alsoState = [...gated, { field: "state", truth: "FINAL_ORDER", derived: "IN_PROCEEDINGS" }];
    expect(classifyMismatch({ ...truth, ambiguous: null }, reviewed, alsoState)).toBe("engine_disagreement");
  });
});

describe("a citizen's old removal order (engine and truth agree it is void)", () => {
  const { persons } = generatePopulation({ persons: 3000, seed: "11", noise: NO_NOISE });
  const citizens = persons.filter(
    (person) =>
      person.truth.scenario === "citizen_with_removal_order" &&
      person.rows.some(
        ({ feed, row }) => feed === "court" && row.in_absentia === "Y" && row.notice_served !== "Y",
      ),
  );

  it("gates no USC on an in absentia order without notice; without the citizenship record the gate holds", () => {
    expect(citizens.length).toBeGreaterThan(0);
    for (const person of citizens) {
      const records = recordsOf(person);
      const options = { asOf: person.truth.as_of, rules, identity: CONFIRMED_IDENTITY, claims: [] };
      const citizen = evaluatePerson(person.personId, records, options);
      expect(citizen.status.state.primary).toBe("USC");
      expect(compareWithTruth(person.truth, citizen)).toEqual([]);
      const heldGates = (evaluated: typeof citizen) =>
        evaluated.gates.results.filter((result) => result.holds).map((result) => result.gate);
      expect(heldGates(citizen)).not.toContain("IN_ABSENTIA_NOTICE_NOT_SERVED");
      const noCitizenship = records.filter((record) => record.feed !== "citizenship");
      const ordered = evaluatePerson(person.personId, noCitizenship, options);
      expect(heldGates(ordered)).toContain("IN_ABSENTIA_NOTICE_NOT_SERVED");
    }
  });
});

/** The person's rows as stored source records (normalised as ingest would). */
function recordsOf(person: ReturnType<typeof generatePopulation>["persons"][number]) {
  return person.rows.map(({ feed, row }, index) => {
    const normalised = normaliseRowOrThrow(feed, row);
    return {
      id: String(index + 1),
      feed,
      keyValue: normalised.keyValue,
      recordKey: normalised.recordKey,
      version: 1,
      fields: normalised.fields,
      recordedAt: "2025-01-01T00:00:00.000Z",
    };
  });
}

function normaliseRowOrThrow(feed: Feed, row: Record<string, string>) {
  const result = normaliseRow(feed, row);
  if (!result.ok) throw new Error(`${feed} row rejected: ${JSON.stringify(result.issues)}`);
  return result;
}
