import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StrongIdentifier } from "../compare/field-comparator.ts";
import {
  type ClusterInput,
  clusterRecords,
  conflictingSchemes,
  type HumanDecision,
  identifiersConflict,
  identifierValuesConflict,
  type ScoredEdge,
  strongIdentifiersConflict,
} from "./cluster-records.ts";
import { explainCluster } from "./explain-cluster.ts";

const graph = fc.integer({ min: 2, max: 24 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    edges: fc.array(
      fc.record({
        left: fc.integer({ min: 0, max: size - 1 }),
        right: fc.integer({ min: 0, max: size - 1 }),
        weight: fc.double({ min: -5, max: 40, noNaN: true }),
        band: fc.constantFrom("auto_link", "auto_link", "review") as fc.Arbitrary<"auto_link" | "review">,
      }),
      { maxLength: 60 },
    ),
    decisions: fc.array(
      fc.record({
        left: fc.integer({ min: 0, max: size - 1 }),
        right: fc.integer({ min: 0, max: size - 1 }),
        decision: fc.constantFrom("must_link", "cannot_link") as fc.Arbitrary<"must_link" | "cannot_link">,
      }),
      { maxLength: 6 },
    ),
    aNumbers: fc.array(
      fc.option(fc.constantFrom("111111111", "222222222", "333333333", "111111112"), { nil: undefined }),
      {
        minLength: size,
        maxLength: size,
      },
    ),
  }),
);

type Graph = typeof graph extends fc.Arbitrary<infer T> ? T : never;

function inputOf(g: Graph, withDecisions = true): ClusterInput {
  const recordIds = Array.from({ length: g.size }, (_, index) => `r${index}`);
  const edges: ScoredEdge[] = g.edges
    .filter((edge) => edge.left !== edge.right)
    .map((edge) => ({
      left: Math.min(edge.left, edge.right),
      right: Math.max(edge.left, edge.right),
      weight: edge.weight,
      probability: 1 / (1 + 2 ** -edge.weight),
      band: edge.band,
    }));
  const decisions: HumanDecision[] = withDecisions
    ? g.decisions.map((d) => ({ leftId: `r${d.left}`, rightId: `r${d.right}`, decision: d.decision }))
    : [];
  const strongIdentifiers = (index: number): StrongIdentifier[] => {
    const value = g.aNumbers[index];
    return value === undefined ? [] : [{ scheme: "a_number", value, toleratesTypos: true }];
  };
  return { recordIds, edges, decisions, strongIdentifiers };
}

function tryCluster(input: ClusterInput) {
  try {
    return clusterRecords(input);
  } catch (error) {
    expect((error as { code?: string }).code).toBe("PASSAGE_ERR_LINKAGE_DECISIONS_CONFLICT");
    return undefined;
  }
}

