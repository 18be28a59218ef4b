import { describe, expect, it } from "vitest";
import { documentReferenceOf, type ResolutionDraft, resolutionOf } from "./redress-form-checks.ts";

describe("documentReferenceOf", () => {
  it("names the missing field of a partly filled reference instead of dropping it", () => {
    expect(documentReferenceOf({ type: "U.S. passport", number: "X123", issuer: "" }).problem).toMatch(
      /fill in “Issued by”/,
    );
    expect(documentReferenceOf({ type: "", number: "X123", issuer: "" }).problem).toMatch(
      /“Document type” and “Issued by”/,
    );
    expect(documentReferenceOf({ type: "", number: "", issuer: " " })).toEqual({});
    expect(documentReferenceOf({ type: " U.S. passport", number: "X123", issuer: "State" })).toEqual({
      reference: { type: "U.S. passport", number: "X123", issuer: "State" },
    });
  });
});

describe("resolutionOf", () => {
  const draft: ResolutionDraft = {
    kind: "not_my_record",
    outcome: "granted",
    reason: "The visa record is another person's.",
    effectiveDate: "",
    corrections: [],
    unlinks: "",
    cannotLink: "",
  };

  it("grants a request other than a citizenship claim with its corrections, unlinks and cannot-link pairs", () => {
    const { resolution, problems } = resolutionOf({
      ...draft,
      corrections: [{ feed: "court", row: '{"event_id":"CE-1","outcome":"terminated"}' }],
      unlinks: "visa:V123\n\n i94:I-9 ",
      cannotLink: "visa:V123 court:CE-1",
    });
    expect(problems).toEqual([]);
    expect(resolution).toEqual({
      outcome: "granted",
      reason: "The visa record is another person's.",
      corrections: [{ feed: "court", row: { event_id: "CE-1", outcome: "terminated" } }],
      unlinks: ["visa:V123", "i94:I-9"],
      cannotLink: [{ left: "visa:V123", right: "court:CE-1" }],
    });
  });

  it("says what a grant needs instead of sending one the server refuses", () => {
    expect(resolutionOf(draft).problems).toEqual([
      expect.stringMatching(/at least one correction record, a record to unlink, or a pair never to link/),
    ]);
    expect(resolutionOf({ ...draft, kind: "citizenship" }).problems).toEqual([
      expect.stringMatching(/date the citizenship took effect/),
    ]);
    expect(resolutionOf({ ...draft, kind: "citizenship", effectiveDate: "2026-01-02" }).resolution).toEqual({
      outcome: "granted",
      reason: draft.reason,
      citizenship: { effectiveDate: "2026-01-02" },
    });
  });

  it("names each malformed entry", () => {
    const { problems } = resolutionOf({
      ...draft,
      corrections: [
        { feed: "", row: "{not json" },
        { feed: "court", row: "[1]" },
      ],
      unlinks: "V123",
      cannotLink: "visa:V1",
    });
    expect(problems).toEqual([
      "Correction record 1: name its feed (e.g. court).",
      expect.stringMatching(/^Correction record 1: the row is not JSON/),
      "Correction record 2: the row must be a JSON object of field names and values.",
      "Unlink “V123”: a record is named FEED:KEY, e.g. visa:V123.",
      "Never link “visa:V1”: write two records, FEED:KEY FEED:KEY, on each line.",
    ]);
  });

  it("sends only the reason for a denial or withdrawal", () => {
    expect(resolutionOf({ ...draft, outcome: "denied", unlinks: "visa:V1" }).resolution).toEqual({
      outcome: "denied",
      reason: draft.reason,
    });
    expect(resolutionOf({ ...draft, outcome: "withdrawn", reason: " " }).problems).toEqual([
      "Give the reason for the resolution.",
    ]);
  });
});
