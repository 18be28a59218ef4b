import { createComparisonPlan, FEED_LINKAGE_SETTINGS } from "@passage/linkage";
import type { LinkageDecisionRow } from "@passage/store";
import { describe, expect, it } from "vitest";
import { honouredDecisions, mustLinksOutdatedBy, sameToModel } from "./outdated-must-links.ts";

const plan = createComparisonPlan(FEED_LINKAGE_SETTINGS);

const decision = (
  decisionId: string,
  kind: "must_link" | "cannot_link",
  outdated = false,
): LinkageDecisionRow => ({
  decisionId,
  leftRecord: "conviction:CV-1",
  rightRecord: "encounter:EN-1",
  decision: kind,
  source: "review",
  reviewId: "4",
  decidedBy: "user:reviewer",
  reason: "same person",
  decidedAt: "2026-11-24T00:00:00Z",
  outdated,
  placedRecord: null,
});

const citations = [{ feed: "conviction", recordKey: "CV-1", version: 2 }];
const okeke = { family_name: "OKEKE", date_of_birth: "1979-03-14" };
const souza = { family_name: "SOUZA PEREIRA", date_of_birth: "1991-11-02" };

describe("must-links outdated by a change of a record's compared values", () => {
  it("are found for the record that changed, once per decision and record", () => {
    const found = mustLinksOutdatedBy(
      [decision("7", "must_link")],
      (key) => (key === "conviction:CV-1" ? { values: souza, indexedValues: okeke, citations } : undefined),
      plan,
    );
    expect(found).toEqual([{ decisionId: "7", changedRecord: "conviction:CV-1", citations }]);
  });

  it("leave out unchanged values, records never indexed, cannot-links and must-links already outdated", () => {
    const changed = { values: souza, indexedValues: okeke, citations };
    expect(
      mustLinksOutdatedBy(
        [decision("7", "must_link")],
        () => ({
          values: { date_of_birth: okeke.date_of_birth, family_name: okeke.family_name },
          indexedValues: okeke,
          citations,
        }),
        plan,
      ),
    ).toEqual([]);
    expect(
      mustLinksOutdatedBy(
        [decision("7", "must_link")],
        () => ({ ...changed, indexedValues: undefined }),
        plan,
      ),
    ).toEqual([]);
    expect(mustLinksOutdatedBy([decision("8", "cannot_link")], () => changed, plan)).toEqual([]);
    expect(mustLinksOutdatedBy([decision("9", "must_link", true)], () => changed, plan)).toEqual([]);
  });

  it("leave out a change the model does not see: letter case, accents, spacing", () => {
    const senthil = { family_name: "Senthil", given_names: "Murali", date_of_birth: "1980-02-03" };
    const shouted = { family_name: "SENTHIL", given_names: "MURALI", date_of_birth: "1980-02-03" };
    expect(sameToModel(plan, senthil, shouted)).toBe(true);
    expect(
      mustLinksOutdatedBy(
        [decision("7", "must_link")],
        () => ({ values: shouted, indexedValues: senthil, citations }),
        plan,
      ),
    ).toEqual([]);
    expect(sameToModel(plan, senthil, { ...shouted, given_names: "MURALI KRISHNA" })).toBe(false);
    expect(sameToModel(plan, senthil, { family_name: "Senthil", given_names: "Murali" })).toBe(false);
  });

  it("are not honoured; every other decision is", () => {
    const rows = [decision("7", "must_link", true), decision("8", "must_link"), decision("9", "cannot_link")];
    expect(honouredDecisions(rows).map((row) => row.decisionId)).toEqual(["8", "9"]);
  });
});