describe("clustering invariants", () => {
  it("never violates a cannot-link and never splits a must-link", () => {
    fc.assert(
      fc.property(graph, (g) => {
        const clustering = tryCluster(inputOf(g));
        if (!clustering) return;
        for (const d of g.decisions) {
          if (d.left === d.right) continue;
          const same = clustering.clusterOf[d.left] === clustering.clusterOf[d.right];
          expect(same).toBe(d.decision === "must_link");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never auto-merges two different strong identifiers (two A-numbers)", () => {
    fc.assert(
      fc.property(graph, (g) => {
        const clustering = clusterRecords(inputOf(g, false));
        for (const members of clustering.clusters) {
          const held = members.flatMap((index) =>
            g.aNumbers[index] === undefined ? [] : [g.aNumbers[index]!],
          );
          for (const a of held) {
            for (const b of held) {
              const conflict = identifierValuesConflict(
                { scheme: "a_number", value: a, toleratesTypos: true },
                { scheme: "a_number", value: b, toleratesTypos: true },
                true,
              );
              expect(conflict).toBe(false);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("forms the same persons whatever the order of the records and of each pair's sides (ties break by record id)", () => {
    // Weights on a coarse grid: pairs of equal weight are common in practice (records alike in
    // every compared field), and which of them merges first decides where a conflicting record goes.
    const persons = (input: ClusterInput) => {
      const clustering = tryCluster(input);
      if (!clustering) return undefined;
      return clustering.clusters
        .map((members) =>
          members
            .map((index) => input.recordIds[index]!)
            .sort()
            .join(" "),
        )
        .sort();
    };
    fc.assert(
      fc.property(graph, fc.integer({ min: 0, max: 1_000 }), (g, seed) => {
        const tied = {
          ...g,
          edges: g.edges.map((edge) => ({ ...edge, weight: Math.round(edge.weight / 15) * 15 })),
        };
        const input = inputOf(tied);
        const order = Array.from({ length: g.size }, (_, index) => index).sort(
          (a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b,
        );
        const placeOf = new Int32Array(g.size);
        order.forEach((record, place) => {
          placeOf[record] = place;
        });
        const edges = input.edges as readonly ScoredEdge[];
        const shuffled: ClusterInput = {
          ...input,
          recordIds: order.map((record) => input.recordIds[record]!),
          edges: [...edges].reverse().map((edge) => ({
            ...edge,
            left: placeOf[edge.right]!,
            right: placeOf[edge.left]!,
          })),
          strongIdentifiers: (place) => input.strongIdentifiers!(order[place]!),
        };
        expect(persons(shuffled)).toEqual(persons(input));
      }),
      { numRuns: 500 },
    );
  });

  it("adding a record never splits a must-link or joins a cannot-link", () => {
    fc.assert(
      fc.property(graph, fc.array(fc.integer({ min: 0, max: 23 }), { maxLength: 5 }), (g, neighbours) => {
        const before = tryCluster(inputOf(g));
        if (!before) return;
        const newcomer = g.size;
        const grown: Graph = {
          ...g,
          size: g.size + 1,
          edges: [
            ...g.edges,
            ...neighbours
              .filter((n) => n < g.size)
              .map((n) => ({ left: n, right: newcomer, weight: 30, band: "auto_link" as const })),
          ],
          aNumbers: [...g.aNumbers, undefined],
        };
        const after = clusterRecords(inputOf(grown));
        for (const d of g.decisions) {
          if (d.left === d.right) continue;
          expect(after.clusterOf[d.left] === after.clusterOf[d.right]).toBe(d.decision === "must_link");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("lets a record with one of the A-numbers a reviewer confirmed as one person's join that person", () => {
    const aNumber = (value: string) => [{ scheme: "a_number", value, toleratesTypos: true }];
    const values = ["111111111", "999999999", "111111111", "555555555"];
    const clustering = clusterRecords({
      recordIds: ["a", "b", "c", "d"],
      edges: [
        { left: 1, right: 2, weight: 30, probability: 1, band: "auto_link" },
        { left: 0, right: 3, weight: 28, probability: 1, band: "auto_link" },
      ],
      decisions: [{ leftId: "a", rightId: "b", decision: "must_link" }],
      strongIdentifiers: (index) => aNumber(values[index]!),
    });
    // c agrees with a's A-number: it joins; d holds a third one: kept apart, asked about.
    expect(clustering.clusterOf[2]).toBe(clustering.clusterOf[0]);
    expect(clustering.clusterOf[3]).not.toBe(clustering.clusterOf[0]);
    expect(clustering.review).toEqual([
      expect.objectContaining({ left: 0, right: 3, reason: "conflicting_identifiers" }),
    ]);
    expect(
      identifiersConflict([...aNumber("111111111"), ...aNumber("999999999")], aNumber("999999999")),
    ).toBe(false);
    expect(
      conflictingSchemes([...aNumber("111111111"), ...aNumber("999999999")], aNumber("555555555")),
    ).toEqual(["a_number"]);
  });

  it("sends an auto-link that would join two A-numbers to review, and explains clusters", () => {
    const clustering = clusterRecords({
      recordIds: ["a", "b", "c"],
      edges: [
        { left: 0, right: 1, weight: 30, probability: 1, band: "auto_link" },
        { left: 1, right: 2, weight: 25, probability: 1, band: "auto_link" },
      ],
      strongIdentifiers: (index) =>
        index === 1
          ? []
          : [{ scheme: "a_number", value: index === 0 ? "111111111" : "999999999", toleratesTypos: true }],
    });
    expect(clustering.clusterOf[0]).toBe(clustering.clusterOf[1]);
    expect(clustering.clusterOf[2]).not.toBe(clustering.clusterOf[1]);
    expect(clustering.review).toEqual([
      expect.objectContaining({ left: 1, right: 2, reason: "conflicting_identifiers" }),
    ]);
    const explanation = explainCluster(clustering, clustering.clusterOf[0]!, ["a", "b", "c"]);
    expect(explanation.recordIds).toEqual(["a", "b"]);
    expect(explanation.weakestLink).toMatchObject({ leftId: "a", rightId: "b", weight: 30 });
  });
});

describe("strongIdentifiersConflict", () => {
  const passport = (scheme: string, value: string) => ({ scheme, value, toleratesTypos: true });

  it("reads two different passports of one country as a conflict, and of two countries as none", () => {
    expect(
      strongIdentifiersConflict(passport("passport:MEX", "G1234567"), passport("passport:MEX", "G7654321")),
    ).toBe(true);
    expect(
      strongIdentifiersConflict(passport("passport:MEX", "G1234567"), passport("passport:GTM", "G7654321")),
    ).toBe(false);
  });

  it("reads a passport without its country as possibly of the other's country: a different number conflicts", () => {
    expect(
      strongIdentifiersConflict(passport("passport", "G1234567"), passport("passport:MEX", "G7654321")),
    ).toBe(true);
    expect(
      strongIdentifiersConflict(passport("passport:MEX", "G7654321"), passport("passport", "G1234567")),
    ).toBe(true);
    expect(
      strongIdentifiersConflict(passport("passport", "G1234567"), passport("passport", "G7654321")),
    ).toBe(true);
  });

  it("does not read the same number, a corroborated one-typo difference or another kind of identifier as a conflict", () => {
    expect(
      strongIdentifiersConflict(passport("passport", "G1234567"), passport("passport:MEX", "G1234567")),
    ).toBe(false);
    expect(
      strongIdentifiersConflict(passport("passport", "G1234567"), passport("passport:MEX", "G1234576"), true),
    ).toBe(false);
    expect(
      strongIdentifiersConflict(passport("passport", "123456789"), passport("a_number", "987654321")),
    ).toBe(false);
    expect(
      strongIdentifiersConflict(passport("passport", "G1234567"), passport("passportx:MEX", "G7654321")),
    ).toBe(false);
  });

  it("tolerates a one-typo difference only where another identifier agrees exactly", () => {
    const aNumber = (value: string) => ({ scheme: "a_number", value, toleratesTypos: true });
    // A typo'd A-number beside the same passport: one person.
    expect(
      identifiersConflict(
        [aNumber("077700001"), passport("passport:POL", "QP900001")],
        [aNumber("077700007"), passport("passport:POL", "QP900001")],
      ),
    ).toBe(false);
    // A-numbers and passports each one digit apart, nothing equal: two persons, never chained.
    expect(
      identifiersConflict(
        [aNumber("077700001"), passport("passport:POL", "QP900001")],
        [aNumber("077700002"), passport("passport:POL", "QP900002")],
      ),
    ).toBe(true);
    expect(identifiersConflict([aNumber("077700001")], [aNumber("077700002")])).toBe(true);
    expect(conflictingSchemes([aNumber("077700001")], [aNumber("077700002")])).toEqual(["a_number"]);
    // An opaque reference never tolerates a typo, corroborated or not.
    expect(
      identifiersConflict(
        [{ scheme: "fin", value: "F1", toleratesTypos: false }, aNumber("077700001")],
        [{ scheme: "fin", value: "F2", toleratesTypos: false }, aNumber("077700001")],
      ),
    ).toBe(true);
  });

  it("names the scoped scheme of a conflict where one side lacks its country", () => {
    expect(
      conflictingSchemes([passport("passport", "G1234567")], [passport("passport:MEX", "G7654321")]),
    ).toEqual(["passport:MEX"]);
  });
});
