import { describe, expect, it } from "vitest";
import type { StrongIdentifier } from "../compare/field-comparator.ts";
import { clusterRecords, type HumanDecision, type ScoredEdge } from "./cluster-records.ts";

/**
 * A record placed in a person outside linkage (a redress correction) carries another person's
 * identifiers: X's admission and visa, the placed departure holding Y's passport, Y's admission.
 * The placement must-links the departure to X's admission; the departure auto-links to Y's.
 */
const ids = ["admission:X", "visa:X", "departure:PLACED", "admission:Y", "visa:Y"];
const [admissionX, visaX, departure, admissionY, visaY] = [0, 1, 2, 3, 4];
const edge = (left: number, right: number, weight: number): ScoredEdge => ({
  left,
  right,
  weight,
  probability: 1 / (1 + 2 ** -weight),
  band: "auto_link",
});
const edges = [
  edge(admissionX, visaX, 20),
  edge(departure, admissionY, 30),
  edge(admissionY, visaY, 22),
  edge(departure, visaY, 25),
];
const passports: Record<number, StrongIdentifier[]> = {
  [admissionX]: [{ scheme: "passport:ITA", value: "QW7654321", toleratesTypos: true }],
  [visaX]: [{ scheme: "passport:ITA", value: "QW7654321", toleratesTypos: true }],
  [departure]: [{ scheme: "passport:MEX", value: "G31538093", toleratesTypos: true }],
  [admissionY]: [{ scheme: "passport:MEX", value: "G31538093", toleratesTypos: true }],
  [visaY]: [{ scheme: "passport:MEX", value: "G31538093", toleratesTypos: true }],
};
const placement = (placedRecordId: string | undefined): HumanDecision => ({
  leftId: ids[admissionX]!,
  rightId: ids[departure]!,
  decision: "must_link",
  placedRecordId,
});
const clustersOf = (decisions: readonly HumanDecision[]) => {
  const clustering = clusterRecords({
    recordIds: ids,
    edges,
    decisions,
    strongIdentifiers: (index) => passports[index] ?? [],
  });
  return {
    clustering,
    persons: clustering.clusters.map((members) => members.map((index) => ids[index]!).sort()).sort(),
  };
};

describe("a record a placement puts in a person", () => {
  it("stays where it was placed, and its auto-links draw no other person in", () => {
    const { clustering, persons } = clustersOf([placement(ids[departure])]);
    expect(persons).toEqual([
      ["admission:X", "departure:PLACED", "visa:X"],
      ["admission:Y", "visa:Y"],
    ]);
    expect(clustering.heldByPlacement).toBe(2);
    expect(clustering.review).toEqual([]);
    expect(clustering.links.filter((link) => link.kind === "must_link")).toHaveLength(1);
  });

  it("an ordinary must-link still merges the persons its records auto-link to, as before", () => {
    const { clustering, persons } = clustersOf([placement(undefined)]);
    expect(persons).toEqual([["admission:X", "admission:Y", "departure:PLACED", "visa:X", "visa:Y"]]);
    expect(clustering.heldByPlacement).toBe(0);
  });

  it("joins what its must-links join, the record it was placed beside among them", () => {
    // A reviewer later must-links the placed record with Y's admission: two decisions, one person.
    const { persons } = clustersOf([
      placement(ids[departure]),
      { leftId: ids[departure]!, rightId: ids[admissionY]!, decision: "must_link" },
    ]);
    expect(persons).toEqual([["admission:X", "admission:Y", "departure:PLACED", "visa:X", "visa:Y"]]);
  });

  it("sends an auto-link to a person whose strong identifiers conflict to review, as any auto-link", () => {
    const conflicting = clusterRecords({
      recordIds: ids,
      edges,
      decisions: [placement(ids[departure])],
      strongIdentifiers: (index) =>
        index === admissionY
          ? [{ scheme: "passport:ITA", value: "ZZ1111111", toleratesTypos: true }]
          : (passports[index] ?? []),
    });
    expect(conflicting.review.map((item) => [ids[item.left], ids[item.right], item.reason])).toEqual([
      ["departure:PLACED", "admission:Y", "conflicting_identifiers"],
    ]);
  });

  it("ignores a placed record that is not one of its decision's two records", () => {
    const { persons } = clustersOf([{ ...placement(ids[visaY]) }]);
    expect(persons).toEqual([["admission:X", "admission:Y", "departure:PLACED", "visa:X", "visa:Y"]]);
  });
});
