import type { PairExplanationView, ReviewItemView } from "@passage/engine";
import { describe, expect, it } from "vitest";
import type { Output } from "../output.ts";
import { printLinkEvaluation } from "./print-link-evaluation.ts";
import { pairExplanationLines, reviewItemLines } from "./review.ts";

const record = (name: string, values: Record<string, string>) => ({
  record: name,
  personId: null,
  values,
  hiddenFieldGroups: [],
  citations: [],
});

describe("passage review show (human output)", () => {
  it("names the identifiers that conflict, whose values it shows side by side", () => {
    const item = {
      reviewId: "12",
      leftRecord: "court:C1",
      rightRecord: "visa:V1",
      leftPersonId: "P-1",
      rightPersonId: "P-2",
      reason: "conflicting_identifiers",
      conflictingIdentifiers: ["a_number"],
      matchWeight: 20,
      matchProbability: 0.99,
      matchWeightNow: 20,
      status: "open",
      left: record("court:C1", { a_number: "A012345678" }),
      right: record("visa:V1", { a_number: "A087654321" }),
      fields: [],
    } as unknown as ReviewItemView;
    const lines = reviewItemLines(item);
    expect(lines).toContain("conflicting identifiers: a_number (each side's value below)");
    expect(lines.join("\n")).toMatch(/a_number\s+A012345678\s+A087654321/);
  });

  it("says why a pair below the review band is in review", () => {
    const held =
      "held in review: the agreeing a_number holds the pair in review though its probability 0.0100 is below the review band (0.5)";
    const item = {
      reviewId: "13",
      leftRecord: "court:C1",
      rightRecord: "encounter:E1",
      leftPersonId: "P-1",
      rightPersonId: "P-2",
      reason: "shared_identifier",
      conflictingIdentifiers: [],
      matchWeight: -6,
      matchProbability: 0.01,
      matchWeightNow: -6,
      status: "open",
      left: record("court:C1", { a_number: "A012345678" }),
      right: record("encounter:E1", { a_number: "A012345678" }),
      fields: [],
      heldInReview: held,
    } as unknown as ReviewItemView;
    expect(reviewItemLines(item)[1]).toBe(held);
  });
});

describe("passage review explain (human output)", () => {
  it("says when a decision holds apart a pair its band would link", () => {
    const view = {
      left: { ...record("court:C1", {}), personId: "P-1" },
      right: { ...record("visa:V1", {}), personId: "P-2" },
      modelVersion: 1,
      explanation: {
        leftId: "court:C1",
        rightId: "visa:V1",
        priorWeight: -10,
        prior: 0.001,
        fields: [],
        fullNameAdjustment: 0,
        matchWeight: 30,
        matchProbability: 1,
        namesSwapped: false,
        namesakeAdjustment: 0,
        corroboratingWeight: 10,
        band: "auto_link",
        reviewReason: undefined,
        reviewFloor: null,
      },
      stored: null,
      decisions: [],
      override: {
        outcome: "held_apart",
        decisionId: "7",
        note: "held apart: cannot-link decision 7 overrides band auto_link",
      },
    } as unknown as PairExplanationView;
    const lines = pairExplanationLines(view);
    const band = lines.findIndex((line) => line.includes("band auto_link"));
    expect(lines[band + 1]).toBe("  held apart: cannot-link decision 7 overrides band auto_link");
  });

  it("says a must-link decided on a record's former content is outdated, and which version changed", () => {
    const decision = {
      decisionId: "6",
      leftRecord: "conviction:CV-OK",
      rightRecord: "encounter:EN-OK",
      decision: "must_link",
      source: "review",
      reviewId: "3",
      decidedBy: "user:reviewer",
      reason: "same person",
      decidedAt: "2026-11-24T10:00:00.000Z",
      outdated: true,
      placedRecord: null,
      outdatedBy: [
        {
          record: "conviction:CV-OK",
          decidedOn: [{ feed: "conviction", recordKey: "CV-OK", version: 1 }],
          changedTo: [{ feed: "conviction", recordKey: "CV-OK", version: 2 }],
        },
      ],
    };
    const view = {
      left: { ...record("conviction:CV-OK", {}), personId: "P-2" },
      right: { ...record("encounter:EN-OK", {}), personId: "P-1" },
      modelVersion: 1,
      explanation: {
        leftId: "conviction:CV-OK",
        rightId: "encounter:EN-OK",
        priorWeight: -10,
        prior: 0.001,
        fields: [],
        fullNameAdjustment: 0,
        matchWeight: -20,
        matchProbability: 0,
        namesSwapped: false,
        namesakeAdjustment: 0,
        corroboratingWeight: 0,
        band: "non_link",
        reviewReason: undefined,
        reviewFloor: null,
      },
      stored: null,
      decisions: [decision],
      override: null,
    } as unknown as PairExplanationView;
    const lines = pairExplanationLines(view);
    const index = lines.findIndex((line) => line.startsWith("decision 6: must_link"));
    expect(lines[index + 1]).toBe(
      "  outdated: record conviction:CV-OK changed since (version 1 -> 2); it joins nothing now: decide the pair again",
    );
    const current = pairExplanationLines({ ...view, decisions: [{ ...decision, outdated: false }] } as never);
    expect(current.join("\n")).not.toContain("outdated");
  });
});

describe("passage link --evaluate (human output)", () => {
  it("prints recall and F1 as n/a with the note when they are undefined", () => {
    const lines: string[] = [];
    const output: Output = { json: false, line: (text) => lines.push(text), document() {}, note() {} };
    const none = {
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 0,
      precision: 1,
      recall: null,
      f1: null,
    };
    printLinkEvaluation(output, {
      pairwise: none,
      thresholds: [{ ...none, threshold: 0.5 }],
      clusters: {
        predictedPersons: 2,
        truePersons: 2,
        exactClusters: 2,
        truePersonsSplit: 0,
        clustersMergingPersons: 0,
        bCubedPrecision: 1,
        bCubedRecall: 1,
      } as never,
      notes: ["recall and F1 are undefined (n/a)"],
    });
    expect(lines[0]).toBe("precision=1.000000 recall=n/a f1=n/a");
    expect(lines[2]).toMatch(/^0\.5\s+1\.000000\s+n\/a\s+n\/a$/);
    expect(lines).toContain("note: recall and F1 are undefined (n/a)");
    expect(lines.at(-1)).toMatch(/b-cubed precision=1\.000000 recall=1\.000000$/);

    // Nothing evaluated (no true person among the records): B-cubed is n/a, not a perfect 1.
    lines.length = 0;
    printLinkEvaluation(output, {
      pairwise: none,
      thresholds: [],
      clusters: {
        predictedPersons: 0,
        truePersons: 0,
        exactClusters: 0,
        truePersonsSplit: 0,
        clustersMergingPersons: 0,
        bCubedPrecision: 1,
        bCubedRecall: 1,
      } as never,
    });
    expect(lines.at(-1)).toMatch(/b-cubed precision=n\/a recall=n\/a$/);
  });
});
